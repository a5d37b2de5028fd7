"""The one writer of every file a person opens in a spreadsheet: public downloads and the admin export.

Names, aliases, project names and errata come from donors, clerks and publishers, and a
spreadsheet runs a cell that starts with `=` as a formula (OWASP "CSV injection": `=cmd|' /C
calc'!A0`, `=HYPERLINK(…)`). Every text cell goes through escape_cell, every workbook is made
with strings_to_formulas and strings_to_urls off, and money goes in as a number, so a negative
correction stays a number instead of becoming escaped text. JSON needs no escaping; it is here so
that every download is made in one place.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.http import content_disposition_header

# A spreadsheet runs a cell that starts with one of these as a formula (tab and carriage return
# too, which some programs strip before looking). Writers prefix such a text with an apostrophe;
# the importer removes it again, so an exported file imports back unchanged.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# xlsxwriter's defaults turn "=…" into a formula and "http://…" into a link; never for our files.
SAFE_WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_CONTENT_TYPE,
    "json": "application/json; charset=utf-8",
}
# Part of the cache key of a cached download: a change to what the writer writes bumps it, so no
# file written by an older writer (before formulas were escaped, writer 1) is served again.
WRITER_VERSION = "writer2"
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # day serial 1 = 1900-01-01, after Excel's leap-year bug
RAW_XML_MARK = "<r>"  # see write_text


def escape_cell(value):
    """Prefix a text cell a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_cell(value):
    """A typed value as CSV text: money with two places, dates in ISO, text escaped."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return escape_cell(str(value))


def csv_document(rows):
    """The whole CSV text of `rows` (lists of typed values), with the BOM Excel needs to read
    UTF-8 Chinese as UTF-8 rather than the local code page."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


@dataclass
class Sheet:
    """One worksheet: its tab name, its rows of typed values, and column widths by index."""

    title: str
    rows: list
    widths: dict = field(default_factory=dict)


def safe_workbook(fileobj, **options):
    # Imported on first use: commands that write no workbook start 13 ms sooner.
    import xlsxwriter

    return xlsxwriter.Workbook(fileobj, {**options, **SAFE_WORKBOOK_OPTIONS})


def xlsx_document(sheets):
    """The bytes of a workbook of `sheets`: text as escaped text, Decimal as a money number with
    two places shown (Excel has no decimal type), dates as real dates."""
    out = io.BytesIO()
    book = safe_workbook(out, in_memory=True)
    formats = {
        "money": book.add_format({"num_format": "#,##0.00"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
    }
    for spec in sheets:
        sheet = book.add_worksheet(spec.title)
        for column, width in spec.widths.items():
            sheet.set_column(column, column, width)
        for row_number, row in enumerate(spec.rows):
            for column, value in enumerate(row):
                write_cell(sheet, row_number, column, value, formats)
    book.close()
    return out.getvalue()


def write_cell(sheet, row, column, value, formats):
    if value is None or value == "":
        return
    if isinstance(value, str):
        write_text(sheet, row, column, value)
    elif isinstance(value, Decimal):
        # At most 14 significant digits (DecimalField(14, 2)): a float holds them exactly.
        sheet.write_number(row, column, float(value), formats["money"])
    elif isinstance(value, datetime.date):
        sheet.write_number(row, column, (value - EXCEL_EPOCH).days, formats["date"])
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, column, value)
    else:
        write_text(sheet, row, column, str(value))


def write_text(sheet, row, column, text):
    """A text cell, escaped, and safe from xlsxwriter's raw rich-text path.

    xlsxwriter takes any text from <r> to </r> for rich-text XML it made itself and writes it
    as it is: a name shaped like that could close the cell and add a formula cell of its own,
    getting past escape_cell. Split into plain pieces of a rich string, it is escaped like any
    other text and reads back as the same text.
    """
    text = escape_cell(text)
    if text.startswith(RAW_XML_MARK) and text.endswith("</r>"):
        sheet.write_rich_string(row, column, text[:1], text[1:2], text[2:])
    else:
        sheet.write_string(row, column, text)


def json_document(data, indent=2):
    """JSON text with Chinese as it is and Decimal amounts as exact strings."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=indent)


def download(body, filename, inline=False):
    """The response for a download; the filename's extension chooses the content type."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
