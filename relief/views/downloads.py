"""A published disclosure as CSV, xlsx and open-data JSON: the frozen content, nothing else."""

import csv
import io
import json

import xlsxwriter
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse

from .disclosures import published

HEADER = ["序号", "姓名", "县市区", "金额（元）"]
DISTRICT_HEADER = ["县市区", "人数", "金额（元）"]


def _rows(content):
    return [[i, r["name"], r["district"], r["amount"]] for i, r in enumerate(content["recipients"], start=1)]


def _districts(content):
    return [[r["district"], r["people"], r["amount"]] for r in content["withheld"]]


def _attachment(response, disclosure, ext):
    response["Content-Disposition"] = f"attachment; filename=disclosure-{disclosure.pk}.{ext}"
    return response


def disclosure_csv(request, pk):
    disclosure = published(pk)
    content = disclosure.content
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([content["title"]])
    writer.writerow(["公示期", content["objection_period"]["start"], content["objection_period"]["end"]])
    writer.writerow(["异议联系方式", content["objection_contact"]])
    writer.writerow(HEADER)
    writer.writerows(_rows(content))
    if content["withheld"]:
        writer.writerow([content["withheld_reason"]])
        writer.writerow(DISTRICT_HEADER)
        writer.writerows(_districts(content))
    for erratum in disclosure.errata.all():
        writer.writerow(["更正说明", erratum.published_at.date(), erratum.text])
    # The BOM lets Excel open the Chinese text as UTF-8.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, disclosure, "csv")


def disclosure_xlsx(request, pk):
    disclosure = published(pk)
    content = disclosure.content
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet = book.add_worksheet("公示名单")
    sheet.write_row(0, 0, [content["title"]])
    sheet.write_row(
        1, 0, ["公示期", content["objection_period"]["start"], content["objection_period"]["end"]]
    )
    sheet.write_row(2, 0, ["异议联系方式", content["objection_contact"]])
    sheet.write_row(3, 0, HEADER)
    for i, row in enumerate(_rows(content), start=4):
        sheet.write_row(i, 0, row[:3])
        sheet.write_number(i, 3, float(row[3]), money)  # Excel has no decimal type; 2 places shown
    sheet.set_column(1, 2, 12)
    sheet.set_column(3, 3, 14)
    if content["withheld"]:
        other = book.add_worksheet("按县市区汇总")
        other.write_row(0, 0, [content["withheld_reason"]])
        other.write_row(1, 0, DISTRICT_HEADER)
        for i, row in enumerate(_districts(content), start=2):
            other.write_row(i, 0, row[:2])
            other.write_number(i, 2, float(row[2]), money)
    errata = list(disclosure.errata.all())
    if errata:
        sheet_e = book.add_worksheet("更正说明")
        for i, erratum in enumerate(errata):
            sheet_e.write_row(i, 0, [str(erratum.published_at.date()), erratum.text])
    book.close()
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return _attachment(response, disclosure, "xlsx")


def disclosure_json(request, pk):
    """Open data: the frozen content with its fingerprint and corrections, amounts as strings."""
    disclosure = published(pk)
    data = {
        **disclosure.content,
        "published_at": disclosure.published_at,
        "content_sha256": disclosure.content_sha256,
        "errata": [{"published_at": e.published_at, "text": e.text} for e in disclosure.errata.all()],
        "licence": "CC BY 4.0",
    }
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
