from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.annual_report.document import build_report
from campaigns.annual_report.rendering import render_docx, render_pdf
from charity import identity

FORMATS = {".pdf": render_pdf, ".docx": render_docx}


class Command(BaseCommand):
    help = "生成某年度的年度工作报告：--output 的扩展名为 .pdf 时生成 PDF，为 .docx 时生成 Word 文件"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="年度，例如 2019")
        parser.add_argument("--output", "-o", required=True, help="保存路径，以 .pdf 或 .docx 结尾")

    def handle(self, *args, year, output, **options):
        target = Path(output)
        render = FORMATS.get(target.suffix.lower())
        if render is None:
            raise CommandError(
                f"不支持的文件类型“{target.suffix or '（无扩展名）'}”：--output 须以 .pdf 或 .docx 结尾"
            )
        # The cover names the federation as the administrator set it (网站信息, charity/identity.py),
        # with its emblem when one was uploaded.
        site = identity.current()
        report = build_report(year, site.full_name)
        if render is render_pdf and site.emblem:
            target.write_bytes(render_pdf(report, emblem=Path(site.emblem.path).as_uri()))
        else:
            target.write_bytes(render(report))
        self.stdout.write(f"已生成 {year} 年度工作报告：{target}")
