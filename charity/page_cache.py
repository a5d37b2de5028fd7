"""Whole public pages kept in the cache and served before sessions, authentication and templates.

The public pages cache their figures (campaigns/selectors.py), yet every request still ran the
whole middleware chain and rendered its templates: 5–17 ms of server time a page
(bench/public_bench.py), a small fraction of a static file's rate under load
(bench/load_bench.sh). Every visitor sees the same public page, so the finished response is kept
and given to the next anonymous visitor until the public data changes.

What is kept: the answer to an anonymous GET or HEAD (no session cookie, so staff who are logged
in never get a cached page and never fill the cache) that is a 200, not streamed, sets no cookie,
does not vary on Cookie and does not forbid caching (`never_cache`: the look-up with its CSRF
token, /healthz). The admin is never cached.

When it is fresh: an entry is served only under the public-data version and on the day it was
built (the current campaign and "same day last year" follow the date). The version changes when a
transaction commits after a save or delete of any model of donations, campaigns or relief or of
an audit entry (every service records one, also those that write with update() or COPY and so
send no model signal), and when campaign figures are marked changed (campaigns/freshness.py).
Entries expire after PUBLIC_PAGE_CACHE_SECONDS anyway: a backstop for changes made outside the
application, such as SQL by hand or a deploy with new templates.

In MIDDLEWARE after SecurityMiddleware, which adds its headers (HSTS, nosniff, referrer policy)
to every response on the way out, cached or not, and before CSPMiddleware: its header is the same
for every page (the policy uses no nonces, which would rule out caching whole pages anyway), so it
is kept with the page and not built again for every request.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import has_vary_header

VERSION_KEY = "public-pages:version"
# The apps whose rows public pages show; charity's audit entries stand for every service's write.
PUBLIC_DATA_APPS = ("donations", "campaigns", "relief")
NOT_STORED = {"private", "no-cache", "no-store"}


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            return self.get_response(request)
        key = page_key(request)
        stamp, stored = current_stamp_and(key)
        if stored is not None and stored[0] == stamp:
            _, status, headers, content = stored
            return HttpResponse(content, status=status, headers=headers)
        response = self.get_response(request)
        if may_store(response):
            entry = (stamp, response.status_code, dict(response.items()), response.content)
            cache.set(key, entry, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response


def may_use_cache(request):
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith("/" + settings.ADMIN_URL)
    )


def may_store(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Set-Cookie") or has_vary_header(response, "Cookie"):
        return False
    directives = {d.split("=")[0].strip().lower() for d in response.get("Cache-Control", "").split(",")}
    return not directives & NOT_STORED


def page_key(request):
    # Scheme and host too: pages carry absolute URLs (og: tags, share links).
    url = request.build_absolute_uri()
    return "public-page:" + hashlib.sha256(url.encode()).hexdigest()


def current_stamp_and(key):
    """(public-data version and today's date, the stored entry or None), in one round trip."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:  # first request ever, or the cache was emptied
        version = secrets.token_hex(8)
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY)
    return (version, timezone.localdate().isoformat()), found.get(key)


def public_data_changed():
    """Every cached page is stale once the current transaction commits (at once outside one).

    Not earlier: a page built between the change and the commit still shows the old data, and
    must not be stored under the new version.
    """
    transaction.on_commit(_new_version)


def _new_version():
    cache.set(VERSION_KEY, secrets.token_hex(8), None)


def _row_changed(sender, **kwargs):
    public_data_changed()


def connect():
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import AuditEntry

    models = [m for label in PUBLIC_DATA_APPS for m in apps.get_app_config(label).get_models()]
    for model in [*models, AuditEntry]:
        uid = f"public-pages:{model._meta.label_lower}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_row_changed, sender=through, dispatch_uid=f"{uid}:{field.name}")
