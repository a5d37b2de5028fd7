"""Command-line twin of the admin's import page; scripts outside this code rely on its name and options."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.core import Campaign
from charity import audit
from charity.money import yuan
from donations.importing import ImportFailed, check_file, import_file
from donations.importing.options import ALLOW_OUTSIDE_DATES, FORCE, OUTSIDE_DATES_REASON, SEPARATE_STAFF_GIFTS


class Command(BaseCommand):
    # Django's system checks (URLs, every admin class, models) are for `manage.py check` and the
    # deploy; they cost this command 50 ms a run and find nothing a data import depends on.
    requires_system_checks = []
    help = "导入捐赠 Excel（.xlsx、.xls）或 CSV 文件：全部成功才写入，任何一行有错则不写入并列出全部错误。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx、.xls 或 .csv 文件")
        parser.add_argument("--campaign", required=True, help="募捐活动名称，如“2023年慈善一日捐”")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        # The flags say in the admin's words what its checkboxes say (importing.options).
        for option in (FORCE, ALLOW_OUTSIDE_DATES, SEPARATE_STAFF_GIFTS):
            parser.add_argument(option.flag, action="store_true", help=f"{option.label}：{option.help}")
        parser.add_argument(
            OUTSIDE_DATES_REASON.flag,
            default="",
            metavar="原因",
            help=f"{OUTSIDE_DATES_REASON.label}：{OUTSIDE_DATES_REASON.help}",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        campaign = self.campaign(options["campaign"])
        kwargs = {
            "file_name": path.name,
            "campaign": campaign,
            "allow_outside_dates": options["allow_outside_dates"],
            "force": options["force"],
            "separate_staff_gifts": options["separate_staff_gifts"],
            "outside_dates_reason": options["outside_dates_reason"],
        }
        if options["dry_run"]:
            plan = check_file(path, **kwargs)
            if not plan.ok:
                self.fail(plan.errors, path.name)
            self.report(plan, "检查通过（未写入）")
            return
        try:
            with audit.acting_as(audit.command_actor("import_donations")):
                batch = import_file(path, **kwargs)
        except ImportFailed as failure:
            self.fail(failure.errors, path.name)
        self.report(batch.plan, f"已导入，批次 #{batch.pk}")

    def campaign(self, name):
        try:
            return Campaign.objects.get(name=name)
        except Campaign.DoesNotExist:
            names = "、".join(Campaign.objects.order_by("-year", "name").values_list("name", flat=True))
            message = f"找不到募捐活动“{name}”；现有活动：{names or '（无）'}"
            raise CommandError(message, returncode=2) from None

    def fail(self, errors, file_name):
        for error in errors:
            self.stderr.write(str(error))
        raise CommandError(f"文件 {file_name}：共 {len(errors)} 处错误，未写入任何数据", returncode=1)

    def report(self, plan, outcome):
        remainder = ""
        if plan.remainders:
            rest = sum(r[3] for r in plan.remainders)
            remainder = f"，{len(plan.remainders)} 笔汇款明细未列全（余 {yuan(rest)} 元）"
        self.stdout.write(
            f"{outcome}：{plan.file_name}，{plan.row_count} 行，捐赠 {plan.donation_count} 笔，"
            f"明细 {plan.line_count} 行，新建捐赠人 {plan.new_donor_count}，"
            f"合计 {yuan(plan.total_amount)} 元{remainder}"
        )
