"""Command-line twin of the admin's 对账 upload, for a bank export fetched on a schedule.

Prints the four results (matched, 未到账, credits with no gift, amounts that differ) and those
awaiting a decision; a second run on the same file changes nothing and prints the same counts.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from charity import audit
from donations.reconciliation.models import StatementMapping
from donations.reconciliation.reading import StatementRejected
from donations.reconciliation.services import counts_text, import_statement


class Command(BaseCommand):
    help = "对账：导入银行流水（按列映射）或微信支付交易账单，与已登记的捐赠逐笔核对，打印四项结果。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="银行流水（.xlsx、.xls、.csv）或微信支付交易账单（.csv）")
        parser.add_argument(
            "--mapping", default="", metavar="名称", help="银行流水的列映射名称；微信支付账单不需要"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        mapping = self.mapping(options["mapping"]) if options["mapping"] else None
        try:
            with audit.acting_as(audit.command_actor("reconcile")):
                result = import_statement(path, path.name, mapping=mapping)
        except StatementRejected as failure:
            for error in failure.errors:
                self.stderr.write(str(error))
            raise CommandError(failure.message, returncode=1) from None
        done = f"新到账 {result.new} 笔" if result.new else "全部到账此前已导入，未作任何改动"
        repeated = f"，已导入过 {result.repeated} 笔（未重复计入）" if result.new and result.repeated else ""
        self.stdout.write(f"{path.name}：{done}{repeated}")
        self.stdout.write(counts_text(result.counts))

    def mapping(self, name):
        try:
            return StatementMapping.objects.get(name=name)
        except StatementMapping.DoesNotExist:
            names = "、".join(StatementMapping.objects.values_list("name", flat=True))
            raise CommandError(
                f"找不到列映射“{name}”；现有映射：{names or '（无，请先在后台添加）'}", returncode=2
            ) from None
