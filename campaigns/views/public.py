"""Campaign and sector pages: figures from campaigns.selectors, names only in their public form."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from charity import charts, images
from charity.money import count, wan, yuan
from donations.models import Sector

from ..models import Campaign
from ..selectors import (
    campaign_figures,
    campaign_summary,
    current_campaign,
    kept,
    sector_figures,
    under_review,
)


def campaign_list(request):
    campaigns = list(Campaign.objects.order_by("-year", "-start_date"))
    figures = {c.pk: campaign_summary(c) for c in campaigns}
    rows = [(c, figures[c.pk]) for c in campaigns]
    return render(request, "campaigns/campaign_list.html", {"rows": rows})


def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    figures = campaign_figures(campaign)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "figures": figures,
            "under_review": under_review(campaign),
            "chart": sector_chart(campaign, figures),
        },
    )


def sector_detail(request, pk, sector_id):
    campaign = get_object_or_404(Campaign, pk=pk)
    sector = get_object_or_404(Sector, pk=sector_id)
    figures = campaign_figures(campaign)
    return render(
        request,
        "campaigns/sector_detail.html",
        {
            "campaign": campaign,
            "sector": sector,
            "figures": figures,
            "row": figures.row(sector.pk),
            "page": sector_figures(campaign, sector),
            # 个人: people give directly, so the page lists no units and says why.
            "personal": sector.pk == Sector.personal_id(),
        },
    )


def sector_chart(campaign, figures):
    """The campaign's sector bars against last year; drawn once per change of its data (17 ms)."""

    def draw():
        rows = [(row.name, row.total, row.previous) for row in figures.rows]
        series = (f"{campaign.year}年", f"{campaign.year - 1}年")
        return charts.sector_bars(rows, title=f"{campaign.name}各版块捐款（万元）", series=series)

    return kept("public-chart", campaign, draw)


# og:image cards of these pages (charity.images): figures from the same cache as the pages.


@images.card("campaigns")
def campaign_list_card(pk):
    return images.Card(
        "历年募捐活动", ["慈善一日捐等募捐活动的募集金额、单位和参与人数"], reverse("campaigns:campaign_list")
    )


@images.card("campaign")
def campaign_card(pk):
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        return None
    figures = campaign_figures(campaign)
    return images.Card(
        campaign.name,
        [
            f"已募集 {wan(figures.total)} 万元",
            f"即 {yuan(figures.total)} 元",
            f"{count(figures.units)} 家单位、{count(figures.head_count)} 人参与",
            f"{campaign.start_date:%Y年%-m月%-d日} 至 {campaign.end_date:%Y年%-m月%-d日}",
        ],
        reverse("campaigns:campaign", args=[pk]),
    )


@images.card("lookup")
def lookup_card(pk):
    return images.Card(
        "查询我的捐款",
        ["输入捐赠票据号和姓名，或姓名与金额", "查看您的捐款是否已经计入"],
        reverse("campaigns:lookup"),
    )


def current_honor_rolls(request):
    """/honor-rolls/: the honor rolls of the campaign running now (the navigation's 光荣榜)."""
    campaign = current_campaign()
    if campaign is None:
        raise Http404("暂无募捐活动")
    return redirect("campaigns:honor_roll_list", campaign_id=campaign.pk)
