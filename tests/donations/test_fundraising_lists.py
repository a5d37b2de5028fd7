"""The fundraisers' lists (issue #22, 1): LYBUNT, SYBUNT, giving less, first gift; each checked
against an independent query, scoped for a liaison, and exported as a formula-safe call list.
A donor's page shows its giving per year and kind; the donor list shows this year and last."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.models import BranchLiaison, Donation, Donor, RemittanceLine
from tests import factories
from tests.conftest import staff_with_role

LISTS = "admin:donations_donor_lists"


def workbook_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def history(campaign):
    """Units giving in 2021-2023 in ways that put each on exactly one list for 2023."""
    years = {
        2021: factories.campaign("2021年慈善一日捐", year=2021),
        2022: factories.campaign("2022年慈善一日捐", year=2022),
    }
    years[2023] = campaign
    branch = factories.branch("市住建局慈善分会", "住建系统")
    other = factories.branch("公安局慈善分会", "公安系统")

    def gave(name, amounts, **kwargs):
        donor = factories.unit(name, kwargs.pop("sector", "住建系统"), **kwargs)
        for year, amount in amounts.items():
            factories.donation(donor, years[year], amount, received_on=datetime.date(year, 9, 1))
        return donor

    return {
        "lybunt": gave("去年捐今年未捐", {2022: "500.00"}, branch=branch, phone="0734-1111111"),
        "lybunt_other": gave("公安局", {2021: "80.00", 2022: "300.00"}, sector="公安系统", branch=other),
        "sybunt": gave("前年捐过", {2021: "200.00"}, branch=branch),
        "less": gave("今年少捐", {2022: "1000.00", 2023: "600.00"}, branch=branch),
        "more": gave("今年多捐", {2022: "1000.00", 2023: "1600.00"}, branch=branch),
        "first": gave("今年首捐", {2023: "50.00"}, branch=branch),
        "branch": branch,
        "years": years,
    }


def listed(client, which, **params):
    response = client.get(reverse(LISTS), {"list": which, "year": 2023, **params})
    assert response.status_code == 200
    return [donor.name for donor in response.context["page"]]


@pytest.mark.django_db
def test_each_list_names_exactly_its_donors(admin_client, history):
    assert listed(admin_client, "lybunt") == ["去年捐今年未捐", "公安局"]  # larger last year first
    assert listed(admin_client, "sybunt") == ["前年捐过"]
    assert listed(admin_client, "less") == ["今年少捐"]
    assert listed(admin_client, "first") == ["今年首捐"]
    # Sector, branch and campaign kind narrow the list.
    sector = factories.sector("公安系统").pk
    assert listed(admin_client, "lybunt", sector=sector) == ["公安局"]
    assert listed(admin_client, "lybunt", branch=history["branch"].pk) == ["去年捐今年未捐"]
    assert listed(admin_client, "lybunt", campaign_kind="disaster") == []


@pytest.mark.django_db
def test_a_reversed_gift_no_longer_counts_as_giving(admin_client, history):
    gift = Donation.objects.get(donor=history["first"])
    when = datetime.datetime(2023, 9, 2, tzinfo=datetime.UTC)
    Donation.objects.filter(pk=gift.pk).update(status="reversed", confirmed_at=when)
    Donation.objects.create(
        donor=gift.donor,
        campaign=gift.campaign,
        amount=-gift.amount,
        received_on=gift.received_on,
        status="reversal",
        reverses=gift,
        reversal_reason="录错",
        confirmed_at=when,
    )
    assert listed(admin_client, "first") == []


@pytest.mark.django_db
def test_less_than_last_year_shows_both_figures(admin_client, history):
    rows = workbook_rows(admin_client.get(reverse(LISTS), {"list": "less", "year": 2023, "format": "xlsx"}))
    header, (row,) = rows[0], rows[1:]
    assert row[header.index("2022年度（元）")] == 1000 and row[header.index("2023年度（元）")] == 600


@pytest.mark.django_db
def test_a_liaison_lists_and_exports_only_its_branch(client, history):
    liaison = staff_with_role("liaison", "分会联络员")
    BranchLiaison.objects.create(user=liaison, branch=history["branch"])
    client.force_login(liaison)
    assert listed(client, "lybunt") == ["去年捐今年未捐"]
    rows = workbook_rows(client.get(reverse(LISTS), {"list": "lybunt", "year": 2023, "format": "xlsx"}))
    assert [row[0] for row in rows[1:]] == ["去年捐今年未捐"]
    # Another branch cannot even be asked for: the form refuses it.
    other = Donor.objects.get(name="公安局").branch_id
    response = client.get(reverse(LISTS), {"list": "lybunt", "year": 2023, "branch": other})
    assert response.status_code == 200 and "page" not in response.context
    assert "公安局" not in response.content.decode()


@pytest.mark.django_db
def test_the_call_list_is_formula_safe(admin_client, history):
    Donor.objects.filter(pk=history["lybunt"].pk).update(contact_person='=HYPERLINK("http://x")')
    rows = workbook_rows(admin_client.get(reverse(LISTS), {"list": "lybunt", "year": 2023, "format": "xlsx"}))
    header = rows[0]
    contact = next(row for row in rows[1:] if row[0] == "去年捐今年未捐")[header.index("联系人")]
    assert contact == '\'=HYPERLINK("http://x")'
    assert next(row for row in rows[1:] if row[0] == "去年捐今年未捐")[header.index("电话")] == "0734-1111111"


@pytest.mark.django_db
def test_a_donors_page_shows_giving_per_year_and_kind_with_a_persons_staff_lines(admin_client, history):
    disaster = factories.campaign("2022年抗洪救灾", year=2022, kind="disaster")
    unit = history["less"]
    factories.donation(unit, disaster, "77.00", received_on=datetime.date(2022, 7, 1))
    page = admin_client.get(reverse("admin:donations_donor_change", args=[unit.pk])).content.decode()
    assert (
        "捐赠历史" in page
        and "600.00" in page
        and "1,000.00" in page
        and "77.00" in page
        and "灾害救助" in page
    )

    person = factories.person("王建国", employer=unit)
    remittance = Donation.objects.get(donor=unit, campaign__year=2023)
    RemittanceLine.objects.create(remittance=remittance, donor=person, amount=Decimal("123.00"))
    page = admin_client.get(reverse("admin:donations_donor_change", args=[person.pk])).content.decode()
    assert "随单位汇款的明细" in page and "123.00" in page and "没有本人直接捐赠的记录" in page


@pytest.mark.django_db
def test_the_donor_list_shows_this_years_and_last_years_totals(admin_client, history):
    response = admin_client.get(reverse("admin:donations_donor_changelist"), {"q": "今年少捐"})
    (donor,) = response.context_data["cl"].result_list
    assert (donor.this_year, donor.last_year) == (Decimal("600.00"), Decimal("1000.00"))
    body = response.content.decode()
    assert "本年度（元）" in body and "1,000.00" in body


@pytest.mark.django_db
def test_the_lists_queries_do_not_grow_with_their_rows(admin_client, history):
    def queries(params):
        admin_client.get(reverse(LISTS), params)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse(LISTS), params).status_code == 200
        return len(captured)

    cases = [{"list": key, "year": 2023} for key in ("lybunt", "sybunt", "less", "first")]
    cases += [{"list": "lybunt", "year": 2023, "format": "xlsx"}]
    small = [queries(params) for params in cases]
    last_year = history["years"][2022]
    for n in range(30):
        unit = factories.unit(
            f"衡阳市新增单位{n}", "住建系统", branch=history["branch"], phone=f"0734-{n:07d}"
        )
        factories.donation(unit, last_year, "10.00", received_on=datetime.date(2022, 9, 1))
    assert len(listed(admin_client, "lybunt")) == 32
    assert [queries(params) for params in cases] == small
