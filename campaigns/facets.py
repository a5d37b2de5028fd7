"""The donation list's sum for one filter's value, from a table kept per campaign (CampaignFacet).

A filter that selects most of ten years' gifts (已确认, 个人 as sector or as donor kind, not
anonymous, no branch) was summed by reading those 600,000 to 990,000 rows on every page: 0.3-0.5 s
(bench/admin_bench.py). The list's filters are few and their values fixed, so each campaign's
figures per value of a filter are computed once, in one GROUP BY over that campaign's gifts, when a
list filtered by it is asked for after the campaign changed; they are stamped with the campaign's
`figures_changed_at` as the rollups are (campaigns/rollups.py), and a list filtered by one value,
in one campaign or over all of them, adds up a handful of rows.

Only the exact selection is read from the table: `selection_of` compares the list's SQL with the SQL
of the plain filter, so a second filter, a search, a date or a liaison's scope means the list is
summed live. Distinct units and people add up only within a campaign: over several campaigns the
sum leaves them out (None), as the live sum does.
"""

from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db.models import Q

from donations.models import Donation, Donor

from .models import Campaign, CampaignFacet, CampaignFigures

ALL = "all"  # every campaign
# What a recomputation writes: every field of the kept figures.
KEPT = [field.name for field in CampaignFigures._meta.fields]

# Each filter of the donation list: the column its values are grouped by (None: an expression).
COLUMNS = {
    "status": "status",
    "sector": "sector_id",
    "branch": "branch_id",
    "channel": "channel",
    # 到账方式: nearly every gift is 总会账户, so the live sum read ~990,000 rows (0.3 s, #21).
    "route": "route",
    "anonymous": "anonymous",
    "batch": "batch_id",
    "donor_kind": None,
}


def restricted(donations, facet, value):
    """`donations` of one value of a filter, as the list's filter selects them (None: no sector,
    no branch, no batch); all of them without a filter (facet None)."""
    if facet is None:
        return donations
    if facet == "donor_kind":
        return donations.by_donor_kind(value)
    column = COLUMNS[facet]
    return donations.filter(**({f"{column}__isnull": True} if value is None else {column: value}))


def selection_of(donations):
    """(campaign id or ALL, facet, value) when `donations` selects exactly every donation or one
    campaign's (facet and value None), or the donations of one value of one filter in either;
    else None.

    Decided by comparing the query's SQL with the plain selection's, so any other condition (a
    second filter, a search, a date, a user who may see only some donations) means None: kept
    figures are used only where they are the answer.
    """

    def sql(queryset):
        return str(queryset.order_by().values("pk").query)

    try:
        selected = sql(donations)
    except EmptyResultSet:  # a search that found nothing, for instance
        return None
    children = donations.query.where.children
    if len(children) > 2:
        return None
    campaign, candidates = ALL, [(None, None)] + [("donor_kind", kind) for kind in Donor.Kind.values]
    for child in children:
        target = getattr(getattr(child, "lhs", None), "target", None)
        name, rhs = getattr(target, "attname", None), getattr(child, "rhs", None)
        if name == "campaign_id" and isinstance(rhs, int):
            campaign = rhs
        for facet, column in COLUMNS.items():
            if name is not None and name == column and child.lookup_name in ("exact", "isnull"):
                candidates.append((facet, None if child.lookup_name == "isnull" else rhs))
    plain = Donation.objects.all()
    for facet, value in candidates:
        if campaign == ALL:
            shapes = [restricted(plain, facet, value)]
        else:  # the list's filters apply in the order it lists them, before or after the campaign
            shapes = [
                restricted(plain.filter(Q(campaign_id=campaign)), facet, value),
                restricted(plain, facet, value).filter(Q(campaign_id=campaign)),
            ]
        if selected in map(sql, shapes):
            return campaign, facet, value
    return None


def facet_of(donations):
    """(campaign id or ALL, facet, value) when `donations` selects exactly the donations of one
    value of one filter (in one campaign, or in all), else None."""
    selected = selection_of(donations)
    return selected if selected is not None and selected[1] is not None else None


def facet_summary(campaign, facet, value):
    """The summary (as campaigns.rollups.summary_of) of one filter's value in `campaign` (or
    ALL), from each campaign's kept figures."""
    rows = [row for row in fresh_facets(facet) if row.value == _key(value)]
    if campaign != ALL:
        rows = [row for row in rows if row.campaign_id == campaign]
    return added_up(rows)


def added_up(rows):
    """The summary of some campaigns' kept figures (CampaignRollup or CampaignFacet rows): sums,
    with the distinct units and people only when one campaign has rows (they do not add up)."""
    rows = [row for row in rows if row.rows]
    units = head_count = None
    if len(rows) <= 1:
        units = sum(row.units for row in rows)
        head_count = sum(row.staff + row.people for row in rows)
    return {
        "total": sum((row.total for row in rows), Decimal("0.00")),
        "rows": sum(row.rows for row in rows),
        "donations": sum(row.donations for row in rows),
        "units": units,
        "head_count": head_count,
        "first_gift": min((row.first_gift for row in rows if row.first_gift), default=None),
        "last_gift": max((row.last_gift for row in rows if row.last_gift), default=None),
    }


def fresh_facets(facet):
    """Every campaign's CampaignFacet rows of `facet`, recomputing the campaigns whose data
    changed since (a campaign without gifts has none, and is asked again: one look-up by index)."""
    kept = {}
    for row in CampaignFacet.objects.filter(facet=facet):
        kept.setdefault(row.campaign_id, []).append(row)
    current = []
    for pk, stamp in Campaign.objects.values_list("pk", "figures_changed_at"):
        rows = kept.get(pk, [])
        if not rows or any(row.computed_for != stamp for row in rows):
            rows = _compute(pk, facet, stamp)
            # Written as upserts, so two pages recomputing at once both succeed with the same rows.
            CampaignFacet.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["campaign", "facet", "value"],
                update_fields=KEPT,
            )
            gone = CampaignFacet.objects.filter(campaign_id=pk, facet=facet)
            if kept.get(pk):  # values no longer in the campaign
                gone.exclude(value__in=[row.value for row in rows]).delete()
        current += rows
    return current


def _compute(campaign, facet, stamp):
    donations = Donation.objects.filter(campaign_id=campaign).order_by()
    column = COLUMNS[facet]
    if column is None:
        donations, column = donations.annotate(facet_value=donations.donor_kind()), "facet_value"
    figures = donations.values(column).annotate(**donations.summary_aggregates())
    return [
        CampaignFacet(
            campaign_id=campaign,
            facet=facet,
            value=_key(group.pop(column)),
            computed_for=stamp,
            **group,
        )
        for group in figures
    ]


def _key(value):
    return "" if value is None else str(value)
