from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from . import policy


class StaffTwoFactorMiddleware:
    """Every back-office address, the admin's JSON and autocomplete answers included, sends a
    session that still owes its second factor to the code page (or to enrolment); only logging in
    and out and the two-factor pages themselves stay open to it.

    A middleware rather than AdminSite.has_permission: that would answer with the login form,
    which the password has already passed, and custom admin views would each have to ask it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL
        self._open_paths = None

    def open_paths(self):
        if self._open_paths is None:  # the URLconf is not loaded yet when middleware is built
            names = [
                "admin:login",
                "admin:logout",
                "two_factor_verify",
                "two_factor_enrol",
                "two_factor_recovery_codes",
            ]
            self._open_paths = frozenset(reverse(name) for name in names)
        return self._open_paths

    def __call__(self, request):
        if request.path.startswith(self.prefix) and request.path not in self.open_paths():
            step = policy.pending_step(request)
            if step is not None:
                url = reverse(f"two_factor_{step}")
                return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
