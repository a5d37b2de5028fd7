"""What the year page (收支情况) shows of the money raised, kept until the year's donations change.

Aggregating a year's confirmed gifts by campaign and by sector took 250 ms on every request at
1,000,000 donations (bench/public_bench.py). The figures depend only on the donations of that
year's campaigns, and every change to a campaign's donations, or to the names of sectors, moves
its `figures_changed_at` (campaigns/freshness.py); so they are computed once per change of those
stamps and kept in the cache and the database (charity/stored.py). Spending is read live: a few
thousand disbursements are summed in a millisecond.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Exists, OuterRef

from campaigns.core import Campaign
from charity import charts, stored
from donations.models import Donation

# Bump when what is kept changes shape, so no value of the old shape is read back.
STORED_VERSION = 1
CHART_SECONDS = 86400


def raised_in_year(year):
    """{"total", "by_campaign", "by_sector"} of the year's confirmed gifts (public means
    confirmed: Donation.objects.public())."""

    def compute():
        raised = Donation.objects.public().for_year(year)
        return {
            "total": raised.total(),
            "by_campaign": list(raised.totals_by_campaign()),
            "by_sector": list(raised.totals_by_sector()),
        }

    return stored.get_or_compute(f"relief-year-raised:{year}", _version(year), compute)


def _version(year):
    """The year's campaigns with their names and stamps: any change of their gifts, of a
    campaign's name or of a sector's name (which moves every stamp) makes a new version."""
    campaigns = Campaign.objects.filter(year=year).order_by("pk")
    campaigns = campaigns.values_list("pk", "name", "figures_changed_at")
    text = repr([STORED_VERSION, *[(pk, name, stamp.timestamp()) for pk, name, stamp in campaigns]])
    return hashlib.sha256(text.encode()).hexdigest()


def years_with_gifts():
    """The years of the campaigns that have any donation: one index look-up per campaign instead of
    reading every donation (what `DISTINCT campaign__year` over the donations did)."""
    gave = Donation.objects.filter(campaign=OuterRef("pk"))
    return set(Campaign.objects.filter(Exists(gave)).order_by().values_list("year", flat=True).distinct())


def spending_chart(year, by_category):
    """The spending bars (about 17 ms to draw), kept under the figures they show."""
    rows = [(row["label"], row["total"], None) for row in by_category]
    key = "relief-year-chart:" + hashlib.sha256(repr((year, rows)).encode()).hexdigest()
    return cache.get_or_set(
        key,
        lambda: charts.sector_bars(rows, title=f"{year}年救助支出（按类别）", series=("支出",)),
        CHART_SECONDS,
    )
