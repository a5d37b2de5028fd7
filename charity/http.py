"""Small request helpers shared by every app."""

from django.conf import settings


def client_address(request, *args, **kwargs):
    """The visitor's address: REMOTE_ADDR, or behind nginx the last hop it appended.

    Used by the look-up's rate limit and by the login lockout (AXES_CLIENT_IP_CALLABLE, which
    passes extra arguments). Only with TRUST_X_FORWARDED_FOR=1, set when a proxy that overwrites
    the header sits in front; otherwise anyone could pick their own address.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
