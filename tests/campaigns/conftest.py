import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from campaigns import services
from campaigns.models import HonorRollIssue, RankingEdition
from campaigns.rankings.content import add_default_categories
from donations.models import Donor, RemittanceLine
from tests import factories

# Real names that must never reach any public output of honor rolls and rankings.
SECRETS = ("隐名张三", "别名李四", "空别名王五", "匿名职工赵六", "隐名单位甲")


@pytest.fixture
def publisher(django_user_model):
    """Staff of 慈善办 allowed to publish honor rolls and rankings."""
    user = django_user_model.objects.create_user("publisher", "p@example.org", "pw-pub-123", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="campaigns",
            codename__in=[
                "view_honorrollissue",
                "add_honorrollissue",
                "change_honorrollissue",
                "publish_honorrollissue",
                "view_rankingedition",
                "add_rankingedition",
                "change_rankingedition",
                "publish_rankingedition",
                "view_campaign",
            ],
        )
    )
    return user


@pytest.fixture(autouse=True)
def _public_surfaces_count_confirmed_gifts(reviewed_gifts):
    """The gifts these tests make are confirmed unless a test asks for a pending one."""


def d(text):
    return datetime.date.fromisoformat(text)


def new_issue(campaign, number, cut_off):
    return HonorRollIssue.objects.create(campaign=campaign, number=number, cut_off=d(cut_off))


def publish_issue(campaign, number, cut_off, user=None):
    return services.publish_honor_roll(new_issue(campaign, number, cut_off), user)


def new_edition(number=9, year=2023):
    edition = RankingEdition.objects.create(number=number, year=year)
    add_default_categories(edition)
    return edition


@pytest.fixture
def gifts(campaign):
    """A campaign with named, anonymous and aliased gifts, a unit's staff list and unassigned money.

    Threshold 1000 元 (the default). In September: 国资系统 unit 5000 with two staff lines
    (1200 named, 1500 anonymous); 个人 direct gifts 2000 (named), 3000 (anonymous donor),
    1000 (alias), 800 (blank alias, below threshold), 50 (named, below threshold); an anonymous
    unit's 700 in 教育系统 with a named staff line; 300 not assigned to a sector.
    """
    personal = factories.sector("个人")
    unit = factories.unit("衡阳市国资委", sector_name="国资系统")
    remittance = factories.donation(unit, campaign, "5000.00", head_count=3, received_on=d("2023-09-05"))
    RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person("刘明", employer=unit), amount=Decimal("1200.00")
    )
    RemittanceLine.objects.create(
        remittance=remittance,
        donor=factories.person("匿名职工赵六", employer=unit),
        amount=Decimal("1500.00"),
        anonymous=True,
    )
    hidden_unit = factories.unit("隐名单位甲", sector_name="教育系统")
    hidden = factories.donation(hidden_unit, campaign, "700.00", anonymous=True, received_on=d("2023-09-06"))
    RemittanceLine.objects.create(
        remittance=hidden, donor=factories.person("陈红", employer=hidden_unit), amount=Decimal("1000.00")
    )
    people = [
        (factories.person("孙一"), "2000.00", {}),
        (factories.person("隐名张三", display=Donor.Display.ANONYMOUS), "3000.00", {}),
        (factories.person("别名李四", display=Donor.Display.ALIAS, alias="一位老党员"), "1000.00", {}),
        (factories.person("空别名王五", display=Donor.Display.ALIAS, alias=" "), "800.00", {}),
        (factories.person("钱二"), "50.00", {}),
    ]
    for person, amount, extra in people:
        factories.donation(person, campaign, amount, sector=personal, received_on=d("2023-09-10"), **extra)
    factories.donation(
        factories.unit("待定单位", sector_name=None), campaign, "300.00", received_on=d("2023-09-12")
    )
    return campaign


@pytest.fixture(autouse=True)
def _empty_cache():
    """Published pages are cached for good; each test starts without what the last one cached."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
