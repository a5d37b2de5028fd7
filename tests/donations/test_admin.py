import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.models import Donation
from tests import factories

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:index",
    "admin:donations_donation_changelist",
    "admin:donations_donation_add",
    "admin:donations_donor_changelist",
    "admin:donations_donor_add",
    "admin:donations_sector_changelist",
    "admin:donations_branch_changelist",
    "admin:donations_importbatch_changelist",
    "admin:campaigns_campaign_changelist",
    "admin:campaigns_campaign_add",
    "admin:relief_reliefproject_changelist",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_load_for_admin(client, admin_user, campaign, page):
    factories.donation(campaign_=campaign)
    client.force_login(admin_user)
    assert client.get(reverse(page)).status_code == 200


def test_clerk_sees_donations_outsider_does_not(client, clerk, outsider, campaign):
    url = reverse("admin:donations_donation_changelist")
    client.force_login(clerk)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 302  # not staff: sent to the login page


def test_donation_change_page_loads(client, admin_user, campaign):
    d = factories.donation(campaign_=campaign)
    client.force_login(admin_user)
    assert client.get(reverse("admin:donations_donation_change", args=[d.pk])).status_code == 200


def _make_donations(campaign, n):
    branch = factories.branch("王一集团分会", sector_name="民营企业")
    for i in range(n):
        donor = factories.unit(f"单位{i}", sector_name="民营企业", branch=branch)
        factories.donation(donor, campaign, f"{i + 1}.50", receipt_no=f"R{i}")


def test_donation_list_query_count_does_not_grow_with_rows(
    client, admin_user, campaign, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    url = reverse("admin:donations_donation_changelist")

    def queries():
        client.get(url)  # the first request after a change brings the campaign's rollup up to date
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return captured

    with django_capture_on_commit_callbacks(execute=True):
        _make_donations(campaign, 5)
    few = queries()
    with django_capture_on_commit_callbacks(execute=True):
        assert [factories.donation(campaign_=campaign) for _ in range(60)]
    many = queries()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_donation_list_shows_sum_of_filtered_rows(client, admin_user, campaign):
    _make_donations(campaign, 3)  # 1.50 + 2.50 + 3.50
    other = factories.campaign(name="其他活动", year=2022)
    factories.donation(campaign_=other, amount="1000")
    client.force_login(admin_user)
    url = reverse("admin:donations_donation_changelist")
    body = client.get(url, {"campaign__id__exact": campaign.pk}).content.decode()
    assert "7.50 元" in body
    assert "1,007.50 元" in client.get(url).content.decode()


def test_donation_search_by_receipt_and_credit_code(client, admin_user, campaign):
    code = factories.credit_code()
    donor = factories.unit("搜索单位", credit_code=code)
    factories.donation(donor, campaign, "5", receipt_no="FIND-ME")
    factories.donation(campaign_=campaign, amount="6")
    client.force_login(admin_user)
    url = reverse("admin:donations_donation_changelist")
    for term in ("FIND-ME", code, "搜索单位"):
        response = client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == list(Donation.objects.filter(donor=donor))


def test_admin_add_records_who_entered(client, admin_user, campaign):
    donor = factories.unit()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:donations_donation_add"),
        {
            "campaign": campaign.pk,
            "donor": donor.pk,
            "amount": "88.80",
            "received_on": "2023-09-09",
            "channel": "bank",
            "route": "account",
            "receipt_no": "",
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    d = Donation.objects.get()
    assert (d.entered_by, d.sector.name) == (admin_user, "国资系统")
