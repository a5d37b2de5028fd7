"""Remittance lines (a unit's staff list) on the donation admin page: never on an individual's gift."""

import pytest
from django.urls import reverse

from charity.admin_concurrency import row_version
from donations.models import Donation, RemittanceLine
from tests import factories

pytestmark = pytest.mark.django_db

REFUSAL = "是个人捐赠，不是单位汇款，不能有汇款明细"


def form_data(campaign, donor, lines=(), initial=0, **changes):
    data = {
        "campaign": campaign.pk,
        "donor": donor.pk,
        "amount": "300.00",
        "received_on": "2023-09-09",
        "channel": "bank",
        "route": "account",
        "receipt_no": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(initial),
        **changes,
    }
    for i, line in enumerate(lines):
        data.update({f"lines-{i}-{key}": value for key, value in line.items()})
    return data


def test_an_individuals_donation_page_has_no_lines(client, admin_user, campaign):
    gift = factories.donation(factories.person("张三"), campaign)
    client.force_login(admin_user)
    body = client.get(reverse("admin:donations_donation_change", args=[gift.pk])).content.decode()
    assert "张三" in body
    assert "lines-TOTAL_FORMS" not in body and "汇款明细" not in body


def test_a_units_donation_page_offers_lines(client, admin_user, campaign):
    remittance = factories.donation(factories.unit(), campaign)
    client.force_login(admin_user)
    body = client.get(reverse("admin:donations_donation_change", args=[remittance.pk])).content.decode()
    assert "lines-TOTAL_FORMS" in body and "汇款明细" in body


def test_an_individuals_donation_still_saves_without_lines(client, admin_user, campaign):
    gift = factories.donation(factories.person(), campaign, amount="100")
    client.force_login(admin_user)
    url = reverse("admin:donations_donation_change", args=[gift.pk])
    data = form_data(campaign, gift.donor, amount="120.00", row_version=row_version(Donation, gift.pk))
    del data["lines-TOTAL_FORMS"], data["lines-INITIAL_FORMS"]  # the page has no inline to post
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    gift.refresh_from_db()
    assert str(gift.amount) == "120.00"


def test_adding_an_individuals_donation_with_lines_is_refused(client, admin_user, campaign):
    person, colleague = factories.person("李四"), factories.person("王五")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:donations_donation_add"),
        form_data(campaign, person, [{"donor": colleague.pk, "amount": "100.00"}]),
    )
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Donation.objects.exists() and not RemittanceLine.objects.exists()


def test_adding_a_units_remittance_with_lines_works(client, admin_user, campaign):
    unit = factories.unit("衡阳市教育局")
    staff = factories.person("赵六", employer=unit)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:donations_donation_add"),
        form_data(campaign, unit, [{"donor": staff.pk, "amount": "100.00"}]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    line = RemittanceLine.objects.get()
    assert (line.remittance.donor, line.donor, str(line.amount)) == (unit, staff, "100.00")


def test_moving_a_remittance_with_lines_to_an_individual_is_refused(client, admin_user, campaign):
    unit = factories.unit()
    remittance = factories.donation(unit, campaign, amount="300")
    line = RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person(employer=unit), amount="100"
    )
    person = factories.person()
    client.force_login(admin_user)
    url = reverse("admin:donations_donation_change", args=[remittance.pk])
    kept = {"id": line.pk, "remittance": remittance.pk, "donor": line.donor_id, "amount": "100.00"}
    opened = row_version(Donation, remittance.pk)  # the version of the row the clerk's page shows
    response = client.post(url, form_data(campaign, person, [kept], initial=1, row_version=opened))
    assert response.status_code == 200 and REFUSAL in response.content.decode()
    remittance.refresh_from_db()
    assert remittance.donor == unit
    # Deleting the lines in the same save is what the message asks for, and it is accepted.
    response = client.post(
        url, form_data(campaign, person, [{**kept, "DELETE": "on"}], initial=1, row_version=opened)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    remittance.refresh_from_db()
    assert remittance.donor == person and not remittance.lines.exists()


def test_a_long_staff_list_shows_its_first_lines_and_links_to_all(client, admin_user, campaign):
    """A unit's staff list of thousands would take seconds to render: the page lists the first 50,
    each named without a query of its own, and links to all of them in 汇款明细."""
    unit = factories.unit("衡阳市中心医院")
    remittance = factories.donation(unit, campaign, "6000")
    people = [factories.person(f"职工{i:02d}", employer=unit) for i in range(60)]
    lines = RemittanceLine.objects.bulk_create(
        RemittanceLine(remittance=remittance, donor=person, amount="100") for person in people
    )
    client.force_login(admin_user)
    url = reverse("admin:donations_donation_change", args=[remittance.pk])
    body = client.get(url).content.decode()
    assert 'name="lines-INITIAL_FORMS" value="50"' in body
    assert f'<option value="{people[49].pk}" selected>职工49</option>' in body
    assert "职工50" not in body
    listed = reverse("admin:donations_remittanceline_changelist") + f"?remittance__id__exact={remittance.pk}"
    assert "共有 60 条明细" in body and listed in body
    assert client.get(listed).context_data["cl"].result_count == 60
    # Saving the page changes the lines it shows and leaves the others as they were.
    shown = [
        {"id": line.pk, "remittance": remittance.pk, "donor": line.donor_id, "amount": "100.00"}
        for line in lines[:50]
    ]
    shown[0]["amount"] = "50.00"  # the 60 lines may not add up to more than the 6,000.00 remitted
    data = form_data(
        campaign, unit, shown, initial=50, amount="6000.00", row_version=row_version(Donation, remittance.pk)
    )
    assert client.post(url, data).status_code == 302
    assert RemittanceLine.objects.get(pk=lines[0].pk).amount == 50
    assert RemittanceLine.objects.filter(remittance=remittance).count() == 60
