"""`manage.py reset_two_factor <username>`: a lost phone; the account enrols again at next login."""

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from charity.models import AuditEntry
from charity.two_factor import services

pytestmark = pytest.mark.django_db


def test_reset_removes_the_devices_ends_the_sessions_and_is_recorded(client, settings, publisher, capsys):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    device = TOTPDevice.objects.create(user=publisher, name="手机验证器", confirmed=True)
    services.renew_recovery_codes(publisher)
    client.force_login(publisher)
    client.post("/admin/two-factor/verify/", {"code": f"{totp(device.bin_key):06d}"})
    assert client.get("/admin/").status_code == 200

    call_command("reset_two_factor", "publisher")

    out = capsys.readouterr().out
    assert "已重置“publisher”的两步验证：删除验证器和恢复码 2 项，结束登录会话 1 个" in out
    assert not TOTPDevice.objects.filter(user=publisher).exists()
    assert not StaticDevice.objects.filter(user=publisher).exists()
    assert not StaticToken.objects.exists()
    # The session that had given its code is over: back to the password, then enrolment.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    client.force_login(publisher)
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/enrol/")

    entry = AuditEntry.objects.get(action="charity.two_factor.reset")
    assert entry.object_id == str(publisher.pk)
    assert entry.actor_label.startswith("命令行 reset_two_factor")
    assert entry.data == {"devices": 2, "sessions_ended": 1}
    assert entry.action_label == "重置两步验证"


def test_an_account_without_devices_is_told_so(publisher, capsys):
    call_command("reset_two_factor", "publisher")
    assert "“publisher”尚未开启两步验证，无需重置" in capsys.readouterr().out


def test_an_unknown_username_is_refused():
    with pytest.raises(CommandError, match="没有用户名为“nobody”的账号"):
        call_command("reset_two_factor", "nobody")
