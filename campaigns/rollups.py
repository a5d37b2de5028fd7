"""Each campaign's donation figures, kept in a table for the back office (CampaignRollup).

The donation list shows the sum of what its filters select and the campaign list each campaign's
total; with ten years of donations (1,000,000) computing them on every page took 1-3 s
(bench/admin_bench.py), most of it counting distinct donors. A whole campaign's figures are
computed once after it changes and kept, stamped with the campaign's `figures_changed_at`, which
every change to its donations moves (campaigns/freshness.py). A page first recomputes the
campaigns whose stamp moved (in a running campaign, the one being entered: about 0.15 s), then
reads the table.

Figures of several campaigns add up, except the distinct units and people: a unit that gave
every year is one unit. Those are a campaign's figures (参与单位, 参与人数), so a list spanning
campaigns shows its total and gifts without them (None), whether it is every donation or a
filter's; counting who gave "ever" took longer than the rest of the page after each change.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Q

from donations.models import Donation

from .facets import added_up, facet_of, facet_summary
from .models import Campaign, CampaignRollup

FIGURES = ["total", "rows", "donations", "units", "staff", "people"]
DATES = ["first_gift", "last_gift"]


def fresh_rollups():
    """{campaign id: CampaignRollup} of every campaign, recomputing those whose data changed."""
    kept = {row.campaign_id: row for row in CampaignRollup.objects.all()}
    rows, changed = {}, []
    for pk, stamp in Campaign.objects.order_by("start_date", "pk").values_list("pk", "figures_changed_at"):
        row = kept.get(pk)
        if row is None or row.computed_for != stamp:
            parts = Donation.objects.filter(campaign_id=pk).summary_parts()
            row = CampaignRollup(campaign_id=pk, computed_for=stamp, **parts)
            changed.append(row)
        rows[pk] = row
    if changed:
        CampaignRollup.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["campaign"],
            update_fields=["computed_for", *FIGURES, *DATES],
        )
    return rows


def summary_of(donations):
    """DonationQuerySet.summary() of `donations` with the dates of its first and last gift,
    read from the rollups when they select every donation or every donation of one campaign,
    from the facets when they select one value of one filter (in one campaign or all), else
    computed."""
    campaign_id = whole_campaign(donations)
    if campaign_id is None:
        faceted = facet_of(donations)  # one value of one filter (campaigns/facets.py)
        if faceted is None:
            return live_summary(donations)
        return facet_summary(*faceted)
    rows = fresh_rollups()
    if campaign_id != ALL:
        rows = {campaign_id: rows[campaign_id]}
    return added_up(rows.values())


def live_summary(donations):
    """The summary of a filtered list, computed: the sums always, the distinct units and people
    only when the list lies within one campaign.

    Counting distinct donors is what costs (0.36 s of 0.5 s for 990,000 gifts); across campaigns
    it also says little, since 参与单位 and 参与人数 are a campaign's figures (the same unit gives
    every year). So a list spanning campaigns shows its total and gifts, and asks for a campaign
    to show units and people (units and head_count None).
    """
    donations = donations.order_by()
    sums = donations.sums()
    units = head_count = None
    if sums["first_campaign"] == sums["last_campaign"]:  # one campaign, or none (all zero)
        # Naming the campaign changes nothing in what is counted, but lets PostgreSQL read that
        # campaign's rows through its index instead of every row again (待审核: 0.31 -> 0.2 s).
        givers = donations.filter(campaign_id=sums["first_campaign"]).givers()
        units, head_count = givers["units"], sums["staff"] + givers["people"]
    return {
        "total": sums["total"],
        "rows": sums["rows"],
        "donations": sums["donations"],
        "units": units,
        "head_count": head_count,
        "first_gift": sums["first_gift"],
        "last_gift": sums["last_gift"],
    }


ALL = "all"


def whole_campaign(donations):
    """ALL when `donations` selects every donation, a campaign's id when it selects exactly that
    campaign's donations, else None.

    Decided by comparing the query's SQL with the plain one, so any other condition (a filter,
    a search, a date, a user who may see only some donations) means None: the rollups are used
    only where they are the answer.
    """

    def sql(queryset):
        return str(queryset.order_by().values("pk").query)

    plain = Donation.objects.all()
    try:
        selected = sql(donations)
    except EmptyResultSet:  # a search that found nothing, for instance
        return None
    if selected == sql(plain):
        return ALL
    where = donations.query.where
    condition = where.children[0] if len(where.children) == 1 else None
    target = getattr(getattr(condition, "lhs", None), "target", None)
    if target is not None and target.attname == "campaign_id" and isinstance(condition.rhs, int):
        if selected == sql(plain.filter(Q(campaign_id=condition.rhs))):
            return condition.rhs
    return None
