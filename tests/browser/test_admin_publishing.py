"""「预览并发布」 in a real Chromium: a publisher opens a draft issue, reads the preview and its
warning, ticks 我已核对以上提示 and confirms."""

import datetime

import pytest

from campaigns.models import HonorRollIssue
from tests import factories
from tests.browser.conftest import screenshot
from tests.conftest import staff_with_role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reviewed_gifts")]


def test_a_publisher_previews_ticks_and_confirms(live_server, desktop, report_sectors):
    campaign = factories.campaign()
    factories.donation(factories.unit("衡阳市国资委"), campaign, "5000.00")
    factories.donation(factories.person("孙一"), campaign, "2000.00")
    issue = HonorRollIssue.objects.create(campaign=campaign, number=1, cut_off=datetime.date(2024, 3, 1))
    publisher = staff_with_role("publisher", "发布员")
    publisher.set_password("pw-publisher-123")
    publisher.save()
    page = desktop
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "publisher")
    page.fill("#id_password", "pw-publisher-123")
    page.click("input[type=submit]")
    page.goto(live_server.url + f"/admin/campaigns/honorrollissue/{issue.pk}/change/")
    page.get_by_role("link", name="预览并发布").click()
    text = page.locator("#content-main").inner_text()
    assert "7,000.00 元" in text and "衡阳市国资委" in text and "孙一" in text
    assert "截止日期 2024-03-01 晚于活动结束日期 2023-12-31" in text
    screenshot(page, "admin-publish-preview")
    page.click("input[name=_publish]")  # without the tick: refused, still a draft
    assert "请先勾选" in page.locator("#content-main").inner_text()
    page.check("input[name=checked]")
    page.click("input[name=_publish]")
    assert "已发布：2023年慈善一日捐光荣榜（第一期）" in page.locator(".messagelist").inner_text()
    issue.refresh_from_db()
    assert issue.is_published and issue.published_by == publisher
