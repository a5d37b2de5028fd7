"""Workbooks shaped the way office staff really make them, built in memory for the tests.

Each function returns one upload (a BytesIO with a .name, as Django hands it over) for one
situation of issue 8: files that used to count money twice without a word, and correct files
that used to be refused. tests/donations/test_import_staff_files.py runs each one.

To look at them in Excel: `.venv/bin/python -m tests.donations.staff_files /tmp/staff-files`
writes every file into that folder.
"""

import datetime
import io
import sys
from pathlib import Path

import openpyxl

UNIT_HEADER = ["捐赠日期", "捐赠人", "捐赠人类型", "版块", "金额", "票据号"]
STAFF_HEADER = ["捐赠日期", "捐赠人", "捐赠人类型", "所在单位", "版块", "金额", "票据号", "汇款票据号"]
# The admin's import template (捐赠 → 导入 → 下载模板), spelled out: a file staff filled in keeps
# the header it was made with.
TEMPLATE_HEADER = [
    "捐赠日期", "捐赠人", "捐赠人类型", "统一社会信用代码", "所在单位", "版块", "分会", "金额", "参与人数",
    "渠道", "到账方式", "票据号", "定向项目", "匿名", "备注", "汇款票据号",
]  # fmt: skip
DAY = datetime.date(2023, 9, 18)


def workbook_file(rows, header, name, *, title=None, sheet_title="捐赠", build=None):
    """An .xlsx of `rows` (lists) under `header`, with an optional merged title row above it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if build:
        build(book, sheet)
    return saved(book, name)


def saved(book, name):
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def csv_upload(lines, name):
    buffer = io.BytesIO(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    buffer.name = name
    return buffer


def school_staff(refs=("R-1", "R-1", "R-1")):
    """衡阳市一中's remittance R-1 of 600.00 and three teachers, each naming R-1 or not."""
    rows = [[DAY, "衡阳市一中", "单位", "", "教育系统", 600, "R-1", ""]]
    for name, amount, ref in zip(("张老师", "李老师", "王老师"), (100, 200, 300), refs, strict=True):
        rows.append([DAY, name, "个人", "衡阳市一中", "", amount, "", ref])
    return rows


# --- files that counted money twice ---------------------------------------------------------


def total_row_copied_from_the_last_row():
    """Two units, then 合计 made by copying the last row: it has a date, a type and a sector."""
    rows = [
        [DAY, "衡阳市教育局", "单位", "教育系统", 1000, "R-1"],
        [DAY, "衡阳市卫健委", "单位", "卫健系统", 500, "R-2"],
        [DAY, "合计", "单位", "卫健系统", 1500, ""],
    ]
    return workbook_file(rows, UNIT_HEADER, "合计行.xlsx")


def subtotal_and_signature_rows():
    rows = [
        [DAY, "衡阳市教育局", "单位", "教育系统", 1000, "R-1"],
        ["", "小 计", "", "", 1000, ""],
        ["制表人：张三", "", "", "", "", ""],
        ["审核人：李四", "", "", "", "", "日期：2023-09-20"],
    ]
    return workbook_file(rows, UNIT_HEADER, "小计和签名.xlsx")


def remittance_ref_on_the_first_staff_row_only():
    return workbook_file(school_staff(refs=("R-1", "", "")), STAFF_HEADER, "只填第一行.xlsx")


def staff_list_without_a_remittance_column():
    rows = [row[:-1] for row in school_staff(refs=("", "", ""))]
    return workbook_file(rows, STAFF_HEADER[:-1], "没有汇款票据号列.xlsx")


def block_pasted_twice():
    """Two lists merged by pasting: the second paste repeats three rows without receipts."""
    block = [
        [DAY, "张三", "个人", "", "", 50, "", ""],
        [DAY, "李四", "个人", "", "", 80, "", ""],
        [DAY, "王五", "个人", "", "", 120, "", ""],
    ]
    rows = [*block, [DAY, "赵六", "个人", "", "", 30, "", ""], *block]
    return workbook_file(rows, STAFF_HEADER, "粘贴两次.xlsx")


def personal_list(note=""):
    """A list of gifts without receipt numbers; saved again with one note changed, it is a new
    file to a SHA-256 but the same money."""
    rows = [
        [DAY, "张三", "个人", "", "", 50, "", ""],
        [DAY, "李四", "个人", "", "", 80, "", ""],
    ]
    header = [*STAFF_HEADER, "备注"]
    return workbook_file([[*r, note if r[1] == "李四" else ""] for r in rows], header, "个人名单.xlsx")


def credit_code_stored_as_a_number(code_number):
    """An 18-digit code typed into a General cell: Excel keeps it as a number, 15 digits."""
    rows = [[DAY, "衡阳某公司", "单位", "民营企业", 1000, code_number]]
    header = [*UNIT_HEADER[:-1], "统一社会信用代码"]
    return workbook_file(rows, header, "信用代码.xlsx")


def credit_code_in_scientific_notation_csv():
    return csv_upload(
        [
            "捐赠日期,捐赠人,捐赠人类型,版块,金额,统一社会信用代码",
            "2023-09-18,衡阳某公司,单位,民营企业,1000,9.14304E+17",
        ],
        "信用代码.csv",
    )


# --- correct files that were refused --------------------------------------------------------


def template_with_receipts_of_their_own():
    """The federation's own template, as its office fills it (issue #22, 4): the template's every
    column under a merged title, 序号 first; units with their receipt numbers, one unit's staff
    list itemised under its remittance, and people who name their 所在单位 (a unit remitting in
    the same file) and carry a receipt number of their own: gifts receipted separately.

    Money: 衡阳市一中 1,000.00 (its lines 300.00 only credit people) + 衡阳市卫健委 800.00 +
    six people 50.00 to 200.00 with receipts of their own = 2,330.00 元.
    """

    def row(name, kind, amount, *, receipt="", employer="", sector="", ref="", code="", heads=""):
        cells = {
            "捐赠日期": DAY,
            "捐赠人": name,
            "捐赠人类型": kind,
            "统一社会信用代码": code,
            "所在单位": employer,
            "版块": sector,
            "金额": amount,
            "参与人数": heads,
            # A staff line takes its remittance's channel; a person's own gift came by WeChat Pay.
            "渠道": "" if ref else ("银行转账" if kind == "单位" else "微信"),
            "票据号": receipt,
            "汇款票据号": ref,
        }
        return [cells.get(column, "") for column in TEMPLATE_HEADER]

    rows = [
        row("衡阳市一中", "单位", 1000, receipt="HY2023-0101", sector="教育系统", heads=2),
        row("张老师", "个人", 100, employer="衡阳市一中", ref="HY2023-0101"),
        row("李老师", "个人", 200, employer="衡阳市一中", ref="HY2023-0101"),
        row("衡阳市卫健委", "单位", 800, receipt="HY2023-0102", sector="卫健系统"),
    ]
    own = [
        ("王老师", "衡阳市一中", 50),
        ("赵老师", "衡阳市一中", 80),
        ("刘医生", "衡阳市卫健委", 200),
        ("陈医生", "衡阳市卫健委", 100),
        ("周护士", "衡阳市卫健委", 50),
        ("吴医生", "衡阳市卫健委", 50),
    ]
    for n, (name, employer, amount) in enumerate(own, start=201):
        rows.append(row(name, "个人", amount, receipt=f"HY2023-0{n}", employer=employer))
    header = ["序号", *TEMPLATE_HEADER]
    rows = [[n, *r] for n, r in enumerate(rows, start=1)]
    return workbook_file(rows, header, "慈善一日捐模板.xlsx", title="2023年慈善一日捐捐赠名单")


def title_row_and_row_numbers():
    """A merged, centred title above the header and a 序号 column, as most lists have."""
    header = ["序号", *STAFF_HEADER]
    rows = [[n, *row] for n, row in enumerate(school_staff(), start=1)]
    return workbook_file(rows, header, "带标题.xlsx", title="衡阳市一中2023年慈善一日捐名单")


def headers_with_units_and_line_breaks():
    header = ["捐赠\n日期", " 捐赠人 ", "捐赠人类型", "版块", "捐赠金额（元）", "参与人数（人）", "票据号"]
    rows = [
        [DAY, "衡阳市教育局", "单位", "教育系统", 1000, 35, "R-1"],
        [DAY, "衡阳市卫健委", "单位", "卫健系统", 500, 12, "R-2"],
    ]
    return workbook_file(rows, header, "表头带单位.xlsx")


def amount_header_with_half_width_unit():
    rows = [[DAY, "衡阳市教育局", "单位", "教育系统", 1000]]
    return workbook_file(rows, ["捐赠日期", "捐赠人", "捐赠人类型", "版块", "金额(元)"], "金额元.xlsx")


def amount_in_ten_thousands():
    rows = [[DAY, "衡阳市教育局", "单位", "教育系统", 0.35]]
    return workbook_file(rows, ["捐赠日期", "捐赠人", "捐赠人类型", "版块", "金额（万元）"], "万元.xlsx")


def float_noise_in_amounts():
    """100.00 shown, 99.99999999999999 stored (a sum computed in the sheet, pasted as values)."""
    rows = [
        [DAY, "衡阳市教育局", "单位", "教育系统", 99.99999999999999, "R-1"],
        [DAY, "衡阳市卫健委", "单位", "卫健系统", 0.1 + 0.2, "R-2"],  # 0.30000000000000004
    ]
    return workbook_file(rows, UNIT_HEADER, "浮点误差.xlsx")


def dates_as_digits_and_date_times():
    rows = [
        ["20230917", "甲单位", "单位", "教育系统", 100, ""],
        [20230918, "乙单位", "单位", "教育系统", 100, ""],
        ["2023-10-13 14:35:12", "丙单位", "单位", "教育系统", 100, ""],
        [datetime.datetime(2023, 10, 14, 9, 5), "丁单位", "单位", "教育系统", 100, ""],
    ]
    return workbook_file(rows, UNIT_HEADER, "日期写法.xlsx")


def old_xls_workbook():
    """An Excel 97-2003 file, written with xlwt (a dev dependency, for this test only)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("捐赠")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write_merge(0, 0, 0, len(STAFF_HEADER) - 1, "2023年慈善一日捐名单")
    for column, name in enumerate(STAFF_HEADER):
        sheet.write(1, column, name)
    for r, row in enumerate(school_staff(), start=2):
        for column, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(r, column, value, date_style)
            elif value != "":
                sheet.write(r, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "旧版.xls"
    return buffer


def channel_and_yes_no_spellings():
    header = ["捐赠日期", "捐赠人", "捐赠人类型", "版块", "金额", "渠道", "匿名"]
    rows = [
        [DAY, "甲单位", "单位", "教育系统", 100, "转账", "N"],
        [DAY, "乙单位", "单位", "教育系统", 100, "网银", "否"],
        [DAY, "张三", "个人", "", 10, "微信支付", "√"],
        [DAY, "李四", "个人", "", 20, "支付宝", "Y"],
        [DAY, "王五", "个人", "", 30, "现金", 1],
    ]
    return workbook_file(rows, header, "渠道写法.xlsx")


def staff_rows_copy_the_remittance_down(sector="教育系统"):
    """Staff lines without a date that repeat the unit's sector and channel (copied down)."""
    header = ["捐赠日期", "捐赠人", "捐赠人类型", "所在单位", "版块", "金额", "渠道", "票据号", "汇款票据号"]
    rows = [
        [DAY, "衡阳市一中", "单位", "", "教育系统", 600, "银行转账", "R-1", ""],
        ["", "张老师", "个人", "", sector, 100, "银行转账", "", "R-1"],
        ["", "李老师", "个人", "", "教育系统", 200, "转账", "", "R-1"],
    ]
    return workbook_file(rows, header, "明细沿用汇款.xlsx")


def list_on_the_second_sheet():
    """A cover sheet first, the list on the second: the message names the second."""

    def add_list(book, sheet):
        data = book.create_sheet("名单")
        data.append(UNIT_HEADER)
        data.append([DAY, "衡阳市教育局", "单位", "教育系统", 1000, "R-1"])

    return workbook_file(
        [["衡阳市教育局", "2023-09-18"]],
        ["报送单位", "报送日期"],
        "封面在前.xlsx",
        sheet_title="封面",
        build=add_list,
    )


ALL = {
    "total_row": total_row_copied_from_the_last_row,
    "subtotal_and_signatures": subtotal_and_signature_rows,
    "ref_on_first_staff_row": remittance_ref_on_the_first_staff_row_only,
    "no_remittance_column": staff_list_without_a_remittance_column,
    "block_pasted_twice": block_pasted_twice,
    "personal_list": personal_list,
    "credit_code_number": lambda: credit_code_stored_as_a_number(9.14304001234567e17),
    "credit_code_csv": credit_code_in_scientific_notation_csv,
    "title_row": title_row_and_row_numbers,
    "header_units": headers_with_units_and_line_breaks,
    "amount_half_width_unit": amount_header_with_half_width_unit,
    "amount_in_wan": amount_in_ten_thousands,
    "float_noise": float_noise_in_amounts,
    "dates": dates_as_digits_and_date_times,
    "xls": old_xls_workbook,
    "spellings": channel_and_yes_no_spellings,
    "staff_copy_down": staff_rows_copy_the_remittance_down,
    "second_sheet": list_on_the_second_sheet,
    "own_receipts": template_with_receipts_of_their_own,
}


def main(folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for key, build in ALL.items():
        upload = build()
        (folder / f"{key}-{upload.name}").write_bytes(upload.getvalue())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "staff-files")
