"""CSV and JSON of published issues and editions: documented columns, sums anyone can check."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.honor_rolls.sharing import CSV_HEADER as ISSUE_COLUMNS
from campaigns.rankings.sharing import CSV_HEADER as RANKING_COLUMNS
from charity.snapshots import fingerprint
from tests.campaigns.conftest import new_edition, publish_issue

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_issue_csv_rows_add_up_to_the_issue_total(client, gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    rows = read_csv(client.get(reverse("campaigns:honor_roll_csv", args=[issue.pk])))
    assert list(rows[0]) == ISSUE_COLUMNS
    counted = [Decimal(r["金额（元）"]) for r in rows if r["计入本期合计"] == "是"]
    assert sum(counted) == Decimal(issue.content["total"]) == Decimal("12850.00")
    by_sector = {}
    for r in rows:
        if r["计入本期合计"] == "是":
            by_sector[r["版块"]] = by_sector.get(r["版块"], Decimal(0)) + Decimal(r["金额（元）"])
    assert by_sector == {s["name"]: Decimal(s["total"]) for s in issue.content["sectors"]}
    staff = [r for r in rows if r["计入本期合计"] == "否"]
    assert {r["类别"] for r in staff} == {"单位职工（已计入单位金额）"} and len(staff) == 3


def test_issue_json_is_the_published_content_with_its_fingerprint(client, gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    data = client.get(reverse("campaigns:honor_roll_json", args=[issue.pk])).json()
    assert data["content_sha256"] == issue.content_sha256 == fingerprint(data["content"])
    assert data["url"].endswith(reverse("campaigns:honor_roll", args=[issue.pk]))
    assert data["content"]["total"] == "12850.00" and data["errata"] == []


def test_ranking_csv_and_json(client, gifts):
    edition = services.publish_ranking(new_edition(), None)
    rows = read_csv(client.get(reverse("campaigns:ranking_csv", args=[edition.pk])))
    assert list(rows[0]) == RANKING_COLUMNS
    for category in edition.content["categories"]:
        amounts = [
            Decimal(r["金额（元）"]) for r in rows if r["类别"] == category["name"] and r["金额（元）"]
        ]
        assert sum(amounts, Decimal("0.00")) == Decimal(category["total"])
    data = json.loads(client.get(reverse("campaigns:ranking_json", args=[edition.pk])).content)
    assert data["content_sha256"] == fingerprint(data["content"]) == edition.content_sha256


def test_documentation_names_every_column(settings):
    text = (settings.BASE_DIR / "docs" / "staff" / "open-data.md").read_text(encoding="utf-8")
    for column in [*ISSUE_COLUMNS, *RANKING_COLUMNS]:
        assert f"`{column}`" in text, column
