"""The year report's sentences, written from its figures the way the federation writes them.

Money in prose is 万元 (charity.money.wan); the exact 元 are in the tables. Headcounts in prose are
written as leadership writes them ("近6万名", "200多万人次") and exactly in the tables. Every total
says which one it is (募集总额, 含直接捐赠; or 进入总会账户的金额) and every share names its base.
"""

import math
from decimal import Decimal

from charity.money import count, percent, wan


def about(number):
    """59,236 → '近6万', 2,010,017 → '200多万', 350,123 → '35万多', 1,200,000 → '120万', 967 → '967': as
    leadership writes it in prose; below ten thousand the exact figure."""
    number = int(number or 0)
    if number < 10000:
        return count(number)
    digits = len(str(number))
    up = math.ceil(number / 10 ** (digits - 1)) * 10 ** (digits - 1)  # one significant digit, up
    if up != number and number >= up * 0.95:
        return f"近{_in_wan(up)}万"
    floor = number // 10 ** (digits - 2) * 10 ** (digits - 2)  # two significant digits, down
    if floor == number:
        return f"{_in_wan(floor)}万"
    # "200多万" for whole tens of 万, "35万多" and "5.6万多" otherwise, as people say them.
    return f"{_in_wan(floor)}多万" if floor % 100_000 == 0 else f"{_in_wan(floor)}万多"


def _in_wan(number):
    return wan(Decimal(number))


def change(row, unit="万元", what="比上年"):
    """'比上年增加812万元，增长47.8%' / '比上年减少0.8万元，下降10.0%' / '与上年持平';
    '' without last year."""
    if row.previous is None:
        return ""
    delta = row.change
    if delta == 0:
        return "与上年持平"
    amount = wan(abs(delta)) + unit if unit == "万元" else f"{count(abs(delta))}{unit}"
    verb, rate = ("增加", "增长") if delta > 0 else ("减少", "下降")
    text = f"{what}{verb}{amount}"
    if row.percent is not None:
        text += f"，{rate}{percent(abs(row.percent))}"
    return text


def joined(parts, separator="，"):
    return separator.join(part for part in parts if part)


def money_paragraph(year, money, campaigns):
    raised, account = money.raised, money.into_account
    text = joined(
        [
            f"{year}年，募集善款总量（募集总额，含直接捐赠）{wan(raised.current)}万元",
            change(raised),
        ]
    )
    text += "（" + joined([f"进入慈善总会账户的{wan(account.current)}万元", change(account)]) + "）"
    if money.direct:
        text += f"。其中直接捐赠{wan(money.direct)}万元，由捐赠人直接交给受助人或灾区，"
        text += "计入募集总额，不进入总会账户"
    text += "。"
    if campaigns:
        items = [
            joined([f"{row.name}（{row.kind}）{wan(row.current)}万元", change(row)]) for row in campaigns
        ]
        text += f"全年开展募捐活动{len(campaigns)}项：" + "；".join(items) + "。"
    return text


def branch_paragraph(branches):
    if not branches.rows:
        return ""
    if branches.net_change is None:
        total = sum(r.current for r in branches.rows)
        return f"{len(branches.rows)}个慈善分会共募捐{wan(total)}万元，上年无数据，不作比较。"
    text = (
        f"{len(branches.rows)}个慈善分会募捐总数比上年增加的有{branches.rose}个，"
        f"增加{wan(branches.risen_by)}万元（各分会合计{change(_Net(branches.net_change))}）。"
    )
    named = [joined([f"{row.name}{wan(row.current)}万元", change(row)]) for row in branches.rows]
    return text + "其中：" + "；".join(named) + "。"


class _Net:
    """A change without a base, for '合计比上年增加…'."""

    def __init__(self, delta):
        self.change, self.previous, self.percent = delta, 0, None


def unit_sentence(name, units, total, groups=()):
    """'住建系统207个单位参与，比上年增加115个单位，增长125.0%；捐款总数146.44万元，比上年增加…'
    (`units` the count of units, `total` the sector's money, `groups` its sub-groups)."""
    text = (
        name
        + joined([f"{units.current}个单位参与", change(units, unit="个单位")])
        + "；"
        + joined([f"捐款总数{wan(total.current)}万元", change(total)])
        + "。"
    )
    if groups:
        text += "其中" + "，".join(f"{g.name}捐款{wan(g.current)}万元" for g in groups if g.current) + "。"
    return text


def first_time_sentence(rows, limit=5):
    if not rows:
        return ""
    total = sum((r["total"] for r in rows), Decimal("0.00"))
    named = "、".join(f"{r['public_name']}{wan(r['total'])}万元" for r in rows[:limit])
    more = "等" if len(rows) > limit else ""
    return f"首次参与的单位{len(rows)}家，捐款{wan(total)}万元，其中{named}{more}。"


def relief_paragraph(year, relief):
    if not relief.project_count:
        return f"{year}年度没有救助支出记录。"
    earlier = "、".join(f"{y}年项目资金{wan(amount)}万元" for y, amount in relief.earlier_by_year)
    shares = "、".join(
        f"占{share.base}的{percent(share.percent)}"
        for share in (relief.of_raised, relief.of_account)
        if share.percent is not None
    )
    text = joined(
        [
            f"全年实行救助的项目{relief.project_count}个，救助支出{wan(relief.spent.current)}万元"
            + (f"（含{earlier}）" if earlier else ""),
            shares,
            change(relief.spent),
        ]
    )
    return text + f"，惠及{about(relief.people_helped)}人次。"


def recurring_sentence(relief):
    items = []
    for p in relief.recurring:
        items.append(
            f"“{p.name}”项目由{wan(p.spent.previous)}万元"
            f"{'增加' if p.spent.current >= p.spent.previous else '减少'}到{wan(p.spent.current)}万元，"
            f"救助对象由{count(p.people.previous)}人次变为{count(p.people.current)}人次"
            + (
                f"，年度预算由{wan(p.budget.previous)}万元变为{wan(p.budget.current)}万元"
                if p.budget is not None and p.budget.previous is not None
                else ""
            )
        )
    return "与上年相比：" + "；".join(items) + "。" if items else ""


def _date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def one_day_paragraphs(summary):
    """The 2023 report's section 一 in its own form: the overview, '其中：…' per sector in 万元, and
    the 提升/降低 sentences (campaigns/annual_summary/figures.py computes them)."""
    first = (
        f"{summary.year}年“慈善一日捐”"
        + (f"（{summary.campaign_note}）" if summary.campaign_note else "")
        + (
            f"于{_date(summary.start_date)}正式启动，至{_date(summary.end_date)}基本结束。"
            if summary.start_date
            else ""
        )
        + f"有{count(summary.units)}家机关和企事业单位、{about(summary.head_count)}名爱心人士参与，"
        f"募集资金{wan(summary.total)}万元（募集总额，含直接捐赠），{summary.headline()['change_sentence']}。"
    )
    parts = [f"{row.name}捐款{wan(row.current)}万元" for row in summary.sector_rows if not row.unassigned]
    unassigned = [row for row in summary.sector_rows if row.unassigned and row.current]
    if unassigned:
        parts.append(f"尚未确定版块的款项{wan(unassigned[0].current)}万元")
    return [first, "其中：" + "、".join(parts) + "。", *summary.sentences] if parts else [first]
