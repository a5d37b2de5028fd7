"""劝募名单 in a real Chromium: a clerk reads the LYBUNT list on a desktop and on a phone."""

import datetime

import pytest

from tests import factories
from tests.browser.conftest import screenshot
from tests.conftest import staff_with_role

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_clerk_reads_the_lybunt_list_on_a_phone_and_a_desktop(live_server, phone, desktop):
    last = factories.campaign("2022年慈善一日捐", year=2022)
    factories.campaign()
    for n in range(3):
        unit = factories.unit(
            f"衡阳市去年捐赠单位{n}", "教育系统", phone=f"0734-822{n:04d}", contact_person="李老师"
        )
        factories.donation(unit, last, f"{(n + 1) * 1000}.00", received_on=datetime.date(2022, 9, 1))
    clerk = staff_with_role("clerk", "录入员")
    clerk.set_password("pw-clerk-123")
    clerk.save()
    for page, name in ((desktop, "desktop"), (phone, "phone")):
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "clerk")
        page.fill("#id_password", "pw-clerk-123")
        page.click("input[type=submit]")
        page.get_by_role("link", name="劝募名单：去年捐今年未捐、今年少于去年、今年首次捐赠").click()
        page.click("input[value=查看名单]")
        text = page.locator("#content-main").inner_text()
        assert "去年捐、今年尚未捐（LYBUNT）（2023年度）" in text and "共 3 个" in text
        assert text.index("衡阳市去年捐赠单位2") < text.index("衡阳市去年捐赠单位0")  # largest first
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
        screenshot(page, f"admin-fundraising-lists-{name}")
