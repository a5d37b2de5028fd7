"""Two clerks at once: importing files and editing gifts side by side loses nothing.

The imports of one campaign take turns (the campaign row is locked while one writes), each
import is all-or-nothing, and a change form opened before somebody else's save refuses to
overwrite it (charity/admin_concurrency.py). The threaded tests use one real PostgreSQL
connection per clerk.
"""

import re
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from charity.models import AuditEntry
from donations.importing import import_file
from donations.models import Donation, Donor, ImportBatch, RemittanceLine
from tests import factories
from tests.conftest import staff_with_role
from tests.donations.admin_forms import donation_form
from tests.donations.import_helpers import person_row, unit_row, xlsx

STALE = "这条记录在您打开后已被他人修改，您的修改未保存"


def change_url(gift):
    return reverse("admin:donations_donation_change", args=[gift.pk])


def opened(client, gift):
    """What the clerk's browser posts back: the form as the change page rendered it."""
    page = client.get(change_url(gift)).content.decode()
    version = re.search(r'name="row_version" value="([0-9a-f]+)"', page).group(1)
    return donation_form(gift, row_version=version)


@pytest.mark.django_db
def test_a_save_over_a_colleagues_newer_save_is_refused_and_loses_nothing(campaign):
    gift = factories.donation(factories.unit("衡阳市一中", sector_name="教育系统"), campaign, "1000.00")
    first, second = Client(), Client()
    first.force_login(staff_with_role("clerk1", "录入员"))
    second.force_login(staff_with_role("clerk2", "录入员"))
    first_form, second_form = opened(first, gift), opened(second, gift)

    assert second.post(change_url(gift), {**second_form, "amount": "1200.00"}).status_code == 302
    refused = first.post(change_url(gift), {**first_form, "note": "补录票据号"})

    assert refused.status_code == 200 and STALE in refused.content.decode()
    gift.refresh_from_db()
    assert (gift.amount, gift.note) == (Decimal("1200.00"), "")
    # Reloaded, the first clerk sees the new amount and saves the note over it.
    again = opened(first, gift)
    assert again["amount"] == "1200.00"
    assert first.post(change_url(gift), {**again, "note": "补录票据号"}).status_code == 302
    gift.refresh_from_db()
    assert (gift.amount, gift.note) == (Decimal("1200.00"), "补录票据号")


def run_together(*jobs):
    """Start the jobs at the same moment, one thread (and database connection) each."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # reported below, with the thread's own traceback lost
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_form_at_the_same_moment_keep_one_and_refuse_the_other(report_sectors):
    campaign = factories.campaign()
    gift = factories.donation(factories.unit("衡阳市一中", sector_name="教育系统"), campaign, "1000.00")
    clients = [Client(), Client()]
    for n, client in enumerate(clients):
        client.force_login(staff_with_role(f"clerk{n}", "录入员"))
    forms = [opened(client, gift) for client in clients]

    statuses = run_together(
        lambda: clients[0].post(change_url(gift), {**forms[0], "amount": "1100.00"}).status_code,
        lambda: clients[1].post(change_url(gift), {**forms[1], "amount": "1200.00"}).status_code,
    )

    assert sorted(statuses) == [200, 302]
    gift.refresh_from_db()
    kept = "1100.00" if statuses[0] == 302 else "1200.00"
    assert str(gift.amount) == kept
    assert AuditEntry.objects.filter(action="donations.donation.changed").count() == 1


def campaign_file(prefix, units, people_per_unit, amount):
    rows = []
    for u in range(units):
        receipt = f"{prefix}-{u:04d}"
        unit = f"{prefix}单位{u:04d}"
        rows.append(unit_row(unit, str(amount * people_per_unit), 票据号=receipt))
        rows += [
            person_row(f"{prefix}职工{u:04d}-{p:02d}", str(amount), 所在单位=unit, 汇款票据号=receipt)
            for p in range(people_per_unit)
        ]
    return xlsx(rows, name=f"{prefix}.xlsx")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_importing_and_a_third_editing_at_once_lose_nothing(report_sectors):
    campaign = factories.campaign()
    other_campaign = factories.campaign("2023年抗洪救灾", kind="disaster")
    clerks = [staff_with_role(f"clerk{n}", "录入员") for n in range(3)]
    by_hand = [factories.donation(factories.person(f"手工{n}"), campaign, "10.00") for n in range(20)]
    files = [
        campaign_file("甲", 150, 5, 100),
        campaign_file("乙", 150, 5, 200),
        campaign_file("丙", 100, 3, 50),
    ]

    def edit_by_hand():
        for gift in Donation.objects.filter(pk__in=[g.pk for g in by_hand]):
            gift.amount += Decimal("1.00")
            gift.save()
        factories.donation(Donor.objects.get(name="手工0"), campaign, "5.00")
        return "edited"

    batches = run_together(
        lambda: import_file(files[0], campaign=campaign, user=clerks[0]),
        lambda: import_file(files[1], campaign=campaign, user=clerks[1]),
        lambda: import_file(files[2], campaign=other_campaign, user=clerks[0]),
        edit_by_hand,
    )

    assert all(isinstance(batch, ImportBatch) for batch in batches[:3])
    expected = {batches[0]: (150, 750, Decimal("75000.00")), batches[1]: (150, 750, Decimal("150000.00"))}
    expected[batches[2]] = (100, 300, Decimal("15000.00"))
    for batch, (gifts, lines, total) in expected.items():
        assert Donation.objects.filter(batch=batch).count() == gifts
        assert RemittanceLine.objects.filter(batch=batch).count() == lines
        assert Donation.objects.filter(batch=batch).total() == total
    assert Donation.objects.for_campaign(campaign).total() == Decimal("75000.00") + Decimal(
        "150000.00"
    ) + 20 * Decimal("11.00") + Decimal("5.00")
    assert Donation.objects.for_campaign(other_campaign).total() == Decimal("15000.00")
    assert Donor.objects.filter(name__startswith="甲单位").count() == 150
    assert AuditEntry.objects.filter(action="donations.import_batch.imported").count() == 3
