"""数据看板: what leadership reads in the back office, gathered from the existing figures.

Nothing is computed here that the public pages, the annual summary or the relief pages do not
already compute: the campaign's figures (cached, selectors.campaign_figures), the relief spending
of the year (summary.relief_figures), what waits for review, and what was published.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from charity.figures import Comparison
from charity.money import money_sum
from charity.publications import all_drifts
from donations.models import Donation, FollowUp, ImportBatch
from relief import calendar

from .annual_summary.figures import relief_figures
from .models import Campaign, CorrectionDraft, HonorRollIssue, RankingEdition
from .selectors import campaign_figures, current_campaign, previous_campaign, same_day_last_year, under_review

NONE = Decimal("0.00")


@dataclass
class Dashboard:
    campaign: Campaign | None
    campaigns: list  # the one-day campaigns to choose from, newest first
    figures: object  # selectors.CampaignFigures
    same_day: tuple | None
    # The campaign's gifts awaiting review (selectors.UnderReview): not in `figures`, which are
    # the public figures (public means confirmed).
    pending: object
    open_batches: int
    relief: object  # summary.ReliefFigures or None
    latest_issues: list
    editions: list
    summary_years: list  # years with a one-day campaign, newest first (annual summary links)
    overdue_duties: int
    # (documents checked, [charity.publications.Drift]): published documents that no longer
    # match the ledger, as check_publications prints them.
    publications: tuple
    # 更正说明 drafts waiting for a reason (campaigns.corrections), oldest first.
    open_corrections: list = field(default_factory=list)
    progress: object = None  # Progress: per week and sector against the same day last year
    promises: object = None  # OpenPromises of the campaign's 劝募跟进


@dataclass(init=False)
class ProgressRow(Comparison):
    """A week's or a sector's money so far against last year's to the same day (`previous` None
    without a campaign last year): charity.figures' row, labelled."""

    label: str = ""

    def __init__(self, label, total, previous=None):
        super().__init__(total, previous)
        self.label = label

    @property
    def total(self):
        return self.current


@dataclass
class Progress:
    """The campaign so far (confirmed gifts, as the public figures), against last year's campaign
    up to the same day of its run (selectors.same_day_last_year's rule)."""

    day: int  # the campaign's day counted from 1
    cutoff: datetime.date | None  # last year's same day, None without last year's campaign
    weeks: list  # ProgressRow per week so far
    sectors: list  # ProgressRow per sector with money in either year
    ended: bool = False  # the campaign is over: its whole run, not "so far"


@dataclass
class OpenPromises:
    """Promises made in follow-ups for the campaign and not yet kept: figures only, no names."""

    total: object
    promises: int
    sectors: list  # {"sector", "total", "promises"}


def dashboard(campaign_id=None):
    campaigns = list(Campaign.objects.filter(kind=Campaign.Kind.ONE_DAY).order_by("-year", "-start_date"))
    campaign = next((c for c in campaigns if c.pk == campaign_id), None) or current_campaign()
    if campaign is None:
        return Dashboard(
            None, campaigns, None, None, None, 0, None, [], [], [], 0, all_drifts(), open_corrections()
        )
    return Dashboard(
        campaign=campaign,
        campaigns=campaigns,
        figures=campaign_figures(campaign),
        same_day=same_day_last_year(campaign),
        pending=under_review(campaign),
        open_batches=ImportBatch.objects.filter(
            campaign=campaign, status=ImportBatch.Status.IMPORTED
        ).count(),
        relief=relief_figures(campaign.year),
        latest_issues=list(
            HonorRollIssue.objects.filter(campaign=campaign, status=HonorRollIssue.Status.PUBLISHED)
            .defer("content")
            .order_by("-number")[:3]
        ),
        editions=list(
            RankingEdition.objects.filter(status=RankingEdition.Status.PUBLISHED)
            .defer("content")
            .order_by("-year", "-number")[:2]
        ),
        summary_years=sorted({c.year for c in campaigns}, reverse=True)[:5],
        overdue_duties=sum(1 for duty in calendar.duties() if duty.overdue),
        publications=all_drifts(),
        open_corrections=open_corrections(),
        progress=progress(campaign),
        promises=open_promises(campaign),
    )


def progress(campaign, today=None):
    """Per week and per sector: this campaign up to today against last year's up to the same day."""
    real_today = today or timezone.localdate()
    today = min(max(real_today, campaign.start_date), campaign.end_date)
    day = (today - campaign.start_date).days
    gifts = Donation.objects.public().for_campaign(campaign).filter(received_on__lte=today)
    previous = previous_campaign(campaign)
    before, cutoff = Donation.objects.none(), None
    if previous is not None:
        cutoff = previous.start_date + datetime.timedelta(days=day)
        before = Donation.objects.public().for_campaign(previous).filter(received_on__lte=cutoff)
    now = gifts.totals_by_week(campaign.start_date, campaign.end_date)
    then = before.totals_by_week(previous.start_date, previous.end_date) if previous else {}
    weeks = [
        ProgressRow(f"第 {week} 周", now.get(week, NONE), then.get(week, NONE) if previous else None)
        for week in range(1, day // 7 + 2)
    ]
    now = {row["sector__name"]: row["total"] for row in gifts.totals_by_sector()}
    then = {row["sector__name"]: row["total"] for row in before.totals_by_sector()}
    sectors = [
        ProgressRow(name or "未分配版块", now.get(name, NONE), then.get(name, NONE) if previous else None)
        for name in [*now, *(name for name in then if name not in now)]
    ]
    return Progress(day + 1, cutoff, weeks, sectors, ended=real_today > campaign.end_date)


def open_promises(campaign):
    promises = FollowUp.objects.filter(campaign=campaign).open_promises()
    # What is still to come: a promise kept in part counts for the rest of it.
    overall = promises.with_outstanding().aggregate(total=money_sum("outstanding"), promises=Count("id"))
    return OpenPromises(overall["total"], overall["promises"], list(promises.open_promises_by_sector()))


def open_corrections():
    return list(CorrectionDraft.objects.filter(status=CorrectionDraft.Status.DRAFT).order_by("created_at"))
