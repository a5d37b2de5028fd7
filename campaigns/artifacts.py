"""The files of honor-roll issues and ranking editions, rendered when they are published.

Registered with charity.artifacts (CampaignsConfig.ready()): the worker renders them after a
publication or an erratum, and the public views serve them as stored. Every file is made from
the frozen content and the errata only, so it is the same whoever asks and whenever; links in
them (the JSON's `url`, the share images' address) point at SITE_URL, as the PDF's QR code does.
The worker also renders the documents' pages for SITE_URL's host and keeps them (cached_page), so
the first visitor after a publication does not wait for tens of thousands of names to be laid out.
"""

import hashlib
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone

from charity import artifacts, images
from charity.artifacts import Rendered
from charity.snapshots import erratum_rows
from charity.spreadsheets import WRITER_VERSION, csv_document, json_document

from . import services
from .honor_rolls import browsing
from .honor_rolls import sharing as honor_roll_sharing
from .honor_rolls.pdf import LAYOUT_VERSION
from .models import HonorRollIssue, RankingEdition
from .rankings import sharing as ranking_sharing

# Bump when what the files look like changes without their content changing (a new image
# layout): stored files of the old version are then rendered again.
FILES_VERSION = 2  # 2: one share image per sector, the print page a stored file


def version(document):
    """What a document's files depend on: its content, its errata and the writers' versions."""
    parts = {
        "content": document.content_sha256,
        "errata": [e.pk for e in document.errata.all()],
        "writers": [FILES_VERSION, WRITER_VERSION, LAYOUT_VERSION],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def site_url(name, *args):
    return settings.SITE_URL + reverse(name, args=args)


class SiteRequest(HttpRequest):
    """A visitor's GET of a page of SITE_URL: what the worker renders a page for, so that the
    page kept for that host (campaigns/views/published.py cached_page) is the one visitors get."""

    def __init__(self, path):
        super().__init__()
        site = urlsplit(settings.SITE_URL)
        self.method = "GET"
        self.path = self.path_info = path
        self.site_scheme = site.scheme or "http"
        port = site.port or (443 if self.site_scheme == "https" else 80)
        self.META = {"HTTP_HOST": site.netloc, "SERVER_NAME": site.hostname or "", "SERVER_PORT": str(port)}

    def _get_scheme(self):
        return self.site_scheme


def render_pages(views):
    """Render and keep the pages [(view, args)] as a visitor of SITE_URL would get them; their
    first visitor after the publication then reads them instead of waiting (seconds for an issue
    of 100,000 gifts). Nothing is a file of its own: the pages are kept by cached_page."""
    for name, view, args in views:
        view(SiteRequest(reverse(name, args=args)), *args)
    return []


def json_body(document, url):
    """The open-data JSON of a published honor roll or ranking (docs/staff/open-data.md)."""
    data = {
        "url": url,
        "published_at": timezone.localtime(document.published_at).isoformat(),
        "content_sha256": document.content_sha256,
        "content": document.content,
        "errata": [erratum.public_dict() for erratum in document.errata.all()],
    }
    return json_document(data).encode()


def csv_body(header, rows, errata=()):
    """The rows, then the published corrections (charity.snapshots.erratum_rows)."""
    return csv_document([header, *rows, *erratum_rows(errata)]).encode()


# Honor-roll issues ----------------------------------------------------------------------------


def honor_roll_basename(issue):
    return f"honor-roll-{issue.campaign_id}-{issue.number}"


def honor_roll_pdf(issue):
    # Stored as HonorRollPdf (one per errata key, with its page count): rendered here so that no
    # visitor waits for it; the view serves it from there.
    services.honor_roll_pdf(issue)
    return []


def honor_roll_pages(issue):
    """The issue's page, every page of every sector's list, and what the pages look up without
    loading the content (its sectors' page counts, the search index): kept for its first
    visitors (campaigns/views/honor_rolls.py)."""
    from .views import honor_rolls

    honor_rolls.issue_outline(issue)
    render_pages([("campaigns:honor_roll", honor_rolls.honor_roll, [issue.pk])])
    for number, sector in enumerate(issue.content["sectors"], start=1):
        for page in range(1, browsing.page_count(sector) + 1):
            request = SiteRequest(reverse("campaigns:honor_roll", args=[issue.pk]))
            request.GET = QueryDict(f"sector={number}" + (f"&page={page}" if page > 1 else ""))
            honor_rolls.honor_roll(request, issue.pk)
    return []


def honor_roll_search_index(issue):
    """What the issue's search looks through (campaigns/honor_rolls/browsing.py): a file, as a
    2 MB index of 45,000 rows read back from the database after a flush took 80-120 ms."""
    body = browsing.search_index(issue.content).encode()
    return [Rendered("search", f"{honor_roll_basename(issue)}-search.txt", body)]


def honor_roll_print(issue):
    """The whole issue for printing, one page of 4 MB for 100,000 gifts: a stored file, since
    reading it back from the kept pages took 150 ms (bench/public_bench.py)."""
    from .views import honor_rolls

    body = honor_rolls.print_page(issue).encode()
    return [Rendered("print", f"{honor_roll_basename(issue)}-print.html", body)]


def honor_roll_csv(issue):
    rows = honor_roll_sharing.csv_rows(issue.content)
    body = csv_body(honor_roll_sharing.CSV_HEADER, rows, issue.errata.all())
    return [Rendered("csv", f"{honor_roll_basename(issue)}.csv", body)]


def honor_roll_json(issue):
    body = json_body(issue, site_url("campaigns:honor_roll", issue.pk))
    return [Rendered("json", f"{honor_roll_basename(issue)}.json", body)]


def honor_roll_pngs(issue):
    """One share image per sector, `png:N` for the issue's Nth sector; its QR code opens the
    sector's page."""
    content = issue.content
    name = honor_roll_basename(issue)
    rendered = []
    for number, sector in enumerate(content["sectors"], start=1):
        url = site_url("campaigns:honor_roll", issue.pk) + f"?sector={number}"
        lines = honor_roll_sharing.sector_share_lines(content, sector)
        subtitle = honor_roll_sharing.cut_off_label(content)
        png = images.render_page(content["title"], subtitle, lines, url, 1, 1)
        rendered.append(Rendered(f"png:{number}", f"{name}-share-{number}.png", png))
    return rendered


# Ranking editions -----------------------------------------------------------------------------


def ranking_basename(edition):
    return f"ranking-{edition.number}-{edition.year}"


def ranking_pages(edition):
    from .views import rankings

    categories = [c["id"] for c in edition.content["categories"]]
    return render_pages(
        [
            ("campaigns:ranking", rankings.ranking, [edition.pk]),
            *[("campaigns:ranking_category", rankings.ranking_category, [edition.pk, c]) for c in categories],
        ]
    )


def ranking_csv(edition):
    rows = ranking_sharing.csv_rows(edition.content)
    body = csv_body(ranking_sharing.CSV_HEADER, rows, edition.errata.all())
    return [Rendered("csv", f"{ranking_basename(edition)}.csv", body)]


def ranking_json(edition):
    body = json_body(edition, site_url("campaigns:ranking", edition.pk))
    return [Rendered("json", f"{ranking_basename(edition)}.json", body)]


def ranking_pngs(edition):
    content = edition.content
    rendered = []
    for category in content["categories"]:
        pages = images.render_pages(
            f"{content['title']} · {category['name']}",
            f"{content['number_label']} · {content['year']}年度",
            ranking_sharing.share_lines(content, category),
            site_url("campaigns:ranking_category", edition.pk, category["id"]),
        )
        name = f"{ranking_basename(edition)}-{category['id']}"
        rendered += [
            Rendered(f"png:{category['id']}:{n}", f"{name}-share-{n}.png", page)
            for n, page in enumerate(pages, start=1)
        ]
    return rendered


def register():
    artifacts.register(
        HonorRollIssue,
        version=version,
        groups={
            "pdf": honor_roll_pdf,
            "csv": honor_roll_csv,
            "json": honor_roll_json,
            "png": honor_roll_pngs,
            "print": honor_roll_print,
            "search": honor_roll_search_index,
            "pages": honor_roll_pages,
        },
        inline=("json", "png", "print"),
    )
    artifacts.register(
        RankingEdition,
        version=version,
        groups={"csv": ranking_csv, "json": ranking_json, "png": ranking_pngs, "pages": ranking_pages},
        inline=("json", "png"),
    )
