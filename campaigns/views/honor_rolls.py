"""光荣榜: a campaign's issues, one issue with its errata, its print layout, downloads and images."""

import threading
from collections import OrderedDict

from django.db.models.fields.json import KT
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from charity import artifacts, identity, images, stored
from charity.artifacts import CACHE_CONTROL
from charity.money import count, wan_with_yuan
from charity.page_cache import reads_query

from .. import services
from ..honor_rolls import browsing, sharing
from ..models import Campaign, HonorRollIssue
from .published import cached_page, errata_key, errata_of, published_or_404, stored_file


def honor_roll_list(request, campaign_id):
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    issues = (
        campaign.honor_roll_issues.filter(status=HonorRollIssue.Status.PUBLISHED)
        .order_by("number")
        .values("pk", "number", "cut_off", "published_at")
        .annotate(
            total=KT("content__total"),
            donations=KT("content__donations"),
            running_total=KT("content__running_total"),
            title=KT("content__title"),
            number_label=KT("content__number_label"),
        )
    )
    return render(request, "campaigns/honor_roll_list.html", {"campaign": campaign, "issues": issues})


# Bump when the issue's pages change without their content changing (a new template): the pages
# kept in the database (cached_page) are keyed by the content, so a deploy would otherwise serve
# the pages of published issues as they were laid out before. 2: sector index, paged sectors.
PAGES_VERSION = "layout-2"


@reads_query("sector", "page", "q")
def honor_roll(request, pk):
    """The issue's page (a sector index and each sector's first names), a sector's whole list
    page by page (?sector=N&page=P), or a search of its names (?q=): campaigns/honor_rolls/browsing.py."""
    issue = published_or_404(HonorRollIssue, pk)
    errata = errata_of(issue)
    if "q" in request.GET:
        return honor_roll_search(request, issue, errata)
    if "sector" in request.GET or "page" in request.GET:
        return honor_roll_sector(request, issue, errata)

    def context():
        content = issue.content
        return {
            **issue_context(issue, content, errata),
            "sectors": browsing.sector_previews(content),
        }

    key = [issue.pk, issue.content_sha256, errata_key(errata), PAGES_VERSION]
    return cached_page(request, "campaigns/honor_roll.html", context, key)


def honor_roll_sector(request, issue, errata):
    number = browsing.parse_number(request.GET.get("sector"))
    page = browsing.parse_number(request.GET.get("page", "1"))
    # Checked against the issue's outline, not its content: a made-up address costs no loading
    # of megabytes of JSON.
    sectors = issue_outline(issue)["sectors"]
    if number is None or page is None or number > len(sectors) or page > sectors[number - 1]["pages"]:
        raise Http404("本期没有这个版块或这一页")

    def context():
        content = issue.content
        return {**issue_context(issue, content, errata), "view": browsing.sector_page(content, number, page)}

    key = [issue.pk, issue.content_sha256, errata_key(errata), PAGES_VERSION, f"sector-{number}-{page}"]
    return cached_page(request, "campaigns/honor_roll_sector.html", context, key)


def honor_roll_search(request, issue, errata):
    """Searched in the issue's index, kept beside its pages; every search is a page of its own,
    so none is kept in the whole-page cache (anyone could fill it with made-up words)."""
    query = browsing.clean_query(request.GET.get("q", ""))
    result = browsing.search(issue_search_index(issue), query) if query else None
    outline = issue_outline(issue)
    context = {
        "issue": issue,
        "issue_url": reverse("campaigns:honor_roll", args=[issue.pk]),
        "content": outline,
        "index": with_share_urls(issue, outline["sectors"]),
        "cut_off_label": sharing.cut_off_label(outline),
        "errata": errata,
        "query": query,
        "result": result,
    }
    response = render(request, "campaigns/honor_roll_search.html", context)
    add_never_cache_headers(response)
    return response


def issue_context(issue, content, errata):
    return {
        "issue": issue,
        "issue_url": reverse("campaigns:honor_roll", args=[issue.pk]),
        "content": content,
        "index": with_share_urls(issue, browsing.outline(content)["sectors"]),
        "cut_off_label": sharing.cut_off_label(content),
        "errata": errata,
    }


def with_share_urls(issue, sectors):
    """The sectors, each with its share image's address: reverse() once, not once a sector (the
    search page, built for every search, spent a third of its time in reverse())."""
    placeholder = 2**31 - 1
    address = reverse("campaigns:honor_roll_png", args=[issue.pk, placeholder])
    return [{**s, "share_url": address.replace(str(placeholder), str(s["number"]))} for s in sectors]


def issue_outline(issue):
    return stored.get_or_compute(
        f"honor-roll-outline:{issue.pk}", issue.content_sha256, lambda: browsing.outline(issue.content)
    )


# The search indexes of the issues searched last, in this process's memory: a 100,000-gift
# issue's is 45,000 rows (2 MB), a file stored when the issue was published (campaigns/artifacts.py),
# and reading it for every search would cost more than the search itself.
SEARCHED_ISSUES = OrderedDict()
SEARCHED_ISSUES_KEPT = 4
searched_issues_lock = threading.Lock()


def issue_search_index(issue):
    key = (issue.pk, issue.content_sha256)
    with searched_issues_lock:
        index = SEARCHED_ISSUES.get(key)
        if index is not None:
            SEARCHED_ISSUES.move_to_end(key)
            return index
    index = artifacts.read(issue, "search").decode()
    with searched_issues_lock:
        SEARCHED_ISSUES[key] = index
        while len(SEARCHED_ISSUES) > SEARCHED_ISSUES_KEPT:
            SEARCHED_ISSUES.popitem(last=False)
    return index


def honor_roll_print(request, pk):
    """The whole issue for printing: rendered by the worker when the issue or an erratum was
    published, served as a stored file (campaigns/artifacts.py)."""
    return stored_file(request, published_or_404(HonorRollIssue, pk), "print")


def print_page(issue):
    errata = errata_of(issue)
    context = {"site": identity.current(), **issue_context(issue, issue.content, errata)}
    return render_to_string("campaigns/honor_roll_print.html", context)


def honor_roll_pdf(request, pk):
    """The issue as an A4 PDF, its errata included: rendered by the worker when the issue or an
    erratum was published, served as stored (rendered here only if missing: services)."""
    issue = published_or_404(HonorRollIssue, pk)
    stored = services.honor_roll_pdf(issue)
    response = FileResponse(stored.pdf.open("rb"), content_type="application/pdf", filename=stored.filename)
    response["ETag"] = f'"{stored.key}"'
    response["Cache-Control"] = CACHE_CONTROL
    return response


def honor_roll_csv(request, pk):
    return stored_file(request, published_or_404(HonorRollIssue, pk), "csv")


def honor_roll_json(request, pk):
    return stored_file(request, published_or_404(HonorRollIssue, pk), "json")


def honor_roll_png(request, pk, page):
    """The share image of the issue's sector number `page`."""
    return stored_file(request, published_or_404(HonorRollIssue, pk), f"png:{page}")


@images.card("honor_roll")
def honor_roll_card(pk):
    # Only the figures the card shows, read from the frozen content by the database: loading the
    # whole content of a 100,000-gift issue (megabytes of JSON) took 0.4 s a card.
    content = (
        HonorRollIssue.objects.filter(pk=pk, status=HonorRollIssue.Status.PUBLISHED)
        .values("content_sha256")
        .annotate(
            title=KT("content__title"),
            cut_off=KT("content__cut_off"),
            total=KT("content__total"),
            donations=KT("content__donations"),
            running_total=KT("content__running_total"),
        )
        .first()
    )
    if content is None:
        return None
    return images.Card(
        content["title"],
        [
            sharing.cut_off_label(content),
            f"本期 {wan_with_yuan(content['total'])}",
            f"{count(int(content['donations']))} 笔",
            f"累计 {wan_with_yuan(content['running_total'])}",
        ],
        reverse("campaigns:honor_roll", args=[pk]),
        version=content["content_sha256"],
    )


@images.card("honor_rolls")
def honor_roll_list_card(pk):
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        return None
    return images.Card(
        f"{campaign.name}光荣榜",
        ["每期光荣榜：单位、爱心人士和累计捐款"],
        reverse("campaigns:honor_roll_list", args=[pk]),
    )
