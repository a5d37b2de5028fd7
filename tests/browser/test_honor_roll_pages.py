"""An honor-roll issue on a phone (360 px): readable, no sideways scrolling, Chinese rendered."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from campaigns import services
from campaigns.models import HonorRollIssue
from tests import factories
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.campaigns.conftest import d, new_edition, publish_issue

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# Public pages count confirmed gifts only: the gifts made here are confirmed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reviewed_gifts")]


@pytest.fixture
def narrow_phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="zh-CN"
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


def issue_with_long_names(campaign):
    personal = factories.sector("个人")
    unit = factories.unit("衡阳市城市建设投资有限公司第二工程项目管理部", sector_name="住建系统")
    factories.donation(unit, campaign, "128000.00", received_on=d("2023-09-05"))
    for i in range(24):
        factories.donation(factories.person(f"欧阳{i}明"), campaign, f"{1000 + i * 10}.00", sector=personal)
    factories.donation(factories.person("少捐者"), campaign, "20.00", sector=personal)
    issue = publish_issue(campaign, 1, "2023-09-30")
    services.publish_honor_roll_erratum(issue, "第一期中一位爱心人士的捐款日期应为9月2日，金额无误。", None)
    return issue


def test_honor_roll_issue_on_a_360px_phone(live_server, narrow_phone):
    issue = issue_with_long_names(factories.campaign())
    page = narrow_phone
    page.goto(f"{live_server.url}/honor-rolls/{issue.pk}/")
    assert page.locator("h1").inner_text() == "2023年慈善一日捐光荣榜（第一期）"
    assert page.title() == "2023年慈善一日捐光荣榜（第一期） · 市慈善总会"
    assert "更正说明" in page.locator(".errata").inner_text()
    assert "128,000.00" in page.locator("table.roll").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
    # Long unit names wrap inside the table instead of pushing the amount off the screen.
    box = page.locator("table.roll td.amount").first.bounding_box()
    assert box["x"] + box["width"] <= 360
    screenshot(page, "honor-roll-issue-360")
    errors = [e for e in page.console_errors if "favicon" not in e and "404" not in e]
    assert errors == []

    # The shareable image the page links to opens as a picture.
    page.goto(f"{live_server.url}/honor-rolls/{issue.pk}/share-1.png")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "honor-roll-share-png.png"), full_page=True)


def test_ranking_category_on_a_360px_phone(live_server, narrow_phone):
    campaign = factories.campaign()
    for i in range(12):
        factories.donation(
            factories.unit(f"衡阳市排行测试单位{i}"), campaign, "5000.00" if i < 3 else f"{1000 + i}.00"
        )
    edition = services.publish_ranking(new_edition(), None)
    units = edition.content["categories"][0]
    narrow_phone.goto(f"{live_server.url}/rankings/{edition.pk}/{units['id']}/")
    assert narrow_phone.locator("h1").inner_text() == units["name"]
    ranks = narrow_phone.locator("table.ranking tbody tr td:first-child").all_inner_texts()
    assert ranks[:4] == ["1", "1", "1", "4"]
    assert narrow_phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(narrow_phone, "ranking-category-360")


@pytest.fixture
def demo_issue_5():
    call_command("loaddemo", stdout=io.StringIO())
    return HonorRollIssue.objects.get(campaign__year=2023, number=5)


def test_demo_issue_5_on_a_phone_search_and_sector_index(live_server, narrow_phone, demo_issue_5):
    issue, page = demo_issue_5, narrow_phone
    person = next(p for s in issue.content["sectors"] for p in s["people"] if p["name"] != "爱心人士")
    sector = next(s["name"] for s in issue.content["sectors"] if person in s["people"])
    page.goto(f"{live_server.url}/honor-rolls/{issue.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Search and downloads are on the first screen.
    assert page.locator("#roll-q").bounding_box()["y"] < 740
    assert page.get_by_role("link", name="下载 PDF").bounding_box()["y"] < 740
    page.screenshot(path=str(SCREENSHOTS / "honor-roll-issue-phone.png"))
    screenshot(page, "honor-roll-issue-5-360")

    # The sector index jumps to a sector far down the page.
    last = issue.content["sectors"][-1]["name"]
    page.locator(".sector-index").get_by_role("link", name=last).click()
    number = len(issue.content["sectors"])
    page.wait_for_function(f"location.hash === '#sector-{number}'")
    heading = page.locator(f"#sector-{number}-heading")
    assert heading.is_visible() and 0 <= heading.bounding_box()["y"] < 740
    page.screenshot(path=str(SCREENSHOTS / "honor-roll-sector-jump-phone.png"))

    # The search finds the named donor and tells the sector.
    page.fill("#roll-q", person["name"])
    page.get_by_role("button", name="查找").click()
    page.wait_for_selector(".search-results")
    results = page.locator("ol.matches").inner_text()
    assert person["name"] in results and sector in results
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SCREENSHOTS / "honor-roll-search-phone.png"))
    page.locator("ol.matches a", has_text=sector).first.click()
    page.wait_for_selector("section.sector")
    assert person["name"] in page.locator("section.sector").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "honor-roll-sector-phone.png"))
    errors = [e for e in page.console_errors if "favicon" not in e and "404" not in e]
    assert errors == []
