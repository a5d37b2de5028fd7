"""Whole public pages without Redis (the embedded default, charity/page_cache.py): kept in each
process's memory, the version of the public data in the database, so that a change made by
another process (a worker, a command-line import) still reaches every process's pages."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charity import page_cache, stored
from tests import factories
from tests.relief import helpers as relief

# Public pages count confirmed gifts only: the gifts made here are confirmed.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reviewed_gifts")]


@pytest.fixture(autouse=True)
def embedded(settings):
    settings.PUBLIC_PAGE_CACHE_SHARED = False
    settings.PUBLIC_PAGE_CACHE_CHECK_SECONDS = 60
    with page_cache.local_pages.lock:
        page_cache.local_pages.entries.clear()
    page_cache.Version.value = None


@pytest.fixture
def campaign():
    campaign = factories.campaign()
    factories.donation(factories.unit("衡阳市国资委"), campaign, "1000.00")
    return campaign


def text_and_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_page_served_again_costs_no_query_and_nothing_in_the_cache(client, campaign):
    url = reverse("campaigns:campaign", args=[campaign.pk])
    first, _ = text_and_queries(client, url)
    cache.clear()  # the pages are not in Django's cache: only in the process's own memory
    again, queries = text_and_queries(client, url)
    assert again == first and queries == 0
    assert stored.version_of(page_cache.VERSION_SLOT) == page_cache.Version.value


def test_a_change_committed_in_this_process_shows_at_once(
    client, campaign, django_capture_on_commit_callbacks
):
    url = reverse("campaigns:campaign", args=[campaign.pk])
    assert "新来的单位" not in text_and_queries(client, url)[0]
    before = stored.version_of(page_cache.VERSION_SLOT)
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(factories.unit("新来的单位"), campaign, "234.00")
    # Written where the other processes read it.
    assert stored.version_of(page_cache.VERSION_SLOT) not in (None, before)
    text, _ = text_and_queries(client, url)
    assert "新来的单位" in text and "1,234.00" in text


def test_a_change_made_by_another_process_shows_within_the_check_interval(client, monkeypatch):
    project = factories.project()
    url = reverse("relief:project", args=[project.pk])
    assert "暂无支出" in text_and_queries(client, url)[0]
    relief.disbursement(project, voucher_no="ZC-ELSEWHERE")  # committed by another process,
    stored.keep(page_cache.VERSION_SLOT, "set-by-another-process", None)  # which moves the version
    assert "ZC-ELSEWHERE" not in text_and_queries(client, url)[0]
    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    text, queries = text_and_queries(client, url)
    assert "ZC-ELSEWHERE" in text
    # Once read, the version is not asked for again within the interval.
    assert text_and_queries(client, url)[1] == 0


def test_one_new_version_per_transaction_however_many_rows_it_saves(
    campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for i in range(5):
            factories.donation(factories.unit(f"单位{i}"), campaign, "10.00")
    assert [c for c in callbacks if c is page_cache._new_version] == [page_cache._new_version]


def test_pages_are_built_uncached_when_the_version_cannot_be_read(client, campaign, monkeypatch):
    """Before `migrate` has made the version's table, a page is built, not a server error."""
    from django.db import OperationalError

    def missing_table(slot):
        raise OperationalError("no such table: charity_storedfigures")

    monkeypatch.setattr(stored, "version_of", missing_table)
    url = reverse("campaigns:campaign", args=[campaign.pk])
    assert client.get(url).status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    assert not page_cache.local_pages.entries  # nothing kept under a version nobody could read
