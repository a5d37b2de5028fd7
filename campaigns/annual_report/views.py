"""The released year report in public: its files as stored, and its verification page."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from charity import artifacts

from ..annual_summary.figures import display_code
from . import publishing
from .models import YearReport

FORMATS = {"pdf": "pdf", "word": "docx"}


def year_report(request, year, fmt="pdf"):
    """The latest released version of `year`, as stored (never rendered in the request)."""
    report = publishing.latest(year)
    if report is None:
        raise Http404(f"{year}年度工作报告尚未发布")
    return _serve(request, report, fmt)


def year_report_version(request, year, version, fmt="pdf"):
    """An earlier (or the current) version, as released: a superseded one stays readable."""
    report = YearReport.objects.filter(year=year, version=version, status=YearReport.Status.PUBLISHED).first()
    if report is None:
        raise Http404(f"{year}年度工作报告没有第{version}版")
    return _serve(request, report, fmt)


def _serve(request, report, fmt):
    if fmt not in FORMATS:
        raise Http404("没有这种格式")
    try:
        return artifacts.serve(request, report, FORMATS[fmt], render_missing=False)
    except artifacts.NotRendered:
        # Rendering takes seconds: the worker does it right after the release. The visitor waits
        # a moment rather than making the site render it for them.
        context = {"report": report}
        response = render(request, "campaigns/year_report_pending.html", context, status=503)
        response["Retry-After"] = "30"
        return response


def year_report_verify(request, code):
    """What anyone holding a printed or downloaded report checks: its figures, whether current,
    and how it was made."""
    report = publishing.find(code)
    if report is None:
        return render(
            request, "campaigns/year_report_verify.html", {"code": code, "report": None}, status=404
        )
    replaced = publishing.superseded_by(report)
    context = {
        "code": display_code(report.code),
        "report": report,
        # In the report's order (PostgreSQL's jsonb keeps no key order).
        "headline": [
            (name, report.content["headline"][name])
            for name in publishing.HEADLINE
            if name in report.content.get("headline", {})
        ],
        "correction": report.content.get("correction"),
        "published_on": timezone.localtime(report.published_at),
        "superseded_by": replaced,
        "superseded_code": display_code(replaced.code) if replaced else "",
        "pdf_url": reverse("campaigns:year_report_version", args=[report.year, report.version]),
        "word_url": reverse("campaigns:year_report_version_file", args=[report.year, report.version, "word"]),
    }
    return render(request, "campaigns/year_report_verify.html", context)


def released_documents():
    """The latest released version of each year, as documents of 信息公开
    (relief/organisation/documents.py; registered by CampaignsConfig.ready())."""
    from relief.models import StatutoryFiling
    from relief.organisation.documents import Document

    latest = {}
    for report in YearReport.objects.filter(status=YearReport.Status.PUBLISHED).order_by("year", "version"):
        latest[report.year] = report
    return [
        Document(
            group=StatutoryFiling.Kind.ANNUAL_WORK.label,
            title=f"{year}年度工作报告" + (f"（第{report.version}版）" if report.version > 1 else ""),
            year=year,
            published_on=timezone.localdate(report.published_at),
            url=reverse("campaigns:year_report", args=[year]),
        )
        for year, report in latest.items()
    ]
