"""What the public pages show of campaigns and sectors, computed once per change and cached.

Public means confirmed: every figure here is read from `Donation.objects.public()`, so a gift still
under review (待审核) is in none of them; `under_review` gives the one honest line a page may add
about it (另有 N 笔、X 元正在核对). Confirming a gift moves the campaign's stamp (donations/review.py),
so the figures are computed again with it.

Live aggregation on every request does not scale: with 614,000 donations one `SUM` for the home
page took 158 ms, and a campaign's figures take about 0.4 s at 100,000 donations
(bench/public_bench.py). They are computed by a handful of aggregate queries (QuerySet methods of
donations) and cached under the campaign's `figures_changed_at`, which every change to its
donations moves (campaigns/freshness.py): the first request after a change computes them, every
other request reads them, and nothing is recomputed while nothing changes. They are kept in the
database too (charity/stored.py), so an emptied cache (a restart, a flush) does not make the next
visitor wait for ten campaigns' aggregates (/campaigns/: 2.3 s at 1,000,000 donations). Every
amount is the database's exact sum; every name comes from the public-name methods.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from charity import stored
from charity.figures import Comparison
from donations.models import Donation, Sector
from donations.sectors import UNASSIGNED_LABEL

from .models import Campaign

# Part of the version of figures kept in the database: bump it when what is kept changes shape
# (a field added to CampaignFigures), so that no value of the old shape is read back.
STORED_VERSION = 3  # 2: Row is a charity.figures.Comparison; 3: CampaignFigures.direct
ZERO = Decimal("0.00")


@dataclass
class Row(Comparison):
    """A sector's (or branch's) total this campaign against the same campaign a year before
    (`previous` None: that campaign has no such row)."""

    key: int | None = None  # the sector's or branch's id; None for money in none
    name: str = ""
    units: list = field(default_factory=list)

    @property
    def total(self):
        return self.current


@dataclass
class CampaignFigures:
    campaign_id: int
    total: Decimal
    donations: int
    units: int
    head_count: int
    goal: Decimal | None
    previous_id: int | None
    previous_name: str
    previous_total: Decimal | None
    rows: list  # Row, in sector order; money not assigned to a sector last
    # Of `total`, what was given straight to beneficiaries (直接捐赠): in the money raised, never
    # in the money into the federation's account (`into_account`).
    direct: Decimal = ZERO

    @property
    def into_account(self):
        return self.total - self.direct

    @property
    def comparison(self):
        """The campaign's total against last year's and its goal (charity/figures.py)."""
        return Comparison(self.total, self.previous_total, base=self.goal)

    @property
    def goal_percent(self):
        return self.comparison.share

    @property
    def change(self):
        return self.comparison.change

    @property
    def percent(self):
        return self.comparison.percent

    def row(self, sector_id):
        return next((row for row in self.rows if row.key == sector_id), None)


def previous_campaign(campaign):
    """The same kind of campaign the year before: what a campaign is compared with."""
    return Campaign.objects.filter(kind=campaign.kind, year=campaign.year - 1).order_by("-start_date").first()


def current_campaign(today=None):
    """The one-day campaign running today, else the latest one that has started."""
    today = today or timezone.localdate()
    started = Campaign.objects.filter(kind=Campaign.Kind.ONE_DAY, start_date__lte=today)
    running = started.filter(end_date__gte=today).order_by("-start_date").first()
    return (
        running or started.order_by("-start_date").first() or Campaign.objects.order_by("-start_date").first()
    )


def campaign_figures(campaign):
    """CampaignFigures of a campaign, from the cache unless its donations changed since."""
    return kept("public-figures", campaign, lambda: _compute(campaign))


@dataclass
class CampaignSummary:
    total: Decimal
    units: int
    head_count: int


def campaign_summary(campaign):
    """The three figures the campaign list shows, kept apart from the whole CampaignFigures (30 KB
    with every unit's row): the list reads ten of them on every request."""

    def compute():
        figures = campaign_figures(campaign)
        return CampaignSummary(figures.total, figures.units, figures.head_count)

    return kept("public-summary", campaign, compute)


@dataclass
class UnderReview:
    donations: int
    total: Decimal


def under_review(campaign):
    """UnderReview: the campaign's gifts still being checked (待审核), for the one line a public
    page may show about them (另有 N 笔、X 元正在核对, only when there are some); never added to
    the campaign's figures."""

    def compute():
        return UnderReview(**Donation.objects.for_campaign(campaign).under_review())

    return kept("under-review", campaign, compute)


def kept(name, campaign, compute, *parts):
    """`compute()`'s value for the campaign's data as it stands, from the cache or the database
    (charity/stored.py), computed only when its donations changed since it was kept."""
    slot = ":".join(map(str, (name, campaign.pk, *parts)))
    version = f"{STORED_VERSION}:{campaign.figures_changed_at.timestamp()}"
    return stored.get_or_compute(slot, version, compute)


def _compute(campaign):
    gifts = Donation.objects.public().for_campaign(campaign)
    summary = gifts.summary()
    previous = previous_campaign(campaign)
    past = Donation.objects.public().for_campaign(previous) if previous else Donation.objects.none()
    this_year = {row["sector_id"]: row["total"] for row in gifts.totals_by_sector()}
    last_year = {row["sector_id"]: row["total"] for row in past.totals_by_sector()} if previous else {}
    names = dict(Sector.objects.filter(pk__in={*this_year, *last_year} - {None}).values_list("pk", "name"))
    order = list(Sector.objects.filter(pk__in=names).order_by("order", "name").values_list("pk", flat=True))
    rows = [
        Row(this_year.get(pk, ZERO), last_year.get(pk) if previous else None, key=pk, name=names[pk])
        for pk in order
    ]
    if None in this_year or None in last_year:
        rows.append(
            Row(this_year.get(None, ZERO), last_year.get(None) if previous else None, name=UNASSIGNED_LABEL)
        )
    by_sector = {row.key: row for row in rows}
    for unit in gifts.unit_totals_by_sector():
        by_sector[unit["sector_id"]].units.append(
            {"name": unit["public_name"], "total": unit["total"], "anonymous": unit["shown_anonymous"]}
        )
    return CampaignFigures(
        campaign_id=campaign.pk,
        total=summary["total"],
        donations=summary["donations"],
        units=summary["units"],
        head_count=summary["head_count"],
        goal=campaign.goal,
        previous_id=previous.pk if previous else None,
        previous_name=previous.name if previous else "",
        previous_total=past.total() if previous else None,
        rows=rows,
        direct=gifts.direct().total(),
    )


def same_day_last_year(campaign, today=None):
    """(day of the campaign, last year's total by the same day), or None without a comparison.

    "Same day" counts from each campaign's start: day 10 of 2023 against day 10 of 2022.
    """
    previous = previous_campaign(campaign)
    if previous is None:
        return None
    today = today or timezone.localdate()
    day = (min(max(today, campaign.start_date), campaign.end_date) - campaign.start_date).days
    cutoff = previous.start_date + datetime.timedelta(days=day)

    def compute():
        return Donation.objects.public().for_campaign(previous).filter(received_on__lte=cutoff).total()

    return day + 1, kept("public-to-date", previous, compute, cutoff)


@dataclass
class SectorPage:
    rows: list  # branches: (name, total, previous)
    units: list


def sector_figures(campaign, sector):
    """A sector's branches (this year and last) and units, cached like the campaign's figures."""
    return kept("public-sector-figures", campaign, lambda: _compute_sector(campaign, sector), sector.pk)


def _compute_sector(campaign, sector):
    previous = previous_campaign(campaign)
    gifts = Donation.objects.public().for_campaign(campaign).filter(sector=sector)
    now = {r["branch_id"]: r for r in gifts.totals_by_branch()}
    before = {}
    if previous is not None:
        past = Donation.objects.public().for_campaign(previous).filter(sector=sector)
        before = {r["branch_id"]: r for r in past.totals_by_branch()}
    branches = []
    for pk in {*now, *before}:
        row = now.get(pk) or before[pk]
        branches.append(
            Row(
                now[pk]["total"] if pk in now else ZERO,
                (before[pk]["total"] if pk in before else None) if previous else None,
                key=pk,
                name=row["branch__name"] or "未计入分会",
            )
        )
    # Largest first; money outside any branch last. A sector without branches (个人: people give
    # directly) has no table of them: one row "未计入分会" would be the sector's own total.
    branches.sort(key=lambda b: (b.key is None, -b.total, b.name))
    if all(b.key is None for b in branches):
        branches = []
    units = [
        {"name": u["public_name"], "total": u["total"], "anonymous": u["shown_anonymous"]}
        for u in gifts.filter(donor__kind="unit").totals_by_donor()
    ]
    return SectorPage(branches, units)


def released_summary_documents():
    """The released annual summaries as documents of 信息公开 (relief/organisation/documents.py),
    registered by CampaignsConfig.ready(): the latest version of each year, linked where the
    public downloads it."""
    from django.urls import reverse
    from django.utils import timezone

    from relief.organisation.documents import Document

    from .models import AnnualSummaryRelease

    latest = {}
    for release in AnnualSummaryRelease.objects.order_by("year", "version"):
        latest[release.year] = release
    return [
        Document(
            group="慈善一日捐年度总结",
            title=f"{year}年度慈善一日捐工作总结"
            + (f"（第{release.version}版）" if release.version > 1 else ""),
            year=year,
            published_on=timezone.localdate(release.released_at),
            url=reverse("campaigns:annual_summary", args=[year]),
        )
        for year, release in latest.items()
    ]
