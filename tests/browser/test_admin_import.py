import datetime
import time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from donations.importing import COLUMNS
from donations.models import Donation, ImportBatch
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    book.save(path)
    return path


def log_in(page, live_server, user):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-admin-123")
    page.click("input[type=submit]")


def open_import_page(page, live_server, admin_user):
    log_in(page, live_server, admin_user)
    page.goto(live_server.url + "/admin/donations/donation/")
    page.get_by_role("link", name="导入捐赠").click()
    page.wait_for_selector("#id_campaign")


def test_admin_imports_a_file_after_preview(live_server, desktop, admin_user, tmp_path):
    campaign = factories.campaign()
    path = workbook(
        tmp_path / "市直单位汇款.xlsx",
        [
            {
                "捐赠日期": "2023-09-01",
                "捐赠人": "衡阳市教育局",
                "捐赠人类型": "单位",
                "版块": "教育系统",
                "金额": "12,345.60",
                "参与人数": 120,
                "票据号": "HY-B-001",
            },
            {
                "捐赠日期": "2023/9/2",
                "捐赠人": "王小明",
                "捐赠人类型": "个人",
                "金额": "0.05万",
                "渠道": "微信",
            },
        ],
    )
    open_import_page(desktop, live_server, admin_user)
    desktop.select_option("#id_campaign", str(campaign.pk))
    desktop.set_input_files("#id_file", str(path))
    screenshot(desktop, "admin-import-form")
    desktop.locator("input[type=submit]").first.click()
    desktop.wait_for_selector("#confirm-import")
    preview = desktop.locator("#content").inner_text()
    assert "2" in preview and "12,845.60" in preview
    screenshot(desktop, "admin-import-preview")
    desktop.click("#confirm-import")
    # The import is a background job (run at once in tests): its page says what was imported.
    desktop.wait_for_selector("#job-result")
    assert "已导入批次 市直单位汇款.xlsx：捐赠 2 笔" in desktop.locator("#job-result").inner_text()
    screenshot(desktop, "admin-import-done")
    assert Donation.objects.for_campaign(campaign).total() == Decimal("12845.60")
    assert ImportBatch.objects.get().donation_count == 2
    desktop.get_by_role("link", name="查看本批次的捐赠").click()
    desktop.wait_for_selector("#result_list")
    assert "衡阳市教育局" in desktop.locator("#result_list").inner_text()


def test_the_job_page_reloads_itself_until_the_worker_has_imported(
    live_server, desktop, admin_user, tmp_path, database_tasks
):
    campaign = factories.campaign()
    path = workbook(
        tmp_path / "分会汇款.xlsx",
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
    open_import_page(desktop, live_server, admin_user)
    desktop.select_option("#id_campaign", str(campaign.pk))
    desktop.set_input_files("#id_file", str(path))
    desktop.locator("input[type=submit]").first.click()
    desktop.wait_for_selector("#confirm-import")
    desktop.click("#confirm-import")
    desktop.wait_for_selector("#job-status")
    job_url = desktop.url
    assert desktop.locator("#job-status").inner_text() == "等待"
    screenshot(desktop, "admin-import-job-waiting")
    with desktop.expect_navigation(url=job_url, timeout=10_000):
        pass  # the <meta> refresh, no script
    assert desktop.locator("#job-status").inner_text() == "等待"

    # The worker runs while the page is elsewhere: in tests the live server shares this thread's
    # SQLite connection, and a reload in the middle of the import would run inside its transaction.
    desktop.goto("about:blank")
    time.sleep(0.5)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())
    desktop.goto(job_url)
    assert desktop.locator("#job-status").inner_text() == "完成"
    assert "已导入批次 分会汇款.xlsx：捐赠 1 笔" in desktop.locator("#job-result").inner_text()
    screenshot(desktop, "admin-import-job-done")
    with pytest.raises(PlaywrightTimeout):  # finished: no more reloading
        with desktop.expect_navigation(timeout=4_000):
            pass


def test_admin_shows_errors_with_row_and_column_and_writes_nothing(
    live_server, desktop, admin_user, tmp_path
):
    campaign = factories.campaign()
    path = workbook(
        tmp_path / "有错误的名单.xlsx",
        [
            {
                "捐赠日期": "2023-09-01",
                "捐赠人": "某单位",
                "捐赠人类型": "单位",
                "版块": "不存在的版块",
                "金额": "100",
            },
            {
                "捐赠日期": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
                "捐赠人": "李四",
                "捐赠人类型": "个人",
                "金额": "-5",
            },
        ],
    )
    open_import_page(desktop, live_server, admin_user)
    desktop.select_option("#id_campaign", str(campaign.pk))
    desktop.set_input_files("#id_file", str(path))
    desktop.locator("input[type=submit]").first.click()
    desktop.wait_for_load_state()
    text = desktop.locator("#content").inner_text()
    screenshot(desktop, "admin-import-errors")
    assert "不存在的版块" in text and "版块" in text
    assert "金额" in text and "3" in text  # row 3 holds the negative amount
    assert desktop.locator("#confirm-import").count() == 0
    assert Donation.objects.count() == 0
