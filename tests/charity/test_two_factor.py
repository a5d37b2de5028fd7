"""Two-factor sign-in for staff (charity/two_factor/), with enforcement on as in production.

Proves: every back-office address sends a required role without an authenticator to enrolment
(and one with an authenticator to the code page) until the session gives a code; a wrong code is
refused and repeated wrong codes are throttled; the right TOTP code gets in; a recovery code works
once; enrolment by QR code; an optional role is not forced; off by default outside production.
"""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from charity.models import AuditEntry
from charity.two_factor import services
from tests.conftest import staff_with_role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def required(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True


def authenticator(user):
    return TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=True)


def code_of(device, steps_ahead=0):
    """What the staff member's app shows now (or `steps_ahead` periods of 30 s later)."""
    return f"{totp(device.bin_key, step=device.step, drift=steps_ahead):06d}"


def wrong_code_for(device):
    right = {code_of(device, n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def enrolment_url(next_url):
    return f"{reverse('two_factor_enrol')}?{urlencode({'next': next_url})}"


def verify_url(next_url):
    return f"{reverse('two_factor_verify')}?{urlencode({'next': next_url})}"


def back_office_sample():
    """Every model's list and add page, and the admin's other kinds of address: its index, app
    pages, JSON answers (autocomplete, script translations), the dashboard, password change, a
    custom admin view, the two-factor settings page and an address that does not exist."""
    urls = []
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{name}_changelist"))
        try:
            urls.append(reverse(f"{name}_add"))
        except NoReverseMatch:  # a read-only list (background jobs)
            pass
    urls += [
        reverse("admin:index"),
        reverse("admin:app_list", args=["donations"]),
        reverse("admin:autocomplete")
        + "?"
        + urlencode({"app_label": "donations", "model_name": "donation", "field_name": "donor", "term": "a"}),
        reverse("admin:jsi18n"),
        reverse("admin_dashboard"),
        reverse("admin:password_change"),
        reverse("admin:donations_donation_import"),
        reverse("admin:relief_calendar"),
        reverse("two_factor"),
        "/admin/no/such/page/",
    ]
    return urls


@pytest.mark.parametrize("role", ["superuser", "发布员", "救助专员", "录入员", "审核员", "分会联络员"])
def test_a_required_role_without_an_authenticator_reaches_only_enrolment(client, required, role):
    if role == "superuser":
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-123")
    else:
        user = staff_with_role("staff", role)
    client.force_login(user)
    wrong = []
    for url in back_office_sample():
        for answer in (client.get(url), client.post(url, {"x": "1"})):
            if answer.status_code != 302 or answer["Location"] != enrolment_url(url):
                method = answer.request["REQUEST_METHOD"]
                wrong.append(f"{method} {url}: {answer.status_code} {answer.get('Location')}")
    assert not wrong, "\n".join(wrong)
    # Enrolment itself, and logging out, stay open.
    assert client.get(reverse("two_factor_enrol")).status_code == 200
    assert client.post(reverse("admin:logout")).status_code in (200, 302)


def test_with_an_authenticator_every_address_asks_for_the_code_first(client, required, publisher):
    authenticator(publisher)
    client.force_login(publisher)
    for url in back_office_sample():
        answer = client.get(url)
        assert (answer.status_code, answer["Location"]) == (302, verify_url(url)), url
    page = client.get(verify_url("/admin/"))
    assert page.status_code == 200
    assert "6 位验证码" in page.content.decode()


def test_the_password_page_still_comes_first_then_the_code(client, required, publisher):
    """The real login page (with django-axes in front) signs the password in; the code comes next."""
    device = authenticator(publisher)
    answer = client.post(
        reverse("admin:login"),
        {"username": "publisher", "password": "pw-publisher-123", "next": "/admin/"},
        follow=True,
    )
    assert answer.redirect_chain[-1][0] == verify_url("/admin/")
    answer = client.post(verify_url("/admin/"), {"code": code_of(device), "next": "/admin/"})
    assert (answer.status_code, answer["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_and_the_right_one_gets_in(client, required, relief_officer):
    device = authenticator(relief_officer)
    client.force_login(relief_officer)
    target = reverse("admin:relief_beneficiary_changelist")
    refused = client.post(verify_url(target), {"code": wrong_code_for(device), "next": target})
    assert refused.status_code == 200
    assert "验证码不正确" in refused.content.decode()
    assert client.get(target).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    _wait_out_the_throttle(device)

    # A code typed with a space in the middle, as the apps show it.
    right = code_of(device)
    answer = client.post(verify_url(target), {"code": f"{right[:3]} {right[3:]}", "next": target})
    assert (answer.status_code, answer["Location"]) == (302, target)
    assert client.get(target).status_code == 200
    assert client.get(reverse("admin:relief_beneficiary_add")).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_repeated_wrong_codes_are_throttled_even_against_the_right_code(client, required, publisher):
    device = authenticator(publisher)
    client.force_login(publisher)
    for _ in range(3):
        _wait_out_the_throttle(device)
        client.post(reverse("two_factor_verify"), {"code": wrong_code_for(device)})
    device.refresh_from_db()
    assert device.throttling_failure_count == 3
    # Now the device waits 2^(3-1) = 4 s before it checks any code, the right one included.
    answer = client.post(reverse("two_factor_verify"), {"code": code_of(device)})
    assert answer.status_code == 200
    assert "错误次数过多" in answer.content.decode()
    assert client.get("/admin/").status_code == 302
    # Codes tried while throttled do not count, and do not get in.
    device.refresh_from_db()
    assert device.throttling_failure_count == 3
    _wait_out_the_throttle(device)
    answer = client.post(reverse("two_factor_verify"), {"code": code_of(device)})
    assert answer.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_used_code_cannot_be_used_again(client, required, publisher, django_user_model):
    device = authenticator(publisher)
    client.force_login(publisher)
    code = code_of(device)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    client.logout()
    client.force_login(publisher)
    answer = client.post(reverse("two_factor_verify"), {"code": code})
    assert answer.status_code == 200  # replayed: refused


def test_a_recovery_code_works_once(client, required, publisher):
    authenticator(publisher)
    codes = services.renew_recovery_codes(publisher)
    assert len(codes) == 10 and len(set(codes)) == 10
    client.force_login(publisher)
    shown = f"{codes[0][:5]}-{codes[0][5:]}".upper()  # as printed, typed in capitals
    answer = client.post(reverse("two_factor_verify"), {"recovery_code": shown})
    assert answer.status_code == 302
    assert client.get("/admin/").status_code == 200
    entry = AuditEntry.objects.get(action="charity.two_factor.recovery_code_used")
    assert entry.data == {"codes_left": 9}

    client.logout()
    client.force_login(publisher)
    again = client.post(reverse("two_factor_verify"), {"recovery_code": codes[0]})
    assert again.status_code == 200
    assert "恢复码不正确或已经用过" in again.content.decode()
    _wait_out_the_throttle(StaticDevice.objects.get(user=publisher))
    assert client.post(reverse("two_factor_verify"), {"recovery_code": codes[1]}).status_code == 302


def test_enrolment_shows_a_qr_code_and_the_key_then_recovery_codes_once(client, required, publisher):
    client.force_login(publisher)
    assert client.get("/admin/")["Location"] == enrolment_url("/admin/")
    page = client.get(enrolment_url("/admin/"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "您的岗位要求登录时使用两步验证" in html
    # The QR code is an image from a data: address, which the Content-Security-Policy allows for
    # images; the page has no inline script.
    assert re.search(r'<img class="qr" src="data:image/svg\+xml;', html)
    assert "data:" in page["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    key = client.session["two_factor_enrol_key"]
    secret = re.search(r'<span class="secret">([A-Z2-7 ]+)</span>', html).group(1)
    from base64 import b32encode

    assert secret.replace(" ", "") == b32encode(bytes.fromhex(key)).decode()
    # A reload shows the same key: the app may already have scanned it.
    client.get(enrolment_url("/admin/"))
    assert client.session["two_factor_enrol_key"] == key
    assert not TOTPDevice.objects.exists()  # nothing is stored before the code confirms it

    unsaved = TOTPDevice(key=key)
    refused = client.post(enrolment_url("/admin/"), {"code": wrong_code_for(unsaved)})
    assert "验证码不正确" in refused.content.decode()
    assert not TOTPDevice.objects.exists()

    answer = client.post(enrolment_url("/admin/"), {"code": code_of(unsaved), "next": "/admin/"})
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("two_factor_recovery_codes"))
    codes_page = client.get(answer["Location"])
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", codes_page.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("two_factor_recovery_codes")).status_code == 302  # shown once
    device = TOTPDevice.objects.get(user=publisher)
    assert device.confirmed and device.key == key
    enrolled = AuditEntry.objects.get(action="charity.two_factor.enrolled")
    assert (enrolled.object_id, enrolled.data) == (str(publisher.pk), {"codes": 10})
    # This session gave the code: the back office is open.
    assert client.get("/admin/").status_code == 200
    # The next login asks the app's code.
    client.logout()
    client.force_login(publisher)
    assert client.get("/admin/")["Location"] == verify_url("/admin/")


def test_an_optional_role_is_not_forced_but_may_enrol(client, required, leader):
    client.force_login(leader)
    assert client.get(reverse("admin_dashboard")).status_code == 200
    status = client.get(reverse("two_factor"))
    assert "您的岗位不强制要求" in status.content.decode()
    key = (client.get(reverse("two_factor_enrol")), client.session["two_factor_enrol_key"])[1]
    client.post(reverse("two_factor_enrol"), {"code": code_of(TOTPDevice(key=key))})
    client.logout()
    # Once enrolled, the code is asked like anyone's.
    client.force_login(leader)
    assert client.get(reverse("admin_dashboard"))["Location"] == verify_url(reverse("admin_dashboard"))


def test_off_by_default_outside_production(client, settings, publisher, admin_user):
    """The demo's one-step admin login: offered, not required."""
    assert settings.STAFF_TWO_FACTOR_REQUIRED is False
    for user in (publisher, admin_user):
        client.force_login(user)
        assert client.get("/admin/").status_code == 200
        assert "两步验证" in client.get("/admin/").content.decode()  # the offer, in the user links


def test_new_recovery_codes_need_a_verified_session(client, publisher):
    device = authenticator(publisher)
    old = services.renew_recovery_codes(publisher)
    client.force_login(publisher)
    client.post(reverse("two_factor_verify"), {"code": code_of(device)})
    answer = client.post(reverse("two_factor_renew_recovery_codes"))
    assert answer["Location"] == reverse("two_factor_recovery_codes")
    new = re.findall(r"<li>([a-z2-9-]{11})</li>", client.get(answer["Location"]).content.decode())
    assert len(new) == 10 and not {c.replace("-", "") for c in new} & set(old)
    assert services.recovery_codes_left(publisher) == 10


def _wait_out_the_throttle(device):
    """Move the last failure back in time instead of sleeping through django-otp's back-off."""
    device.refresh_from_db()
    if device.throttling_failure_timestamp:
        device.throttling_failure_timestamp = timezone.now() - timedelta(hours=1)
        device.save()


def _switch_in(**env):
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "STAFF_TWO_FACTOR_REQUIRED"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env)
    code = "from django.conf import settings; print(settings.STAFF_TWO_FACTOR_REQUIRED)"
    command = [sys.executable, "manage.py", "shell", "-c", code]
    result = subprocess.run(command, cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-1]  # after the shell's note of what it imported


def test_required_in_production_and_wherever_the_switch_is_on():
    production = {
        "CHARITY_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "charity.example.org",
        "SITE_URL": "https://charity.example.org",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/charity-prod-check.sqlite3"),
    }
    assert _switch_in() == "False"
    assert _switch_in(STAFF_TWO_FACTOR_REQUIRED="1") == "True"
    assert _switch_in(**production) == "True"
    assert _switch_in(**production, STAFF_TWO_FACTOR_REQUIRED="0") == "True"  # cannot be turned off
