"""The text of an issue's shareable images and CSV rows, from its published content only."""

import datetime
from decimal import Decimal

from charity.money import count, wan_with_yuan, yuan

CSV_HEADER = ["期数", "截止日期", "版块", "类别", "名称", "所在单位", "金额（元）", "计入本期合计"]
UNIT, PERSON, OTHERS, STAFF = "单位", "个人", "其他个人（合计）", "单位职工（已计入单位金额）"
CORRECTION = "更正（冲正此前公布的捐款）"


def others_label(others):
    """其他 N 位爱心人士: the people below the threshold, counted and never named. The one wording
    of the page (the `others_label` filter), the share images, the CSV and the PDF."""
    return f"其他 {count(others['count'])} 位爱心人士"


def others_line(others):
    """others_label with their total: 其他 N 位爱心人士，合计 X 元."""
    return f"{others_label(others)}，合计 {yuan(others['amount'])} 元"


def cut_off_label(content):
    day = datetime.date.fromisoformat(content["cut_off"])
    return f"截至 {day.year}年{day.month}月{day.day}日"


def share_lines(content):
    """Lines for charity.images.render_pages: sectors, units, named people, staff, totals."""
    lines = [
        (
            "text",
            f"本期捐款 {wan_with_yuan(content['total'])}，{count(content['donations'])} 笔；"
            f"累计 {wan_with_yuan(content['running_total'])}。",
        )
    ]
    for sector in content["sectors"]:
        lines.append(("heading", sector["name"], f"{yuan(sector['total'])} 元"))
        lines += [("row", u["name"], yuan(u["amount"])) for u in sector["units"]]
        people = [(p["name"], yuan(p["amount"])) for p in sector["people"]]
        lines += [("pairs", people[i : i + 2]) for i in range(0, len(people), 2)]
        others = sector["others"]
        if others["count"]:
            lines.append(("text", others_line(others)))
        for item in sector.get("corrections", []):  # issues published before reversals had none
            where = f"（原列于{item['issue']}）" if item["issue"] else ""
            lines.append(("row", f"更正：{item['name']}{where}", yuan(item["amount"])))
        if sector["staff"]:
            lines.append(("text", "单位职工（金额已计入所在单位）："))
            staff = [(s["name"], yuan(s["amount"])) for s in sector["staff"]]
            lines += [("pairs", staff[i : i + 2]) for i in range(0, len(staff), 2)]
    lines.append(
        (
            "text",
            f"个人捐款 {yuan(content['threshold'])} 元以上列出姓名；匿名捐赠显示为“爱心人士”，金额计入合计。",
        )
    )
    return lines


def csv_rows(content):
    """One row per listed unit, person, group of other people and staff member (see docs/staff/open-data.md).

    Amounts are Decimals, so the download writes them as numbers: a correction's negative amount
    is a number, not text to escape (charity.spreadsheets).
    """
    head = [content["number"], content["cut_off"]]
    for sector in content["sectors"]:
        name = sector["name"]
        for unit in sector["units"]:
            yield [*head, name, UNIT, unit["name"], "", Decimal(unit["amount"]), "是"]
        for person in sector["people"]:
            yield [*head, name, PERSON, person["name"], "", Decimal(person["amount"]), "是"]
        others = sector["others"]
        if others["count"]:
            yield [*head, name, OTHERS, others_label(others), "", Decimal(others["amount"]), "是"]
        for item in sector.get("corrections", []):
            yield [*head, name, CORRECTION, item["name"], "", Decimal(item["amount"]), "是"]
        for staff in sector["staff"]:
            yield [*head, name, STAFF, staff["name"], staff["unit"], Decimal(staff["amount"]), "否"]
