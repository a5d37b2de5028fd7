"""The year report's figures against hand-computed expectations (two small years of data)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from campaigns.annual_report import figures, prose
from campaigns.models import Campaign
from donations.models import Branch, Donation
from relief.models import Disbursement, ProjectYear, ReliefProject
from tests import factories

pytestmark = pytest.mark.django_db


def d(text):
    return Decimal(text)


@pytest.fixture
def two_years(reviewed_gifts):
    """2018 and 2019: a branch with a sub-branch, a first-time unit, a direct gift, a charity sale,
    a recurring relief project paid partly from 2018's money."""
    one_day_2018 = factories.campaign("2018年慈善一日捐", 2018)
    one_day_2019 = factories.campaign("2019年抗洪救灾暨慈善一日捐", 2019)
    sale = factories.campaign(
        "2019年慈善义卖", 2019, kind=Campaign.Kind.CHARITY_SALE, start_date=datetime.date(2019, 10, 1)
    )
    x = factories.branch("市直工委分会", sector_name="市直工委慈善分会")
    x1 = factories.branch("市直工委分会第一支部", sector_name="市直工委慈善分会", parent=x)
    y = factories.branch("民政局分会", sector_name="民政系统")
    a = factories.unit("衡阳市甲单位", sector_name="市直工委慈善分会")
    b = factories.unit("衡阳市民政局", sector_name="民政系统", branch=y)
    c = factories.unit("广东省湖南衡阳商会", sector_name="民营企业")
    direct = factories.unit("外地商会", sector_name="民营企业")
    person = factories.person("王小明")
    day18, day19 = datetime.date(2018, 9, 1), datetime.date(2019, 9, 1)
    factories.donation(a, one_day_2018, "1000000.00", received_on=day18, branch=x1)
    factories.donation(b, one_day_2018, "2000000.00", received_on=day18)
    factories.donation(person, one_day_2018, "500000.00", received_on=day18)
    factories.donation(a, one_day_2019, "1500000.00", received_on=day19, branch=x)
    factories.donation(b, one_day_2019, "1600000.00", received_on=day19)
    factories.donation(b, sale, "300000.00", received_on=datetime.date(2019, 10, 1))
    factories.donation(c, one_day_2019, "3000000.00", received_on=day19)
    factories.donation(direct, one_day_2019, "10000000.00", received_on=day19, route=Donation.Route.DIRECT)
    factories.donation(person, one_day_2019, "700000.00", received_on=day19)
    factories.donation(c, one_day_2019, "999.00", received_on=day19, status="pending")  # not public yet
    light = factories.project("慈善光明行", year=2018)
    health = factories.project("慈康项目", year=2019)
    for voucher, project, amount, paid_on, people, funds_year in [
        ("P-1", light, "204000.00", datetime.date(2018, 11, 1), 100, None),
        ("P-2", light, "862390.00", datetime.date(2019, 11, 1), 400, None),
        ("P-3", light, "137610.00", datetime.date(2019, 3, 1), 100, 2018),
        ("P-4", health, "1000.00", datetime.date(2019, 12, 1), 7, None),
    ]:
        Disbursement.objects.create(
            project=project,
            voucher_no=voucher,
            amount=d(amount),
            paid_on=paid_on,
            people_helped=people,
            funds_year=funds_year,
        )


def test_money_raised_and_money_into_the_account_against_last_year(two_years):
    money = figures.money(2019)
    assert (money.raised.current, money.raised.previous) == (d("17100000.00"), d("3500000.00"))
    assert (money.raised.change, money.raised.percent) == (d("13600000.00"), d("388.6"))
    assert (money.into_account.current, money.into_account.previous) == (d("7100000.00"), d("3500000.00"))
    assert (money.into_account.change, money.into_account.percent) == (d("3600000.00"), d("102.9"))
    assert money.direct == d("10000000.00")
    assert figures.money(2018).raised.previous is None  # no 2017 to compare with


def test_every_campaign_of_the_year_with_its_kind_total_and_change(two_years):
    rows = figures.campaigns(2019)
    assert [(r.name, r.kind, r.current, r.previous, r.compared_with) for r in rows] == [
        ("2019年抗洪救灾暨慈善一日捐", "慈善一日捐", d("16800000.00"), d("3500000.00"), "2018年慈善一日捐"),
        ("2019年慈善义卖", "义卖", d("300000.00"), None, ""),
    ]
    assert sum(r.current for r in rows) == figures.money(2019).raised.current


def test_sectors_over_every_campaign_of_the_year(two_years):
    rows = {r.name: (r.current, r.previous) for r in figures.sectors(2019)}
    assert rows == {
        "市直工委慈善分会": (d("1500000.00"), d("1000000.00")),
        "民政系统": (d("1900000.00"), d("2000000.00")),
        "民营企业": (d("13000000.00"), d("0.00")),
        "个人": (d("700000.00"), d("500000.00")),
    }


def test_branches_roll_sub_branches_into_their_parent(two_years):
    result = figures.branches(2019)
    assert [(r.name, r.current, r.previous) for r in result.rows] == [
        ("民政局分会", d("1900000.00"), d("2000000.00")),
        ("市直工委分会", d("1500000.00"), d("1000000.00")),  # 2018's gift was in its sub-branch
    ]
    assert (result.rose, result.risen_by, result.net_change) == (1, d("500000.00"), d("400000.00"))
    parent = Branch.objects.get(name="市直工委分会")
    assert [(r.name, r.current, r.previous) for r in figures.branches(2019, parent=parent).rows] == [
        ("市直工委分会", d("1500000.00"), d("0.00")),  # given to the branch itself
        ("市直工委分会第一支部", d("0.00"), d("1000000.00")),
    ]


def test_units_per_sector_and_first_time_units(two_years):
    rows = {
        r.name: (r.units.current, r.units.previous, r.total.current, r.total.previous)
        for r in figures.units_by_sector(2019)
    }
    assert rows == {
        "市直工委慈善分会": (1, 1, d("1500000.00"), d("1000000.00")),
        "民政系统": (1, 1, d("1900000.00"), d("2000000.00")),
        "民营企业": (2, 0, d("13000000.00"), d("0.00")),
    }
    assert figures.first_time_units(2019) == [
        {"public_name": "外地商会", "total": d("10000000.00"), "sector": "民营企业"},
        {"public_name": "广东省湖南衡阳商会", "total": d("3000000.00"), "sector": "民营企业"},
    ]


def test_relief_against_last_year_with_its_base_named(two_years):
    relief = figures.relief(2019)
    assert (relief.spent.current, relief.spent.previous) == (d("1001000.00"), d("204000.00"))
    assert (relief.spent.change, relief.spent.percent) == (d("797000.00"), d("390.7"))
    assert (relief.people_helped, relief.project_count) == (507, 2)
    assert (relief.of_raised.percent, relief.of_raised.base) == (d("5.9"), "本年度募集总额（含直接捐赠）")
    assert (relief.of_account.percent, relief.of_account.base) == (d("14.1"), "本年度进入总会账户的金额")
    assert relief.earlier_funds == d("137610.00") and relief.earlier_by_year == [(2018, d("137610.00"))]
    assert [
        (p.name, p.spent.current, p.spent.previous, p.people.current, p.people.previous)
        for p in relief.projects
    ] == [
        ("慈善光明行", d("1000000.00"), d("204000.00"), 500, 100),
        ("慈康项目", d("1000.00"), None, 7, None),
    ]
    assert [p.name for p in relief.recurring] == ["慈善光明行"]


def test_funds_year_cannot_be_after_the_year_paid(two_years):
    spending = Disbursement.objects.get(voucher_no="P-4")
    spending.funds_year = 2020
    with pytest.raises(ValidationError, match="资金所属年度不能晚于支出日期所在年度"):
        spending.full_clean()


def test_a_project_over_several_years_has_a_budget_per_year(two_years):
    light = ReliefProject.objects.get(name="慈善光明行")
    ProjectYear.objects.create(project=light, year=2018, budget=d("300000.00"))
    ProjectYear.objects.create(project=light, year=2019, budget=d("1000000.00"))
    relief = figures.relief(2019)
    budgets = {p.name: p.budget for p in relief.projects}
    light_budget = budgets["慈善光明行"]
    assert (light_budget.current, light_budget.previous) == (d("1000000.00"), d("300000.00"))
    assert budgets["慈康项目"] is None  # one budget, no yearly ones
    assert "年度预算由30万元变为100万元" in prose.recurring_sentence(relief)
    # The spending rule's limit: the largest of the budget, the yearly budgets' sum, directed money.
    limit = ReliefProject.objects.with_money().get(pk=light.pk).limit
    assert limit == max(light.budget, d("1300000.00"))
