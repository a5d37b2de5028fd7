"""The public pages of rankings: editions, one edition, one category; a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services
from campaigns.models import RankingCategory
from tests import factories
from tests.campaigns.conftest import new_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(gifts):
    for i in range(30):
        factories.donation(factories.unit(f"衡阳市排行单位{i}"), gifts, f"{1000 + i}.00")
    new_edition(number=8, year=2022)  # a draft: never public
    return services.publish_ranking(new_edition(), None)


def units_of(edition):
    return next(c for c in edition.content["categories"] if c["kind"] == RankingCategory.Kind.UNITS)


def test_list_shows_published_editions_only(client, edition):
    body = client.get(reverse("campaigns:ranking_list")).content.decode()
    assert "<title>慈善排行榜 · 市慈善总会</title>" in body
    assert "第九届慈善排行榜（2023年度）" in body and "第八届" not in body


def test_edition_page_shows_each_category_top_ten_with_a_link_to_the_rest(client, edition):
    body = client.get(reverse("campaigns:ranking", args=[edition.pk])).content.decode()
    assert "<h1>第九届慈善排行榜（2023年度）</h1>" in body
    units = units_of(edition)
    assert units["entries"][0]["name"] in body and units["entries"][10]["name"] not in body
    assert reverse("campaigns:ranking_category", args=[edition.pk, units["id"]]) in body
    assert f"查看全部 {len(units['entries'])} 名" in body


def test_category_page_lists_everyone_with_ranks(client, edition):
    units = units_of(edition)
    body = client.get(reverse("campaigns:ranking_category", args=[edition.pk, units["id"]])).content.decode()
    assert f"<h1>{units['name']}</h1>" in body
    assert all(e["name"] in body for e in units["entries"])
    assert client.get(reverse("campaigns:ranking_category", args=[edition.pk, 99999])).status_code == 404


def test_drafts_are_not_found(client, gifts):
    draft = new_edition(number=10, year=2024)
    assert client.get(reverse("campaigns:ranking", args=[draft.pk])).status_code == 404
    assert client.get(reverse("campaigns:ranking_json", args=[draft.pk])).status_code == 404


def test_pages_take_a_constant_number_of_queries(client, gifts, edition, settings):
    # The views' own work, which a request pays whenever whole pages are stale (after any change
    # of public data): without the whole-page cache, which would answer with no query at all.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    units = units_of(edition)
    for name, args, queries in [
        ("campaigns:ranking_list", [], 1),
        ("campaigns:ranking", [edition.pk], 2),
        ("campaigns:ranking_category", [edition.pk, units["id"]], 2),
        ("campaigns:ranking_csv", [edition.pk], 2),  # with its errata, like the JSON
        ("campaigns:ranking_json", [edition.pk], 2),
        ("campaigns:ranking_png", [edition.pk, units["id"], 1], 1),
        ("campaigns:card", ["ranking", edition.pk], 1),
        ("campaigns:card", ["ranking_category", units["id"]], 1),
        ("campaigns:card", ["rankings"], 0),
        ("campaigns:card", ["honor_rolls", gifts.pk], 1),
    ]:
        # The first builds (loading the frozen content when it needs it: one query more at most),
        # the second comes from the cache without loading the content.
        with CaptureQueriesContext(connection) as first:
            assert client.get(reverse(name, args=args)).status_code == 200
        with CaptureQueriesContext(connection) as cached:
            assert client.get(reverse(name, args=args)).status_code == 200
        assert len(first) <= queries + 1 and len(cached) <= queries, (name, len(first), len(cached))
