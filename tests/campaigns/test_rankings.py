"""Ranking editions: candidates from the year's donations, ties, staff review, frozen publication."""

from decimal import Decimal

import pytest

from campaigns import services
from campaigns.models import RankingCategory, RankingEntry
from campaigns.rankings.content import with_ranks
from charity.models import AuditEntry
from charity.snapshots import SnapshotError
from donations.models import Donation, Donor
from tests import factories
from tests.campaigns.conftest import new_edition

pytestmark = pytest.mark.django_db
Kind = RankingCategory.Kind


def category(content, kind):
    return next(c for c in content["categories"] if c["kind"] == kind)


def ranked(content, kind):
    return [(e["rank"], e["name"], e["amount"]) for e in category(content, kind)["entries"]]


@pytest.fixture
def year_of_gifts(campaign):
    other = factories.campaign(name="2023年义卖", year=2023, kind="charity_sale")
    last_year = factories.campaign(name="2022年慈善一日捐", year=2022)
    a = factories.unit("甲单位", sector_name="国资系统")
    b = factories.unit("乙公司", sector_name="民营企业")
    c = factories.unit("丙公司", sector_name="民营企业")
    e = factories.unit("丁单位", sector_name="教育系统")
    factories.donation(a, campaign, "3000.00")
    factories.donation(a, other, "2000.00")  # across campaigns of the year: 5000
    factories.donation(b, campaign, "4000.00")
    factories.donation(c, campaign, "4000.00")  # tie with 乙公司
    factories.donation(e, campaign, "1000.00")
    factories.donation(e, last_year, "99999.00")  # another year: not counted
    personal = factories.sector("个人")
    factories.donation(factories.person("张好人"), campaign, "800.00", sector=personal)
    factories.donation(
        factories.person("隐名张三", display=Donor.Display.ANONYMOUS), campaign, "900.00", sector=personal
    )
    return campaign


def test_ties_are_ranked_equally_and_the_next_rank_skips(year_of_gifts):
    content = services.publish_ranking(new_edition(), None).content
    assert ranked(content, Kind.UNITS) == [
        (1, "甲单位", "5000.00"),
        (2, "丙公司", "4000.00"),
        (2, "乙公司", "4000.00"),
        (4, "丁单位", "1000.00"),
    ]
    assert ranked(content, Kind.COMPANIES) == [(1, "丙公司", "4000.00"), (1, "乙公司", "4000.00")]
    assert ranked(content, Kind.INDIVIDUALS) == [(1, "爱心人士", "900.00"), (2, "张好人", "800.00")]
    assert ranked(content, Kind.SECTORS) == [
        (1, "民营企业", "8000.00"),
        (2, "国资系统", "5000.00"),
        (3, "个人", "1700.00"),
        (4, "教育系统", "1000.00"),
    ]
    assert content["title"] == "第九届慈善排行榜（2023年度）"
    assert category(content, Kind.UNITS)["total"] == "14000.00"


def test_with_ranks_is_competition_ranking():
    class E:
        def __init__(self, amount):
            self.amount, self.public_name, self.donations, self.honour, self.citation = (
                Decimal(amount),
                "x",
                1,
                "",
                "",
            )

    rows = with_ranks([E("9"), E("5"), E("5"), E("3"), E("3"), E("3"), E("1")])
    assert [r["rank"] for r in rows] == [1, 2, 2, 4, 4, 4, 7]


def test_places_keep_everyone_tied_with_the_last(year_of_gifts):
    edition = new_edition()
    edition.categories.filter(kind=Kind.UNITS).update(size=2)
    content = services.publish_ranking(edition, None).content
    assert [e["name"] for e in category(content, Kind.UNITS)["entries"]] == ["甲单位", "丙公司", "乙公司"]


def test_review_excludes_with_a_reason_and_adds_honours_by_hand(year_of_gifts, publisher):
    edition = new_edition()
    services.refresh_ranking_candidates(edition, publisher)
    assert AuditEntry.objects.filter(action="campaigns.ranking.refreshed").count() == 1
    entry = RankingEntry.objects.get(category__kind=Kind.UNITS, public_name="甲单位")
    entry.excluded, entry.exclusion_reason = True, "本单位要求不参评"
    entry.save()
    RankingEntry.objects.filter(category__kind=Kind.UNITS, public_name="乙公司").update(honour="爱心企业")
    honours = edition.categories.get(kind=Kind.HONOURS)
    RankingEntry.objects.create(
        category=honours, public_name="周秀兰", honour="慈善楷模", citation="资助学生"
    )
    # Donations change before publishing: amounts are refreshed, decisions kept.
    Donation.objects.filter(donor__name="丁单位", campaign=year_of_gifts).update(amount=Decimal("4500.00"))

    content = services.publish_ranking(edition, publisher).content
    units = category(content, Kind.UNITS)["entries"]
    assert [(e["rank"], e["name"], e["honour"]) for e in units] == [
        (1, "丁单位", ""),
        (2, "丙公司", ""),
        (2, "乙公司", "爱心企业"),
    ]
    assert category(content, Kind.HONOURS)["entries"] == [
        {
            "rank": None,
            "name": "周秀兰",
            "amount": None,
            "donations": 0,
            "honour": "慈善楷模",
            "citation": "资助学生",
        }
    ]
    assert "本单位要求不参评" not in str(content)  # the reason stays with staff


def test_an_exclusion_needs_a_reason(year_of_gifts):
    edition = new_edition()
    services.refresh_ranking_candidates(edition, None)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RankingEntry.objects.filter(category__edition=edition).update(excluded=True)


def test_published_edition_is_frozen(year_of_gifts):
    edition = services.publish_ranking(new_edition(), None)
    sha = edition.content_sha256
    Donation.objects.filter(donor__name="甲单位").update(amount=Decimal("1.00"))
    with pytest.raises(SnapshotError, match="名单不再变化"):
        services.refresh_ranking_candidates(edition, None)
    with pytest.raises(SnapshotError, match="不能再次发布"):
        services.publish_ranking(edition, None)
    edition.refresh_from_db()
    assert edition.content_sha256 == sha
    assert ranked(edition.content, Kind.UNITS)[0] == (1, "甲单位", "5000.00")
    assert AuditEntry.objects.filter(action="campaigns.ranking.published").count() == 1


def test_staff_can_add_a_category(year_of_gifts):
    edition = new_edition()
    RankingCategory.objects.create(edition=edition, kind=Kind.UNITS, name="前三名单位", size=1, order=0)
    content = services.publish_ranking(edition, None).content
    assert content["categories"][0]["name"] == "前三名单位"
    assert [e["name"] for e in content["categories"][0]["entries"]] == ["甲单位"]
