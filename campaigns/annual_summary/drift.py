"""A released annual summary recomputed from the ledger now, for charity.publications to compare.

The stored document keeps its headline figures as printed (AnnualSummaryDocument.headline); the
figures of the year are computed again (summary.annual_summary) and compared with them. The data
fingerprint is not compared: it also covers what was published and relief, which may rightly
change after the release; only the printed figures are drift.
"""

from decimal import Decimal

from django.urls import reverse

from ..models import AnnualSummaryRelease
from .figures import annual_summary


def published():
    """The document the public site serves for each year (the latest release of the year)."""
    years = AnnualSummaryRelease.objects.values_list("year", flat=True).distinct()
    for year in sorted(set(years)):
        release = AnnualSummaryRelease.objects.filter(year=year).select_related("document").first()
        yield release.document


def url(document):
    return reverse("campaigns:annual_summary", args=[document.year])


def figures(document):
    """(figures as published, figures recomputed now) of a released summary."""
    headline = document.headline
    published = {
        "募集总额": Decimal(headline["total_yuan"].replace(",", "")),
        "参与单位": headline["units"],
        "参与人数": headline["head_count"],
    }
    summary = annual_summary(document.year)
    now = {"募集总额": summary.total, "参与单位": summary.units, "参与人数": summary.head_count}
    return published, now
