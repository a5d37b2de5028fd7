"""A released year report recomputed from the ledger now, for charity.publications to compare.

The frozen content keeps the headline figures as printed (publishing.HEADLINE, the same text as
the report); the same texts are made again from the ledger (narratives.placeholder_values) and
compared with them. Its correction is the year's next version with the reason (not an erratum):
the frozen content of a released version never changes.
"""

from django.urls import reverse

from . import narratives, publishing
from .models import YearReport


def published():
    """The latest released version of each year: what the public site serves."""
    years = YearReport.objects.filter(status=YearReport.Status.PUBLISHED).values_list("year", flat=True)
    for year in sorted(set(years)):
        yield publishing.latest(year)


def url(report):
    return reverse("campaigns:year_report_verify", args=[publishing.display_code(report.code)])


def figures(report):
    """(figures as published, figures now), each {label: text as printed}."""
    printed = report.content.get("headline", {})
    values = narratives.placeholder_values(report.year)
    return (
        {name: printed[name] for name in publishing.HEADLINE if name in printed},
        {name: values[name] for name in publishing.HEADLINE if name in printed},
    )


def correct(report, user, *, reason, text="", changes=()):
    """The year's next version, released with the reason (its figures come from the ledger)."""
    draft = publishing.new_draft(report.year, "\n".join(filter(None, [reason.strip(), text.strip()])))
    return publishing.release(draft, user)
