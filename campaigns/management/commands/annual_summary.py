from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.services import SummaryError, summary_document


class Command(BaseCommand):
    help = "生成某年度的慈善一日捐工作总结 PDF（数据未变时直接使用已保存的文件）"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="年度，例如 2023")
        parser.add_argument("--output", "-o", required=True, help="PDF 文件的保存路径")
        parser.add_argument("--fresh", action="store_true", help="即使数据未变也重新生成（替换已保存的文件）")

    def handle(self, *args, year, output, fresh, **options):
        try:
            document = summary_document(year, fresh=fresh)
        except SummaryError as error:
            raise CommandError(error.message) from error
        target = Path(output)
        with document.pdf.open("rb") as source:
            target.write_bytes(source.read())
        self.stdout.write(
            f"已生成 {year} 年度总结：{target}（{document.pages} 页，校验码 {document.code.upper()}，"
            f"数据指纹 {document.fingerprint}）"
        )
