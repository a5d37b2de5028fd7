"""The site shell's own pages: 联系我们, the public uploads, robots.txt, the favicon, the health
check. The home page is the publication layer's (campaigns/views/home.py)."""

import mimetypes
import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils._os import safe_join
from django.views.decorators.cache import cache_control, never_cache

from . import identity, images


@images.card("site")
def site_card(pk):
    """The share card of a page without one of its own (charity/templatetags/site.py)."""
    return images.Card(identity.current().full_name, ["慈善资讯 · 光荣榜 · 善款去向 · 信息公开"], "/")


def contact(request):
    """联系我们: address, hotlines, registration and donation accounts, all from the site identity
    (the context's `site`, charity/identity.py)."""
    return render(request, "charity/contact.html")


# Uploads meant for the public, by the folder their model stores them in: the site identity's emblem
# and QR code (site/), news pictures and attachments (news/), 信息公开's documents (open/). Nothing
# else under MEDIA_ROOT is served here: relief photos and the annual summaries have views that
# check what they serve, and job files live outside it.
PUBLIC_UPLOADS = ("site/", "news/", "open/")


@cache_control(max_age=86400, public=True)
def public_upload(request, path):
    """A public upload as stored (a stored file is never replaced: a new upload gets a new name)."""
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))  # normalised: "open/../x" is "x"
    except SuspiciousFileOperation as error:
        raise Http404("文件不存在") from error
    inside = full.relative_to(os.path.abspath(settings.MEDIA_ROOT)).as_posix()
    if not inside.startswith(PUBLIC_UPLOADS) or not full.is_file():
        raise Http404("文件不存在")
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    return FileResponse(full.open("rb"), content_type=content_type)


@cache_control(max_age=86400, public=True)
def robots_txt(request):
    # The look-up answers only exact questions; crawlers have no business asking any.
    lines = ["User-agent: *", f"Disallow: /{settings.ADMIN_URL}", "Disallow: /lookup/", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request):
    # Resolved per request: with the manifest storage of production, static() needs collectstatic,
    # which has not run when the URLconf is first imported (manage.py check, migrate).
    return HttpResponsePermanentRedirect(static("charity/favicon.svg"))


@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when the database and the cache answer, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any failure is the answer, not an error page
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        cache.set("healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: value not kept"
    except Exception as exc:
        checks["cache"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def server_error(request):
    """handler500: the site's own page with its name and hotlines, rendered without context
    processors (as Django's default is), from the identity when it can still be read, else its
    defaults: the error may be the database itself."""
    from .models import SiteIdentity

    try:
        site = identity.current()
    except Exception:  # whatever broke the page may break this too; the page must still render
        site = SiteIdentity()
    return HttpResponseServerError(loader.get_template("500.html").render({"site": site}))
