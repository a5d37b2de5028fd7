"""The released annual summary (served as the stored file) and its public verification page."""

from django.http import Http404
from django.shortcuts import redirect, render

from campaigns import services
from campaigns.annual_summary.figures import data_fingerprint, display_code, normalize_code
from campaigns.models import AnnualSummaryDocument
from charity.pdf import pdf_response


def annual_summary(request, year):
    """The summary staff released for `year`, exactly as stored: never rendered in the request."""
    document = services.released_document(year)
    if document is None:
        raise Http404(f"{year}年度总结尚未发布")
    return pdf_response(document)


def annual_summary_version(request, year, version):
    """An earlier (or the current) version of the year's summary, as released: a superseded
    version stays readable, its verification page saying it was replaced."""
    release = services.AnnualSummaryRelease.objects.filter(year=year, version=version).first()
    if release is None:
        raise Http404(f"{year}年度总结没有第{version}版")
    return pdf_response(release.document)


def summary_verify(request, code):
    """What anyone holding a printed or downloaded summary checks: its figures, and whether current."""
    document = AnnualSummaryDocument.objects.filter(code=normalize_code(code)).first()
    if document is None:
        from campaigns.annual_report.publishing import find

        if find(code) is not None:  # one verify address for both documents' codes
            return redirect("campaigns:year_report_verify", code)
        return render(request, "campaigns/summary_verify.html", {"code": code, "document": None}, status=404)
    own, superseded_by, release = services.supersession(document)
    context = {
        "code": display_code(document.code),
        "document": document,
        "headline": document.headline,
        "current": data_fingerprint(document.year) == document.fingerprint,
        "released": document.releases.exists(),
        "latest_release": release,
        # A released version replaced by a later one: its figures are void (the 2026 rules).
        "own_release": own,
        "superseded_by": superseded_by,
        "superseded_code": display_code(superseded_by.document.code) if superseded_by else "",
    }
    return render(request, "campaigns/summary_verify.html", context)
