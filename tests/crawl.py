"""A crawl of every public page and download of the demo site, shared by the tests that read
what the public sees (privacy, the forms of numbers).

The crawl starts from "/" and from every URL pattern of the site (filling numeric parameters with
small ids and the demo's years), follows every link and image source it finds, and reads HTML,
CSV, JSON, SVG, xlsx (every XML part of the workbook) and PDF (pdftotext). It knows nothing about
any app in particular, so pages that apps add later are crawled too.
"""

import io
import itertools
import logging
import re
import shutil
import subprocess
import zipfile
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

MAX_PAGES = 4000
INT_CANDIDATES = (1, 2, 3, 2022, 2023, 2024)
STR_CANDIDATES = ("large", "small")
LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"'#]+)""", re.I)
# Binary formats whose text cannot be read; each must be a format that holds no text we write.
OPAQUE = ("image/png", "image/jpeg", "image/webp", "image/gif", "font/", "application/font")


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddemo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def pattern_urls():
    """A URL for every pattern of the site outside the back office, numeric parts filled in."""
    admin = "/" + settings.ADMIN_URL

    def walk(patterns, prefix):
        for entry in patterns:
            if not isinstance(entry.pattern, RoutePattern):
                continue  # regular-expression patterns (none public yet) cannot be filled in generically
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                yield route

    for route in walk(get_resolver().url_patterns, "/"):
        if route.startswith(admin):
            continue
        parts = re.split(r"(<[^>]+>)", route)
        choices = []
        for part in parts:
            if part.startswith("<"):
                kind = part[1:-1].split(":")[0] if ":" in part else "str"
                choices.append([str(v) for v in (INT_CANDIDATES if kind == "int" else STR_CANDIDATES)])
            else:
                choices.append([part])
        for combination in itertools.product(*choices):
            yield "".join(combination)


def crawl(client):
    # Filled-in patterns miss often (/relief/years/1/); Django logs each 404 as a warning.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        return _crawl(client)
    finally:
        request_log.setLevel(level)


def _crawl(client):
    admin = "/" + settings.ADMIN_URL
    queue = ["/", *pattern_urls()]
    seen, pages = set(), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=False)
        if response.status_code in (301, 302) and response.get("Location"):
            queue.append(urljoin(url, response["Location"]))
            continue
        if response.status_code != 200:
            continue
        text = readable(url, response)
        pages[url] = text
        for link in LINK.findall(text):
            target = urlsplit(urljoin(url, unescape(link)))
            if target.netloc not in ("", "testserver") or target.scheme not in ("", "http", "https"):
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if not path.startswith((admin, settings.STATIC_URL)):
                queue.append(path)
    return pages


def readable(url, response):
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type or url.endswith((".xlsx", ".docx")):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    if "pdf" in content_type:
        assert shutil.which("pdftotext"), f"{url}: PDF 无法读取（需要 pdftotext）"
        return subprocess.run(
            ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
        ).stdout.decode()
    if content_type.startswith(OPAQUE):
        return ""
    return body.decode("utf-8-sig", "replace")
