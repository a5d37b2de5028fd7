"""Relief sums are the database's, exact to the fen; every total is the sum of its parts."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from relief.models import Disbursement, ReliefProject
from tests import factories
from tests.relief import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def spending():
    eyes = factories.project("慈善光明行", category=ReliefProject.Category.MEDICAL, budget=Decimal("1000.00"))
    mind = factories.project(
        "慈康项目", category=ReliefProject.Category.MENTAL_HEALTH, budget=Decimal("500.00")
    )
    homes = factories.project("住房保障", category=ReliefProject.Category.HOUSING, budget=Decimal("900.00"))
    # Amounts whose float sum is not exact: 0.1 + 0.2 style.
    helpers.disbursement(eyes, "0.10", people_helped=1)
    helpers.disbursement(eyes, "0.20", people_helped=2)
    helpers.disbursement(mind, "333.33", people_helped=5)
    helpers.disbursement(homes, "100.01", people_helped=3)
    helpers.disbursement(homes, "50.00", people_helped=1, paid_on=datetime.date(2024, 1, 2))
    return eyes, mind, homes


def test_year_totals(spending):
    year = Disbursement.objects.for_year(2023)
    assert year.total() == Decimal("433.64")
    assert year.people_helped() == 11
    assert Disbursement.objects.for_year(2024).total() == Decimal("50.00")
    assert Disbursement.objects.for_year(2019).total() == Decimal("0.00")
    assert Disbursement.objects.for_year(2019).people_helped() == 0


def test_totals_by_project_and_category_add_up(spending):
    year = Disbursement.objects.for_year(2023)
    rows = list(year.totals_by_project())
    assert [(r["project__name"], r["total"], r["people"]) for r in rows] == [
        ("慈康项目", Decimal("333.33"), 5),
        ("住房保障", Decimal("100.01"), 3),
        ("慈善光明行", Decimal("0.30"), 3),
    ]
    assert {"project_id", "project__name", "total", "people"} <= set(rows[0])
    categories = list(year.totals_by_category())
    # In the order of ReliefProject.Category, whatever the amounts.
    assert [(r["category"], r["total"], r["people"]) for r in categories] == [
        ("medical", Decimal("0.30"), 3),
        ("mental_health", Decimal("333.33"), 5),
        ("housing", Decimal("100.01"), 3),
    ]
    assert sum(r["total"] for r in rows) == sum(r["total"] for r in categories) == year.total()


def test_project_money_budget_directed_spent_balance(spending):
    eyes, mind, homes = spending
    campaign = factories.campaign()
    factories.donation(campaign_=campaign, amount="1500.55", project=eyes)
    factories.donation(campaign_=campaign, amount="0.45", project=eyes)
    factories.donation(campaign_=campaign, amount="999.00")  # not directed
    rows = {p.name: p for p in ReliefProject.objects.with_money()}
    assert rows["慈善光明行"].directed == Decimal("1501.00")
    assert rows["慈善光明行"].spent == Decimal("0.30")
    assert rows["慈善光明行"].limit == Decimal("1501.00")  # directed money beyond the budget
    assert rows["慈善光明行"].balance == Decimal("1500.70")
    assert rows["住房保障"].spent == Decimal("150.01") and rows["住房保障"].balance == Decimal("749.99")
    assert rows["慈康项目"].people == 5 and rows["慈康项目"].directed == Decimal("0.00")


def test_year_page_every_figure_is_the_sum_of_its_parts(client, spending):
    campaign = factories.campaign()
    factories.donation(campaign_=campaign, amount="300.00")
    factories.donation(campaign_=campaign, amount="228.82", sector=factories.sector("教育系统"))
    response = client.get(reverse("relief:year", args=[2023]))
    context = response.context
    assert context["raised_total"] == Decimal("528.82")
    assert sum(r["total"] for r in context["by_campaign"]) == context["raised_total"]
    assert sum(r["total"] for r in context["by_sector"]) == context["raised_total"]
    assert sum(r["total"] for r in context["by_project"]) == context["spent_total"] == Decimal("433.64")
    assert sum(r["total"] for r in context["by_category"]) == context["spent_total"]
    assert context["ratio"] == Decimal("82.0")  # 433.64 / 528.82, as the 2019 report's 82 %
    page = response.content.decode()
    assert "<title>2023年收支情况 · 市慈善总会</title>" in page
    assert "82.0%" in page and "433.64" in page


def test_year_page_without_money_raised(client, spending):
    response = client.get(reverse("relief:year", args=[2024]))
    assert response.context["ratio"] is None
    assert response.status_code == 200
