"""Jobs after they end (charity/job_upkeep.py): a dead worker's job and task recorded as ended,
old jobs, queue rows and files removed after JOB_FILES_MAX_AGE."""

import datetime
import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from charity import job_upkeep, jobs
from charity.models import BackgroundJob
from donations.tasks import export_donations

pytestmark = pytest.mark.django_db

Status = BackgroundJob.Status


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.JOB_FILES_DIR = tmp_path / "job-files"


def queued_job(user, title="导出捐赠 3 行（CSV）"):
    """A job with its row in the task table, as a service leaves it (the worker has not run it)."""
    job = jobs.create(BackgroundJob.Kind.EXPORT, user=user, title=title, params={"format": "csv"})
    return jobs.enqueue(job, export_donations)


def claimed(job, heartbeat_ago):
    """As a worker leaves a job it runs: both rows running, the heartbeat written `heartbeat_ago`."""
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, started_at=now - heartbeat_ago, heartbeat_at=now - heartbeat_ago
    )
    DBTaskResult.objects.filter(pk=job.task_id).update(status=TaskResultStatus.RUNNING, started_at=now)
    return job


def task_row(job):
    return DBTaskResult.objects.get(pk=job.task_id)


def test_a_job_whose_worker_died_is_ended_in_the_task_table_too(clerk, database_tasks, settings):
    settings.JOB_STALE_SECONDS = 60
    dead, alive = queued_job(clerk), queued_job(clerk)
    claimed(dead, heartbeat_ago=datetime.timedelta(minutes=5))
    claimed(alive, heartbeat_ago=datetime.timedelta(seconds=5))

    assert job_upkeep.settle_interrupted() == 1

    dead.refresh_from_db()
    assert dead.status == Status.INTERRUPTED and dead.finished_at is not None
    row = task_row(dead)
    assert row.status == TaskResultStatus.FAILED and row.finished_at is not None
    assert row.traceback.startswith("中断：后台任务进程在运行这个任务时停止")
    assert row.task_result.errors[0].traceback == row.traceback  # django-tasks reads it back
    alive.refresh_from_db()
    assert alive.status == Status.RUNNING and task_row(alive).status == TaskResultStatus.RUNNING


def test_the_page_that_shows_a_job_interrupted_ends_its_task_too(client, clerk, database_tasks):
    job = claimed(queued_job(clerk), heartbeat_ago=datetime.timedelta(hours=1))
    client.force_login(clerk)
    page = client.get(jobs.page_url(job)).content.decode()
    assert "中断" in page and "进行中" not in page
    assert task_row(job).status == TaskResultStatus.FAILED
    job.refresh_from_db()
    assert job.status == Status.INTERRUPTED


def test_finished_jobs_their_task_rows_and_files_go_after_the_files_age(clerk, database_tasks, settings):
    age = datetime.timedelta(seconds=settings.JOB_FILES_MAX_AGE)
    old_done, old_failed, recent, running, waiting = (queued_job(clerk, f"任务{n}") for n in range(5))
    long_ago = timezone.now() - age - datetime.timedelta(minutes=5)
    for job, status in ((old_done, Status.DONE), (old_failed, Status.FAILED)):
        BackgroundJob.objects.filter(pk=job.pk).update(status=status, finished_at=long_ago)
        DBTaskResult.objects.filter(pk=job.task_id).update(
            status=TaskResultStatus.SUCCESSFUL if status == Status.DONE else TaskResultStatus.FAILED,
            finished_at=long_ago,
        )
    BackgroundJob.objects.filter(pk=recent.pk).update(status=Status.DONE, finished_at=timezone.now())
    DBTaskResult.objects.filter(pk=recent.task_id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now()
    )
    claimed(running, heartbeat_ago=datetime.timedelta(seconds=1))
    with jobs.create_file(old_done, ".csv") as out:
        out.write(b"x")
    os.utime(jobs.file_path(old_done, ".csv"), (long_ago.timestamp(),) * 2)

    output = io.StringIO()
    call_command("prune_jobs", stdout=output)

    kept = {job.title for job in BackgroundJob.objects.all()}
    assert kept == {recent.title, running.title, waiting.title}
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        task_row(job).pk for job in (recent, running, waiting)
    }
    assert not jobs.file_path(old_done, ".csv").exists()
    assert "已删除 2 个已结束的后台任务、2 条队列记录、1 个任务文件" in output.getvalue()


def test_a_new_job_prunes_too_where_no_timer_runs(clerk, database_tasks, settings):
    old = queued_job(clerk)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.JOB_FILES_MAX_AGE + 60)
    BackgroundJob.objects.filter(pk=old.pk).update(status=Status.DONE, finished_at=long_ago)
    DBTaskResult.objects.filter(pk=old.task_id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=long_ago
    )
    new = queued_job(clerk)
    assert list(BackgroundJob.objects.all()) == [new]
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [task_row(new).pk]
