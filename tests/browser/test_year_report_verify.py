"""The year report's verification page on a phone: readable at 360 px, the superseded notice and
the headline figures, no console errors. Screenshot: tests/artifacts/year-report-verify-*.png."""

import datetime
from decimal import Decimal

import pytest

from campaigns.annual_report import publishing
from campaigns.annual_summary.figures import display_code
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reviewed_gifts")]


def test_the_verify_page_of_a_superseded_version_on_a_phone(live_server, phone):
    campaign = factories.campaign()
    unit = factories.unit("衡阳市国资委", sector_name="国资系统")
    factories.donation(unit, campaign, "3307800.00", received_on=datetime.date(2023, 9, 5))
    first = publishing.release(publishing.new_draft(2023), None)
    factories.donation(unit, campaign, Decimal("1000.00"), received_on=datetime.date(2023, 9, 6))
    second = publishing.release(publishing.new_draft(2023, "补录一笔捐款"), None)
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(f"{live_server.url}/report/verify/{display_code(first.code)}/")
    text = phone.locator("main").inner_text()
    assert "此文件（第1版）已被取代" in text and display_code(second.code) in text
    assert "330.78万元" in text and "这份报告是怎样生成的" in text
    # The headline in the report's order, whatever order the database keeps the JSON in.
    labels = phone.locator("table th").all_inner_texts()
    assert labels == list(publishing.HEADLINE)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "year-report-verify-phone")
    assert not errors
