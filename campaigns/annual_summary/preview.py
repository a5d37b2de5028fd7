"""What releasing a year's annual summary would put before the public (charity.previews), for the
command-line twin `manage.py publish summary`: its headline figures, sectors, warnings.

The summary is no Snapshot: its document is identified by the data's fingerprint
(campaigns.annual_summary.figures.data_fingerprint), so the preview's content is that fingerprint with the
headline, and a document rendered from other data is not what was previewed."""

from django.utils import timezone

from charity.money import count, signed_yuan, wan_with_yuan, yuan
from charity.previews import FIRST_ROWS, Preview
from donations.models import Donation

from ..models import AnnualSummaryRelease, Campaign
from ..services import SummaryError, check_year
from . import figures


def preview(year):
    title = f"{year}年度慈善一日捐工作总结"
    try:
        check_year(year)
    except SummaryError as refusal:
        return Preview(title=title, content=None, refusal=refusal.message)
    summary = figures.annual_summary(year)
    shown = Preview(title=title, content={"data_fingerprint": summary.fingerprint, **summary.headline()})
    shown.figures = [
        ("募集总额", wan_with_yuan(summary.total)),
        ("捐赠笔数", count(summary.donation_count)),
        ("参与单位", count(summary.units)),
        ("参与人次", count(summary.head_count)),
        ("版块数", count(len(summary.sector_rows))),
        ("校验码", summary.display_code),
    ]
    shown.columns = ["版块", f"{year}年（元）", "上一年（元）"]
    rows = summary.sector_rows
    shown.rows = [
        [r.name, yuan(r.current), yuan(r.previous) if r.previous is not None else "—"]
        for r in rows[:FIRST_ROWS]
    ]
    shown.row_count = len(rows)
    if summary.previous_year:
        shown.previous = f"{summary.previous_year}年度"
        shown.changes = [
            f"募集总额 {yuan(summary.total)} 元，上一年 {yuan(summary.previous_total)} 元"
            f"（{signed_yuan(summary.change)} 元）",
            *summary.sentences,
        ]
    shown.warnings = warnings(year, summary)
    return shown


def year_not_settled(year, document):
    """Warnings for a year's document (`document`: 总结, 报告) while its figures may still change:
    a campaign of the year not over, gifts of the year still under review. Shared by the annual
    summary's preview and the year report's (campaigns/annual_report/publishing.py)."""
    found = []
    today = timezone.localdate()
    for campaign in Campaign.objects.of_year(year).filter(end_date__gte=today):
        found.append(f"{campaign.name}尚未结束（{campaign.end_date} 结束），{document}中的数字之后还会变化")
    waiting = Donation.objects.for_year(year).under_review()
    if waiting["donations"]:
        found.append(
            f"{year}年度仍有 {count(waiting['donations'])} 笔、{yuan(waiting['total'])} 元捐款在审核中，"
            f"不计入{document}"
        )
    return found


def warnings(year, summary):
    found = year_not_settled(year, "总结")
    if not summary.donation_count:
        found.append(f"{year}年度没有已确认的慈善一日捐捐款：总结中的数字全是零")
    released = AnnualSummaryRelease.objects.filter(year=year).select_related("document").first()
    if released is not None:
        when = timezone.localtime(released.released_at)
        same = released.document.fingerprint == summary.fingerprint
        found.append(
            f"{year}年度总结已于 {when:%Y-%m-%d %H:%M} 发布过"
            + ("，数据没有变化，将再次发布同一份文件" if same else "，发布后公众看到的将是这一份新的总结")
        )
    return found
