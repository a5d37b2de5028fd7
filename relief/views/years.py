from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from charity import charts
from donations.models import Donation

from ..models import Disbursement, ReliefProject

CATEGORY_LABELS = dict(ReliefProject.Category.choices)


def year(request, year):
    """收支情况: raised by campaign and sector, spent by project and category, and their ratio."""
    if not 2000 <= year <= 2100:
        raise Http404
    raised = Donation.objects.public().for_year(year)
    spent = Disbursement.objects.for_year(year)
    raised_total, spent_total = raised.total(), spent.total()
    by_category = [
        {**row, "label": CATEGORY_LABELS.get(row["category"], row["category"])}
        for row in spent.totals_by_category()
    ]
    context = {
        "year": year,
        "raised_total": raised_total,
        "by_campaign": raised.totals_by_campaign(),
        "by_sector": raised.totals_by_sector(),
        "spent_total": spent_total,
        "by_project": spent.totals_by_project(),
        "by_category": by_category,
        "people": spent.people_helped(),
        "ratio": (spent_total * 100 / raised_total).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if raised_total
        else None,
        "chart": charts.sector_bars(
            [(row["label"], row["total"], None) for row in by_category],
            title=f"{year}年救助支出（按类别）",
            series=("支出",),
        )
        if by_category
        else "",
        "other_years": sorted(
            (
                set(Disbursement.objects.order_by().values_list("paid_on__year", flat=True).distinct())
                | set(Donation.objects.order_by().values_list("campaign__year", flat=True).distinct())
            )
            - {year},
            reverse=True,
        ),
    }
    return render(request, "relief/year.html", context)


def latest_year(request):
    """The newest year with relief spending (this year when there is none yet)."""
    newest = Disbursement.objects.order_by("-paid_on").values_list("paid_on__year", flat=True).first()
    return redirect("relief:year", newest or timezone.localdate().year)
