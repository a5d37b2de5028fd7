"""Exports of more than EXPORT_IMMEDIATE_MAX_ROWS rows run as a background job."""

import os
import time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from charity import jobs
from charity.models import AuditEntry, BackgroundJob
from donations.models import RemittanceLine
from tests import factories

from .test_export import download, export_url, read_csv, read_xlsx

ROWS = 5  # what campaign_data exports: three donations, two staff lines


def result_url(job):
    return reverse("admin:charity_backgroundjob_result", args=[job.pk])


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, response
    return response, b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_format", "rows"),
    [("xlsx", ROWS), ("csv", 3), ("lines-csv", 2)],  # the CSV files: the donations; the lines
)
def test_more_rows_than_the_limit_make_a_job_with_the_same_file(
    client, admin_user, campaign_data, settings, file_format, rows
):
    client.force_login(admin_user)
    settings.EXPORT_IMMEDIATE_MAX_ROWS = rows
    _, in_request = download(client, file_format)  # at the limit: still in the request
    assert not BackgroundJob.objects.exists()

    settings.EXPORT_IMMEDIATE_MAX_ROWS = rows - 1
    response = client.get(export_url(file_format))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == jobs.page_url(job)
    what = "汇款明细" if file_format == "lines-csv" else "捐赠"
    assert job.title == f"导出{what} {rows} 行（{'XLSX' if file_format == 'xlsx' else 'CSV'}）"
    page = client.get(response["Location"]).content.decode()
    assert "完成" in page and f"已导出 {rows} 行" in page and f'href="{result_url(job)}"' in page
    assert job.params["file_name"] in page

    downloaded, data = fetch(client, result_url(job))
    assert "attachment" in downloaded["Content-Disposition"]
    if file_format != "xlsx":
        assert read_csv(data) == read_csv(in_request)
    else:
        assert read_xlsx(data)[0] == read_xlsx(in_request)[0]
    # Kept in the private job folder, not under MEDIA_ROOT (which has a public URL).
    [kept] = settings.JOB_FILES_DIR.iterdir()
    assert kept.name == f"{job.pk}.{file_format}" and settings.MEDIA_ROOT not in kept.parents
    entry = AuditEntry.objects.get(action="donations.export.enqueued")
    assert (entry.actor, entry.data["rows"]) == (admin_user, rows)


@pytest.mark.django_db
def test_the_job_exports_what_the_list_shows(client, admin_user, campaign_data, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 0
    client.force_login(admin_user)
    client.get(export_url("xlsx"), {"q": "教育局"})
    job = BackgroundJob.objects.get()
    assert job.title == "导出捐赠 3 行（XLSX）"
    _, data = fetch(client, result_url(job))
    assert [row[1] for row in read_xlsx(data)[0][1:]] == ["衡阳市教育局", None]  # and the total row
    assert [row[1] for row in read_xlsx(data, 1)[0][1:-1]] == ["王小明", "李红"]


@pytest.mark.django_db
def test_lines_left_out_are_reported_on_the_page(client, admin_user, campaign, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 0
    remittance = factories.donation(campaign_=campaign, amount="10.00")  # no 票据号
    RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person("赵六"), amount=Decimal("5.00")
    )
    client.force_login(admin_user)
    page = client.get(export_url("csv"), follow=True).content.decode()
    assert "已导出 1 行" in page and "有 1 条汇款明细所属的汇款没有票据号，未能导出" in page


@pytest.mark.django_db
def test_only_the_requester_may_download(
    client, admin_user, clerk, campaign_data, settings, django_user_model
):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 0
    client.force_login(clerk)
    client.get(export_url("csv"))
    job = BackgroundJob.objects.get()
    fetch(client, result_url(job))

    colleague = django_user_model.objects.create_user(
        "clerk2", "c2@example.org", "pw-clerk-456", is_staff=True
    )
    colleague.groups.set(clerk.groups.all())
    client.force_login(colleague)
    assert client.get(jobs.page_url(job)).status_code == 404
    assert client.get(result_url(job)).status_code == 404


@pytest.mark.django_db
def test_files_are_purged_after_a_day(client, admin_user, campaign_data, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 0
    client.force_login(admin_user)
    client.get(export_url("csv"))
    old = BackgroundJob.objects.get()
    day_ago = time.time() - settings.JOB_FILES_MAX_AGE - 60
    os.utime(settings.JOB_FILES_DIR / f"{old.pk}.csv", (day_ago, day_ago))

    client.get(export_url("csv"))  # each new export job purges what is older than a day
    assert [path.name for path in settings.JOB_FILES_DIR.iterdir()] == [
        f"{BackgroundJob.objects.first().pk}.csv"
    ]
    assert "导出的文件已过期删除" in client.get(jobs.page_url(old)).content.decode()
    assert client.get(result_url(old)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_the_export(client, admin_user, report_sectors, settings, database_tasks):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 0
    campaign = factories.campaign()
    factories.donation(factories.unit("衡阳市教育局"), campaign, "1234.50", receipt_no="HY2023-0001")
    client.force_login(admin_user)
    client.get(export_url("csv"))
    job = BackgroundJob.objects.get()
    assert "等待" in client.get(jobs.page_url(job)).content.decode()
    assert client.get(result_url(job)).status_code == 404  # nothing to download yet

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())

    _, data = fetch(client, result_url(job))
    assert [row[1] for row in read_csv(data)[1:-1]] == ["衡阳市教育局"]
