"""python manage.py check_publications: is every published document still what the ledger says?

Recomputes each published document from the data now (charity.publications) and prints, for each
that differs, which figures differ, published against now. Exits 1 when any differ, so cron mails
it: a row changed by any path (the admin, an import, raw SQL) is found, not only by a service.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns.corrections.drafts import prepare_drafts
from charity.publications import all_drifts


class Command(BaseCommand):
    help = "核对已公布的光荣榜、排行榜等与现在的账目是否一致；有不一致时列出并以状态 1 退出"

    def add_arguments(self, parser):
        parser.add_argument(
            "--draft",
            action="store_true",
            help="为不一致的文件准备更正说明草稿（在后台“更正说明草稿”中填写原因后发布）",
        )

    def handle(self, *args, **options):
        checked, drifted = all_drifts()
        if drifted and options["draft"]:
            documents = [found.document for found in drifted]
            prepared = prepare_drafts(documents, None, cause="check_publications 核对发现")
            self.stdout.write(f"已准备 {len(prepared)} 份更正说明草稿")
        if not drifted:
            self.stdout.write(f"全部 {checked} 份已公布文件与账目一致")
            return
        for found in drifted:
            self.stdout.write(f"{found.document}（{settings.SITE_URL}{found.url}）")
            for difference in found.differences:
                self.stdout.write(f"  {difference}")
            self.stdout.write("")
        summary = f"{len(drifted)} 份已公布文件与现在的账目不一致（共核对 {checked} 份）"
        raise CommandError(summary, returncode=1)
