"""Enrol an authenticator, check a code, make recovery codes, reset: each in one transaction, and
enrolment, the use of a recovery code and a reset recorded in the audit trail."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ..audit import describe, explicit, record
from ..errors import UserError

ENROLLED = describe("charity.two_factor.enrolled", "开启两步验证")
RECOVERY_CODES_RENEWED = describe("charity.two_factor.recovery_codes", "重新生成恢复码")
RECOVERY_CODE_USED = describe("charity.two_factor.recovery_code_used", "使用恢复码登录")
RESET = describe("charity.two_factor.reset", "重置两步验证")

AUTHENTICATOR_NAME = "手机验证器"
RECOVERY_NAME = "恢复码"
RECOVERY_CODE_COUNT = 10
# 10 characters of a-z and 2-9 without look-alikes (0, 1, l, o): 32^10, about 50 bits, each; read
# out of a printout, so no 0/O or 1/l to tell apart.
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10


class TwoFactorError(UserError):
    """A refusal to show to the staff member as it is."""


@dataclass
class Verification:
    device: object = None  # the device that accepted the code, or None
    locked_until: datetime | None = None  # too many wrong codes: no code is checked before this


def new_secret():
    """A TOTP key (20 random bytes, hex) for an enrolment; the page keeps it until confirmed."""
    return random_hex(20)


def enrol(user, key, code):
    """Confirm an authenticator set up with `key` by one of its codes; returns its recovery codes.

    The device is created only now, so an enrolment page left half done leaves nothing behind.
    """
    totp = TOTP(bytes.fromhex(key), step=30, digits=6)
    if not _digits(code) or not totp.verify(int(code), tolerance=1):
        raise TwoFactorError("验证码不正确。请确认手机时间准确，并输入验证器当前显示的 6 位数字。")
    with transaction.atomic(), explicit():
        if TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update().exists():
            raise TwoFactorError("这个账号已经开启了两步验证。")
        TOTPDevice.objects.filter(user=user).delete()
        # last_t: the code just typed cannot be used again to sign in.
        device = TOTPDevice.objects.create(
            user=user, name=AUTHENTICATOR_NAME, key=key, confirmed=True, last_t=totp.t()
        )
        codes = _replace_recovery_codes(user)
        record(ENROLLED, user, data={"codes": len(codes)})
    return device, codes


def verify(user, code):
    """Check a 6-digit code against the account's authenticator, or anything else against its
    recovery codes (each works once). django-otp's throttling makes every wrong code double the
    wait before the next one is checked."""
    code = "".join(code.split()).replace("-", "").lower()
    kind = TOTPDevice if _digits(code) and len(code) == 6 else StaticDevice
    for device in kind.objects.devices_for_user(user, confirmed=True):
        allowed, why = device.verify_is_allowed()
        if not allowed:
            return Verification(locked_until=why.get("locked_until"))
        accepted = verify_token(user, device.persistent_id, code)
        if accepted is not None:
            if kind is StaticDevice:
                left = accepted.token_set.count()
                record(RECOVERY_CODE_USED, user, data={"codes_left": left})
            return Verification(device=accepted)
    return Verification()


def renew_recovery_codes(user):
    with transaction.atomic(), explicit():
        codes = _replace_recovery_codes(user)
        record(RECOVERY_CODES_RENEWED, user, data={"codes": len(codes)})
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(user):
    """Remove the account's authenticator and recovery codes and end its sessions: at its next
    login it enrols again (a lost or replaced phone). Returns (devices removed, sessions ended)."""
    with transaction.atomic(), explicit():
        devices = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
        devices += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
        sessions = end_sessions(user)
        record(RESET, user, data={"devices": devices, "sessions_ended": sessions})
    return devices, sessions


def end_sessions(user):
    """Delete the account's sessions (database sessions, the project's engine): a session already
    past its code would otherwise stay open, and could enrol a new phone itself."""
    from django.contrib.sessions.models import Session

    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0
    ended = 0
    # Only staff have sessions, so there are few; each must be decoded to see whose it is.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _replace_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _digits(code):
    return code.isascii() and code.isdigit()
