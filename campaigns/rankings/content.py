"""The candidates of a ranking edition, computed from the year's confirmed donations, and what it
publishes (a gift still under review is no candidate's: Donation.objects.public()).

Candidates come from the public-name query methods (`totals_by_donor`, `totals_by_sector`), so
an anonymous donor is a candidate as 爱心人士 with the amount still counted, and a donor's
anonymous gifts stay apart from their named ones. Staff review the candidates in the admin: an
entry can be excluded with a reason, and honours (慈善楷模 ...) are added by hand. Publishing
refreshes the amounts, keeps the decisions (entries are keyed by who they are), ranks with ties
ranked equally (1, 2, 2, 4) and freezes the result.
"""

from decimal import Decimal

from django.db import transaction

from charity import audit
from charity.money import plain_yuan
from charity.snapshots import SnapshotError
from donations.models import Donation, Donor

from .models import RankingCategory, RankingEntry

SCHEMA = 1
COMPANY_SECTOR = "民营企业"
# Candidates kept beyond a category's places, so an exclusion lets the next one move up.
RESERVE = 10
Kind = RankingCategory.Kind
DEFAULT_CATEGORIES = (
    (Kind.UNITS, "爱心单位榜", 30),
    (Kind.COMPANIES, "爱心企业榜", 20),
    (Kind.INDIVIDUALS, "爱心人士榜", 30),
    (Kind.SECTORS, "版块榜", 23),
    (Kind.HONOURS, "慈善楷模", 10),
)


def add_default_categories(edition):
    """The usual lists of an edition; staff can rename, resize, remove or add categories."""
    RankingCategory.objects.bulk_create(
        RankingCategory(edition=edition, kind=kind, name=name, size=size, order=order)
        for order, (kind, name, size) in enumerate(DEFAULT_CATEGORIES, start=1)
    )


def candidates(category, year):
    """[(key, values)] of a computed category, largest first, with every tie at the boundary."""
    donations = Donation.objects.public().for_year(year)
    if category.kind == Kind.SECTORS:
        rows = donations.filter(sector__isnull=False).totals_by_sector()
    else:
        if category.kind == Kind.INDIVIDUALS:
            donations = donations.filter(donor__kind=Donor.Kind.INDIVIDUAL)
        else:
            donations = donations.filter(donor__kind=Donor.Kind.UNIT)
        if category.kind == Kind.COMPANIES:
            donations = donations.filter(sector__name=COMPANY_SECTOR)
        rows = donations.totals_by_donor()
    limit = category.size + RESERVE
    found = list(rows[:limit])
    if len(found) == limit:  # everyone tied with the last one is a candidate too
        found = list(rows.filter(total__gte=found[-1]["total"]))
    if category.kind == Kind.SECTORS:
        return [
            (
                (None, False, r["sector_id"]),
                {"public_name": r["sector__name"], "amount": r["total"], "donations": r["donations"]},
            )
            for r in found
        ]
    return [
        (
            (r["donor_id"], r["shown_anonymous"], None),
            {"public_name": r["public_name"], "amount": r["total"], "donations": r["donations"]},
        )
        for r in found
    ]


def refresh(edition):
    """Bring every computed category's candidates up to date with the data, keeping decisions."""
    for category in edition.categories.exclude(kind=Kind.HONOURS):
        existing = {
            (e.donor_id, e.shown_anonymous, e.sector_id): e for e in category.entries.filter(computed=True)
        }
        new, changed = [], []
        for key, values in candidates(category, edition.year):
            entry = existing.pop(key, None)
            if entry is None:
                donor_id, anonymous, sector_id = key
                new.append(
                    RankingEntry(
                        category=category,
                        donor_id=donor_id,
                        shown_anonymous=anonymous,
                        sector_id=sector_id,
                        computed=True,
                        **values,
                    )
                )
            else:
                for field, value in values.items():
                    setattr(entry, field, value)
                changed.append(entry)
        RankingEntry.objects.bulk_create(new)
        RankingEntry.objects.bulk_update(changed, ["public_name", "amount", "donations"])
        # No longer among the candidates: dropped, unless staff decided something about them,
        # which is kept (without an amount, so it is not ranked).
        gone = list(existing.values())
        decided = [e.pk for e in gone if e.excluded or e.honour]
        RankingEntry.objects.filter(pk__in=decided).update(amount=None, donations=0)
        RankingEntry.objects.filter(pk__in=[e.pk for e in gone if e.pk not in decided]).delete()


def refresh_candidates(edition, user, *, action):
    if edition.is_published:
        raise SnapshotError(f"“{edition}”已发布，名单不再变化")
    with transaction.atomic(), audit.explicit():
        refresh(edition)
        counts = {c.name: c.entries.count() for c in edition.categories.all()}
        audit.record(action, edition, actor=user, data=counts)
    return counts


def check_publishable(edition):
    if not edition.categories.exists():
        raise SnapshotError("排行榜还没有类别，请先添加")


def refresh_and_freeze(edition):
    refresh(edition)
    return freeze(edition)


def freeze(edition):
    categories = [frozen_category(c) for c in edition.categories.prefetch_related("entries")]
    return {
        "schema": SCHEMA,
        "kind": "ranking",
        "number": edition.number,
        "number_label": edition.number_label,
        "year": edition.year,
        "title": str(edition),
        "categories": categories,
    }


def frozen_category(category):
    entries = [e for e in category.entries.all() if not e.excluded]
    if category.is_computed:
        ranked = [e for e in entries if e.computed and e.amount is not None]
        ranked.sort(key=lambda e: (-e.amount, e.public_name, e.pk))
        rows = [row for row in with_ranks(ranked) if row["rank"] <= category.size]
    else:
        rows = [{"rank": None, **entry_values(e)} for e in sorted(entries, key=lambda e: e.pk)]
    amounts = [Decimal(r["amount"]) for r in rows if r["amount"] is not None]
    return {
        "id": category.pk,
        "kind": category.kind,
        "name": category.name,
        "size": category.size,
        "entries": rows,
        "total": plain_yuan(sum(amounts, Decimal("0.00"))),
    }


def with_ranks(entries):
    """Competition ranking: equal amounts share a rank and the next rank skips (1, 2, 2, 4)."""
    rows, rank, previous = [], 0, None
    for position, entry in enumerate(entries, start=1):
        if entry.amount != previous:
            rank, previous = position, entry.amount
        rows.append({"rank": rank, **entry_values(entry)})
    return rows


def entry_values(entry):
    return {
        "name": entry.public_name,
        "amount": plain_yuan(entry.amount) if entry.amount is not None else None,
        "donations": entry.donations,
        "honour": entry.honour,
        "citation": entry.citation,
    }
