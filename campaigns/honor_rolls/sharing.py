"""The text of an issue's shareable images and CSV rows, from its published content only."""

import datetime
from decimal import Decimal

from charity import images
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


def sector_share_lines(content, sector):
    """Lines for one sector's image (charity.images.render_page): one picture per sector, as a
    reader shares it, rather than an issue cut into twenty numbered ones (issue #23). A sector
    longer than one picture shows its first names and says how many more the page lists."""
    lines = [("heading", sector["name"], f"{yuan(sector['total'])} 元")]
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
    # Two lines, each short enough not to be wrapped inside an amount.
    summary = [
        ("text", f"本版块本期 {wan_with_yuan(sector['total'])}，{count(sector['donations'])} 笔。"),
        (
            "text",
            f"个人捐款 {yuan(content['threshold'])} 元以上列出姓名；匿名捐赠显示为“爱心人士”，金额计入合计。",
        ),
    ]
    return one_picture(lines, summary)


def one_picture(lines, summary):
    """As many of `lines` as fit one picture with the `summary` lines after them; when some do not
    fit, a line saying how many names are left out (they are on the page the QR code opens)."""
    room = images.PAGE_MAX - images.HEADER - images.FOOTER - sum(images.line_height(line) for line in summary)
    if sum(images.line_height(line) for line in lines) <= room:
        return [*lines, *summary]
    more = ("text", "……还有 00,000 个名字，扫码查看本版块完整名单")
    room -= images.line_height(more)
    kept, used = [], 0
    for line in lines:
        used += images.line_height(line)
        if used > room:
            break
        kept.append(line)
    left = sum(names_in(line) for line in lines[len(kept) :])
    return [*kept, ("text", f"……还有 {count(left)} 个名字，扫码查看本版块完整名单"), *summary]


def names_in(line):
    return {"row": 1, "pairs": len(line[1]) if line[0] == "pairs" else 0}.get(line[0], 0)


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
