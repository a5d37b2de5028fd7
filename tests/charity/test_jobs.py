"""Background jobs (charity.jobs): how a job runs, reports and ends, and who may see it."""

import logging
import os
import threading
import time

import pytest
from django.db import connections, transaction
from django.urls import reverse

from charity import jobs
from charity.models import BackgroundJob

KIND = BackgroundJob.Kind.EXPORT


def new_job(user):
    return jobs.create(KIND, user=user, title="导出捐赠 3 行（CSV）", params={"format": "csv"})


@pytest.mark.django_db
def test_a_job_runs_as_its_requester_and_records_its_result(clerk):
    job = new_job(clerk)
    seen = {}

    def work(job, report):
        from charity import audit

        report("写入文件", done=2, total=3)
        seen["stage"] = BackgroundJob.objects.get(pk=job.pk).stage
        seen["actor"] = audit.current_actor()[1]
        return {"rows": 3}

    jobs.run(job.pk, work)
    job.refresh_from_db()
    assert (job.status, job.result, job.error) == (BackgroundJob.Status.DONE, {"rows": 3}, "")
    assert job.started_at <= job.finished_at and job.heartbeat_at == job.finished_at
    assert seen == {"stage": "写入文件", "actor": "clerk"}
    assert (job.done, job.total, job.unit) == (2, 3, "行")


@pytest.mark.django_db
def test_a_refusal_is_recorded_with_its_rows(clerk):
    job = new_job(clerk)

    def work(job, report):
        raise jobs.JobFailed(
            "导入失败，没有写入任何数据：共 1 处错误，见下方列表。", rows=[(2, "金额", "无法识别的金额")]
        )

    jobs.run(job.pk, work)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and job.finished
    assert job.error.startswith("导入失败") and job.error_rows == [[2, "金额", "无法识别的金额"]]


@pytest.mark.django_db
def test_an_unexpected_error_is_logged_and_shown_in_chinese(clerk, caplog):
    job = new_job(clerk)

    def work(job, report):
        raise ZeroDivisionError("boom")

    with caplog.at_level(logging.ERROR, logger="charity.jobs"):
        jobs.run(job.pk, work)
    job.refresh_from_db()
    assert (job.status, job.error) == (BackgroundJob.Status.FAILED, jobs.UNEXPECTED)
    assert "ZeroDivisionError" in caplog.text


@pytest.mark.django_db
def test_a_job_runs_once(clerk):
    job = new_job(clerk)
    calls = []
    jobs.run(job.pk, lambda job, report: calls.append(1))
    jobs.run(job.pk, lambda job, report: calls.append(2))  # a task delivered twice
    assert calls == [1]


@pytest.mark.django_db
def test_the_list_shows_each_person_their_own_jobs(client, clerk, admin_user, django_user_model):
    mine = new_job(clerk)
    theirs = new_job(admin_user)
    BackgroundJob.objects.filter(pk=theirs.pk).update(title="管理员的导出")
    url = reverse("admin:charity_backgroundjob_changelist")

    client.force_login(clerk)
    listing = client.get(url).content.decode()
    assert mine.title in listing and "管理员的导出" not in listing
    assert "后台任务" in client.get(reverse("admin:index")).content.decode()
    assert client.get(reverse("admin:charity_backgroundjob_change", args=[theirs.pk])).status_code == 404

    client.force_login(admin_user)  # a superuser sees everyone's, with who asked
    listing = client.get(url).content.decode()
    assert mine.title in listing and "管理员的导出" in listing and "提交人" in listing


@pytest.mark.django_db
def test_the_page_of_a_running_job_shows_its_stage_and_counts_and_reloads(client, clerk):
    job = new_job(clerk)
    jobs.Reporter(job.pk).report("写入文件", done=40000, total=60000)
    BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.RUNNING)
    client.force_login(clerk)
    page = client.get(jobs.page_url(job)).content.decode()
    assert "进行中" in page and "写入文件：40,000 / 60,000 行" in page
    assert '<progress value="40000" max="60000">' in page
    assert '<meta http-equiv="refresh" content="2">' in page and "<script>" not in page


def test_job_files_are_private_and_purged_after_a_day(settings, tmp_path):
    settings.JOB_FILES_DIR = tmp_path / "files"
    job = BackgroundJob(kind=KIND)
    with jobs.create_file(job, ".csv") as out:
        out.write(b"x")
    path = jobs.file_path(job, ".csv")
    assert oct(os.stat(settings.JOB_FILES_DIR).st_mode & 0o777) == "0o700"
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert jobs.purge_files() == 0 and path.exists()
    day_ago = time.time() - settings.JOB_FILES_MAX_AGE - 60
    os.utime(path, (day_ago, day_ago))
    assert jobs.purge_files() == 1 and not path.exists()


# The heartbeat's own connection (PostgreSQL) -----------------------------------------------------


def seen_from_another_connection(condition, timeout=5.0):
    """Whether `condition()` becomes true when asked through a connection of its own (as a page
    request would), within `timeout` seconds."""
    seen = []

    def look():
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not seen:
                if condition():
                    seen.append(True)
                time.sleep(0.02)
        finally:
            connections.close_all()

    looker = threading.Thread(target=look)
    looker.start()
    looker.join()
    return bool(seen)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_and_heartbeat_are_seen_while_the_work_holds_its_transaction_open(clerk, settings):
    """PostgreSQL shows other connections nothing of an open transaction: the import writes in
    one, and its page must see the progress and the heartbeat all the same."""
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    job = new_job(clerk)
    seen = {}

    def work(job, report):
        with transaction.atomic():
            report("写入数据库", done=0, total=10)
            seen["stage"] = seen_from_another_connection(
                lambda: BackgroundJob.objects.filter(pk=job.pk, stage="写入数据库").exists()
            )
            first = BackgroundJob.objects.get(pk=job.pk).heartbeat_at
            seen["heartbeat"] = seen_from_another_connection(
                lambda: BackgroundJob.objects.get(pk=job.pk).heartbeat_at > first
            )
        return {}

    jobs.run(job.pk, work)
    assert seen == {"stage": True, "heartbeat": True}
    assert BackgroundJob.objects.get(pk=job.pk).status == BackgroundJob.Status.DONE
