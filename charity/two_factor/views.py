"""The two-factor pages, under the admin's address and wrapped in admin_view (staff only)."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import policy, services
from .forms import CodeForm, RecoveryCodeForm

ENROL_KEY_SESSION = "two_factor_enrol_key"
CODES_SESSION = "two_factor_recovery_codes"


def verify(request):
    """The second step of signing in: a code from the authenticator, or a recovery code."""
    device = policy.authenticator(request.user)
    if device is None or request.user.is_verified():
        policy.remember_step(request)  # reset meanwhile, or nothing owed: the next page says what
        return redirect(_next(request))
    form = CodeForm(request.POST if "code" in request.POST else None)
    recovery_form = RecoveryCodeForm(request.POST if "recovery_code" in request.POST else None)
    for submitted, field in ((form, "code"), (recovery_form, "recovery_code")):
        if submitted.is_valid():
            result = services.verify(request.user, submitted.cleaned_data[field])
            if result.device is not None:
                otp_login(request, result.device)
                return redirect(_next(request))
            submitted.add_error(field, _refusal(result, field))
    return _render(request, "admin/two_factor/verify.html", "两步验证", {
        "form": form, "recovery_form": recovery_form, "next": _next(request),
        "issuer": settings.OTP_TOTP_ISSUER,
    })  # fmt: skip


def enrol(request):
    """Set up an authenticator: scan the QR code (or type the key), confirm with one code."""
    if policy.authenticator(request.user) is not None:
        policy.remember_step(request)
        return redirect(_next(request))
    key = request.session.get(ENROL_KEY_SESSION) or services.new_secret()
    request.session[ENROL_KEY_SESSION] = key  # the same QR code on reload, until confirmed
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = services.enrol(request.user, key, form.cleaned_data["code"])
        except services.TwoFactorError as refusal:
            form.add_error("code", str(refusal))
        else:
            del request.session[ENROL_KEY_SESSION]
            otp_login(request, device)
            policy.remember_step(request)
            request.session[CODES_SESSION] = codes
            return _to_recovery_codes(request)
    device = TOTPDevice(user=request.user, key=key)  # unsaved: only to spell the app's link
    secret = b32encode(device.bin_key).decode()
    return _render(request, "admin/two_factor/enrol.html", "开启两步验证", {
        "form": form,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": policy.is_required_for(request.user),
        "next": _next(request),
    })  # fmt: skip


def recovery_codes(request):
    """The recovery codes just made, shown this once: the session forgets them as it shows them."""
    codes = request.session.pop(CODES_SESSION, None)
    if not codes:
        return redirect("two_factor")
    shown = [f"{code[:5]}-{code[5:]}" for code in codes]
    return _render(request, "admin/two_factor/recovery_codes.html", "恢复码", {
        "codes": shown, "next": _next(request),
    })  # fmt: skip


def status(request):
    """The account's two-factor settings: enrol, or make new recovery codes."""
    user = request.user
    return _render(request, "admin/two_factor/status.html", "两步验证", {
        "device": policy.authenticator(user),
        "codes_left": services.recovery_codes_left(user),
        "required": policy.is_required_for(user),
    })  # fmt: skip


@require_POST
def renew_recovery_codes(request):
    if not request.user.is_verified():  # only a session that gave a code may replace them
        messages.error(request, "请先用验证码完成两步验证。")
        return redirect("two_factor")
    request.session[CODES_SESSION] = services.renew_recovery_codes(request.user)
    return _to_recovery_codes(request)


def _to_recovery_codes(request):
    url = reverse("two_factor_recovery_codes")
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def _refusal(result, field):
    if result.locked_until is not None:
        until = timezone.localtime(result.locked_until)
        return f"错误次数过多，已暂停验证：请在 {time_format(until, 'H:i:s')} 之后再试。"
    if field == "recovery_code":
        return "恢复码不正确或已经用过。"
    return "验证码不正确。请输入验证器当前显示的 6 位数字；若一直不对，请检查手机时间是否准确。"


def _next(request):
    wanted = request.POST.get("next") or request.GET.get("next")
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("admin:index")


def _render(request, template, title, context):
    context = {
        **admin.site.each_context(request),
        "title": title,
        # Until the code is given, the header offers only 注销: every other link would come back here.
        "two_factor_pending": policy.pending_step(request) is not None,
        **context,
    }
    return TemplateResponse(request, template, context)
