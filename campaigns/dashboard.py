"""数据看板: what leadership reads in the back office, gathered from the existing figures.

Nothing is computed here that the public pages, the annual summary or the relief pages do not
already compute: the campaign's figures (cached, selectors.campaign_figures), the relief spending
of the year (summary.relief_figures), what waits for review, and what was published.
"""

from dataclasses import dataclass, field

from charity.publications import all_drifts
from donations.models import ImportBatch
from relief import calendar

from .models import Campaign, CorrectionDraft, HonorRollIssue, RankingEdition
from .selectors import campaign_figures, current_campaign, same_day_last_year, under_review
from .summary import relief_figures


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
    )


def open_corrections():
    return list(CorrectionDraft.objects.filter(status=CorrectionDraft.Status.DRAFT).order_by("created_at"))
