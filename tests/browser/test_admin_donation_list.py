"""The donation list fits a 1280 px screen beside its filters, and an 800 px tablet."""

import datetime

import pytest

from donations.models import Donor
from tests import factories
from tests.browser.conftest import screenshot
from tests.browser.test_admin_import import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# The widest content the demo data has, and a little more: long unit names, nested branch names,
# eight-digit amounts, five-digit head counts, long receipt numbers.
LONG_UNITS = [
    ("衡阳市住房和城乡建设局机关后勤服务中心", "住建系统", "市住建局慈善分会"),
    ("湖南省衡阳市第一人民医院医疗集团有限公司", "卫健系统", None),
    ("中国人民解放军某部队衡阳干休所管理委员会", "部队系统", None),
]

MEASURE = """() => {
  const table = document.querySelector('#result_list');
  const results = document.querySelector('#changelist-form .results');
  const headers = [...table.querySelectorAll('thead th')].filter(th => th.offsetParent !== null);
  return {
    viewport: window.innerWidth,
    page: document.documentElement.scrollWidth,
    table_right: table.getBoundingClientRect().right,
    table_scrolls: results.scrollWidth > results.clientWidth,
    headers: headers.map(th => th.innerText.trim()),
    headers_right: Math.max(...headers.map(th => th.getBoundingClientRect().right)),
  };
}"""


@pytest.fixture
def donations(admin_user):
    campaign = factories.campaign()
    for i, (name, sector, branch) in enumerate(LONG_UNITS):
        unit = factories.unit(name, sector_name=sector)
        if branch:
            unit.branch = factories.branch(branch, sector_name=sector)
            unit.save()
        factories.donation(
            unit, campaign, "18107035.00", head_count=12345, receipt_no=f"HY2023-00{i}12345",
            received_on=datetime.date(2023, 12, 31),
        )  # fmt: skip
    person = factories.person("欧阳娜娜", display=Donor.Display.ANONYMOUS)
    factories.donation(
        person, campaign, "1630.00", channel="wechat", anonymous=True, receipt_no="HY2023-0099999"
    )
    for i in range(40):
        factories.donation(
            factories.unit(), campaign, f"{17760 + i}.00", head_count=74, receipt_no=f"R{i:05d}"
        )


def open_list(browser, live_server, admin_user, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, admin_user)
    page.goto(live_server.url + "/admin/donations/donation/")
    page.wait_for_selector("#result_list")
    return context, page


COLUMNS = ["日期", "捐赠人", "金额（元）", "计入版块 › 分会", "渠道", "人数", "票据号"]


@pytest.mark.parametrize("width", [1280, 800])
def test_donation_list_fits_the_screen(browser, live_server, admin_user, donations, width):
    context, page = open_list(browser, live_server, admin_user, width)
    try:
        screenshot(page, f"admin-donation-list-{width}")
        seen = page.evaluate(MEASURE)
        text = page.locator("#result_list").inner_text()
    finally:
        context.close()
    assert seen["viewport"] == width
    # Neither the page nor the table scrolls sideways: every column is on the screen.
    assert seen["page"] <= width, seen
    assert seen["table_right"] <= width and seen["headers_right"] <= width, seen
    assert not seen["table_scrolls"], seen
    for header in COLUMNS:
        assert header in seen["headers"], seen["headers"]
    if width >= 1024:
        assert "活动" in seen["headers"]  # on a tablet the campaign filter says it instead
    for expected in (
        "18,107,035.00",
        "12,345",
        "住建系统 › 市住建局慈善分会",
        "欧阳娜娜",
        "（匿名）",
        "2023-12-31",
    ):
        assert expected in text
