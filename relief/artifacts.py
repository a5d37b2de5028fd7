"""The downloads of a published disclosure (CSV, xlsx, open-data JSON), rendered when it or an
erratum of it is published and served as stored (charity/artifacts.py).

Made from the frozen content and the errata only, by charity.spreadsheets like every public
download: a name or an erratum that starts with "=" stays text, and amounts are numbers.
"""

import hashlib
import json
from decimal import Decimal

from charity import artifacts
from charity.artifacts import Rendered
from charity.snapshots import erratum_rows
from charity.spreadsheets import WRITER_VERSION, Sheet, csv_document, json_document, xlsx_document

from .models import Disclosure

HEADER = ["序号", "姓名", "县市区", "金额（元）"]
DISTRICT_HEADER = ["县市区", "人数", "金额（元）"]
RECONCILIATION_TITLE = "名单与支出核对（未列名部分只公开人次和金额）"
RECONCILIATION_HEADER = ["项目", "人次", "金额（元）"]
# Bump when the files change without their content changing: stored ones are rendered again.
FILES_VERSION = 1


def version(disclosure):
    parts = {
        "content": disclosure.content_sha256,
        "errata": [e.pk for e in disclosure.errata.all()],
        "writers": [FILES_VERSION, WRITER_VERSION],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _heading(content):
    return [
        [content["title"]],
        ["公示期", content["objection_period"]["start"], content["objection_period"]["end"]],
        ["异议联系方式", content["objection_contact"]],
        HEADER,
    ]


def _rows(content):
    return [
        [i, r["name"], r["district"], Decimal(r["amount"])]
        for i, r in enumerate(content["recipients"], start=1)
    ]


def _districts(content):
    return [[r["district"], r["people"], Decimal(r["amount"])] for r in content["withheld"]]


def _reconciliation(content):
    """The listed, unlisted and 合计 lines; none for a disclosure frozen before they existed."""
    lines = content.get("reconciliation") or []
    return [[line["label"], line["people"], Decimal(line["amount"])] for line in lines]


def _errata(disclosure):
    """Each correction's rows (date, reason, text, figures before → after, void statement)."""
    return erratum_rows(disclosure.errata.all())


def _filename(disclosure, ext):
    return f"disclosure-{disclosure.pk}.{ext}"


def disclosure_csv(disclosure):
    content = disclosure.content
    rows = _heading(content) + _rows(content)
    if content["withheld"]:
        rows += [[content["withheld_reason"]], DISTRICT_HEADER, *_districts(content)]
    if reconciliation := _reconciliation(content):
        rows += [[RECONCILIATION_TITLE], RECONCILIATION_HEADER, *reconciliation]
    rows += _errata(disclosure)
    return [Rendered("csv", _filename(disclosure, "csv"), csv_document(rows).encode())]


def disclosure_xlsx(disclosure):
    content = disclosure.content
    sheets = [Sheet("公示名单", _heading(content) + _rows(content), {1: 12, 2: 12, 3: 14})]
    if content["withheld"]:
        rows = [[content["withheld_reason"]], DISTRICT_HEADER, *_districts(content)]
        sheets.append(Sheet("按县市区汇总", rows))
    if reconciliation := _reconciliation(content):
        rows = [[RECONCILIATION_TITLE], RECONCILIATION_HEADER, *reconciliation]
        sheets.append(Sheet("名单与支出核对", rows, {0: 40}))
    errata = _errata(disclosure)
    if errata:
        sheets.append(Sheet("更正说明", errata, {1: 12, 3: 30}))
    return [Rendered("xlsx", _filename(disclosure, "xlsx"), xlsx_document(sheets))]


def disclosure_json(disclosure):
    """Open data: the frozen content with its fingerprint and corrections, amounts as strings."""
    data = {
        **disclosure.content,
        "published_at": disclosure.published_at,
        "content_sha256": disclosure.content_sha256,
        "errata": [erratum.public_dict() for erratum in disclosure.errata.all()],
        "licence": "CC BY 4.0",
    }
    return [Rendered("json", _filename(disclosure, "json"), json_document(data, indent=1).encode())]


def register():
    artifacts.register(
        Disclosure,
        version=version,
        groups={"csv": disclosure_csv, "xlsx": disclosure_xlsx, "json": disclosure_json},
        inline=("json",),
    )
