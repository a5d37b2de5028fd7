"""The text of a ranking's shareable images and CSV rows, from its published content only."""

from decimal import Decimal

from charity.money import yuan

CSV_HEADER = ["届", "年度", "类别", "名次", "名称", "金额（元）", "捐赠笔数", "荣誉称号", "事迹简介"]


def find_category(content, category_id):
    return next((c for c in content["categories"] if c["id"] == category_id), None)


def entry_label(entry):
    rank = f"{entry['rank']}. " if entry["rank"] is not None else ""
    honour = f"【{entry['honour']}】" if entry["honour"] else ""
    return f"{rank}{entry['name']}{honour}"


def share_lines(content, category):
    lines = [("heading", category["name"], f"{content['year']}年度")]
    for entry in category["entries"]:
        amount = yuan(entry["amount"]) if entry["amount"] is not None else ""
        lines.append(("row", entry_label(entry), amount))
        if entry["citation"]:
            lines.append(("text", entry["citation"]))
    lines.append(("text", "名次按年度捐款金额排列，金额相同者名次并列；匿名捐赠显示为“爱心人士”。"))
    return lines


def csv_rows(content):
    for category in content["categories"]:
        for e in category["entries"]:
            yield [
                content["number"],
                content["year"],
                category["name"],
                e["rank"] if e["rank"] is not None else "",
                e["name"],
                Decimal(e["amount"]) if e["amount"] is not None else None,  # a number, never text
                e["donations"] or None,
                e["honour"],
                e["citation"],
            ]
