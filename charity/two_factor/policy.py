"""Who owes a second factor, and what this session still owes.

A session's step is worked out at login (user_logged_in) and kept in the session, so the back
office's pages cost no query for it:

- NONE: nothing to do: the account has no authenticator, and its roles do not require one here;
- VERIFY: the account has an authenticator; the session must give one of its codes;
- ENROL: the account's roles require an authenticator where it is required
  (settings.STAFF_TWO_FACTOR_REQUIRED) and it has none yet.

Whoever has enrolled is asked for a code wherever they sign in, required or not: an authenticator
that could be skipped would protect nothing.
"""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..roles import TWO_FACTOR_ROLES

STEP_KEY = "two_factor_step"
NONE, VERIFY, ENROL = "none", "verify", "enrol"


def is_required_for(user):
    """Whether this account must enrol here: a superuser or a member of a role that requires it."""
    if not (settings.STAFF_TWO_FACTOR_REQUIRED and user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name__in=TWO_FACTOR_ROLES).exists()


def authenticator(user):
    """The account's confirmed TOTP device, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def step_for(user):
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return VERIFY
    return ENROL if is_required_for(user) else NONE


def remember_step(request, user=None):
    """Work out the session's step again (after login, enrolment or a reset) and keep it."""
    step = step_for(user or request.user)
    request.session[STEP_KEY] = step
    return step


def pending_step(request):
    """VERIFY or ENROL while this session still owes a second factor, else None."""
    user = request.user
    if not user.is_authenticated:
        return None
    step = request.session.get(STEP_KEY)
    if step is None:  # a session from before two-factor sign-in existed
        step = remember_step(request)
    if step == NONE or user.is_verified():
        return None
    return step


def remember_step_on_login(sender, request, user, **kwargs):
    """user_logged_in: a new login owes what its account owes (the login page itself and
    client.force_login in tests alike)."""
    if request is not None and hasattr(request, "session"):
        remember_step(request, user)
