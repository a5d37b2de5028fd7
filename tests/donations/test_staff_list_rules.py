"""The staff-list rules (汇款明细) say the same thing on the 汇款明细 page, on the donation page
and in the importer (issue #18, 2: the 汇款明细 page let through what the other two refused).

The rules live in donations/staff_lists.py; each test asks all three ways in for the same line.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from donations import staff_lists
from donations.importing import check_file
from donations.models import Donation, RemittanceLine
from tests import factories
from tests.donations.admin_forms import donation_form
from tests.donations.import_helpers import counts, person_row, unit_row, xlsx

pytestmark = pytest.mark.django_db

OVER = "汇款“{}”金额 24290.00 元，明细合计 99999999.00 元，超出 99975709.00 元；明细不能多于汇款"


@pytest.fixture
def ledger(campaign):
    school = factories.unit("衡阳市一中", "教育系统")
    other_unit = factories.unit("衡阳市二中", "教育系统")
    pending = factories.donation(school, campaign, "24290.00", receipt_no="R-1")
    confirmed = factories.donation(school, campaign, "24290.00", receipt_no="R-2")
    Donation.objects.filter(pk=confirmed.pk).update(
        status=Donation.Status.CONFIRMED, confirmed_at=datetime.datetime(2023, 9, 2, tzinfo=datetime.UTC)
    )
    giver = factories.person("王五")
    own_gift = factories.donation(giver, campaign, "100.00", receipt_no="P-1")
    return {
        "campaign": campaign,
        "school": school,
        "other_unit": other_unit,
        "teacher": factories.person("张三", employer=school),
        "giver": giver,
        "R-1": pending,
        "R-2": confirmed,
        "P-1": own_gift,
    }


def on_the_line_page(client, remittance, donor, amount):
    """The messages the 汇款明细 add page answers for one line (nothing may be saved)."""
    before = counts()
    response = client.post(
        reverse("admin:donations_remittanceline_add"),
        {"remittance": remittance.pk, "donor": donor.pk, "amount": amount, "note": ""},
    )
    assert response.status_code == 200 and counts() == before
    form = response.context_data["adminform"].form
    return [str(m) for messages in form.errors.values() for m in messages]


def on_the_donation_page(client, gift, donor, amount):
    """The messages the donation page's staff list answers for one new line (nothing saved)."""
    line = {"lines-TOTAL_FORMS": "1", "lines-0-donor": donor.pk, "lines-0-amount": amount}
    url = (
        reverse("admin:donations_donation_change", args=[gift.pk])
        if gift.pk
        else reverse("admin:donations_donation_add")
    )
    before = counts()
    response = client.post(url, donation_form(gift, **line))
    assert response.status_code == 200 and counts() == before
    formset = response.context_data["inline_admin_formsets"][0].formset
    found = [str(m) for m in formset.non_form_errors()]
    return found + [str(m) for form in formset.forms for errors in form.errors.values() for m in errors]


def in_the_import(campaign, rows):
    """The messages of the importer's check of a file of `rows`, without their row and column."""
    return [
        error.message for error in check_file(xlsx(rows), file_name="明细.xlsx", campaign=campaign).errors
    ]


def test_lines_above_their_remittance_are_refused_alike(client, clerk, ledger):
    client.force_login(clerk)
    teacher = ledger["teacher"]
    message = OVER.format("R-1")
    assert on_the_line_page(client, ledger["R-1"], teacher, "99999999.00") == [message]
    assert on_the_donation_page(client, ledger["R-1"], teacher, "99999999.00") == [message]
    assert in_the_import(ledger["campaign"], [person_row("张三", "99999999", 汇款票据号="R-1")]) == [message]
    # A confirmed remittance takes more lines (staff lists come after the money), but not too many.
    message = OVER.format("R-2")
    assert on_the_line_page(client, ledger["R-2"], teacher, "99999999.00") == [message]
    assert in_the_import(ledger["campaign"], [person_row("张三", "99999999", 汇款票据号="R-2")]) == [message]
    assert not RemittanceLine.objects.exists()


def test_the_total_counts_the_lines_already_recorded(client, clerk, ledger):
    RemittanceLine.objects.create(remittance=ledger["R-1"], donor=ledger["teacher"], amount="24000.00")
    client.force_login(clerk)
    message = (
        "汇款“R-1”金额 24290.00 元，明细合计 24390.00 元（含此前已录入明细 24000.00 元），"
        "超出 100.00 元；明细不能多于汇款"
    )
    colleague = factories.person("李四", employer=ledger["school"])
    assert on_the_line_page(client, ledger["R-1"], colleague, "390.00") == [message]
    assert in_the_import(ledger["campaign"], [person_row("李四", "390", 汇款票据号="R-1")]) == [message]
    # Up to the remittance's amount is fine.
    response = client.post(
        reverse("admin:donations_remittanceline_add"),
        {"remittance": ledger["R-1"].pk, "donor": colleague.pk, "amount": "290.00", "note": ""},
    )
    assert response.status_code == 302
    assert ledger["R-1"].lines.count() == 2


def test_no_line_stands_under_an_individuals_gift(client, clerk, ledger):
    client.force_login(clerk)
    teacher, campaign = ledger["teacher"], ledger["campaign"]
    message = staff_lists.under_individual("P-1")
    assert message.startswith("票据号“P-1”是个人捐赠，不是单位汇款，不能有汇款明细")
    assert on_the_line_page(client, ledger["P-1"], teacher, "10.00") == [message]
    assert in_the_import(campaign, [person_row("张三", "10", 汇款票据号="P-1")]) == [message]
    # A new gift of a person with a line on the add page, and the same in one file.
    new_gift = Donation(
        campaign=campaign, donor=ledger["giver"], amount="100.00", received_on=datetime.date(2023, 9, 20)
    )
    new_gift.receipt_no = "P-2"
    message = staff_lists.under_individual("P-2")
    assert message in on_the_donation_page(client, new_gift, teacher, "10.00")
    rows = [person_row("王五", "100", 票据号="P-2"), person_row("张三", "10", 汇款票据号="P-2")]
    assert in_the_import(campaign, rows) == [message]


def test_a_line_names_a_person_not_a_unit(client, clerk, ledger):
    client.force_login(clerk)
    message = staff_lists.LINE_DONOR_NOT_PERSON
    unit = ledger["other_unit"]
    assert on_the_line_page(client, ledger["R-1"], unit, "10.00") == [message]
    assert on_the_donation_page(client, ledger["R-1"], unit, "10.00") == [message]
    assert in_the_import(ledger["campaign"], [unit_row("衡阳市二中", "10", 汇款票据号="R-1")]) == [message]


def test_a_script_that_validates_meets_the_same_rules(ledger):
    line = RemittanceLine(remittance=ledger["R-2"], donor=ledger["teacher"], amount=Decimal("99999999.00"))
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert refused.value.messages == [OVER.format("R-2")]
    RemittanceLine(remittance=ledger["R-2"], donor=ledger["teacher"], amount=Decimal("24290.00")).full_clean()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_adding_lines_at_once_cannot_pass_the_total_together(report_sectors):
    """Each sees room for 60.00 under a remittance of 100.00; the second to save is refused."""
    from django.test import Client

    from tests.conftest import staff_with_role
    from tests.donations.test_concurrent_staff import run_together

    campaign = factories.campaign()
    school = factories.unit("衡阳市一中", "教育系统")
    remittance = factories.donation(school, campaign, "100.00", receipt_no="R-1")
    people = [factories.person(f"职工{n}", employer=school) for n in range(2)]
    clients = [Client(), Client()]
    for n, client in enumerate(clients):
        client.force_login(staff_with_role(f"clerk{n}", "录入员"))

    def add(n):
        data = {"remittance": remittance.pk, "donor": people[n].pk, "amount": "60.00", "note": ""}
        return clients[n].post(reverse("admin:donations_remittanceline_add"), data).status_code

    statuses = run_together(lambda: add(0), lambda: add(1))
    assert sorted(statuses) == [200, 302]
    assert RemittanceLine.objects.count() == 1
