"""Donation export in the import template's columns, so an exported file imports back unchanged.

Each donation is one row of the first sheet (捐赠); each RemittanceLine is one 个人 row of the
second (汇款明细, or a CSV file of its own), pointing back to its remittance through 汇款票据号.
Staff lines are never on the first sheet: their money is already in the remittance, and a SUM over
金额 would count it twice. Each sheet ends with a 合计 row (total_row) that the importer checks and
leaves out. The last column, 活动, names each row's campaign (see
importing.columns.CAMPAIGN_COLUMN). A campaign has ~60,000 rows, so rows are read as plain tuples
a chunk at a time and files are written row by row (xlsxwriter's constant-memory mode, a
streamed CSV): memory stays flat whatever the row count.
"""

import csv
import datetime
import tempfile
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from charity.spreadsheets import EXCEL_EPOCH, XLSX_CONTENT_TYPE, csv_cell, safe_workbook, write_text

from .importing import COLUMNS, UNASSIGNED_SECTOR
from .importing.columns import CAMPAIGN_COLUMN, REMITTANCE_ONLY_COLUMNS, STAFF_SHEET
from .importing.summary_rows import EXPORT_TOTAL_LABEL
from .models import Donation, Donor, RemittanceLine, Sector

# The template's columns, then the campaign: with 活动 last, an exported row pasted into the
# template keeps every column in place.
EXPORT_COLUMNS = (*COLUMNS, CAMPAIGN_COLUMN)
# Columns Excel would otherwise turn into numbers (18-character codes, numeric receipt numbers).
TEXT_COLUMNS = {"统一社会信用代码", "票据号", "汇款票据号"}
COLUMN_WIDTHS = {"捐赠日期": 12, "捐赠人": 30, "统一社会信用代码": 22, "所在单位": 30, "备注": 30, "活动": 24}
# Donations per query; their lines come in one more query per chunk. Memory grows with the chunk
# (and its lines), not with the export.
CHUNK_SIZE = 1000

DONATION_FIELDS = (
    "pk",
    "received_on",
    "donor__name",
    "donor__kind",
    "donor__credit_code",
    "donor__employer__name",
    "sector__name",
    "branch__name",
    "amount",
    "head_count",
    "channel",
    "route",
    "receipt_no",
    "project__name",
    "anonymous",
    "note",
    "campaign__name",
)
LINE_FIELDS = (
    "remittance__received_on",
    "donor__name",
    "donor__employer__name",
    "amount",
    "anonymous",
    "note",
    "remittance__receipt_no",
    "remittance__campaign__name",
)
KIND_LABELS = dict(Donor.Kind.choices)
CHANNEL_LABELS = dict(Donation.Channel.choices)
ROUTE_LABELS = dict(Donation.Route.choices)
INDIVIDUAL_LABEL = Donor.Kind.INDIVIDUAL.label
YES_NO = {True: "是", False: "否"}
DATE_INDEX = EXPORT_COLUMNS.index("捐赠日期")
AMOUNT_INDEX = EXPORT_COLUMNS.index("金额")
NOTE_INDEX = EXPORT_COLUMNS.index("备注")
GIFTS_SHEET = "捐赠"


def gift_rows(queryset):
    """Yield the 捐赠 sheet's rows as typed values (date, Decimal, int, str), in EXPORT_COLUMNS
    order: one per donation, 汇款票据号 empty.

    One query per chunk of CHUNK_SIZE donations, whatever the row count. Plain tuples, not
    model instances: building 190,000 instances (donations, donors, employers, lines) took 7 of
    the export's seconds.
    """
    donations = queryset.values_list(*DONATION_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    for (
        _pk,
        received_on,
        name,
        kind,
        credit_code,
        employer,
        sector,
        branch,
        amount,
        head_count,
        channel,
        route,
        receipt_no,
        project,
        anonymous,
        note,
        campaign,
    ) in donations:
        yield [
            received_on,
            name,
            KIND_LABELS[kind],
            credit_code,
            employer or "",
            sector or UNASSIGNED_SECTOR,
            branch or "",
            amount,
            head_count,
            CHANNEL_LABELS[channel],
            ROUTE_LABELS[route],
            receipt_no,
            project or "",
            YES_NO[anonymous],
            note,
            "",
            campaign,
        ]


def line_rows(queryset):
    """Yield the 汇款明细 sheet's rows: one per staff line of the selected remittances.

    A line belongs to its remittance; the importer takes the date, sector and the money's
    accounting from there, so only the person's own columns and 汇款票据号 are filled in (the
    date too, so a person reading the sheet sees when). Lines only for remittances with a
    receipt number: see lines_without_receipt().
    """
    lines = (
        exported_lines(queryset)
        .order_by("remittance__received_on", "remittance_id", "id")
        .values_list(*LINE_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for received_on, name, employer, amount, anonymous, note, receipt_no, campaign in lines:
        yield [
            received_on,
            name,
            INDIVIDUAL_LABEL,
            "",
            employer or "",
            "",
            "",
            amount,
            None,
            "",
            "",
            "",
            "",
            YES_NO[anonymous],
            note,
            receipt_no,
            campaign,
        ]


def exported_lines(queryset):
    return RemittanceLine.objects.filter(remittance__in=queryset.values("pk")).exclude(
        remittance__receipt_no=""
    )


def total_row(amount, count, what):
    """The last row of a sheet: 合计 under 捐赠日期, the sum of the 金额 cells above, and how many
    rows it adds up in 备注. The importer recognises exactly this shape and checks the sum
    (importing.summary_rows.EXPORT_TOTAL_LABEL), so the file still imports back."""
    row = [""] * len(EXPORT_COLUMNS)
    row[DATE_INDEX] = EXPORT_TOTAL_LABEL
    row[AMOUNT_INDEX] = amount
    row[NOTE_INDEX] = f"{what} {count} {'笔' if what == '捐赠' else '条'}"
    return row


def with_total(rows, what):
    """`rows`, then their total row. The total is added up from the very cells written (Decimal,
    exact), so the total row always equals a SUM over the sheet's 金额 column above it."""
    total, count = Decimal("0.00"), 0
    for row in rows:
        total += row[AMOUNT_INDEX]
        count += 1
        yield row
    yield total_row(total, count, what)


def row_count(queryset, file_format="xlsx"):
    """How many data rows the export of `queryset` has (its total rows not counted): the
    workbook its donations and the lines it writes, the CSV the donations, the lines CSV the lines.

    The admin exports more than EXPORT_IMMEDIATE_MAX_ROWS in a background job.
    """
    if file_format == "csv":
        return queryset.count()
    if file_format == "lines-csv":
        return exported_lines(queryset).count()
    return queryset.count() + exported_lines(queryset).count()


def reporting(rows, progress, total, every=CHUNK_SIZE):
    """`rows`, telling `progress` every `every` rows how many have been written (a job's page)."""
    if progress is None:
        yield from rows
        return
    done = 0
    for done, row in enumerate(rows, start=1):
        yield row
        if done % every == 0:
            progress("写入文件", done=done, total=total)
    progress("写入文件", done=done, total=total)


def lines_without_receipt(queryset):
    """Lines the export leaves out: their remittance has no 票据号 for 汇款票据号 to name.

    Written with an empty 汇款票据号 they would import as gifts of their own and be counted twice.
    """
    return RemittanceLine.objects.filter(
        remittance__in=queryset.values("pk"), remittance__receipt_no=""
    ).count()


# CSV ------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def iter_csv(queryset, rows=None):
    """The CSV text in pieces: UTF-8 with a BOM, without which Excel reads Chinese as GBK.

    A CSV has one sheet, so it carries the 捐赠 sheet only (its 金额 column adds up to the
    list's total); the staff lines are their own CSV file (iter_lines_csv), imported after it.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
    for row in with_total(gift_rows(queryset), "捐赠") if rows is None else rows:
        yield writer.writerow([csv_cell(value) for value in row])


def iter_lines_csv(queryset):
    """The 汇款明细 sheet as a CSV file of its own, with its total row."""
    return iter_csv(queryset, with_total(line_rows(queryset), "明细"))


def write_csv(queryset, fileobj, progress=None, total=None, pieces=None):
    """The CSV file into a binary file object (a background export)."""
    pieces = iter_csv(queryset) if pieces is None else pieces
    fileobj.write(next(pieces).encode())  # the header row
    for piece in reporting(pieces, progress, total):
        fileobj.write(piece.encode())


def write_lines_csv(queryset, fileobj, progress=None, total=None):
    write_csv(queryset, fileobj, progress, total, pieces=iter_lines_csv(queryset))


def csv_response(queryset, filename, pieces=None):
    pieces = iter_csv(queryset) if pieces is None else pieces
    response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def lines_csv_response(queryset, filename):
    return csv_response(queryset, filename, pieces=iter_lines_csv(queryset))


# XLSX -----------------------------------------------------------------------------------------


def write_xlsx(queryset, fileobj, progress=None, total=None):
    """Write the export workbook to a binary file object, one row at a time.

    Two sheets, each ending with its total row: 捐赠 (the donations; its 金额 column adds up to
    the list's total) and 汇款明细 (the staff lines, each naming its remittance's 票据号 in
    汇款票据号). The lines used to sit under their remittance on the one sheet, where a SUM over
    金额 counted their money twice (issue #19). The importer reads both sheets.

    xlsxwriter in constant-memory mode keeps one row in memory and writes it out when the next
    begins; it writes the 60,000-row sheet in half the CPU time of openpyxl's write-only mode
    (3.6 s against 7.8 s; bench/README.md, "Donation export"). Cells are written with the typed methods, so
    no text is ever turned into a formula or a link.
    """
    workbook = safe_workbook(fileobj, constant_memory=True)
    formats = {
        # A real date, shown as ISO, so Excel users can sort and filter by it; money with
        # exactly two places, so the column can be summed.
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "money": workbook.add_format({"num_format": "0.00"}),
        "bold": workbook.add_format({"bold": True}),
        "total": workbook.add_format({"bold": True, "num_format": "0.00"}),
    }
    rows = reporting(_both_sheets(queryset), progress, total)
    _write_sheet(workbook, GIFTS_SHEET, rows, formats)
    _write_sheet(workbook, STAFF_SHEET, rows, formats)
    workbook.close()


def _both_sheets(queryset):
    """The gift rows and their total, then the line rows and theirs: one stream, so progress
    counts across both sheets; _write_sheet stops at each total row."""
    yield from with_total(gift_rows(queryset), "捐赠")
    yield from with_total(line_rows(queryset), "明细")


def _write_sheet(workbook, title, rows, formats):
    """Write rows from the iterator `rows` up to and including the next total row."""
    sheet = workbook.add_worksheet(title)
    for index, name in enumerate(EXPORT_COLUMNS):
        sheet.set_column(index, index, COLUMN_WIDTHS.get(name, 14))
    sheet.write_row(0, 0, EXPORT_COLUMNS, formats["bold"])
    date_format, money_format = formats["date"], formats["money"]
    write_number = sheet.write_number
    serials = {}  # a campaign has a few hundred distinct dates
    for row_number, row in enumerate(rows, start=1):
        if row[DATE_INDEX] == EXPORT_TOTAL_LABEL:
            sheet.write_string(row_number, DATE_INDEX, EXPORT_TOTAL_LABEL, formats["bold"])
            write_number(row_number, AMOUNT_INDEX, float(row[AMOUNT_INDEX]), formats["total"])
            write_text(sheet, row_number, NOTE_INDEX, row[NOTE_INDEX])
            return
        for column_number, value in enumerate(row):
            kind = value.__class__
            if kind is str:
                if value:
                    write_text(sheet, row_number, column_number, value)
            elif kind is Decimal:
                # At most 14 significant digits (DecimalField(14, 2)): a float holds them exactly.
                write_number(row_number, column_number, float(value), money_format)
            elif kind is datetime.date:
                serial = serials.get(value)
                if serial is None:
                    serial = serials[value] = (value - EXCEL_EPOCH).days
                write_number(row_number, column_number, serial, date_format)
            elif value is not None:
                write_number(row_number, column_number, value)


def xlsx_response(queryset, filename):
    # The workbook goes to a temporary file, not memory; FileResponse streams and closes it.
    fileobj = tempfile.TemporaryFile()
    write_xlsx(queryset, fileobj)
    fileobj.seek(0)
    return FileResponse(fileobj, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


# Template -------------------------------------------------------------------------------------

LINE_ONLY_EMPTY = "、".join(REMITTANCE_ONLY_COLUMNS)
RULES = [
    (
        "捐赠日期",
        "必填。如 2023-08-28、2023/8/28、2023年8月28日 或 Excel 日期；"
        "须在活动期间且不晚于今天（导入时可勾选“允许活动日期以外的捐赠日期”）。",
    ),
    (
        "捐赠人",
        "必填。单位全称或个人姓名；单位按名称匹配已有捐赠人，个人按姓名和所在单位匹配，匹配不到时新建。",
    ),
    ("捐赠人类型", "必填：单位 或 个人。"),
    ("统一社会信用代码", "单位可填，18 位；个人不填。"),
    ("所在单位", "个人可填：所在单位的全称，该单位须已录入系统或出现在本文件中；单位不填。"),
    ("版块", f"单位捐赠必填，尚未确定版块的款项填“{UNASSIGNED_SECTOR}”；可用版块见下方列表。"),
    ("分会", "可填，须属于所填版块。"),
    ("金额", "必填，以元计，大于 0，最多两位小数；也可写 1,234.50、1234.50元、0.35万。"),
    ("参与人数", "单位汇款可填，正整数。"),
    ("渠道", "银行转账、现金、微信、支付宝、实物 或 其他；留空为银行转账。"),
    (
        "到账方式",
        "总会账户 或 直接捐赠；留空为总会账户。直接捐赠指捐赠人直接交给受助人或灾区的款物："
        "计入募集总额，不计入进入总会账户的金额。",
    ),
    ("票据号", "捐赠票据号，全库唯一；有明细行的单位汇款必须填写。"),
    ("定向项目", "定向捐时填救助项目名称。"),
    ("匿名", "是 或 否（留空为否）；匿名者公开显示为“爱心人士”，金额照常计入合计。"),
    ("备注", "可填。"),
    (
        "汇款票据号",
        "填写时本行是某单位汇款中的个人明细：填该汇款的票据号（汇款在本文件中或已录入本活动）。"
        f"明细不计入任何合计，只用于查询和光荣榜；明细行不填{LINE_ONLY_EMPTY}，明细合计不能超过汇款金额。",
    ),
]


def write_template(fileobj):
    """The import template: the header row to fill in, and the rules on a second sheet.

    Only the first sheet is imported; the second is there so the rules travel with the file.
    """
    # openpyxl is imported here, not when the portal starts: it costs 55 ms that the worker and
    # every command paid at start-up for a file few of them write (charity/admin_site.py).
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "捐赠"
    sheet.append(list(COLUMNS))
    sheet.freeze_panes = "A2"
    for index, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS.get(name, 14)
        if name in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
    _add_choices(sheet, "捐赠人类型", Donor.Kind.labels)
    _add_choices(sheet, "渠道", Donation.Channel.labels)
    _add_choices(sheet, "到账方式", Donation.Route.labels)
    _add_choices(sheet, "匿名", ["是", "否"])

    rules = workbook.create_sheet("填写说明")
    rules.append(["列", "填写规则"])
    rules.append(
        ["", "只导入第一个工作表；第 1 行为表头，列名须与模板一致；不要使用公式、合并单元格或隐藏行列。"]
    )
    rules.append(
        [
            "",
            f"活动在导入时选择，不用填写；导出的文件多一列“{CAMPAIGN_COLUMN}”，再导入时可以保留，"
            "但每行须为空或与所选活动相同。",
        ]
    )
    for column, rule in RULES:
        rules.append([column, rule])
    rules.append([])
    rules.append(["可用版块"])
    for name in Sector.objects.filter(active=True).values_list("name", flat=True):
        rules.append([name])
    rules.append([UNASSIGNED_SECTOR])
    rules.column_dimensions["A"].width = 20
    rules.column_dimensions["B"].width = 90
    rules["A1"].font = rules["B1"].font = Font(bold=True)
    workbook.save(fileobj)


def _add_choices(sheet, column_name, choices):
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(COLUMNS.index(column_name) + 1)
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    validation.error = "请从列表中选择"
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}1048576")
