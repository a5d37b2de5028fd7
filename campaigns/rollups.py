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

from donations.models import Donation

from .facets import ALL, KEPT, added_up, facet_summary, selection_of
from .models import Campaign, CampaignRollup


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
            update_fields=KEPT,
        )
    return rows


def summary_of(donations):
    """DonationQuerySet.summary() of `donations` with the dates of its first and last gift,
    read from the rollups when they select every donation or every donation of one campaign,
    from the facets when they select one value of one filter (in one campaign or all), else
    computed."""
    selected = selection_of(donations)
    if selected is None:
        return live_summary(donations)
    campaign, facet, value = selected
    if facet is not None:  # one value of one filter (campaigns/facets.py)
        return facet_summary(campaign, facet, value)
    rows = fresh_rollups()
    if campaign != ALL:
        rows = {campaign: rows[campaign]}
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


def whole_campaign(donations):
    """ALL when `donations` selects every donation, a campaign's id when it selects exactly that
    campaign's donations, else None (see facets.selection_of)."""
    selected = selection_of(donations)
    return selected[0] if selected is not None and selected[1] is None else None
