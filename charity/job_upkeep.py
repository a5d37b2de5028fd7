"""What becomes of background jobs after they end: interrupted ones recorded, old ones removed.

A worker killed while it runs a task (SIGKILL, the machine restarted, systemd's TimeoutStopSec
passed) writes nothing more: its BackgroundJob row stays `running` with a heartbeat that stopped,
and django-tasks' own row (DBTaskResult) stays RUNNING for ever, since only the worker that
claimed it would finish it. `settle_interrupted` records both as ended: the job as 中断, the task
as FAILED with a Chinese note instead of a traceback. Should the worker only have been slow and
finish after all, its own writes (jobs.run, django-tasks) replace these.

Finished jobs and task rows are removed after JOB_FILES_MAX_AGE, the age at which the files
they made are removed (purge_files): a job's page is no use once its file is gone, and the
rows hold the files' names and the queue's arguments, nothing kept anywhere else (the audit
trail records every job that was asked for).
"""

import datetime
import os
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import BackgroundJob

WORKER_STOPPED = "中断：后台任务进程在运行这个任务时停止（被终止或重启），任务没有完成。"
# Not a class anyone raises: the name django-tasks shows for a task whose worker died.
WORKER_STOPPED_CLASS = "charity.job_upkeep.WorkerStopped"


def stale_running_jobs(now=None):
    """Running jobs whose worker has not reported for JOB_STALE_SECONDS (BackgroundJob.interrupted)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    return BackgroundJob.objects.filter(status=BackgroundJob.Status.RUNNING, heartbeat_at__lt=cutoff)


def settle_interrupted(job_ids=None, now=None):
    """Record running jobs whose worker died (those of `job_ids`, or all) as 中断, and their tasks
    as FAILED; returns how many."""
    now = now or timezone.now()
    stale = stale_running_jobs(now)
    if job_ids is not None:
        stale = stale.filter(pk__in=job_ids)
    found = list(stale.values_list("pk", "task_id"))
    if not found:
        return 0
    # Filtered on `running` again: a job that finished in the meantime keeps its outcome.
    settled = BackgroundJob.objects.filter(
        pk__in=[pk for pk, _ in found], status=BackgroundJob.Status.RUNNING
    ).update(status=BackgroundJob.Status.INTERRUPTED, finished_at=now)
    DBTaskResult.objects.filter(
        id__in=[task_id for _, task_id in found if task_id], status=TaskResultStatus.RUNNING
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=WORKER_STOPPED_CLASS,
        traceback=WORKER_STOPPED,
        return_value=None,
    )
    return settled


def prune(now=None):
    """Settle interrupted jobs, then remove finished jobs, finished task rows and job files older
    than JOB_FILES_MAX_AGE; returns the counts, by kind."""
    now = now or timezone.now()
    interrupted = settle_interrupted(now=now)
    cutoff = now - datetime.timedelta(seconds=settings.JOB_FILES_MAX_AGE)
    finished = [BackgroundJob.Status.DONE, BackgroundJob.Status.FAILED, BackgroundJob.Status.INTERRUPTED]
    removed_jobs, _ = BackgroundJob.objects.filter(status__in=finished, finished_at__lt=cutoff).delete()
    removed_tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return {
        "interrupted": interrupted,
        "jobs": removed_jobs,
        "tasks": removed_tasks,
        "files": purge_files(now.timestamp()),
    }


def purge_files(now=None):
    """Remove job files older than JOB_FILES_MAX_AGE; returns how many were removed.

    The files are those of charity.jobs.create_file, in JOB_FILES_DIR."""
    cutoff = (now or time.time()) - settings.JOB_FILES_MAX_AGE
    removed = 0
    folder = Path(settings.JOB_FILES_DIR)
    if not folder.is_dir():  # no job has made a file yet; purging does not create the folder
        return 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                os.remove(entry.path)
                removed += 1
    return removed
