from django.core.management.base import BaseCommand, CommandError

from charity.backup import ArchiveError, restore_archive
from charity.money import count


class Command(BaseCommand):
    help = "把 export_archive 导出的存档恢复到一个空数据库（先 migrate）：全部恢复，或什么都不写入。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="export_archive 生成的 .tar.gz 存档")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore_archive(archive)
        except ArchiveError as refusal:
            raise CommandError(refusal.message) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"已恢复 {count(rows)} 行（{len(manifest['counts'])} 种数据）")
