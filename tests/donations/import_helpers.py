"""Building small import files in memory, one row per dict, and counting what an import wrote."""

import csv
import io

import openpyxl

from donations.importing import COLUMNS
from donations.models import Donation, Donor, ImportBatch, RemittanceLine


def unit_row(name="衡阳市教育局", amount="1000", **cells):
    return {
        "捐赠日期": "2023-09-01",
        "捐赠人": name,
        "捐赠人类型": "单位",
        "版块": "教育系统",
        "金额": amount,
    } | cells


def person_row(name="王小明", amount="100", **cells):
    return {"捐赠日期": "2023-09-01", "捐赠人": name, "捐赠人类型": "个人", "金额": amount} | cells


def header_of(rows, header=None):
    if header is not None:
        return list(header)
    used = {key for row in rows for key in row}
    return [name for name in COLUMNS if name in used]


def xlsx(rows, header=None, name="捐赠.xlsx"):
    """An in-memory workbook named like an upload, so the import reads it as Django would."""
    header = header_of(rows, header)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "捐赠"
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column) for column in header])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def csv_file(rows, header=None, encoding="utf-8", name="捐赠.csv"):
    header = header_of(rows, header)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    buffer = io.BytesIO(text.getvalue().encode(encoding))
    buffer.name = name
    return buffer


def counts():
    return (
        Donation.objects.count(),
        Donor.objects.count(),
        RemittanceLine.objects.count(),
        ImportBatch.objects.count(),
    )


def messages(errors):
    return [str(error) for error in errors]
