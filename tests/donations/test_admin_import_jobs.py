"""The admin import as a background job: confirm, the job's page, the real worker (db_worker)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from charity.models import AuditEntry, BackgroundJob
from donations.models import Donation, Donor, ImportBatch, RemittanceLine
from tests import factories

from .test_admin_import import GOOD_ROWS, confirm_url, preview_url, upload, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def upload_folder(tmp_path, settings):
    settings.IMPORT_PENDING_DIR = tmp_path / "pending"
    return settings.IMPORT_PENDING_DIR


@pytest.fixture
def existing_unit(report_sectors):
    return factories.unit("已有单位")


def run_worker():
    """What `python manage.py db_worker` does, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())


def job_page(client, job):
    return client.get(reverse("admin:charity_backgroundjob_change", args=[job.pk]))


def confirm(client, campaign, rows):
    preview = preview_url(upload(client, campaign, xlsx(rows)))
    response = client.post(confirm_url(preview))
    assert response.status_code == 302
    return BackgroundJob.objects.get(), response["Location"]


def test_confirm_queues_the_import_and_the_worker_runs_it(
    client, clerk, campaign, existing_unit, database_tasks, upload_folder
):
    client.force_login(clerk)
    job, location = confirm(client, campaign, GOOD_ROWS)
    assert location == reverse("admin:charity_backgroundjob_change", args=[job.pk])

    waiting = job_page(client, job).content.decode()
    assert "等待" in waiting and '<meta http-equiv="refresh" content="2">' in waiting
    assert not Donation.objects.exists()  # nothing written by the request

    run_worker()

    page = job_page(client, job).content.decode()
    batch = ImportBatch.objects.get()
    assert "完成" in page and 'http-equiv="refresh"' not in page
    assert "已导入批次" in page and "捐赠 2 笔，明细 2 条，合计 400.00 元" in page
    assert reverse("admin:donations_importbatch_change", args=[batch.pk]) in page
    assert (batch.created_by, batch.donation_count, batch.line_count) == (clerk, 2, 2)
    assert Donation.objects.total() == Decimal("400.00") and RemittanceLine.objects.count() == 2
    result = client.get(reverse("admin:charity_backgroundjob_result", args=[job.pk]))
    assert result["Location"].endswith(f"?batch__id__exact={batch.pk}")

    # One entry for queueing the job, one for the import, both signed by the clerk.
    entries = AuditEntry.objects.filter(
        action__in=["donations.import.enqueued", "donations.import_batch.imported"]
    )
    assert sorted((e.action, e.actor) for e in entries) == [
        ("donations.import.enqueued", clerk),
        ("donations.import_batch.imported", clerk),
    ]
    assert list(upload_folder.iterdir()) == []  # the upload is removed once imported


def test_confirming_twice_queues_one_import(client, clerk, campaign, existing_unit, database_tasks):
    client.force_login(clerk)
    preview = preview_url(upload(client, campaign, xlsx(GOOD_ROWS)))
    client.post(confirm_url(preview))
    again = client.post(confirm_url(preview))
    assert again["Location"] == reverse("admin:donations_donation_import")  # "已完成、已取消或已过期"
    run_worker()
    assert BackgroundJob.objects.count() == 1 and ImportBatch.objects.count() == 1


def test_a_file_refused_by_the_worker_lists_its_errors_and_writes_nothing(
    client, clerk, campaign, existing_unit, database_tasks
):
    client.force_login(clerk)
    job, _ = confirm(client, campaign, GOOD_ROWS)
    # Before the worker runs, someone enters a donation with the file's receipt number.
    factories.donation(existing_unit, campaign, "1.00", receipt_no="R-1")
    donors = Donor.objects.count()

    run_worker()

    page = job_page(client, job).content.decode()
    assert "失败" in page and "导入失败，没有写入任何数据：共 1 处错误，见下方列表。" in page
    assert "<td>2</td><td>票据号</td>" in page and "R-1" in page  # row and column, as the preview shows
    assert reverse("admin:donations_donation_import") in page  # upload again
    assert not ImportBatch.objects.exists() and Donation.objects.count() == 1
    assert Donor.objects.count() == donors and not RemittanceLine.objects.exists()


def test_only_the_requester_and_superusers_see_the_job_and_its_result(
    client, clerk, admin_user, campaign, existing_unit, django_user_model
):
    client.force_login(clerk)
    job, _ = confirm(client, campaign, GOOD_ROWS)
    page = reverse("admin:charity_backgroundjob_change", args=[job.pk])
    result = reverse("admin:charity_backgroundjob_result", args=[job.pk])
    assert client.get(page).status_code == 200 and client.get(result).status_code == 302

    colleague = django_user_model.objects.create_user(
        "clerk2", "c2@example.org", "pw-clerk-456", is_staff=True
    )
    colleague.groups.set(clerk.groups.all())
    client.force_login(colleague)
    assert client.get(page).status_code == 404
    assert client.get(result).status_code == 404
    listing = client.get(reverse("admin:charity_backgroundjob_changelist")).content.decode()
    assert job.title not in listing

    client.force_login(admin_user)
    assert client.get(page).status_code == 200 and client.get(result).status_code == 302


def test_a_job_whose_worker_died_is_shown_as_interrupted(
    client, clerk, campaign, existing_unit, database_tasks
):
    client.force_login(clerk)
    job, _ = confirm(client, campaign, GOOD_ROWS)
    # What a worker killed while writing leaves: the job marked running, its heartbeat long silent.
    silent_since = timezone.now() - datetime.timedelta(minutes=5)
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.RUNNING,
        started_at=silent_since,
        heartbeat_at=silent_since,
        stage="写入数据库",
    )
    page = job_page(client, job).content.decode()
    assert "中断" in page and "进行中" not in page and 'http-equiv="refresh"' not in page
    assert "没有再报告进度" in page and "可能已被停止或重启" in page
    assert "这次没有写入任何数据" in page
    listing = client.get(reverse("admin:charity_backgroundjob_changelist")).content.decode()
    assert "中断" in listing


def test_a_job_left_waiting_says_the_worker_may_not_be_running(
    client, clerk, campaign, existing_unit, database_tasks
):
    client.force_login(clerk)
    job, _ = confirm(client, campaign, GOOD_ROWS)
    assert "db_worker" not in job_page(client, job).content.decode()
    BackgroundJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    page = job_page(client, job).content.decode()
    assert "已等待 120 秒" in page and "python manage.py db_worker" in page
