"""The public pages in a real Chromium, at phone and desktop widths: what a visitor sees and uses.

Screenshots go to tests/artifacts/ (public-*.png) for a person to look at.
"""

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from donations.models import Donor, RemittanceLine
from tests import factories
from tests.browser.conftest import screenshot

# Public pages count confirmed gifts only: the gifts made here are confirmed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reviewed_gifts")]


@pytest.fixture
def site(live_server):
    this = factories.campaign(goal=Decimal("20000000.00"))
    last = factories.campaign(name="2022年慈善一日捐", year=2022)
    bureau = factories.unit("衡阳市国资委", sector_name="国资系统")
    school = factories.unit("衡阳市第一中学", sector_name="教育系统")
    hidden = factories.unit("匿名企业真名", sector_name="民营企业", display=Donor.Display.ANONYMOUS)
    remittance = factories.donation(bureau, this, "3307800.00", receipt_no="HY-1", head_count=120)
    RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person("王小明", employer=bureau), amount=Decimal("500.00")
    )
    factories.donation(school, this, "447900.00", head_count=80)
    factories.donation(hidden, this, "895000.00")
    factories.donation(factories.person("张三"), this, "1000.00", receipt_no="HY-2")
    factories.donation(bureau, last, "3000000.00", received_on=datetime.date(2022, 9, 1))
    return live_server.url, this


def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def fits(page):
    # After a click the new page may still be loading its stylesheet, and unstyled tables are
    # wider than a phone (a flaky failure under load): measure the page as the visitor sees it.
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_home_on_a_phone_and_a_desktop(site, phone, desktop):
    url, campaign = site
    for page, name in ((phone, "phone"), (desktop, "desktop")):
        errors = console_errors(page)
        page.goto(url + "/")
        assert page.locator("h1").first.inner_text() == campaign.name
        assert "465.17" in page.locator(".hero").inner_text()  # 万元, exact: 4,651,700.00 元
        assert "匿名企业真名" not in page.content()
        assert page.locator("figure.chart svg").count() == 1
        assert fits(page), name
        assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
        screenshot(page, f"public-home-{name}")
        assert errors == [], errors


def publish(campaign):
    from django.contrib.auth import get_user_model

    from campaigns import services
    from campaigns.models import HonorRollIssue
    from tests.campaigns.conftest import new_edition

    publisher = get_user_model().objects.create_superuser("publisher", "p@example.org", "pw-publisher-1")
    issue = HonorRollIssue.objects.create(campaign=campaign, number=1, cut_off=datetime.date(2023, 12, 31))
    services.publish_honor_roll(issue, publisher)
    services.publish_ranking(new_edition(), publisher)


def test_from_home_to_an_honor_roll_and_a_ranking(site, phone):
    url, campaign = site
    publish(campaign)
    errors = console_errors(phone)
    phone.goto(url + "/")
    phone.get_by_role("link", name="2023年慈善一日捐光荣榜（第一期）").click()
    assert "第一期" in phone.locator("h1").inner_text()
    assert "衡阳市国资委" in phone.locator("main").inner_text()
    assert "匿名企业真名" not in phone.content()
    assert fits(phone)
    phone.get_by_role("link", name="排行榜").first.click()
    phone.get_by_role("link", name="第九届").first.click()
    assert "慈善排行榜" in phone.locator("h1").inner_text()
    assert "匿名企业真名" not in phone.content() and "爱心人士" in phone.content()
    assert fits(phone)
    screenshot(phone, "public-ranking-phone")
    assert errors == [], errors


def test_from_home_to_a_campaign_a_sector_and_the_look_up(site, phone):
    url, campaign = site
    errors = console_errors(phone)
    phone.goto(url + "/")
    phone.get_by_role("link", name="查看各版块和单位").click()
    assert phone.locator("h1").inner_text() == campaign.name
    assert fits(phone)
    screenshot(phone, "public-campaign-phone")
    phone.locator("table.figures").get_by_role("link", name="国资系统").click()
    assert phone.locator("h1").inner_text() == "国资系统"
    assert "衡阳市国资委" in phone.locator("main").inner_text()
    screenshot(phone, "public-sector-phone")
    phone.get_by_role("link", name="查询捐款").click()
    phone.get_by_label("捐赠人姓名或单位名称（须完全一致）").fill("王小明")
    phone.get_by_label("金额（元，须完全一致）").fill("500")
    phone.get_by_label("所在单位（通过单位汇款捐赠时填写，须完全一致）").fill("衡阳市国资委")
    phone.get_by_role("button", name="查询").click()
    result = phone.locator("[aria-live]").inner_text()
    assert "已计入" in result and "随单位汇款捐赠：衡阳市国资委" in result
    assert fits(phone)
    screenshot(phone, "public-lookup-phone")
    assert errors == [], errors


def every_page_kind(campaign):
    """One URL of each public page type, with published honor roll, ranking and disclosure."""
    from campaigns.models import HonorRollIssue, RankingEdition
    from tests.relief.helpers import beneficiary, disbursement, published_disclosure

    publish(campaign)
    issue = HonorRollIssue.objects.get()
    edition = RankingEdition.objects.get()
    project = factories.project("慈善光明行")
    disbursement(project, "3000.00", paid_on=datetime.date(2023, 10, 1))
    disclosure = published_disclosure(project, people=[beneficiary("欧阳小花")])
    return {
        "home": "/",
        "campaign list": "/campaigns/",
        "campaign": f"/campaigns/{campaign.pk}/",
        "sector": f"/campaigns/{campaign.pk}/sectors/{factories.sector('国资系统').pk}/",
        "look-up": "/lookup/",
        "honor rolls": f"/campaigns/{campaign.pk}/honor-rolls/",
        "honor roll issue": f"/honor-rolls/{issue.pk}/",
        "honor roll print": f"/honor-rolls/{issue.pk}/print/",
        "rankings": "/rankings/",
        "ranking edition": f"/rankings/{edition.pk}/",
        "ranking category": f"/rankings/{edition.pk}/{edition.categories.first().pk}/",
        "relief projects": "/relief/",
        "relief project": f"/relief/projects/{project.pk}/",
        "disclosures": "/relief/disclosures/",
        "disclosure": f"/relief/disclosures/{disclosure.pk}/",
        "relief year": "/relief/years/2023/",
        "not found": "/no-such-page/",
    }


def test_no_serious_accessibility_violations_on_any_page_type(site, phone):
    url, campaign = site
    failures = {}
    for kind, path in every_page_kind(campaign).items():
        phone.goto(url + path)
        results = Axe().run(phone)
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            failures[kind] = serious
    assert failures == {}, failures
