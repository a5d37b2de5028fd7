"""The public pages of honor rolls: list, issue, print layout; a constant number of queries."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from charity import artifacts
from tests import factories
from tests.campaigns.conftest import d, new_issue, publish_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issues(gifts):
    first = publish_issue(gifts, 1, "2023-09-08")
    second = publish_issue(gifts, 2, "2023-09-30")
    new_issue(gifts, 3, "2023-10-31")  # a draft: never public
    return first, second


def test_list_shows_published_issues_in_order_with_totals(client, issues, gifts):
    response = client.get(reverse("campaigns:honor_roll_list", args=[gifts.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>2023年慈善一日捐光荣榜 · 市慈善总会</title>" in body
    assert body.index("第一期") < body.index("第二期") and "第三期" not in body
    assert "0.57" in body and "1.285" in body  # 本期 5,700 元 and 累计 12,850 元 in 万元


def test_issue_page_shows_title_sectors_units_people_and_totals(client, issues):
    body = client.get(reverse("campaigns:honor_roll", args=[issues[1].pk])).content.decode()
    assert "<h1>2023年慈善一日捐光荣榜（第二期）</h1>" in body
    assert "<title>2023年慈善一日捐光荣榜（第二期） · 市慈善总会</title>" in body
    for text in ("个人", "未分配版块", "孙一", "2,000.00", "其他 2 位爱心人士", "7,150.00", "12,850.00"):
        assert text in body
    assert 'property="og:image"' in body and f"/cards/honor_roll/{issues[1].pk}.png" in body


def test_a_draft_or_unknown_issue_is_not_found(client, gifts):
    draft = new_issue(gifts, 1, "2023-09-30")
    for name in ("campaigns:honor_roll", "campaigns:honor_roll_print", "campaigns:honor_roll_csv"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert client.get(reverse("campaigns:honor_roll_list", args=[9999])).status_code == 404


def test_print_layout_is_a4_with_repeated_table_headers(client, issues):
    response = client.get(reverse("campaigns:honor_roll_print", args=[issues[0].pk]))
    body = response.content.decode()
    assert "campaigns/print.css" in body and "<thead>" in body and "site.css" not in body
    text = (settings.BASE_DIR / "static" / "campaigns" / "print.css").read_text(encoding="utf-8")
    assert "size: A4" in text and "display: table-header-group" in text and "columns:" in text


@pytest.mark.parametrize("view", ["campaigns:honor_roll", "campaigns:honor_roll_print"])
def test_issue_pages_take_two_queries_however_long_the_issue(
    client, gifts, site_identity_cached, django_assert_num_queries, django_capture_on_commit_callbacks, view
):
    for _ in range(40):
        factories.donation(factories.person(), gifts, "1500.00", received_on=d("2023-09-20"))
    issue = publish_issue(gifts, 1, "2023-09-30")
    # The issue without its content, its errata, the kept page (none yet), then the frozen
    # content to build the page, and the page kept (charity/stored.py).
    with django_assert_num_queries(5):
        assert client.get(reverse(view, args=[issue.pk])).status_code == 200
    # The cache emptied (a restart, a flush): the kept page is read, the content not loaded; the
    # site identity is read again (charity/identity.py).
    cache.clear()
    with django_assert_num_queries(4):
        assert client.get(reverse(view, args=[issue.pk])).status_code == 200
    # A later gift makes every whole cached page stale (charity/page_cache.py), this one too. The
    # issue's HTML is cached by content SHA-256: the content (megabytes for a big issue) is not
    # even loaded to serve it again.
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(factories.person(), gifts, "100.00", received_on=d("2023-10-20"))
    with django_assert_num_queries(2):
        assert client.get(reverse(view, args=[issue.pk])).status_code == 200


def test_list_takes_two_queries(client, issues, gifts, site_identity_cached, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get(reverse("campaigns:honor_roll_list", args=[gifts.pk]))


def test_downloads_and_images_take_a_constant_number_of_queries(client, issues, django_assert_num_queries):
    pk = issues[1].pk
    artifacts.render_all(issues[1])  # as the worker does when the issue is published
    for name, args, queries in [
        # The files as stored: the issue (not its content), its errata, the stored file's row.
        ("campaigns:honor_roll_csv", [pk], 3),
        ("campaigns:honor_roll_json", [pk], 3),
        ("campaigns:honor_roll_png", [pk, 1], 3),
        # The card: its figures, then the card kept in the database (none yet), then keeping it.
        ("campaigns:card", ["honor_roll", pk], 3),
    ]:
        with django_assert_num_queries(queries):
            assert client.get(reverse(name, args=args)).status_code == 200
