"""Home, campaign list, campaign and sector pages: exact sums, public names, constant queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.models import Donor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years():
    this = factories.campaign(goal=Decimal("20000000.00"))
    last = factories.campaign(name="2022年慈善一日捐", year=2022)
    state = factories.unit("衡阳市国资委", sector_name="国资系统")
    school = factories.unit("衡阳市一中", sector_name="教育系统")
    hidden = factories.unit("不愿具名的公司", sector_name="民营企业", display=Donor.Display.ANONYMOUS)
    factories.donation(state, this, "1000.10")
    factories.donation(state, this, "0.05")
    factories.donation(school, this, "333.33")
    factories.donation(hidden, this, "500.00")
    factories.donation(factories.unit("未定单位", sector_name=None), this, "7.77")
    factories.donation(state, last, "800.00", received_on=datetime.date(2022, 9, 1))
    factories.donation(school, last, "400.00", received_on=datetime.date(2022, 9, 1))
    return this, last


def text_of(response):
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_campaign_page_sector_rows_sum_to_the_total_with_unassigned_apart(client, two_years):
    this, _ = two_years
    response = client.get(reverse("campaigns:campaign", args=[this.pk]))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.total == Decimal("1841.25")
    assert sum(row.total for row in figures.rows) == figures.total
    rows = {row.name: (row.total, row.previous, row.percent) for row in figures.rows}
    assert rows["国资系统"] == (Decimal("1000.15"), Decimal("800.00"), Decimal("25.0"))
    assert rows["教育系统"] == (Decimal("333.33"), Decimal("400.00"), Decimal("-16.7"))
    assert rows["民营企业"][1] is None  # no such row last year: shown as —, not as -100%
    assert rows["未分配版块"][0] == Decimal("7.77")
    assert [row.name for row in figures.rows][-1] == "未分配版块"
    body = text_of(response)
    assert "0.1" in body and "1,000.15 元" in body  # 万元 to the yuan, the exact 元 beside
    assert "+25.0%" in body and "-16.7%" in body


def test_anonymous_units_are_named_as_the_public_may_see_them(client, two_years):
    this, _ = two_years
    for url in (
        reverse("campaigns:campaign", args=[this.pk]),
        reverse("campaigns:sector", args=[this.pk, factories.sector("民营企业").pk]),
        reverse("home"),
    ):
        body = client.get(url).content.decode()
        assert "不愿具名的公司" not in body, url
    body = client.get(reverse("campaigns:campaign", args=[this.pk])).content.decode()
    assert "爱心人士" in body and "500.00" in body


def test_sector_page_shows_units_branches_and_change(client, two_years):
    this, _ = two_years
    sector = factories.sector("国资系统")
    response = client.get(reverse("campaigns:sector", args=[this.pk, sector.pk]))
    body = text_of(response)
    assert "衡阳市国资委" in body and "1,000.15" in body
    assert "+25.0%" in body
    # No branch in this sector: no table whose one row "未计入分会" would be the sector itself.
    assert response.context["page"].rows == [] and "未计入分会" not in body


def test_a_sectors_money_outside_its_branches_keeps_its_row(client, two_years):
    this, _ = two_years
    branch = factories.branch("国资委慈善分会", "国资系统")
    factories.donation(factories.unit("衡阳水务", sector_name="国资系统", branch=branch), this, "50.00")
    page = client.get(reverse("campaigns:sector", args=[this.pk, factories.sector("国资系统").pk]))
    assert [b.name for b in page.context["page"].rows] == ["国资委慈善分会", "未计入分会"]


def test_the_personal_sector_says_why_it_lists_no_units(client, two_years):
    this, _ = two_years
    factories.donation(factories.person("张三"), this, "100.00")
    personal = factories.sector("个人")
    body = text_of(client.get(reverse("campaigns:sector", args=[this.pk, personal.pk])))
    assert "爱心人士以个人名义直接捐赠" in body
    assert "本版块暂无单位捐款" not in body and "未计入分会" not in body


def test_home_shows_progress_goal_and_same_day_last_year(client, two_years, settings):
    this, last = two_years
    factories.donation(
        factories.unit("早到单位", sector_name="金融系统"),
        last,
        "50.00",
        received_on=datetime.date(2022, 8, 28),
    )
    response = client.get(reverse("home"))
    assert response.context["campaign"] == this
    assert response.context["figures"].goal_percent == Decimal("0.0")  # 1841.25 of 20,000,000
    day, last_year_so_far = response.context["same_day"]
    assert last_year_so_far == Decimal("1250.00")  # the campaign has ended: all of last year
    body = response.content.decode()
    # Ended, so not "活动第 126 天" as if it still ran.
    assert f"活动已结束（共 {day} 天），上一届同期" in body and "活动第" not in body
    assert "<svg" in body and "国资系统" in body
    # The chart is drawn on the server; the one script is 长辈模式's switch (static/charity/elder.js).
    assert body.count("<script") == 1 and '<script src="/static/charity/elder.js"></script>' in body


def test_campaign_list_and_error_pages(client, two_years):
    body = client.get(reverse("campaigns:campaign_list")).content.decode()
    assert "2023年慈善一日捐" in body and "2022年慈善一日捐" in body
    missing = client.get("/campaigns/999999/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Disallow: /lookup/" in robots
    assert client.get("/favicon.ico").status_code == 301


def count_queries(client, url):
    from django.core.cache import cache

    from charity.models import StoredFigures

    # Cold: nothing cached and no figures kept in the database, so the page computes them.
    cache.clear()
    StoredFigures.objects.all().delete()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    return len(cold), len(warm)


@pytest.mark.parametrize("page", ["home", "campaign", "sector", "list"])
def test_pages_take_the_same_number_of_queries_however_many_donations(client, two_years, page, settings):
    # The views' own work, which a request pays whenever whole pages are stale (after any change
    # of public data): without the whole-page cache, which would answer with no query at all.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    this, _ = two_years
    urls = {
        "home": reverse("home"),
        "campaign": reverse("campaigns:campaign", args=[this.pk]),
        "sector": reverse("campaigns:sector", args=[this.pk, factories.sector("国资系统").pk]),
        "list": reverse("campaigns:campaign_list"),
    }
    before = count_queries(client, urls[page])
    for n in range(30):
        factories.donation(factories.unit(f"新单位{n}", sector_name="国资系统"), this, "10.00")
    after = count_queries(client, urls[page])
    assert before == after
    assert after[1] <= 6  # warm: campaign rows, latest news, honor roll and summary; figures from cache


def total_shown(client, campaign):
    return client.get(reverse("campaigns:campaign", args=[campaign.pk])).context["figures"].total


def test_changes_show_at_once_however_they_were_made(
    client, admin_user, two_years, django_capture_on_commit_callbacks
):
    from donations.importing import import_file
    from donations.review import confirm_donations, reverse_donation
    from donations.services import finalize_batch, rollback_batch
    from tests.donations.import_helpers import unit_row, xlsx

    this, last = two_years
    assert total_shown(client, this) == Decimal("1841.25")
    assert total_shown(client, last) == Decimal("1200.00")
    # Public means confirmed: a gift entered, edited or deleted while under review changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        gift = factories.donation(factories.unit("新来的单位"), this, "100.00", status="pending")
    assert total_shown(client, this) == Decimal("1841.25")
    with django_capture_on_commit_callbacks(execute=True):
        gift.amount = Decimal("50.00")
        gift.save()
    with django_capture_on_commit_callbacks(execute=True):
        confirm_donations([gift.pk], admin_user)
    assert total_shown(client, this) == Decimal("1891.25")
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_file(xlsx([unit_row("导入的单位", "9.00")]), campaign=this, user=admin_user)
    assert total_shown(client, this) == Decimal("1891.25")  # a batch still open is under review
    with django_capture_on_commit_callbacks(execute=True):
        rollback_batch(batch, admin_user)
    assert total_shown(client, this) == Decimal("1891.25")
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_file(xlsx([unit_row("导入的单位", "9.00")]), campaign=this, user=admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        finalize_batch(batch, admin_user)
    assert total_shown(client, this) == Decimal("1900.25")
    with django_capture_on_commit_callbacks(execute=True):
        reverse_donation(gift, "金额有误", admin_user)
    assert total_shown(client, this) == Decimal("1850.25")
    assert total_shown(client, last) == Decimal("1200.00")


def test_a_donor_who_asks_for_anonymity_disappears_from_the_pages_at_once(
    client, two_years, django_capture_on_commit_callbacks
):
    this, _ = two_years
    url = reverse("campaigns:campaign", args=[this.pk])
    assert "衡阳市一中" in client.get(url).content.decode()
    school = Donor.objects.get(name="衡阳市一中")
    with django_capture_on_commit_callbacks(execute=True):
        school.display = Donor.Display.ANONYMOUS
        school.save()
    assert "衡阳市一中" not in client.get(url).content.decode()


@pytest.mark.parametrize("page", ["home", "campaigns", "campaign", "sector", "lookup"])
def test_every_page_has_a_share_card(client, two_years, page):
    this, _ = two_years
    url = {
        "home": reverse("home"),
        "campaigns": reverse("campaigns:campaign_list"),
        "campaign": reverse("campaigns:campaign", args=[this.pk]),
        "sector": reverse("campaigns:sector", args=[this.pk, factories.sector("国资系统").pk]),
        "lookup": reverse("campaigns:lookup"),
    }[page]
    card = re.search(r'<meta property="og:image" content="([^"]+)"', client.get(url).content.decode())
    assert card, page
    response = client.get(card.group(1).replace("http://testserver", ""))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
