"""A ranking edition recomputed from the ledger now, for charity.publications to compare.

Each computed category is ranked again from the year's confirmed gifts (content.candidates), with
the size it was published with and without the entries staff excluded, by the same rule (ties
share a rank; everyone ranked within the size is listed). Honours are added by hand, not
computed from the ledger, and are not compared.
"""

from decimal import Decimal

from django.urls import reverse

from charity.publications import row_figures

from .content import candidates
from .models import RankingCategory, RankingEdition, RankingEntry


def published():
    return RankingEdition.objects.filter(status=RankingEdition.Status.PUBLISHED)


def url(edition):
    return reverse("campaigns:ranking", args=[edition.pk])


def figures(edition):
    """(figures as published, figures recomputed now) of a published edition."""
    published, now = {}, {}
    for category in edition.content["categories"]:
        if category["kind"] == RankingCategory.Kind.HONOURS:
            continue
        name = category["name"]
        rows = [(e["name"], e["amount"]) for e in category["entries"] if e["amount"] is not None]
        published.update(category_figures(name, rows))
        now.update(category_figures(name, ranked_now(category, edition.year)))
    return published, now


def category_figures(name, rows):
    return {
        f"{name}合计": sum((Decimal(amount) for _, amount in rows), Decimal("0.00")),
        f"{name}上榜数": len(rows),
        **row_figures(name, rows),
    }


def ranked_now(category, year):
    """[(name, amount)] the category lists if ranked from the data now."""
    excluded = set(
        RankingEntry.objects.filter(category_id=category["id"], excluded=True).values_list(
            "donor_id", "shown_anonymous", "sector_id"
        )
    )
    computed = RankingCategory(kind=category["kind"], size=category["size"])
    rows = sorted(
        (values["amount"], values["public_name"])
        for key, values in candidates(computed, year)
        if key not in excluded
    )
    rows.reverse()
    listed, rank, previous = [], 0, None
    for position, (amount, name) in enumerate(rows, start=1):
        if amount != previous:
            rank, previous = position, amount
        if rank > category["size"]:
            break
        listed.append((name, amount))
    return listed
