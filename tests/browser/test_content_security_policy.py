"""The public pages and the admin work under the Content-Security-Policy: no violation anywhere.

Chromium reports every blocked script, style or frame as a console error naming the policy, and
as a `securitypolicyviolation` event, which these tests collect on each page they open.
"""

import pytest

from charity import jobs
from charity.models import BackgroundJob
from donations import review
from donations.models import RemittanceLine
from tests import factories
from tests.browser.test_admin_import import log_in, workbook

pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = """() => { window.__violations = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


def watch(page):
    seen = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(f"({LISTEN})()")
    return seen


def violations(page, seen):
    return seen + page.evaluate("window.__violations || []")


def test_public_pages_run_under_the_policy(live_server, phone):
    campaign = factories.campaign()
    unit = factories.unit("衡阳市教育局", sector_name="教育系统")
    gift = factories.donation(unit, campaign, "1000.00", receipt_no="R-1", status="confirmed")
    RemittanceLine.objects.create(
        remittance=gift, donor=factories.person("王小明", employer=unit), amount="100"
    )
    seen = watch(phone)
    for path in (
        "/",
        "/campaigns/",
        f"/campaigns/{campaign.pk}/",
        "/lookup/",
        "/rankings/",
        "/no-such-page/",
    ):
        response = phone.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert violations(phone, seen) == [], path
    phone.goto(live_server.url + "/lookup/")
    phone.get_by_label("捐赠票据号").fill("R-1")
    phone.get_by_label("捐赠人姓名或单位名称（须完全一致）").fill("衡阳市教育局")
    phone.get_by_role("button", name="查询").click()
    assert "已计入" in phone.locator("main").inner_text()
    assert violations(phone, seen) == []


def test_the_admin_works_under_the_policy(live_server, desktop, admin_user, tmp_path):
    campaign = factories.campaign()
    gift = factories.donation(factories.unit("衡阳市教育局", sector_name="教育系统"), campaign, "88.00")
    confirmed = factories.donation(factories.unit("衡阳市一中", sector_name="教育系统"), campaign, "99.00")
    review.confirm_donations([confirmed.pk], admin_user)
    seen = watch(desktop)
    log_in(desktop, live_server, admin_user)
    for path in (
        "/admin/",
        "/admin/donations/donation/",
        f"/admin/donations/donation/{gift.pk}/change/",
        f"/admin/donations/donation/{gift.pk}/history/",
        "/admin/donations/donation/add/",
        "/admin/charity/auditentry/",
        "/admin/dashboard/",
        f"/admin/donations/donation/{confirmed.pk}/change/",
        f"/admin/donations/donation/{confirmed.pk}/reverse/",
    ):
        desktop.goto(live_server.url + path)
        assert violations(desktop, seen) == [], path
    # Autocomplete (select2, a script of the admin's own) opens and searches under the policy.
    desktop.goto(live_server.url + "/admin/donations/donation/add/")
    desktop.locator("[aria-labelledby='select2-id_donor-container']").click()
    desktop.locator(".select2-search__field").fill("教育")
    desktop.wait_for_selector(".select2-results__option:has-text('衡阳市教育局')")
    # The import preview's confirm button is disabled on submit by a script file, not inline code.
    path = workbook(
        tmp_path / "一行.xlsx",
        [
            {
                "捐赠日期": "2023-09-01",
                "捐赠人": "衡阳市一中",
                "捐赠人类型": "单位",
                "版块": "教育系统",
                "金额": "100",
            }
        ],
    )
    desktop.goto(live_server.url + "/admin/donations/donation/import/")
    desktop.select_option("#id_campaign", str(campaign.pk))
    desktop.set_input_files("#id_file", str(path))
    desktop.locator("input[type=submit]").first.click()
    desktop.wait_for_selector("#confirm-import")
    desktop.evaluate(
        "document.querySelector('[data-submit-once]').addEventListener('submit', e => e.preventDefault())"
    )
    desktop.click("#confirm-import")
    assert desktop.locator("#confirm-import").is_disabled()
    assert violations(desktop, seen) == []


def test_a_job_page_reloads_itself_under_the_policy(live_server, desktop, admin_user, database_tasks):
    """The progress page refreshes with a <meta> tag: nothing the policy has to allow."""
    job = jobs.create(BackgroundJob.Kind.EXPORT, user=admin_user, title="导出捐赠 20,000 行（CSV）")
    seen = watch(desktop)
    log_in(desktop, live_server, admin_user)
    desktop.goto(live_server.url + jobs.page_url(job))
    assert desktop.locator("#job-status").inner_text() == "等待"
    with desktop.expect_navigation(timeout=10_000):
        pass  # reloaded by the page itself
    assert violations(desktop, seen) == []
