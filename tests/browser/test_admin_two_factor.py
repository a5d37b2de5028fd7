"""Two-factor sign-in in a real Chromium at phone width: password, enrolment by QR code, recovery
codes, then at the next login the code page; under the Content-Security-Policy, nothing wider than
the screen. Screenshots: tests/artifacts/two-factor-*.png (copies in docs/screenshots/)."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import screenshot
from tests.browser.test_content_security_policy import violations, watch
from tests.conftest import staff_with_role

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username, password):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_admin_two_factor_enrolment_and_code_on_a_phone(live_server, phone, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    user = staff_with_role("publisher", "发布员")
    seen = watch(phone)

    log_in(phone, live_server, "publisher", "pw-publisher-123")
    phone.wait_for_url("**/admin/two-factor/enrol/**")
    qr = phone.locator("img.qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # drawn, not blocked
    assert fits_the_screen(phone)
    screenshot(phone, "two-factor-enrol-phone")
    secret = phone.locator(".secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    from base64 import b32decode

    key = b32decode(secret)
    phone.fill("#id_code", f"{totp(key):06d}")
    phone.get_by_role("button", name="确认并开启").click()
    phone.wait_for_url("**/admin/two-factor/recovery-codes/**")
    assert phone.locator(".codes li").count() == 10
    assert fits_the_screen(phone)
    screenshot(phone, "two-factor-recovery-codes-phone")
    phone.get_by_role("link", name="我已保存，继续").click()
    phone.wait_for_url(live_server.url + "/admin/")

    # The next login: password, then the code page.
    phone.locator("#logout-form button").click()
    log_in(phone, live_server, "publisher", "pw-publisher-123")
    phone.wait_for_url("**/admin/two-factor/verify/**")
    assert fits_the_screen(phone)
    screenshot(phone, "two-factor-code-phone")
    device = TOTPDevice.objects.get(user=user)
    phone.fill("#id_code", f"{totp(key, drift=1):06d}")  # the enrolment used this period's code
    phone.get_by_role("button", name="验证").click()
    phone.wait_for_url(live_server.url + "/admin/")
    assert "工作台" in phone.locator("#content").inner_text()
    device.refresh_from_db()
    assert device.last_used_at is not None
    assert violations(phone, seen) == []
