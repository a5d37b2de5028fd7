"""光荣榜: a campaign's issues, one issue with its errata, its print layout, downloads and images."""

from django.db.models.fields.json import KT
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from charity import images
from charity.artifacts import CACHE_CONTROL
from charity.money import count, wan_with_yuan

from .. import services
from ..honor_rolls import sharing
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


def honor_roll(request, pk, template="campaigns/honor_roll.html"):
    issue = published_or_404(HonorRollIssue, pk)
    errata = errata_of(issue)

    def context():
        return {
            "issue": issue,
            "content": issue.content,
            "cut_off_label": sharing.cut_off_label(issue.content),
            "errata": errata,
            "share_pages": range(1, share_page_count(issue) + 1),
        }

    return cached_page(request, template, context, [issue.pk, issue.content_sha256, errata_key(errata)])


def honor_roll_print(request, pk):
    return honor_roll(request, pk, template="campaigns/honor_roll_print.html")


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
    return stored_file(request, published_or_404(HonorRollIssue, pk), f"png:{page}")


def share_page_count(issue):
    return len(images.paginate(sharing.share_lines(issue.content)))


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
