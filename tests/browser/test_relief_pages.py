import datetime

import pytest

from relief import services
from tests import factories
from tests.browser.conftest import screenshot
from tests.relief import helpers

# Public pages count confirmed gifts only: the gifts made here are confirmed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reviewed_gifts")]


@pytest.fixture
def small_phone(browser):
    """The narrowest phones still in use: 360 px."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="zh-CN"
    )
    yield context.new_page()
    context.close()


def test_a_disclosure_on_a_360px_phone(live_server, small_phone):
    project = factories.project("慈善光明行", partners="爱尔眼科")
    people = [
        helpers.beneficiary(name="王小明", district="雁峰区"),
        helpers.beneficiary(name="欧阳春花", district="珠晖区"),
        helpers.beneficiary(name="李建国", district="衡阳县"),
        helpers.beneficiary(name="刘小宝", id_number=helpers.id_number(born=datetime.date(2014, 2, 3))),
    ]
    published = helpers.published_disclosure(
        project,
        people,
        title="2023年慈善光明行受助名单公示（第一批）",
        objection_contact="0734-8860089（市慈善总会慈善办，工作日 8:30—17:30）",
    )
    services.publish_disclosure_erratum(published, "第2位受助人的县市区应为“蒸湘区”，特此更正。")
    page = small_phone
    page.goto(f"{live_server.url}/relief/disclosures/{published.pk}/")
    assert page.title() == "2023年慈善光明行受助名单公示（第一批） · 公示 · 市慈善总会"
    assert page.locator("h1").inner_text() == "2023年慈善光明行受助名单公示（第一批）"
    assert page.locator(".status").inner_text() == "公示期已结束"
    assert "特此更正" in page.locator(".errata").inner_text()
    table = page.locator("table.recipients").inner_text()
    assert "王*明" in table and "王小明" not in table and "刘" not in table
    # Nothing wider than the screen: no sideways scrolling at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
    screenshot(page, "relief-disclosure-360")


def test_the_year_page_on_a_360px_phone(live_server, small_phone):
    project = factories.project("慈善光明行")
    helpers.disbursement(project, "998000.00", people_helped=500)
    factories.donation(amount="1217000.00")
    small_phone.goto(f"{live_server.url}/relief/years/2023/")
    assert small_phone.locator("h1").inner_text() == "2023年收支情况"
    assert small_phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(small_phone, "relief-year-360")
