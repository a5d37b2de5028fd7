"""Whole public pages from the cache (charity/page_cache.py): served without a query, fresh after
any change, never for staff, the admin, the look-up or anything that sets a cookie."""

import datetime
import gzip
import itertools
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from campaigns import services as campaign_services
from campaigns.models import HonorRollIssue
from charity import page_cache
from donations import review
from tests import factories
from tests.relief import helpers as relief

# Public pages count confirmed gifts only: the gifts made here are confirmed.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reviewed_gifts")]

# Views that would be cached if nothing stopped them; each answer says how often it was called.
calls = itertools.count(1)


def sets_a_cookie(request):
    response = HttpResponse(f"call {next(calls)}")
    response.set_cookie("seen", "1")
    return response


def reads_the_session(request):
    request.session.get("anything")  # SessionMiddleware then adds Vary: Cookie
    return HttpResponse(f"call {next(calls)}")


def plain(request):
    return HttpResponse(f"call {next(calls)}")


@page_cache.reads_query("page", "sector")
def reads_page_and_sector(request):
    return HttpResponse(f"call {next(calls)} {sorted(request.GET.lists())}")


@never_cache
def says_never_cache(request):
    return HttpResponse(f"call {next(calls)}")


urlpatterns = [
    path("probe/cookie/", sets_a_cookie),
    path("probe/session/", reads_the_session),
    path("probe/never-cache/", says_never_cache),
    path("probe/plain/", plain),
    path("probe/paged/", reads_page_and_sector),
    path(f"{django_settings.ADMIN_URL}probe/", plain),
    path("", include("charity.urls")),
]


def queries_of(client, url):
    """How many queries answering `url` took: none when the page came from the cache."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def home_with_gift():
    campaign = factories.campaign()
    factories.donation(factories.unit("衡阳市国资委"), campaign, "1000.00")
    return campaign


def test_a_second_anonymous_request_is_served_from_the_cache(
    client, home_with_gift, django_assert_num_queries
):
    for url in (reverse("home"), reverse("campaigns:campaign", args=[home_with_gift.pk])):
        first = client.get(url)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.status_code == 200 and again.content == first.content
        assert again["Content-Type"] == first["Content-Type"]


def test_turned_off_with_zero_seconds(client, home_with_gift, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(reverse("home"))
    assert queries_of(client, reverse("home")) > 0


def campaign_text(client, campaign):
    return client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()


def test_a_new_gift_shows_on_the_next_request(client, home_with_gift, django_capture_on_commit_callbacks):
    assert "1,000.00" in campaign_text(client, home_with_gift)
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(factories.unit("新来的单位"), home_with_gift, "234.00")
    text = campaign_text(client, home_with_gift)
    assert "1,234.00" in text and "新来的单位" in text


def test_a_change_shows_only_once_committed(client, home_with_gift, django_capture_on_commit_callbacks):
    """A page built while the change is not yet committed must not be kept under the new version:
    the version moves on commit, so until then the page cached before the change is served."""
    campaign_text(client, home_with_gift)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        factories.donation(factories.unit("新来的单位"), home_with_gift, "234.00")
        assert "新来的单位" not in campaign_text(client, home_with_gift)
    for callback in pending:
        callback()
    assert "新来的单位" in campaign_text(client, home_with_gift)


def test_a_change_made_by_another_process_shows_within_the_check_interval(client, settings, monkeypatch):
    """Each process asks the shared cache for the version at most every CHECK_SECONDS; a change
    it committed itself shows at once (next test)."""
    settings.PUBLIC_PAGE_CACHE_CHECK_SECONDS = 60
    project = factories.project()
    url = reverse("relief:project", args=[project.pk])
    assert "暂无支出" in client.get(url).content.decode()
    relief.disbursement(project, voucher_no="ZC-ELSEWHERE")  # committed by another worker, which
    cache.set(page_cache.VERSION_KEY, "set-by-another-worker", None)  # then moves the version
    assert "ZC-ELSEWHERE" not in client.get(url).content.decode()
    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert "ZC-ELSEWHERE" in client.get(url).content.decode()


def test_a_change_committed_in_this_process_shows_at_once_whatever_the_interval(
    client, home_with_gift, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PAGE_CACHE_CHECK_SECONDS = 60
    campaign_text(client, home_with_gift)
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(factories.unit("新来的单位"), home_with_gift, "234.00")
    assert "新来的单位" in campaign_text(client, home_with_gift)


def test_a_reversal_written_without_model_signals_shows_at_once(
    client, home_with_gift, admin_user, django_capture_on_commit_callbacks
):
    gift = home_with_gift.donations.get()
    review.confirm_donations([gift], admin_user)
    assert "1,000.00" in campaign_text(client, home_with_gift)
    with django_capture_on_commit_callbacks(execute=True):
        review.reverse_donation(gift, "金额录错", admin_user)  # bulk_create and update(): no signals
    assert "1,000.00" not in campaign_text(client, home_with_gift)


def test_a_published_honor_roll_shows_on_the_list_at_once(
    client, home_with_gift, django_capture_on_commit_callbacks
):
    url = reverse("campaigns:honor_roll_list", args=[home_with_gift.pk])
    assert client.get(url).status_code == 200
    issue = HonorRollIssue.objects.create(
        campaign=home_with_gift, number=1, cut_off=datetime.date(2023, 9, 30)
    )
    issue_url = reverse("campaigns:honor_roll", args=[issue.pk])
    assert issue_url not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.publish_honor_roll(issue, None)  # the publication is an update()
    assert issue_url in client.get(url).content.decode()


def test_a_relief_disbursement_shows_at_once(client, django_capture_on_commit_callbacks):
    project = factories.project()
    relief.disbursement(project, amount="1000.00", voucher_no="ZC-FIRST")
    url = reverse("relief:project", args=[project.pk])
    assert "ZC-FIRST" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        relief.disbursement(project, amount="500.00", voucher_no="ZC-SECOND")
    body = client.get(url).content.decode()
    assert "ZC-SECOND" in body and "1,500.00" in body


def test_a_page_of_yesterday_is_not_served_today(client, home_with_gift, monkeypatch):
    """The current campaign and "same day last year" follow the date."""
    client.get(reverse("home"))
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert queries_of(client, reverse("home")) > 0


def test_staff_never_get_a_cached_page_and_never_fill_the_cache(client, home_with_gift, admin_user):
    anonymous = client.get(reverse("home")).content
    client.force_login(admin_user)
    assert queries_of(client, reverse("home")) > 0
    # And the other way round: what staff were shown is not kept for the public.
    url = reverse("campaigns:campaign", args=[home_with_gift.pk])
    client.get(url)
    client.logout()
    assert queries_of(client, url) > 0
    assert queries_of(client, url) == 0
    assert client.get(reverse("home")).content == anonymous


def test_cached_pages_carry_the_security_headers(client, home_with_gift, settings, django_assert_num_queries):
    settings.SECURE_HSTS_SECONDS = 3600
    first = client.get(reverse("home"), secure=True)
    with django_assert_num_queries(0):
        cached = client.get(reverse("home"), secure=True)
    for header in (
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
    ):
        assert cached.get(header) and cached[header] == first[header], header
    assert "script-src 'self'" in cached["Content-Security-Policy"]


def test_head_is_answered_from_and_fills_the_cache(client, home_with_gift, django_assert_num_queries):
    url = reverse("campaigns:campaign", args=[home_with_gift.pk])
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    with django_assert_num_queries(0):
        page = client.get(url)
    assert "衡阳市国资委" in page.content.decode()
    with django_assert_num_queries(0):
        again = client.head(url)
    assert again.status_code == 200 and again.content == b"" and again["Content-Type"] == page["Content-Type"]


def test_pages_go_gzipped_to_browsers_that_accept_it(client, home_with_gift, django_assert_num_queries):
    url = reverse("campaigns:campaign", args=[home_with_gift.pk])
    browser = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    first = client.get(url, **browser)
    with django_assert_num_queries(0):
        cached = client.get(url, **browser)
        plain = client.get(url)
    for response in (first, cached):
        assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content) / 3
        assert gzip.decompress(response.content) == plain.content
    assert not plain.has_header("Content-Encoding") and "Accept-Encoding" in plain["Vary"]
    assert "衡阳市国资委" in plain.content.decode()


@pytest.mark.urls(__name__)
def test_short_answers_are_not_compressed(client):
    assert not client.get("/probe/plain/", HTTP_ACCEPT_ENCODING="gzip").has_header("Content-Encoding")


def test_each_host_gets_its_own_page(client, home_with_gift, settings):
    """Pages hold absolute URLs (og:image): one host's page is never served for another."""
    settings.ALLOWED_HOSTS = ["testserver", "charity.example.org"]
    assert "http://testserver/cards/home.png" in client.get("/").content.decode()
    other = client.get("/", HTTP_HOST="charity.example.org").content.decode()
    assert "http://charity.example.org/cards/home.png" in other and "testserver" not in other


def test_the_lookup_form_is_never_cached(client, home_with_gift):
    # Each visitor needs a CSRF cookie and its token in the form; a cached copy would have neither.
    for _ in range(2):
        client.cookies.clear()
        response = client.get(reverse("campaigns:lookup"))
        assert response.status_code == 200 and "csrftoken" in response.cookies
        assert 'name="csrfmiddlewaretoken"' in response.content.decode()


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url", ["/probe/cookie/", "/probe/session/", "/probe/never-cache/", f"/{django_settings.ADMIN_URL}probe/"]
)
def test_cookies_the_session_never_cache_and_the_admin_are_never_cached(client, url):
    first = client.get(url).content
    assert client.get(url).content != first


def stored_pages():
    return {key for key in cache._cache if "public-page:" in key}  # LocMemCache's own keys


def test_parameters_a_page_does_not_read_share_its_one_copy(client, home_with_gift):
    url = reverse("campaigns:campaign", args=[home_with_gift.pk])
    first = client.get(url).content
    for n in range(30):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{url}?junk={n}&utm_source=x{n}").content == first
        assert len(queries) == 0
    assert len(stored_pages()) == 1


@pytest.mark.urls(__name__)
def test_the_parameters_a_page_reads_still_make_their_own_page(client):
    first = client.get("/probe/paged/?page=2&sector=3").content
    assert first.endswith(b"[('page', ['2']), ('sector', ['3'])]")  # the junk never reached the view
    # The same parameters in another order, or with junk, are the same page.
    assert client.get("/probe/paged/?sector=3&junk=1&page=2").content == first
    second = client.get("/probe/paged/?page=3&sector=3").content
    assert second != first and second.endswith(b"[('page', ['3']), ('sector', ['3'])]")
    assert client.get("/probe/paged/?page=2&page=5&sector=3").content.endswith(
        b"('page', ['2', '5']), ('sector', ['3'])]"
    )
    assert len(stored_pages()) == 3


@pytest.mark.urls(__name__)
def test_a_view_that_declares_nothing_sees_no_query_string(client):
    first = client.get("/probe/plain/").content
    assert client.get("/probe/plain/?from=timeline").content == first


def test_errors_and_redirects_are_never_cached(
    client, home_with_gift, site_identity_cached, django_assert_num_queries
):
    for _ in range(2):
        with django_assert_num_queries(1):
            assert client.get("/campaigns/999999/").status_code == 404
    assert client.get("/favicon.ico").status_code == 301


def test_the_version_survives_an_emptied_cache(client, home_with_gift, django_assert_num_queries):
    client.get(reverse("home"))
    cache.delete(page_cache.VERSION_KEY)
    assert client.get(reverse("home")).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(reverse("home")).status_code == 200
