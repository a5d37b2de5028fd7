"""From the demo (issue #22, done when): the LYBUNT list for 2023 names the units that gave in 2022
and not in 2023, checked against a plain query; in its own module, since the loaded demo stays for
every test of the module (tests/crawl.py)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from donations.models import Donation, Donor

LISTS = "admin:donations_donor_lists"
STANDING = ["pending", "confirmed"]


def unit_years(year):
    """{donor id: total} of units' own standing gifts to campaigns of `year` (plain ORM, no
    QuerySet method of the ledger)."""
    totals = {}
    for donor_id, amount in Donation.objects.filter(
        campaign__year=year, donor__kind="unit", status__in=STANDING
    ).values_list("donor_id", "amount"):
        totals[donor_id] = totals.get(donor_id, Decimal(0)) + amount
    return totals


def workbook_rows(response):
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.django_db
def test_the_demos_lybunt_list_for_2023_names_the_units_that_gave_in_2022_and_not_2023(demo_site, client):
    admin = Donor._meta.apps.get_model("auth", "User").objects.get(username="admin")
    client.force_login(admin)
    gave_2022, gave_2023 = unit_years(2022), unit_years(2023)
    expected = set(
        Donor.objects.filter(pk__in=set(gave_2022) - set(gave_2023)).values_list("name", flat=True)
    )
    assert expected, "演示数据里应有 2022 年捐过、2023 年没捐的单位"

    response = client.get(reverse(LISTS), {"list": "lybunt", "year": 2023, "format": "xlsx"})
    rows = workbook_rows(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["名称", "类型", "版块"] and "电话" in header and "2022年度（元）" in header
    assert {row[0] for row in body} == expected
    last_year = header.index("2022年度（元）")
    named = {Donor.objects.get(name=row[0]).pk: row[last_year] for row in body}
    assert named == {pk: float(gave_2022[pk]) for pk in named}

    page = client.get(reverse(LISTS), {"list": "lybunt", "year": 2023})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == len(expected)
