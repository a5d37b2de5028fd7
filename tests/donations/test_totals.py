from decimal import Decimal

import pytest

from campaigns.models import Campaign
from donations.models import Donation, Donor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(campaign):
    other = factories.campaign(name="2022年慈善一日捐", year=2022)
    a = factories.unit("甲单位", sector_name="国资系统")
    b = factories.unit("乙单位", sector_name="教育系统")
    p = factories.person("张三")
    factories.donation(a, campaign, "1000.10", head_count=40)
    factories.donation(a, campaign, "0.05", head_count=2)
    factories.donation(b, campaign, "333.33", head_count=10)
    factories.donation(p, campaign, "50.00", sector=factories.sector("个人"))
    # Staff of a unit not yet assigned to a sector: the money waits, counted apart, with the unit's.
    waiting = factories.unit("未定版块单位", sector_name=None)
    factories.donation(factories.person("无版块", employer=waiting), campaign, "7.77")
    factories.donation(a, other, "999.99")
    return campaign, other


def test_total_for_campaign(data):
    campaign, other = data
    assert Donation.objects.for_campaign(campaign).total() == Decimal("1391.25")
    assert Donation.objects.for_campaign(other).total() == Decimal("999.99")
    assert Donation.objects.none().total() == Decimal("0")


def test_totals_by_sector_in_report_order_with_unassigned_last(data):
    campaign, _ = data
    rows = [
        (r["sector__name"], r["total"]) for r in Donation.objects.for_campaign(campaign).totals_by_sector()
    ]
    assert rows == [
        ("个人", Decimal("50.00")),
        ("国资系统", Decimal("1000.15")),
        ("教育系统", Decimal("333.33")),
        (None, Decimal("7.77")),
    ]
    assert sum(r[1] for r in rows) == Donation.objects.for_campaign(campaign).total()


def test_totals_by_donor_largest_first(reviewed_gifts, data):
    campaign, _ = data
    rows = list(Donation.objects.for_campaign(campaign).totals_by_donor())
    assert [(r["public_name"], r["total"], r["donations"]) for r in rows[:2]] == [
        ("甲单位", Decimal("1000.15"), 2),
        ("乙单位", Decimal("333.33"), 1),
    ]


def test_totals_by_branch(campaign):
    br = factories.branch("王一集团分会", sector_name="民营企业")
    donor = factories.unit(sector_name="民营企业", branch=br)
    factories.donation(donor, campaign, "12.34")
    factories.donation(donor, campaign, "0.66")
    (row,) = Donation.objects.for_campaign(campaign).totals_by_branch()
    assert (row["branch__name"], row["total"]) == ("王一集团分会", Decimal("13.00"))


def test_units_and_head_count(data):
    campaign, _ = data
    qs = Donation.objects.for_campaign(campaign)
    assert qs.participating_units() == 2
    # 52 staff on unit remittances + 2 individuals giving on their own.
    assert qs.head_count() == 54
    summary = qs.summary()
    assert (summary["total"], summary["donations"], summary["units"]) == (Decimal("1391.25"), 5, 2)
    assert summary["head_count"] == qs.head_count() == 54


def test_totals_by_campaign_and_with_totals(data):
    campaign, other = data
    by_campaign = {r["campaign__name"]: r["total"] for r in Donation.objects.totals_by_campaign()}
    assert by_campaign == {campaign.name: Decimal("1391.25"), other.name: Decimal("999.99")}
    annotated = Campaign.objects.with_totals().get(pk=campaign.pk)
    assert (annotated.raised, annotated.donation_count) == (Decimal("1391.25"), 5)
    unit_a = Donor.objects.with_totals(campaign).get(name="甲单位")
    assert unit_a.donated_total == Decimal("1000.15")
