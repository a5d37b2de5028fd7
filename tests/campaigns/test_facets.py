"""The donation list's sum for one filter's value is read from CampaignFacet (campaigns/facets.py)
and equals the sum of the rows the list selects, to the fen, for every choice of every filter,
over all campaigns or within one, and right after a change."""

from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse

from campaigns.facets import facet_of
from campaigns.freshness import figures_changed
from campaigns.models import CampaignFacet
from donations import review
from donations.models import Donation, ImportBatch
from tests import factories
from tests.donations.test_admin_summary import expected, shown

pytestmark = pytest.mark.django_db
URL = reverse("admin:donations_donation_changelist")


@pytest.fixture
def gifts(client, admin_user, django_capture_on_commit_callbacks):
    """Two campaigns with gifts in every filter's values: sectors and none, branches and none, an
    import batch, channels, anonymity, units and people, a reversed gift and its reversal."""
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        old = factories.campaign("2022年慈善一日捐", year=2022)
        new = factories.campaign()
        branch = factories.branch("教育分会", "教育系统")
        school = factories.unit("衡阳市第一中学", sector_name="教育系统", branch=branch)
        bureau = factories.unit("衡阳市财政局")
        person, other = factories.person("王伟"), factories.person("李娜")
        batch = ImportBatch.objects.create(campaign=new, file_name="第1批.xlsx", sha256="1" * 64)
        factories.donation(school, old, "1000.10", head_count=40, received_on=old.start_date)
        factories.donation(person, old, "50.01", received_on=old.end_date, channel="wechat")
        factories.donation(school, new, "2000.20", head_count=45, batch=batch)
        factories.donation(bureau, new, "300.30", head_count=7, channel="cash")
        factories.donation(person, new, "10.00", batch=batch)
        factories.donation(other, new, "5.05", anonymous=True, channel="wechat")
        wrong = factories.donation(other, new, "99.99")
        Donation.objects.filter(sector__isnull=False, donor=other).update(sector=None)
        review.confirm_donations([wrong.pk], admin_user)
        review.reverse_donation(wrong, "重复录入", admin_user)
    return old, new


def choices(client, params):
    """Every choice of every filter of the list at `params`, as request parameters."""
    listed = client.get(URL, params).context_data["cl"]
    for spec in listed.filter_specs:
        for choice in spec.choices(listed):
            chosen = dict(parse_qsl(choice["query_string"].lstrip("?")))
            if chosen != params:  # "全部": the list without this filter
                yield spec.title, chosen


@pytest.mark.parametrize("within", [False, True])
def test_every_choice_of_every_filter_sums_to_its_rows(client, gifts, within):
    params = {"campaign__id__exact": str(gifts[1].pk)} if within else {}
    read = 0
    for title, chosen in choices(client, params):
        listed = client.get(URL, chosen).context_data["cl"]
        assert shown(client, **chosen) == expected(listed.queryset), (title, chosen)
        assert listed.result_count == listed.queryset.count()
        read += facet_of(listed.queryset) is not None
    # Every filter but the campaign and the date was read from the facets.
    assert read >= 15 and CampaignFacet.objects.exists()


def test_the_facets_follow_a_change_at_once(client, gifts, admin_user, django_capture_on_commit_callbacks):
    old, new = gifts
    filters = ({"channel__exact": "wechat"}, {"donor__kind": "individual"}, {"sector__isnull": "True"})
    for params in filters:
        shown(client, **params)  # computed and kept
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(factories.person(), new, "0.02", channel="wechat")
        gift = Donation.objects.get(amount=Decimal("50.01"))
        review.confirm_donations([gift.pk], admin_user)
        review.reverse_donation(gift, "金额有误", admin_user)
    for params in filters:
        listed = client.get(URL, params).context_data["cl"].queryset
        assert shown(client, **params) == expected(listed)
        assert shown(client, campaign__id__exact=old.pk, **params) == expected(listed.filter(campaign=old))


def test_only_the_exact_selection_of_one_value_is_read_from_the_facets(client, gifts):
    old, new = gifts
    wechat = Donation.objects.filter(channel="wechat")
    assert facet_of(wechat) == ("all", "channel", "wechat")
    assert facet_of(wechat.filter(campaign_id=new.pk)) == (new.pk, "channel", "wechat")
    # 到账方式 too: nearly every gift is 总会账户, which the live sum read row by row.
    assert facet_of(Donation.objects.filter(route="account")) == ("all", "route", "account")
    assert facet_of(Donation.objects.filter(campaign_id=new.pk).filter(sector__isnull=True)) == (
        new.pk,
        "sector",
        None,
    )
    narrowed = [
        wechat.filter(anonymous=True),  # two filters
        wechat.filter(donor__name__contains="王"),  # a search
        wechat.filter(branch__in=[1, 2]),  # a liaison's branches
        wechat.filter(received_on__year=2023),  # a date
        Donation.objects.filter(channel__in=["wechat", "cash"]),
    ]
    for queryset in narrowed:
        assert facet_of(queryset) is None
    two_filters, filter_and_search = (
        {"channel__exact": "wechat", "anonymous__exact": "1"},
        {"channel__exact": "wechat", "q": "王伟"},
    )
    for params in (two_filters, filter_and_search):
        listed = client.get(URL, params).context_data["cl"].queryset
        assert shown(client, **params) == expected(listed)


def test_a_value_gone_from_a_campaign_leaves_no_figures_behind(
    client, gifts, django_capture_on_commit_callbacks
):
    _, new = gifts
    assert shown(client, channel__exact="cash")["total"] == Decimal("300.30")
    with django_capture_on_commit_callbacks(execute=True):
        Donation.objects.filter(channel="cash").update(channel="bank")
        figures_changed(new.pk)
    assert shown(client, channel__exact="bank") == expected(Donation.objects.filter(channel="bank"))
    assert not CampaignFacet.objects.filter(facet="channel", value="cash").exists()
    assert CampaignFacet.objects.filter(facet="channel", value="bank", campaign=new).exists()
