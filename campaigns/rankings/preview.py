"""What publishing a ranking edition would publish now (charity.previews): the refreshed, reviewed
lists, compared with the previous published edition, with what a clerk should look at first."""

from decimal import Decimal

from django.utils import timezone

from charity.money import count, signed_yuan, yuan
from charity.previews import FIRST_ROWS, Preview, dry_run, name_changes
from donations.models import Donation

from ..core import Campaign
from .content import check_publishable, refresh_and_freeze
from .models import RankingEdition


def preview(edition):
    content, refusal = dry_run(edition, check=check_publishable, freeze=refresh_and_freeze)
    shown = Preview(title=str(edition), content=content, refusal=refusal)
    if content is None:
        return shown
    rows = listed_rows(content)
    shown.figures = [
        ("年度", str(content["year"])),
        ("类别数", count(len(content["categories"]))),
        ("上榜条目", count(len(rows))),
        *[
            (c["name"], f"{count(len(c['entries']))} 条，合计 {yuan(c['total'])} 元")
            for c in content["categories"]
        ],
    ]
    shown.columns = ["类别", "名次", "名称", "金额（元）"]
    shown.rows = [
        [category, str(rank or "—"), name, yuan(amount) if amount is not None else "—"]
        for category, rank, name, amount in rows[:FIRST_ROWS]
    ]
    shown.row_count = len(rows)
    previous = previous_edition(edition)
    if previous is not None:
        shown.previous = str(previous)
        shown.changes = changes(previous.content, content)
    shown.warnings = warnings(edition, content)
    return shown


def previous_edition(edition):
    return (
        RankingEdition.objects.filter(status=RankingEdition.Status.PUBLISHED, number__lt=edition.number)
        .order_by("-number")
        .first()
    )


def listed_rows(content):
    """[(category, rank, public name, amount)] in the order the edition shows them."""
    return [
        (c["name"], e["rank"], e["name"], e["amount"]) for c in content["categories"] for e in c["entries"]
    ]


def changes(before, after):
    """Per category (matched by kind and name): names in and out, and its total."""
    old = {(c["kind"], c["name"]): c for c in before["categories"]}
    found = []
    for category in after["categories"]:
        was = old.pop((category["kind"], category["name"]), None)
        if was is None:
            found.append(f"新增类别：{category['name']}（{count(len(category['entries']))} 条）")
            continue
        names = [e["name"] for e in category["entries"]]
        old_names = [e["name"] for e in was["entries"]]
        total, old_total = Decimal(category["total"]), Decimal(was["total"])
        found.append(
            f"{category['name']}：{count(len(names))} 条（上一届 {count(len(old_names))} 条），"
            f"合计 {yuan(total)} 元（{signed_yuan(total - old_total)} 元）"
        )
        found += name_changes(old_names, names, noun=f"{category['name']}")
    found += [f"上一届有、本届没有的类别：{c['name']}" for c in old.values()]
    return found


def warnings(edition, content):
    found = []
    today = timezone.localdate()
    if edition.year > today.year:
        found.append(f"年度 {edition.year} 还没到，请核对")
    running = Campaign.objects.filter(year=edition.year, end_date__gte=today)
    for campaign in running:
        found.append(f"{campaign.name}尚未结束（{campaign.end_date} 结束），排行榜金额之后还会变化")
    if not Campaign.objects.filter(year=edition.year).exists():
        found.append(f"{edition.year}年度没有募捐活动")
    waiting = Donation.objects.for_year(edition.year).under_review()
    if waiting["donations"]:
        found.append(
            f"{edition.year}年度仍有 {count(waiting['donations'])} 笔、{yuan(waiting['total'])} 元"
            "捐款在审核中，不计入本届排行榜"
        )
    empty = [c["name"] for c in content["categories"] if not c["entries"]]
    if not any(c["entries"] for c in content["categories"]):
        found.append("排行榜没有任何上榜条目：发布后将是一份空榜")
    elif empty:
        found.append(f"以下类别没有上榜条目：{'、'.join(empty)}")
    return found
