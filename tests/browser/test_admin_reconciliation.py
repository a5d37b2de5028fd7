"""对账 in a real browser: upload a bank statement, read the results, decide, create a gift;
on a desktop and on a 360 px phone (staff check a transfer away from the office)."""

import pytest

from donations.models import Donation
from donations.reconciliation.models import Outcome, StatementCredit, StatementMapping
from tests import factories
from tests.browser.conftest import screenshot
from tests.browser.test_admin_import import log_in
from tests.donations import statement_files as files
from tests.donations.statement_files import DAY

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone_360(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="zh-CN"
    )
    yield context.new_page()
    context.close()


def upload_statement(page, live_server, tmp_path):
    campaign = factories.campaign()
    factories.donation(factories.person("张三"), campaign, "200.00", received_on=DAY)
    factories.donation(
        factories.unit("衡阳市一中"), campaign, "1000.00", received_on=DAY, receipt_no="HY2023-0001"
    )
    mapping = StatementMapping.objects.create(name="工商银行对公账户")
    path = tmp_path / "工行流水202309.xlsx"
    rows = [
        files.credit(DAY, "B0001", "衡阳市第一中学", 1000, memo="慈善一日捐 HY2023-0001"),
        files.credit(DAY, "B0002", "李四", 200, memo="代张三捐款"),
        files.credit(DAY, "B0003", "衡阳某某科技有限公司", 300, memo="捐赠"),
    ]
    path.write_bytes(files.bank_statement(rows).getvalue())
    page.goto(live_server.url + "/admin/donations/statement/")
    page.get_by_role("link", name="导入对账单").click()
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_mapping", str(mapping.pk))
    page.click("input[type=submit][value=导入并对账]")
    page.wait_for_selector("#recon-counts")
    return campaign


def test_a_statement_is_reconciled_in_the_browser(live_server, desktop, admin_user, tmp_path):
    log_in(desktop, live_server, admin_user)
    campaign = upload_statement(desktop, live_server, tmp_path)
    text = desktop.locator("#content").inner_text()
    assert "摘要中有票据号“HY2023-0001”，金额相同" in text
    assert "但付款人“李四”不是捐赠人“张三”，请确认" in text
    screenshot(desktop, "admin-reconciliation-results")
    desktop.click("input[value=确认是这笔]")
    desktop.wait_for_selector(".messagelist")
    assert StatementCredit.objects.get(serial="B0002").outcome == Outcome.MATCHED
    row = desktop.locator("#section-unmatched ~ .recon-table tr", has_text="B0003")
    row.locator("select[name=campaign]").select_option(str(campaign.pk))
    row.locator("input[value=创建捐赠]").click()
    desktop.wait_for_selector(".messagelist")
    assert "已由到账记录创建捐赠" in desktop.locator(".messagelist").inner_text()
    assert Donation.objects.filter(donor__name="衡阳某某科技有限公司", channel="bank").count() == 1
    assert "已匹配 3 笔" in desktop.locator("#recon-counts").inner_text()
    screenshot(desktop, "admin-reconciliation-done")


def test_the_results_fit_a_360_px_phone(live_server, phone_360, admin_user, tmp_path):
    log_in(phone_360, live_server, admin_user)
    upload_statement(phone_360, live_server, tmp_path)
    # The tables scroll inside their own boxes; the page itself never scrolls sideways.
    width = phone_360.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    assert phone_360.locator("#recon-counts").is_visible()
    screenshot(phone_360, "admin-reconciliation-phone")
