"""What publishing an honor-roll issue would publish now, and what a careful clerk should look at
first (charity.previews): the tester's 第六期 with a cut-off three years after its campaign ended
was published from a list without anyone seeing what it held."""

from decimal import Decimal

from charity.money import count, signed_yuan, yuan
from charity.previews import FIRST_ROWS, Preview, dry_run, name_changes
from donations.models import Donation

from .content import check_publishable, list_and_freeze, previous_issue


def preview(issue):
    content, refusal = dry_run(issue, check=check_publishable, freeze=list_and_freeze)
    shown = Preview(title=str(issue), content=content, refusal=refusal)
    if content is None:
        return shown
    rows = listed_rows(content)
    previous = previous_issue(issue)
    shown.figures = [
        ("截止日期", content["cut_off"]),
        ("上一期截止日期", content["previous_cut_off"] or "—（第一期）"),
        ("本期捐赠笔数", count(content["donations"])),
        ("本期合计", f"{yuan(content['total'])} 元"),
        ("累计笔数", count(content["running_donations"])),
        ("累计合计", f"{yuan(content['running_total'])} 元"),
        ("版块数", count(len(content["sectors"]))),
        ("具名上榜门槛", f"{yuan(content['threshold'])} 元"),
    ]
    shown.columns = ["版块", "类别", "名称", "金额（元）"]
    shown.rows = [[sector, kind, name, yuan(amount)] for sector, kind, name, amount in rows[:FIRST_ROWS]]
    shown.row_count = len(rows)
    if previous is not None:
        shown.previous = str(previous)
        shown.changes = changes(previous.content, content)
    shown.warnings = warnings(issue, content)
    return shown


def listed_rows(content):
    """[(sector, kind, public name, amount)] in the order the issue shows them."""
    rows = []
    for sector in content["sectors"]:
        rows += [(sector["name"], "单位", r["name"], r["amount"]) for r in sector["units"]]
        rows += [(sector["name"], "个人", r["name"], r["amount"]) for r in sector["people"]]
        rows += [(sector["name"], "职工", f"{r['unit']} {r['name']}", r["amount"]) for r in sector["staff"]]
        rows += [(sector["name"], "更正", r["name"], r["amount"]) for r in sector["corrections"]]
    return rows


def changes(before, after):
    """What this issue shows differently from the previous one: totals, rows, new names, sectors.

    Each issue lists only the gifts received since the previous cut-off, so names and sectors
    of the previous issue that this one does not show are no change at all (a tester read "878
    names no longer listed" as something lost): only what is new is listed."""
    old_names = [name for _, _, name, _ in listed_rows(before)]
    new_names = [name for _, _, name, _ in listed_rows(after)]
    found = [
        f"本期合计 {yuan(after['total'])} 元，上一期 {yuan(before['total'])} 元"
        f"（{signed_yuan(Decimal(after['total']) - Decimal(before['total']))} 元）",
        f"累计 {yuan(after['running_total'])} 元，上一期累计 {yuan(before['running_total'])} 元",
        f"名单行数 {count(len(new_names))}，上一期 {count(len(old_names))}"
        f"（{len(new_names) - len(old_names):+d} 行）",
        *name_changes(old_names, new_names, removed=False),
    ]
    old_sectors = {s["name"]: Decimal(s["total"]) for s in before["sectors"]}
    for sector in after["sectors"]:
        total = Decimal(sector["total"])
        was = old_sectors.pop(sector["name"], None)
        if was is None:
            found.append(f"新出现的版块：{sector['name']}（{yuan(total)} 元）")
        elif was != total:
            found.append(
                f"{sector['name']}：{yuan(total)} 元，上一期 {yuan(was)} 元（{signed_yuan(total - was)} 元）"
            )
    return found


def warnings(issue, content):
    campaign = issue.campaign
    found = []
    if issue.cut_off > campaign.end_date:
        days = (issue.cut_off - campaign.end_date).days
        found.append(
            f"截止日期 {issue.cut_off} 晚于活动结束日期 {campaign.end_date}"
            f"（晚 {count(days)} 天），请核对是否填错"
        )
    if issue.cut_off < campaign.start_date:
        found.append(f"截止日期 {issue.cut_off} 早于活动开始日期 {campaign.start_date}，请核对是否填错")
    waiting = Donation.objects.for_campaign(campaign).filter(received_on__lte=issue.cut_off).under_review()
    if waiting["donations"]:
        found.append(
            f"截止日期前收到的 {count(waiting['donations'])} 笔、{yuan(waiting['total'])} 元捐款仍在审核中，"
            "本期不会列入（审核确认后列入下一期）"
        )
    if not content["donations"]:
        found.append("本期没有新的捐款：发布后将是一期空的光荣榜")
    if content["previous_cut_off"] and content["previous_cut_off"] == content["cut_off"]:
        found.append(f"截止日期与上一期相同（{issue.cut_off}）")
    return found
