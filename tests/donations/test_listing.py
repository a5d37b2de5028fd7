"""The export of a filtered donation list holds what the list shows (donations/listing.py).

The list (DonationChangeList) and the export job select their rows through the same plain
function; these tests compare, for each filter, search, drill-down and sort the list offers, the
rows the list shows with the rows of the background export and of donations.listing itself.
"""

import datetime

import pytest
from django.urls import reverse

from charity import jobs
from charity.models import BackgroundJob
from donations import listing
from donations.exporting import EXPORT_COLUMNS
from donations.models import BranchLiaison, Donation, ImportBatch
from donations.tasks import export_donations
from tests import factories
from tests.conftest import staff_with_role

from .test_export import export_url, read_csv
from .test_export_jobs import fetch, result_url

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:donations_donation_changelist"


@pytest.fixture
def ledger(campaign, admin_user):
    """Gifts that differ in every column the list filters by: two campaigns, sectors, branches,
    a batch, channels, statuses, donor kinds, anonymity and days."""
    later = factories.campaign("2024年慈善一日捐", year=2024)
    own = factories.branch("市住建局慈善分会", "住建系统")
    other = factories.branch("公安局慈善分会", "公安系统")
    builders = factories.unit("衡阳建工集团", "住建系统", branch=own)
    police = factories.unit("衡阳市公安局", "公安系统", branch=other)
    batch = ImportBatch.objects.create(
        campaign=campaign, file_name="九月.xlsx", sha256="0" * 64, created_by=admin_user
    )
    day = datetime.date
    factories.donation(builders, campaign, "1000.00", receipt_no="ZJ-001", received_on=day(2023, 9, 1))
    factories.donation(
        builders, campaign, "250.00", receipt_no="ZJ-002", batch=batch, received_on=day(2023, 10, 8)
    )
    factories.donation(police, campaign, "3000.00", receipt_no="GA-001", status=Donation.Status.CONFIRMED)
    factories.donation(
        factories.person("张三"), campaign, "88.88", anonymous=True, channel=Donation.Channel.CASH,
        received_on=day(2023, 9, 3),
    )  # fmt: skip
    factories.donation(
        factories.unit("尚未分配的单位", sector_name=None), campaign, "5000.00", receipt_no="WF-001",
        received_on=day(2023, 9, 2),
    )  # fmt: skip
    factories.donation(factories.person("李四"), later, "66.00", received_on=day(2024, 9, 5))
    factories.donation(police, later, "500.00", receipt_no="GA-002", received_on=day(2024, 9, 6))
    return {"later": later, "own": own, "other": other, "batch": batch}


def queries(campaign, ledger):
    """Query strings of the list: each filter alone, the search, the drill-down, a sort, and
    several together."""
    return [
        {},
        {"status__exact": "confirmed"},
        {"campaign__id__exact": ledger["later"].pk},
        {"sector__id__exact": ledger["own"].sector_id},
        {"sector__isnull": "True"},
        {"branch__id__exact": ledger["other"].pk},
        {"branch__isnull": "True"},
        {"channel__exact": Donation.Channel.CASH},
        {"received_on__gte": "2023-09-02", "received_on__lt": "2023-10-01"},
        {"anonymous__exact": "1"},
        {"donor__kind": "individual"},
        {"donor__kind": "unit"},
        {"batch__id__exact": ledger["batch"].pk},
        {"received_on__year": "2023"},
        {"received_on__year": "2023", "received_on__month": "9"},
        {"received_on__year": "2023", "received_on__month": "9", "received_on__day": "3"},
        {"q": "衡阳"},
        {"q": "GA-"},
        {"o": "3"},  # by amount
        {"o": "-2.1"},
        {"campaign__id__exact": campaign.pk, "donor__kind": "unit", "q": "建工", "o": "3"},
    ]


def listed_receipts(client, params):
    changelist = client.get(reverse(CHANGELIST), params).context_data["cl"]
    return changelist, [gift.receipt_no or gift.donor.name for gift in changelist.queryset]


def test_each_selection_of_the_list_is_what_listing_selects(client, admin_user, campaign, ledger):
    client.force_login(admin_user)
    seen = set()
    for params in queries(campaign, ledger):
        changelist, shown = listed_receipts(client, params)
        selected = listing.donation_list(admin_user, **changelist.selection())
        assert [gift.receipt_no or gift.donor.name for gift in selected] == shown, params
        assert shown, params  # each selects some gifts, and not all
        seen.add(tuple(shown))
    assert len(seen) >= 16  # the filters select different rows: the comparison says something


def test_the_export_job_of_a_filtered_list_holds_the_rows_the_list_shows(
    client, admin_user, campaign, ledger, settings
):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 0  # every export a background job
    client.force_login(admin_user)
    for params in queries(campaign, ledger):
        _, shown = listed_receipts(client, params)
        BackgroundJob.objects.all().delete()
        client.get(export_url("csv"), params)
        job = BackgroundJob.objects.get()
        assert job.status == BackgroundJob.Status.DONE, params
        _, data = fetch(client, result_url(job))
        rows = read_csv(data)[1:-1]  # the header and the total row
        receipt = EXPORT_COLUMNS.index("票据号")
        assert [row[receipt] or row[1] for row in rows] == shown, params


def test_a_liaisons_export_job_holds_its_branch_only(client, campaign, ledger, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 0
    liaison = staff_with_role("liaison", "分会联络员")
    BranchLiaison.objects.create(user=liaison, branch=ledger["own"])
    client.force_login(liaison)
    _, shown = listed_receipts(client, {})
    client.get(export_url("csv"))
    _, data = fetch(client, result_url(BackgroundJob.objects.get()))
    receipt = EXPORT_COLUMNS.index("票据号")
    assert [row[receipt] for row in read_csv(data)[1:-1]] == shown == ["ZJ-002", "ZJ-001"]


def test_a_value_the_field_refuses_is_reported_by_the_list_and_exports_nothing(client, admin_user, ledger):
    client.force_login(admin_user)
    response = client.get(reverse(CHANGELIST), {"received_on__year": "二〇二三"})
    assert response.status_code == 302 and "e=1" in response["Location"]
    response = client.get(export_url("csv"), {"received_on__gte": "not a date"}, follow=True)
    assert "筛选条件无效，未导出。" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_an_export_job_queued_before_the_selection_was_kept_fails_with_a_message(admin_user, ledger):
    job = jobs.create(
        BackgroundJob.Kind.EXPORT, user=admin_user, title="导出捐赠", params={"format": "csv", "query": ""}
    )
    export_donations.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and "升级前提交" in job.error
