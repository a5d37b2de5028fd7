"""The sum above the donation list stays exact when it is read from the campaign rollups.

Every donation, or every donation of one campaign, is summed from campaigns/rollups.py; one value
of one filter from campaigns/facets.py (tests/campaigns/test_facets.py); any other selection is
summed live. Either way the figures must equal DonationQuerySet.summary() of the
rows the list selects, to the fen, also right after a change.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.freshness import all_figures_changed, figures_changed
from campaigns.rollups import summary_of, whole_campaign
from donations.models import Donation
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("admin:donations_donation_changelist")


def shown(client, **params):
    body = client.get(URL, params).content.decode()
    text = re.sub(r"<[^>]+>", "", re.search(r'<p class="donation-summary".*?</p>', body, re.S).group())
    numbers = [n.replace(",", "") for n in re.findall(r"(-?[\d,]+(?:\.\d\d)?) (?:元|笔|家|人)", text)]
    across = "跨多个活动" in text
    assert len(numbers) == (2 if across else 4), text
    return {
        "total": Decimal(numbers[0]),
        "donations": int(numbers[1]),
        "units": None if across else int(numbers[2]),
        "head_count": None if across else int(numbers[3]),
    }


@pytest.fixture
def years(client, admin_user, django_capture_on_commit_callbacks):
    """Two campaigns; a unit and a person give in both, so each counts once over both years."""
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        old = factories.campaign("2022年慈善一日捐", year=2022)
        new = factories.campaign()
        unit, other_unit = factories.unit("衡阳市教育局"), factories.unit("衡阳市财政局")
        person, other_person = factories.person("王伟"), factories.person("李娜")
        factories.donation(unit, old, "1000.10", head_count=40, received_on=old.start_date)
        factories.donation(person, old, "50.01", received_on=old.start_date)
        factories.donation(person, old, "20.00", received_on=old.end_date, channel="wechat")
        factories.donation(unit, new, "2000.20", head_count=45)
        factories.donation(other_unit, new, "300.30", head_count=7, channel="cash")
        factories.donation(person, new, "10.00")
        factories.donation(other_person, new, "5.05", anonymous=True)
    return old, new


def expected(queryset):
    """summary() of the rows, without units and people when the list spans campaigns."""
    figures = queryset.order_by().summary()
    if queryset.order_by().values("campaign").distinct().count() > 1:
        figures.update(units=None, head_count=None)
    return figures


def test_every_donation_shows_its_sum_and_units_and_people_per_campaign(
    client, years, django_capture_on_commit_callbacks
):
    every = Donation.objects.order_by().summary()
    assert every == {"total": Decimal("3385.66"), "donations": 7, "units": 2, "head_count": 94}
    assert shown(client) == {**every, "units": None, "head_count": None}
    # With one campaign's gifts only, the list of every donation is that campaign's.
    with django_capture_on_commit_callbacks(execute=True):
        Donation.objects.filter(campaign=years[0]).delete()
        figures_changed(years[0].pk)
    assert shown(client) == Donation.objects.order_by().summary() != every


def test_a_filtered_list_across_campaigns_shows_its_sum_and_asks_for_a_campaign_for_the_rest(client, years):
    figures = shown(client, donor__kind="unit")
    assert figures == {"total": Decimal("3300.60"), "donations": 3, "units": None, "head_count": None}
    within = shown(client, donor__kind="unit", campaign__id__exact=years[1].pk)
    assert within == {"total": Decimal("2300.50"), "donations": 2, "units": 2, "head_count": 52}


def test_the_list_pages_through_reversed_gifts_and_their_reversals_too(client, years, admin_user):
    from donations import review

    gift = Donation.objects.get(amount=Decimal("300.30"))
    review.confirm_donations([gift.pk], admin_user)
    review.reverse_donation(gift, "重复录入", admin_user)
    for params in ({}, {"campaign__id__exact": years[1].pk}, {"channel__exact": "cash"}):
        response = client.get(URL, params)
        listed = response.context_data["cl"]
        assert listed.result_count == listed.queryset.count()  # rows, not gifts that stand
    assert shown(client)["donations"] == 6 and shown(client)["total"] == Decimal("3085.36")


def test_one_campaign_is_read_from_its_rollup(client, years):
    old, new = years
    for campaign in (old, new):
        assert shown(client, campaign__id__exact=campaign.pk) == expected(
            Donation.objects.filter(campaign=campaign)
        )


@pytest.mark.parametrize(
    "params",
    [
        {"channel__exact": "wechat"},
        {"anonymous__exact": "1"},
        {"donor__kind": "individual"},
        {"donor__kind__exact": "unit"},  # the admin's own filter, as saved links have it
        {"q": "王伟"},
        {"q": "没有这个人"},  # nothing found
        {"received_on__year": "2022"},
    ],
)
def test_other_selections_agree(client, years, params):
    response = client.get(URL, params)
    changelist = response.context_data["cl"]
    assert whole_campaign(changelist.queryset) is None
    assert shown(client, **params) == expected(changelist.queryset)


def test_the_sum_follows_a_change_at_once(client, years, django_capture_on_commit_callbacks):
    old, new = years
    shown(client)  # rollups computed
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(factories.person("新捐赠人"), old, "0.01", received_on=old.start_date)
        Donation.objects.get(amount=Decimal("2000.20")).delete()
    client.get(reverse("admin:campaigns_campaign_changelist"))  # brings the rollups up to date
    assert shown(client) == expected(Donation.objects.all())
    assert shown(client, campaign__id__exact=new.pk) == expected(Donation.objects.filter(campaign=new))
    with django_capture_on_commit_callbacks(execute=True):
        Donation.objects.filter(donor__name="李娜").update(campaign=old)
        all_figures_changed()
    for campaign in (old, new):
        listed = Donation.objects.filter(campaign=campaign)
        assert shown(client, campaign__id__exact=campaign.pk) == expected(listed)
    assert shown(client) == expected(Donation.objects.all())


def test_a_restricted_list_is_never_read_from_the_rollups(years):
    """A list narrowed by anything but one campaign (a filter, a search, a user who may see only
    some donations) is summed from its own rows."""
    old, _ = years
    narrowed = Donation.objects.filter(campaign=old).filter(sector__name="国资系统")
    assert whole_campaign(narrowed) is None
    assert {key: summary_of(narrowed)[key] for key in expected(narrowed)} == expected(narrowed)
    both = Donation.objects.filter(sector__name="国资系统")
    assert summary_of(both)["units"] is None and summary_of(both)["total"] == expected(both)["total"]
    assert whole_campaign(Donation.objects.filter(campaign=old)) == old.pk


def test_campaign_list_totals_follow_a_change(client, years, django_capture_on_commit_callbacks):
    old, _ = years
    url = reverse("admin:campaigns_campaign_changelist")
    assert "1,070.11" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(factories.person(), old, "0.01", received_on=old.start_date)
    assert "1,070.12" in client.get(url).content.decode()


@pytest.mark.parametrize("kind", ["unit", "individual"])
def test_the_donor_kind_filter_selects_that_kinds_gifts(client, years, kind):
    listed = client.get(URL, {"donor__kind": kind}).context_data["cl"].queryset
    assert set(listed) == set(Donation.objects.filter(donor__kind=kind)) != set()
