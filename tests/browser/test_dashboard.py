"""数据看板 in a real Chromium: leadership reads it on a desktop and on a phone."""

import pytest

from donations import review
from donations.models import FollowUp
from tests import factories
from tests.browser.conftest import screenshot
from tests.conftest import staff_with_role

# Public pages count confirmed gifts only: the gifts made here are confirmed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reviewed_gifts")]


def test_leadership_reads_the_dashboard_on_a_phone_and_a_desktop(live_server, phone, desktop, report_sectors):
    this = factories.campaign()
    last = factories.campaign("2022年慈善一日捐", year=2022)
    for n, sector in enumerate(["国资系统", "教育系统", "民政系统", "卫健系统"], start=1):
        gift = factories.donation(
            factories.unit(f"{sector}单位", sector_name=sector), this, f"{n * 123456}.78"
        )
        review.confirm_donations([gift.pk], None)
        factories.donation(factories.unit(f"{sector}老单位", sector_name=sector), last, f"{n * 100000}.00")
    factories.donation(factories.person("王小明"), this, "500.00", status="pending")
    # An open promise (劝募跟进): the dashboard shows it per sector, without the unit's name.
    FollowUp.objects.create(
        donor=factories.unit("承诺单位", sector_name="教育系统"),
        staff=staff_with_role("clerk", "录入员"),
        campaign=this,
        promised_amount="8000.00",
    )
    leader = staff_with_role("leader", "领导")
    leader.set_password("pw-leader-123")
    leader.save()
    for page, name in ((desktop, "desktop"), (phone, "phone")):
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "leader")
        page.fill("#id_password", "pw-leader-123")
        page.click("input[type=submit]")
        page.get_by_role("link", name="数据看板").first.click()
        text = page.locator("#content-main").inner_text()
        assert "待审核捐赠 1 笔" in text and "各版块" in text and "国资系统" in text
        assert "对比上年同期" in text and "第 1 周" in text
        assert "共 1 项，合计 8,000.00 元" in text and "承诺单位" not in text
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
        screenshot(page, f"admin-dashboard-{name}")
