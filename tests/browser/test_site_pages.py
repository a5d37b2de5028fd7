"""The site's own pages in a real Chromium at 360 px (the narrowest common phone): 慈善资讯,
信息公开, 联系我们, the friendly 404; the menu's marker; 长辈模式 sticking across pages; axe on
every page type in both modes. Screenshots go to tests/artifacts/site-*.png (copies of the
phone ones are in docs/screenshots/).
"""

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile

from campaigns.models import Article
from campaigns.news.services import publish_article
from charity.models import DonationAccount, SiteIdentity
from relief.models import BodyMember, NamedFund, OrganisationBody, StatutoryFiling
from tests import factories
from tests.browser.conftest import screenshot
from tests.browser.test_public_pages import console_errors, every_page_kind, fits

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reviewed_gifts")]
SEED = (
    "2023慈善一日捐工作于2023年8月28日正式开展，到12月31日基本结束。\n\n## 一、基本情况\n\n"
    "有593家机关和企事业单位、近6万名爱心人士参与，募集资金1810.7035万元。"
)


@pytest.fixture
def narrow(browser):
    """360 px wide: what the issue asks every page to work at."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="zh-CN"
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def website(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    identity = SiteIdentity.objects.create(
        full_name="衡阳市慈善总会",
        short_name="衡阳市慈善总会",
        city="衡阳市",
        help_hotline="0734-8860089",
        donation_hotline="0734-8860089",
        office_hours="工作日 8:30—17:30",
    )
    DonationAccount.objects.create(
        site=identity,
        bank="（示例）某银行衡阳分行",
        account_name="衡阳市慈善总会",
        account_number="0000 0000 0000",
    )
    campaign = factories.campaign(goal=Decimal("20000000.00"))
    factories.donation(factories.unit("衡阳市国资委", sector_name="国资系统"), campaign, "3307800.00")
    seed = Article.objects.create(
        title="2023年“慈善一日捐”工作总结",
        date=datetime.date(2024, 1, 25),
        summary="593家单位、近6万名爱心人士参与，募集资金1810.7035万元。",
        body=SEED,
    )
    publish_article(seed, None)
    publish_article(
        Article.objects.create(
            title="2023年慈善一日捐光荣榜第一期发布",
            category=Article.Category.HONOR,
            date=datetime.date(2023, 10, 4),
            body="收录捐款 1,234 笔。",
        ),
        None,
    )
    board = OrganisationBody.objects.create(name="第六届理事会", kind="decision", term="2021年9月—2026年9月")
    BodyMember.objects.create(body=board, position="会长", name="刘国平", affiliation="市人大常委会原副主任")
    NamedFund.objects.create(
        name="珠江合创汇慈善基金",
        founder="珠江合创汇",
        founded_on=datetime.date(2019, 6, 1),
        purpose="爱心助学",
    )
    factories.branch(
        "市直工委慈善分会", "国资系统", founded_on=datetime.date(2009, 3, 1), purpose="组织市直机关募捐"
    )
    for kind, year, title in (("charter", None, "衡阳市慈善总会章程"), ("annual_work", 2023, "")):
        filing = StatutoryFiling(kind=kind, year=year, title=title, published_on=datetime.date(2024, 5, 20))
        filing.document.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        filing.save()
    return live_server.url, campaign, seed


def site_pages(campaign, seed):
    return {
        **every_page_kind(campaign),
        "news": "/news/",
        "news category": "/news/?category=honor",
        "article": f"/news/{seed.pk}/",
        "organisation": "/open/",
        "documents": "/open/documents/",
        "contact": "/contact/",
    }


def test_the_new_pages_on_a_360_px_phone(website, narrow):
    url, campaign, seed = website
    errors = console_errors(narrow)
    shots = {
        "news": "/news/",
        "article": f"/news/{seed.pk}/",
        "organisation": "/open/",
        "documents": "/open/documents/",
        "contact": "/contact/",
        "not-found": "/no/such/page/",
    }
    for name, path in shots.items():
        narrow.goto(url + path)
        assert fits(narrow), name
        assert "0734-8860089" in narrow.locator("header.site").inner_text(), name  # the hotline, on top
        screenshot(narrow, f"site-{name}-360")
    # The 404 page's own status is reported as a console error; nothing else may be.
    assert errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    errors.clear()
    narrow.goto(url + "/")
    narrow.get_by_role("link", name="慈善资讯").first.click()
    narrow.get_by_role("link", name="2023年“慈善一日捐”工作总结").click()
    assert narrow.locator("h1").inner_text() == "2023年“慈善一日捐”工作总结"
    assert narrow.locator("nav[aria-label=主导航] [aria-current]").inner_text() == "慈善资讯"
    assert narrow.locator(".prose h2").inner_text() == "一、基本情况"
    narrow.get_by_role("link", name="信息公开").click()
    assert narrow.locator("nav[aria-label=主导航] [aria-current=page]").inner_text() == "信息公开"
    assert "刘国平" in narrow.locator("main").inner_text()
    assert errors == [], errors


def test_elder_mode_sticks_across_pages_and_enlarges_the_type(website, narrow):
    url, _, seed = website
    narrow.goto(url + "/")
    normal = narrow.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    toggle = narrow.get_by_role("button", name="长辈模式")
    toggle.click()
    assert narrow.evaluate("document.documentElement.classList.contains('elder')")
    larger = narrow.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger >= 20 > normal
    narrow.goto(url + f"/news/{seed.pk}/")  # another page, served from the same cache as everyone's
    assert narrow.evaluate("document.documentElement.classList.contains('elder')")
    assert narrow.get_by_role("button", name="标准模式").get_attribute("aria-pressed") == "true"
    assert fits(narrow)
    screenshot(narrow, "site-article-elder-360")
    narrow.goto(url + "/")
    screenshot(narrow, "site-home-elder-360")
    narrow.get_by_role("button", name="标准模式").click()
    narrow.goto(url + "/open/")
    assert not narrow.evaluate("document.documentElement.classList.contains('elder')")


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_axe_finds_nothing_on_any_page_type(website, narrow, mode):
    url, campaign, seed = website
    narrow.goto(url + "/")
    if mode == "elder":
        narrow.get_by_role("button", name="长辈模式").click()
    failures = {}
    for kind, path in site_pages(campaign, seed).items():
        narrow.goto(url + path)
        if narrow.locator(".elder-toggle").count():  # not the honor roll's print layout, a page of its own
            assert narrow.evaluate("document.documentElement.classList.contains('elder')") == (
                mode == "elder"
            )
        results = Axe().run(narrow)
        found = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
        ]
        if found:
            failures[kind] = found
    assert failures == {}, failures
