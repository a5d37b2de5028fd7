"""manage.py publish: the command-line twin of the 「预览并发布」 page, so a weekly honor roll during a
campaign can be scheduled (cron, docs/deploy.md).

Each subcommand prints the preview the page shows (charity.previews), refuses with exit code 1
while there are warnings unless --allow-warnings is given, and with --dry-run prints and changes
nothing. It publishes through the same services as the page, as the user given with --user, or
else as nobody's account: the audit entry then reads 「命令行 publish（<system account>）」.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from campaigns import services
from campaigns.annual_report import publishing as year_report
from campaigns.annual_summary import preview as summary_preview
from campaigns.honor_rolls import preview as honor_roll_preview
from campaigns.models import Campaign, HonorRollIssue, RankingEdition
from campaigns.rankings import preview as ranking_preview
from charity import audit
from charity.previews import CHANGED_SINCE_PREVIEW, publish_as_previewed
from charity.snapshots import SnapshotError
from relief import preview as disclosure_preview
from relief import services as relief_services
from relief.models import Disclosure

PERMISSIONS = {
    "honor-roll": "campaigns.publish_honorrollissue",
    "ranking": "campaigns.publish_rankingedition",
    "disclosure": "relief.publish_disclosure",
    "summary": "campaigns.release_annualsummary",
    "year-report": "campaigns.publish_yearreport",
}


class DryRun(Exception):
    """Raised at the end of a dry run, so that everything it did is rolled back."""


class Command(BaseCommand):
    help = (
        "预览并发布光荣榜、排行榜、公示、年度总结或年度工作报告（与后台「预览并发布」页面相同的预览和提示）"
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, title="发布什么")

        def kind(name, help_text):
            sub = kinds.add_parser(name, help=help_text)
            sub.add_argument(
                "--user", help="以哪个工作人员账号发布（需有发布权限）；不填则记为“命令行 publish”"
            )
            sub.add_argument("--dry-run", action="store_true", help="只打印预览，不做任何更改")
            sub.add_argument("--allow-warnings", action="store_true", help="有提示时仍然发布（请先核对提示）")
            return sub

        honor_roll = kind("honor-roll", "生成下一期光荣榜并发布（每周定时发布用）")
        honor_roll.add_argument("--campaign", required=True, help="活动年度（如 2024）或活动编号")
        honor_roll.add_argument("--cut-off", help="截止日期 YYYY-MM-DD，默认今天")
        kind("ranking", "发布一份排行榜草稿").add_argument(
            "--edition", type=int, required=True, help="排行榜编号"
        )
        kind("disclosure", "发布一份公示草稿").add_argument("--id", type=int, required=True, help="公示编号")
        kind("summary", "生成并向公众发布年度总结").add_argument(
            "--year", type=int, required=True, help="年度"
        )
        year_report_kind = kind("year-report", "预览并发布年度工作报告（再次发布即为新版本，须填 --reason）")
        year_report_kind.add_argument("year", type=int, help="年度，例如 2019")
        year_report_kind.add_argument("--reason", default="", help="更正原因（第2版起必填）")

    def handle(self, *args, kind, user, dry_run, allow_warnings, **options):
        acting = self.acting_user(kind, user)
        flags = {"dry_run": dry_run, "allow_warnings": allow_warnings}
        steps = {
            "honor-roll": lambda: self.honor_roll(acting, options["campaign"], options["cut_off"], **flags),
            "ranking": lambda: self.ranking(acting, options["edition"], **flags),
            "disclosure": lambda: self.disclosure(acting, options["id"], **flags),
            "summary": lambda: self.summary(acting, options["year"], **flags),
            "year-report": lambda: self.year_report(acting, options["year"], options["reason"], **flags),
        }
        try:
            # One transaction: a refusal or a dry run leaves nothing behind, not even the new draft.
            with audit.acting_as(audit.command_actor("publish")), transaction.atomic():
                steps[kind]()
        except DryRun:
            self.stdout.write("试运行（--dry-run）：没有做任何更改")
        except (SnapshotError, services.SummaryError) as refusal:
            raise CommandError(refusal.message) from refusal

    def acting_user(self, kind, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有名为“{username}”的有效账号")
        if not user.has_perm(PERMISSIONS[kind]):
            raise CommandError(f"账号“{username}”没有发布权限（{PERMISSIONS[kind]}）")
        return user

    # --- the kinds ------------------------------------------------------------------------------

    def honor_roll(self, user, campaign, cut_off, **flags):
        found = self.campaign(campaign)
        day = self.cut_off(cut_off)
        published = HonorRollIssue.objects.filter(campaign=found, status=HonorRollIssue.Status.PUBLISHED)
        last = published.order_by("-number").first()
        number = last.number + 1 if last else 1  # issues are published in order (check_publishable)
        # A draft staff already made for the next issue is used (with this cut-off), not doubled.
        issue = HonorRollIssue.objects.filter(campaign=found, number=number).first()
        if issue is None:
            issue = HonorRollIssue.objects.create(campaign=found, number=number, cut_off=day)
            self.stdout.write(f"新建草稿：{issue}，截止日期 {day}")
        elif issue.cut_off != day:
            self.stdout.write(f"使用已有草稿：{issue}，截止日期由 {issue.cut_off} 改为 {day}")
            issue.cut_off = day
            issue.save()
        self.publish(issue, honor_roll_preview.preview, services.publish_honor_roll, user, **flags)

    def ranking(self, user, edition, **flags):
        draft = RankingEdition.objects.filter(pk=edition).first()
        if draft is None:
            raise CommandError(f"没有编号为 {edition} 的排行榜")
        self.publish(draft, ranking_preview.preview, services.publish_ranking, user, **flags)

    def disclosure(self, user, pk, **flags):
        draft = Disclosure.objects.filter(pk=pk).first()
        if draft is None:
            raise CommandError(f"没有编号为 {pk} 的公示")
        self.publish(draft, disclosure_preview.preview, relief_services.publish_disclosure, user, **flags)

    def summary(self, user, year, *, dry_run, allow_warnings):
        shown = summary_preview.preview(year)
        self.show(shown, dry_run=dry_run, allow_warnings=allow_warnings)
        document = services.summary_document(year)
        if document.fingerprint != shown.content["data_fingerprint"]:
            raise CommandError(CHANGED_SINCE_PREVIEW)
        services.release_summary(document, user)
        self.stdout.write(
            self.style.SUCCESS(f"已发布：{document}（{document.pages} 页，校验码 {document.code.upper()}）")
        )

    def year_report(self, user, year, reason, **flags):
        draft = year_report.new_draft(year, reason)
        self.publish(draft, year_report.preview, year_report.release, user, **flags)
        self.stdout.write(f"校验码 {year_report.display_code(draft.code)}；PDF 和 Word 文件由后台任务生成")

    # --- shared -----------------------------------------------------------------------------------

    def publish(self, draft, make_preview, service, user, *, dry_run, allow_warnings):
        if draft.is_published:
            raise CommandError(f"“{draft}”已发布，不能再次发布")
        shown = make_preview(draft)
        self.show(shown, dry_run=dry_run, allow_warnings=allow_warnings)
        published = publish_as_previewed(service, draft, user, shown)
        when = timezone.localtime(published.published_at)
        self.stdout.write(self.style.SUCCESS(f"已发布：{published}（{when:%Y-%m-%d %H:%M}）"))

    def show(self, shown, *, dry_run, allow_warnings):
        """Print the preview; stop here on a refusal, a dry run, or warnings not allowed."""
        self.stdout.write("\n".join(shown.lines()))
        if shown.refusal:
            raise CommandError(shown.refusal)
        if dry_run:
            raise DryRun
        if shown.warnings and not allow_warnings:
            raise CommandError(
                f"有 {len(shown.warnings)} 条提示，未发布。"
                "请核对后加 --allow-warnings 再运行，或在后台预览页面发布"
            )

    def campaign(self, value):
        """A campaign by year (the year's 慈善一日捐 when there are several) or by its number."""
        if not value.isdigit():
            raise CommandError(f"--campaign 应为年度或活动编号，而不是“{value}”")
        number = int(value)
        of_year = list(Campaign.objects.of_year(number)) if number >= 1900 else []
        if len(of_year) > 1:
            one_day = [c for c in of_year if c.kind == Campaign.Kind.ONE_DAY]
            if len(one_day) != 1:
                names = "、".join(f"{c.name}（编号 {c.pk}）" for c in of_year)
                raise CommandError(f"{number}年有多个活动：{names}；请用 --campaign <编号> 指定")
            of_year = one_day
        if of_year:
            return of_year[0]
        found = Campaign.objects.filter(pk=number).first()
        if found is None:
            raise CommandError(f"没有 {number} 年度的活动，也没有编号为 {number} 的活动")
        return found

    def cut_off(self, value):
        if not value:
            return timezone.localdate()
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is None:
            raise CommandError(f"截止日期“{value}”不是有效日期，请写成 YYYY-MM-DD，例如 2024-09-30")
        return day
