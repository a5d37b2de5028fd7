"""The site shell's own pages: 联系我们, robots.txt, the favicon, the health check. The home page is
the publication layer's (campaigns/views/home.py)."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache

from . import identity


def contact(request):
    """联系我们: address, hotlines, registration and donation accounts, all from the site identity
    (the context's `site`, charity/identity.py)."""
    return render(request, "charity/contact.html")


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
