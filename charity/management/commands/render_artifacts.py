from django.core.management.base import BaseCommand

from charity import artifacts


class Command(BaseCommand):
    help = (
        "生成已发布文档（光荣榜、排行榜、公示）的公开文件（PDF、分享图片、CSV/xlsx/JSON 下载）并保存。"
        "默认只生成缺少的；发布时任务进程会自动生成，本命令用于恢复备份或任务进程停过之后。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="全部重新生成，包括已保存的文件")

    def handle(self, *args, all=False, **options):
        documents = files = 0
        for model in artifacts.registered():
            for document in model._base_manager.filter(status=model.Status.PUBLISHED).order_by("pk"):
                files += artifacts.render_all(document, only_missing=not all)
                documents += 1
        self.stdout.write(self.style.SUCCESS(f"已检查 {documents} 份已发布文档，生成并保存 {files} 个文件。"))
