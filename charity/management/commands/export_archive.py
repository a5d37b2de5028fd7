from django.core.management.base import BaseCommand

from charity.backup import export_archive
from charity.money import count


class Command(BaseCommand):
    help = "把全部数据（含上传的照片）导出为可移植的存档（.tar.gz），可用 restore_archive 恢复到空数据库。"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="存档文件路径，如 charity-2026-11-22.tar.gz")

    def handle(self, *args, output, **options):
        manifest = export_archive(output)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"已导出 {count(rows)} 行（{len(manifest['counts'])} 种数据）到 {output}")
