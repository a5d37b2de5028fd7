"""Whole public pages kept in the cache and served before sessions, authentication and templates.

The public pages cache their figures (campaigns/selectors.py), yet every request still ran the
whole middleware chain and rendered its templates: 5–17 ms of server time a page
(bench/public_bench.py), 0.01–0.25 of a static file's rate under load (bench/load_bench.sh).
Every visitor sees the same public page, so the finished response is kept and given to the next
anonymous visitor until the public data changes.

What is kept: the answer to an anonymous GET or HEAD (no session cookie, so staff who are logged
in never get a cached page and never fill the cache) that is a 200, not streamed, sets no cookie,
does not vary on Cookie and does not forbid caching (`never_cache`: the look-up with its CSRF
token, /healthz). The admin is never cached.

Which page: the key is the scheme, host and path, and of the query string only the parameters
the page reads, declared on its view with `@reads_query("page", ...)` (none by default). Anything
else in the query string is dropped before the view runs, so the page cannot depend on it, and
it cannot make a copy of its own: 30 requests of /campaigns/1/?junk=N kept 30 copies of a 131 KB
page for 600 s each, so anyone could fill Redis and push real pages out of each process's memory.
A page must therefore read its parameters from request.GET (never QUERY_STRING or
get_full_path()).

When it is fresh: an entry is served only under the public-data version and on the day it was
built (the current campaign and "same day last year" follow the date), and for at most
PUBLIC_PAGE_CACHE_SECONDS (a backstop for changes made outside the application: SQL by hand, a
deploy with new templates). The version changes when a transaction commits after a save or delete
of any model of donations, campaigns or relief or of an audit entry (every service records one,
also those that write with update() or COPY and so send no model signal), and when campaign
figures are marked changed (campaigns/freshness.py).

Where: in the shared cache (Redis), so a page is built once for every worker, and in each
process's memory (the pages it served last), so that a page served again costs no round trip to
Redis: under load that round trip, not Django, was most of a cached page's time
(bench/load_bench.sh). Each process asks Redis for the version at most every
PUBLIC_PAGE_CACHE_CHECK_SECONDS: a change committed in the same process shows on its next
request, one made elsewhere (another worker, a command) within that time.

Without Redis (PUBLIC_PAGE_CACHE_SHARED off, the embedded default) each process keeps its pages
in its own memory only, and the version lives in the database (a row of StoredFigures): a
process's cache cannot hear of another's changes, but every process reads the database. Asked at
most every PUBLIC_PAGE_CACHE_CHECK_SECONDS, it costs one indexed query a second per process; the
embedded set-up ran each public view on every request before (home page warm p95 54 ms at
1,000,000 donations, bench/public_bench.py).

In MIDDLEWARE after SecurityMiddleware, which adds its headers (HSTS, nosniff, referrer policy)
to every response on the way out, cached or not, and before CSPMiddleware: its header is the same
for every page (the policy uses no nonces, which would rule out caching whole pages anyway), so it
is kept with the page and not built again for every request.
"""

import gzip
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import has_vary_header, patch_vary_headers

from . import stored

VERSION_KEY = "public-pages:version"
VERSION_SLOT = "public-pages:version"  # StoredFigures.slot, without a shared cache
NOT_STORED = {"private", "no-cache", "no-store"}
COMPRESSIBLE = ("text/", "application/json", "image/svg+xml")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Pages kept in each process's memory, the least recently served dropped first: about 10 MB for
# pages of 20 KB with their gzipped copy.
LOCAL_PAGES = 256


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            return self.get_response(request)
        request.GET = read_parameters(request)
        key = page_key(request)
        try:
            stamp = current_stamp()
        except DatabaseError:
            # Without Redis the version is a row of the database: before `migrate` has made its
            # table (a deploy's first minutes, a checkout's first command) pages are built
            # uncached rather than failing; the cache is a speed-up, never a condition.
            return self.get_response(request)
        shared = settings.PUBLIC_PAGE_CACHE_SHARED
        entry = local_pages.get(key)
        if not is_fresh(entry, stamp) and shared:
            entry = cache.get(key)
            if is_fresh(entry, stamp):
                local_pages.put(key, entry)
        if is_fresh(entry, stamp):
            return from_entry(entry, request)
        response = self.get_response(request)
        if not may_store(response):
            return response
        entry = make_entry(stamp, response)
        if shared:
            cache.set(key, entry, settings.PUBLIC_PAGE_CACHE_SECONDS)
        local_pages.put(key, entry)
        return from_entry(entry, request)


def is_fresh(entry, stamp):
    return (
        entry is not None
        and entry[0] == stamp
        and time.time() - entry[1] < settings.PUBLIC_PAGE_CACHE_SECONDS
    )


def make_entry(stamp, response):
    """(stamp, built at, status, headers, content, the content gzipped or None).

    Compressed once here rather than for every request: a phone on a slow network gets a sixth of
    the bytes (a 101 KB campaign page is 17 KB gzipped), and the server writes a sixth. Public
    pages hold no secret (no CSRF token, nothing personal), so compression reveals nothing
    (BREACH needs a secret next to the attacker's input).
    """
    patch_vary_headers(response, ["Accept-Encoding"])
    content = response.content
    compressible = response.get("Content-Type", "").startswith(COMPRESSIBLE)
    gzipped = None
    if compressible and len(content) >= 1024 and not response.has_header("Content-Encoding"):
        gzipped = gzip.compress(content, compresslevel=6, mtime=0)
    return (stamp, time.time(), response.status_code, dict(response.items()), content, gzipped)


def from_entry(entry, request):
    _, _, status, headers, content, gzipped = entry
    response = HttpResponse(content, status=status, headers=headers)
    if gzipped is not None and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response.content = gzipped
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(gzipped))
    return response


class LocalPages:
    """This process's most recently served pages (a gunicorn worker serves one request at a time;
    the lock is for threaded servers)."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


local_pages = LocalPages(LOCAL_PAGES)


class Version:
    """The public-data version as this process last read it from the shared cache, and when."""

    value = None
    read_at = float("-inf")


def may_use_cache(request):
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path_info.startswith("/" + settings.ADMIN_URL)
    )


def may_store(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(response, "stored_file", False):
        # A published document's file, already stored (charity/artifacts.py): read from disk for
        # each request at less cost than gzipping megabytes and copying them into Redis.
        return False
    if response.has_header("Set-Cookie") or has_vary_header(response, "Cookie"):
        return False
    directives = {d.split("=")[0].strip().lower() for d in response.get("Cache-Control", "").split(",")}
    return not directives & NOT_STORED


def reads_query(*names):
    """Declare the query parameters a public view reads; the cache keeps a page per their values."""

    def declare(view):
        view.page_cache_reads_query = frozenset(names)
        return view

    return declare


def read_parameters(request):
    """request.GET with only the parameters its view declared, sorted by name (so the order in
    which a link writes them makes no second copy); the values of each keep their order."""
    if not request.GET:
        return request.GET
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        view = None
    names = getattr(view, "page_cache_reads_query", frozenset())
    kept = QueryDict(mutable=True)
    for name in sorted(names & request.GET.keys()):
        kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    return kept


def page_key(request):
    # Scheme and host too: pages carry absolute URLs (og: tags, share links).
    url = request.build_absolute_uri(request.path) + "?" + request.GET.urlencode()
    return "public-page:" + hashlib.sha256(url.encode()).hexdigest()


def current_stamp():
    """(public-data version, today's date); the version read again at most every
    PUBLIC_PAGE_CACHE_CHECK_SECONDS."""
    now = time.monotonic()
    if Version.value is None or not 0 <= now - Version.read_at < settings.PUBLIC_PAGE_CACHE_CHECK_SECONDS:
        read = _read_shared_version if settings.PUBLIC_PAGE_CACHE_SHARED else _read_stored_version
        Version.value, Version.read_at = read(), now
    return (Version.value, timezone.localdate().isoformat())


def _read_shared_version():
    version = cache.get(VERSION_KEY)
    if version is None:  # first request ever, or the cache was emptied
        version = secrets.token_hex(8)
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY)
    return version


def _read_stored_version():
    version = stored.version_of(VERSION_SLOT)
    if version is None:  # first request ever: any stamp will do until the data changes
        version = secrets.token_hex(8)
        stored.keep(VERSION_SLOT, version, None)
    return version


def public_data_changed():
    """Every cached page is stale once the current transaction commits (at once outside one).

    Not earlier: a page built between the change and the commit still shows the old data, and
    must not be stored under the new version. Once per transaction: without Redis a new version
    is a write to the database, and a transaction may save many rows.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _new_version()
        return
    hooks, savepoints = connection.run_on_commit, set(connection.savepoint_ids)
    # The previous callback of this transaction, if at the same savepoint, does nothing: this
    # one, the last, writes for it (a savepoint rolled back takes both away). It stays in place,
    # as captureOnCommitCallbacks counts the callbacks a block added.
    previous = getattr(connection, "public_pages_hook", None)
    if previous is not None and previous[0] is hooks and previous[1] < len(hooks):
        registered_at, func, robust = hooks[previous[1]]
        if func is _new_version and registered_at == savepoints:
            hooks[previous[1]] = (registered_at, _superseded, robust)
    transaction.on_commit(_new_version)
    connection.public_pages_hook = (hooks, len(hooks) - 1)


def _new_version():
    version = secrets.token_hex(8)
    if settings.PUBLIC_PAGE_CACHE_SHARED:
        cache.set(VERSION_KEY, version, None)
    else:
        stored.keep(VERSION_SLOT, version, None)
    Version.value, Version.read_at = version, time.monotonic()


def _superseded():
    """A version change of the transaction that a later one in it replaced."""


def _row_changed(sender, **kwargs):
    public_data_changed()


def connect():
    """Audit entries stand for every service's write (the kernel's own part of watch())."""
    from .models import AuditEntry

    watch(AuditEntry)


def watch(*models):
    """Public pages show rows of `models`: a save or delete of one makes every cached page stale.
    The kernel names no app's models: each app whose rows public pages show calls this from its
    ready() (donations, campaigns, relief)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        uid = f"public-pages:{model._meta.label_lower}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_row_changed, sender=through, dispatch_uid=f"{uid}:{field.name}")
