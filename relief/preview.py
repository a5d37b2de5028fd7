"""What publishing a disclosure (公示) would publish now (charity.previews): the spending, the
masked list of recipients, compared with the previous disclosure of the same project and kind.

Only what the frozen content holds is shown: public (masked) names, never personal data."""

from decimal import Decimal

from django.utils import timezone

from charity.money import count, signed_yuan, yuan
from charity.previews import FIRST_ROWS, Preview, dry_run, name_changes

from .models import Disclosure
from .services import _check as check_publishable  # the service's own rule, not a copy of it
from .services import freeze_disclosure

# 公示期 of fewer days than this draws a warning (民政部门 usually asks for at least 7 days).
OBJECTION_DAYS = 7


def preview(disclosure):
    content, refusal = dry_run(disclosure, check=check_publishable, freeze=freeze_disclosure)
    shown = Preview(title=str(disclosure), content=content, refusal=refusal)
    if content is None:
        return shown
    recipients = content["recipients"]
    shown.figures = [
        ("类型", content["kind"]),
        ("项目", content["project"]["name"]),
        ("支出期间", f"{content['period']['start']} 至 {content['period']['end']}"),
        ("公示期", f"{content['objection_period']['start']} 至 {content['objection_period']['end']}"),
        ("支出笔数", count(len(content["disbursements"]))),
        ("支出合计", f"{yuan(content['total'])} 元"),
        ("受助人次", count(content["people_helped"])),
        ("公示名单人数", count(len(recipients))),
        ("名单金额合计", f"{yuan(content['recipients_total'])} 元"),
    ]
    shown.columns = ["姓名（已遮蔽）", "区县", "金额（元）"]
    shown.rows = [[r["name"], r["district"], yuan(r["amount"])] for r in recipients[:FIRST_ROWS]]
    shown.row_count = len(recipients)
    previous = previous_disclosure(disclosure)
    if previous is not None:
        shown.previous = str(previous)
        shown.changes = changes(previous.content, content)
    shown.warnings = warnings(disclosure, content)
    return shown


def previous_disclosure(disclosure):
    return (
        Disclosure.objects.filter(
            status=Disclosure.Status.PUBLISHED, project_id=disclosure.project_id, kind=disclosure.kind
        )
        .exclude(pk=disclosure.pk)
        .order_by("-objection_start", "-id")
        .first()
    )


def changes(before, after):
    total, old_total = Decimal(after["total"]), Decimal(before["total"])
    names = [r["name"] for r in after["recipients"]]
    old_names = [r["name"] for r in before.get("recipients", [])]
    return [
        f"支出合计 {yuan(total)} 元，上一份 {yuan(old_total)} 元（{signed_yuan(total - old_total)} 元）",
        f"公示名单 {count(len(names))} 人，上一份 {count(len(old_names))} 人"
        f"（{len(names) - len(old_names):+d} 人）",
        *name_changes(old_names, names, noun="公示名单"),
    ]


def warnings(disclosure, content):
    found = []
    today = timezone.localdate()
    if not content["disbursements"]:
        found.append("所选期间内该项目没有支出：公示中没有任何支出")
    if disclosure.kind == Disclosure.Kind.RECIPIENTS and not content["recipients"]:
        found.append("受助名单公示没有列出任何受助人")
    if content["withheld"]:
        found.append(f"按规定不公开姓名的受助人在 {count(len(content['withheld']))} 个区县，只公示人数和金额")
    if Decimal(content["recipients_total"]) != Decimal(content["total"]):
        found.append(
            f"名单金额合计 {yuan(content['recipients_total'])} 元与支出合计 {yuan(content['total'])} 元不一致"
            "（未分配到个人的支出见对账表），请核对"
        )
    if disclosure.objection_start < today:
        found.append(f"公示期开始日期 {disclosure.objection_start} 已经过去，发布后公示期不足原定天数")
    days = (disclosure.objection_end - disclosure.objection_start).days + 1
    if days < OBJECTION_DAYS:
        found.append(f"公示期只有 {days} 天，少于 {OBJECTION_DAYS} 天")
    if disclosure.period_end > today:
        found.append(f"支出截止日期 {disclosure.period_end} 还没到，之后的支出不会列入")
    if disclosure.objection_start < disclosure.period_end:
        found.append("公示期早于支出截止日期，请核对日期")
    return found
