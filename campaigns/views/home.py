"""The home page: the current campaign's figures, the latest honor roll and the released summary."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from charity import identity, images
from charity.money import count, wan, yuan

from ..models import AnnualSummaryRelease, HonorRollIssue
from ..selectors import campaign_figures, current_campaign, same_day_last_year, under_review
from .public import sector_chart


def home(request):
    campaign = current_campaign()
    context = {
        "campaign": campaign,
        "released_summary_year": AnnualSummaryRelease.objects.order_by("-year")
        .values_list("year", flat=True)
        .first(),
    }
    if campaign is not None:
        figures = campaign_figures(campaign)
        context.update(
            figures=figures,
            under_review=under_review(campaign),
            same_day=same_day_last_year(campaign),
            # After the end, "第 126 天" reads as if it still ran: the page says it ended.
            campaign_ended=timezone.localdate() > campaign.end_date,
            chart=sector_chart(campaign, figures),
            # Without its content: a frozen issue is megabytes of JSON the home page does not show.
            latest_issue=HonorRollIssue.objects.filter(status=HonorRollIssue.Status.PUBLISHED)
            .select_related("campaign")
            .defer("content")
            .order_by("-published_at", "-pk")
            .first(),
        )
    return render(request, "home.html", context)


@images.card("home")
def home_card(pk):
    campaign = current_campaign()
    if campaign is None:
        return images.Card(identity.current().full_name, ["慈善一日捐、光荣榜与善款去向"], reverse("home"))
    figures = campaign_figures(campaign)
    return images.Card(
        campaign.name,
        [
            f"已募集 {wan(figures.total)} 万元",
            f"即 {yuan(figures.total)} 元",
            f"{count(figures.units)} 家单位、{count(figures.head_count)} 人参与",
        ],
        reverse("home"),
    )
