"""An honor-roll issue recomputed from the ledger now, for charity.publications to compare.

The issue is recomputed with the rules that published it (content.freeze) over the same gifts:
those its listings recorded. A gift entered later with a date before the cut-off is no drift of
this issue: no issue had listed it, and the next issue lists it (docs/staff/honor-rolls.md). A listed
gift whose amount, sector, donor or status changed, or that was deleted, is drift. The threshold
is the one the issue was published with, so a changed campaign setting does not count.
"""

import copy
from decimal import Decimal

from django.urls import reverse

from charity.publications import row_figures
from charity.snapshots import SnapshotError

from .content import freeze
from .models import HonorRollIssue


def published():
    return HonorRollIssue.objects.filter(status=HonorRollIssue.Status.PUBLISHED).select_related("campaign")


def url(issue):
    return reverse("campaigns:honor_roll", args=[issue.pk])


def figures(issue):
    """(figures as published, figures recomputed now) of a published issue."""
    published = issue.content
    # A copy, so the caller's campaign keeps the threshold it has now.
    issue = copy.copy(issue)
    issue.campaign = copy.copy(issue.campaign)
    issue.campaign.honor_roll_threshold = Decimal(published["threshold"])
    try:
        now = figures_of(freeze(issue))
    except SnapshotError as error:  # the totals no longer reconcile at all
        now = {"重新计算": error.message}
    return figures_of(published), now


def figures_of(content):
    figures = {"合计": Decimal(content["total"]), "笔数": content["donations"]}
    # The running total the issue printed (previous issue's plus its own) is wrong with its own
    # total, and the public reads it first: a correction must state it too.
    if "running_total" in content:
        figures["累计合计"] = Decimal(content["running_total"])
        figures["累计笔数"] = content["running_donations"]
    for sector in content["sectors"]:
        name = sector["name"]
        figures[f"{name}合计"] = Decimal(sector["total"])
        figures[f"{name}笔数"] = sector["donations"]
        figures.update(row_figures(f"{name}·单位", [(r["name"], r["amount"]) for r in sector["units"]]))
        figures.update(row_figures(f"{name}·个人", [(r["name"], r["amount"]) for r in sector["people"]]))
        figures[f"{name}·其他爱心人士人数"] = sector["others"]["count"]
        figures[f"{name}·其他爱心人士金额"] = Decimal(sector["others"]["amount"])
        figures.update(
            row_figures(f"{name}·职工", [(f"{r['unit']} {r['name']}", r["amount"]) for r in sector["staff"]])
        )
        figures.update(row_figures(f"{name}·更正", [(r["name"], r["amount"]) for r in sector["corrections"]]))
    return figures
