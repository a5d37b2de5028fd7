from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from charity.figures import share

from ..models import Disbursement, ReliefProject
from ..selectors import raised_in_year, spending_chart, years_with_gifts

CATEGORY_LABELS = dict(ReliefProject.Category.choices)


def year(request, year):
    """收支情况: raised by campaign and sector (kept: relief/selectors.py), spent by project and
    category, and their ratio."""
    if not 2000 <= year <= 2100:
        raise Http404
    raised = raised_in_year(year)
    spent = Disbursement.objects.for_year(year)
    raised_total, spent_total = raised["total"], spent.total()
    by_category = [
        {**row, "label": CATEGORY_LABELS.get(row["category"], row["category"])}
        for row in spent.totals_by_category()
    ]
    context = {
        "year": year,
        "raised_total": raised_total,
        "by_campaign": raised["by_campaign"],
        "by_sector": raised["by_sector"],
        "spent_total": spent_total,
        "by_project": spent.totals_by_project(),
        "by_category": by_category,
        "people": spent.people_helped(),
        "ratio": share(spent_total, raised_total),  # spending as a percent of the money raised
        "chart": spending_chart(year, by_category) if by_category else "",
        "other_years": sorted(
            (
                set(Disbursement.objects.order_by().values_list("paid_on__year", flat=True).distinct())
                | years_with_gifts()
            )
            - {year},
            reverse=True,
        ),
    }
    return render(request, "relief/year.html", context)


def latest_year(request):
    """The newest year with both money raised and spent: a year with spending only (projects
    paid before the next campaign's gifts are confirmed) opened on "募集善款 0 万元". Else the
    newest year with either, else this year."""
    spent = set(Disbursement.objects.order_by().values_list("paid_on__year", flat=True).distinct())
    raised = years_with_gifts()
    both = spent & raised
    newest = max(both or spent | raised, default=timezone.localdate().year)
    return redirect("relief:year", newest)
