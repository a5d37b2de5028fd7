"""The year page reads its raised figures as kept (relief/selectors.py), and a disclosure's
downloads are rendered when it is published and served as stored (charity/artifacts.py)."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charity import artifacts
from charity.models import PublishedArtifact
from relief import artifacts as relief_artifacts
from relief import services
from tests import factories
from tests.relief import helpers

pytestmark = pytest.mark.django_db


def aggregates_donations(queries):
    return [q["sql"] for q in queries if "donations_donation" in q["sql"] and "SUM(" in q["sql"].upper()]


def test_year_page_figures_survive_an_emptied_cache_and_follow_committed_changes(
    client, django_capture_on_commit_callbacks
):
    campaign = factories.campaign()
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(campaign_=campaign, amount="300.00")
        factories.donation(campaign_=campaign, amount="99.00", status="pending")  # never public
    url = reverse("relief:year", args=[2023])
    assert client.get(url).context["raised_total"] == Decimal("300.00")
    cache.clear()  # a restart, a flush: the figures kept in the database are read, not computed
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.context["raised_total"] == Decimal("300.00") and not aggregates_donations(queries)
    with django_capture_on_commit_callbacks(execute=True):  # the campaign's stamp moves on commit
        factories.donation(campaign_=campaign, amount="0.50")
    response = client.get(url)
    assert response.context["raised_total"] == Decimal("300.50")
    assert [r["total"] for r in response.context["by_campaign"]] == [Decimal("300.50")]


def test_campaign_list_reads_kept_figures_after_the_cache_is_emptied(
    client, django_capture_on_commit_callbacks
):
    campaign = factories.campaign()
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(campaign_=campaign, amount="1200.00")
    url = reverse("campaigns:campaign_list")
    first = client.get(url).context["rows"]
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        rows = client.get(url).context["rows"]
    assert not aggregates_donations(queries)
    assert [(c.pk, f.total, f.units, f.head_count) for c, f in rows] == [
        (c.pk, f.total, f.units, f.head_count) for c, f in first
    ]
    assert rows[0][1].total == Decimal("1200.00")


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    people = [helpers.beneficiary(name="王小明", district="雁峰区"), helpers.beneficiary(name="李春花")]
    with django_capture_on_commit_callbacks(execute=True):
        return helpers.published_disclosure(factories.project(), people, title="2023年慈善光明行受助名单公示")


def test_publishing_a_disclosure_stores_its_downloads_and_requests_render_nothing(
    client, published, monkeypatch
):
    owner = artifacts.owner_of(published)
    assert set(PublishedArtifact.objects.filter(owner=owner).values_list("name", flat=True)) == {
        "csv",
        "xlsx",
        "json",
    }

    def fail(*args, **kwargs):
        raise AssertionError("公开请求不应生成文件")

    for name in ("csv_document", "xlsx_document", "json_document"):
        monkeypatch.setattr(relief_artifacts, name, fail)
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("relief:disclosure_csv", args=[published.pk])).content.decode())
        )
    )
    assert rows[0][0].lstrip("\ufeff") == "2023年慈善光明行受助名单公示"
    assert ["1", "李*花"] == rows[4][:2] and "王小明" not in str(rows)
    xlsx = client.get(reverse("relief:disclosure_xlsx", args=[published.pk]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[0] == "公示名单" and xlsx["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("relief:disclosure_json", args=[published.pk])).json()["licence"] == "CC BY 4.0"


def test_an_erratum_of_a_disclosure_renders_its_downloads_again(
    client, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_disclosure_erratum(published, "李春花的金额应为600元。")
    stored = PublishedArtifact.objects.get(owner=artifacts.owner_of(published), name="csv")
    assert stored.version == relief_artifacts.version(published)
    served = client.get(reverse("relief:disclosure_csv", args=[published.pk])).content.decode()
    assert "李春花的金额应为600元。" in served and served.encode() == stored.file.read()
