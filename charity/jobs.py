"""Background jobs: long work done by the task worker, watched on a progress page.

A 60,000-row import, a large export or a PDF would hold a web worker for seconds; instead:

- a service (donations.services.enqueue_import, ...) calls `create()` and `enqueue()` inside its
  transaction, with its audit record between them: django-tasks with the database backend
  queues the task as a row of the same database, so the job and its place in the queue are
  committed together, or neither is;
- the worker (`python manage.py db_worker`) runs the task, which calls `run(job_id, work)`:
  the job is marked running, `work(job, report)` does the work as the person who asked for it
  (the audit trail names them), and its result, or its error in Chinese, is written at the end;
- while it runs, `report(stage, done, total)` says where it is. A heartbeat thread writes that,
  with the time, to the job's row every JOB_HEARTBEAT_SECONDS and at once when the stage changes,
  through its own database connection: PostgreSQL shows other connections nothing of the import's
  open transaction, and the page must see the progress all the same. When the process dies, the
  heartbeat stops, and the page shows the job as 中断 (BackgroundJob.interrupted); the job and
  its task row are then recorded so (charity/job_upkeep.py), and removed with the job's files.

Each kind registers its task and how its outcome reads (`register`): what the page says of a
finished job, and the response of its result link, which only the job's requester (or a
superuser) can open. A service enqueues a job by its kind, so it need not import the task module
that calls it back (which would be an import cycle).
"""

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.urls import reverse
from django.utils import timezone

from . import audit
from .errors import UserError
from .job_upkeep import prune, purge_files  # noqa: F401  (purge_files: also this module's API)
from .models import BackgroundJob

logger = logging.getLogger(__name__)

UNEXPECTED = "任务出错，没有完成。错误已记录在服务器日志中，请联系管理员。"


class JobFailed(UserError):
    """The work cannot be done. `message` is for the user; `rows` are [row, column, message]."""

    def __init__(self, message, rows=()):
        self.rows = [list(row) for row in rows]
        super().__init__(message)


@dataclass(frozen=True)
class JobKind:
    task: object  # the django-tasks task that runs the job (its argument: the job's id)
    summary: Callable  # job -> HTML: what a finished job made, with its links
    open_result: Callable  # job -> HttpResponse: the file it made, or a redirect to it
    note: Callable | None = None  # job -> HTML: what to do after a failure or an interruption


_kinds = {}


def register(kind, label, *, task, summary, open_result, note=None):
    """Add a kind of job (`kind`, the value stored; `label`, its Chinese name) with the task that
    runs it and how it reads. Called by the app that owns the kind, when its tasks load (the
    app's ready()); the kernel lists no kind (BackgroundJob.Kind)."""
    BackgroundJob.Kind.add(kind, label)
    _kinds[kind] = JobKind(task, summary, open_result, note)
    return kind


def kind_of(job):
    return _kinds[job.kind]


def page_url(job):
    return reverse("admin:charity_backgroundjob_change", args=[job.pk])


def result_url(job):
    return reverse("admin:charity_backgroundjob_result", args=[job.pk])


def create(kind, *, user, title, params=None):
    """A new waiting job; the service then records it in the audit trail and enqueues it.

    Old jobs, their queue rows and files are removed first (job_upkeep.prune), so they go even
    where no timer runs `manage.py prune_jobs`.
    """
    prune()
    return BackgroundJob.objects.create(kind=kind, requested_by=user, title=title[:300], params=params or {})


def enqueue(job, task=None):
    """Queue `task(job_id)`, by default the task registered for the job's kind; call inside the
    service's transaction, so the job and its place in the queue (a row of the same database) are
    committed together.

    With the immediate backend (tests) the task runs right here: the job returned, read again,
    may already be finished.
    """
    queued = (task or _kinds[job.kind].task).enqueue(str(job.pk))
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(queued.id)[:64])
    job.refresh_from_db()
    return job


def run(job_id, work):
    """Run `work(job, report)` for a waiting job and record how it ended.

    `work` returns the job's result (JSON-ready) or raises JobFailed; any other exception is
    logged and shown as UNEXPECTED. A job that is not waiting (already run) is left alone.
    """
    now = timezone.now()
    claimed = BackgroundJob.objects.filter(pk=job_id, status=BackgroundJob.Status.WAITING).update(
        status=BackgroundJob.Status.RUNNING, started_at=now, heartbeat_at=now, stage="开始"
    )
    if not claimed:
        logger.warning("后台任务 %s 不在等待状态，不再运行", job_id)
        return
    job = BackgroundJob.objects.select_related("requested_by").get(pk=job_id)
    with Reporter(job_id) as reporter, audit.acting_as(job.requested_by):
        try:
            result = work(job, reporter.report)
        except JobFailed as failure:
            outcome = {
                "status": BackgroundJob.Status.FAILED,
                "error": failure.message,
                "error_rows": failure.rows,
            }
        except Exception:
            logger.exception("后台任务 %s（%s）出错", job_id, job.get_kind_display())
            outcome = {"status": BackgroundJob.Status.FAILED, "error": UNEXPECTED}
        else:
            outcome = {"status": BackgroundJob.Status.DONE, "result": result or {}}
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job_id).update(finished_at=now, heartbeat_at=now, **outcome)


class Reporter:
    """A running job's stage and counts, written to its row with a heartbeat.

    A thread with its own database connection writes them every JOB_HEARTBEAT_SECONDS and as
    soon as they change. Where a second connection would not work, reports are written at once
    through the caller's: inside an open transaction (the immediate backend runs a task inside
    the request's, whose job row other connections cannot see yet) and on SQLite in memory (the
    tests), where a second writer fails at once instead of waiting for the lock.
    """

    def __init__(self, job_id):
        self.job_id = job_id
        self.state = {}
        self.changed = threading.Event()
        self.stopping = False
        self.thread = None

    def __enter__(self):
        if separate_connection_works():
            self.thread = threading.Thread(target=self._beat, name=f"job-{self.job_id}", daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc_info):
        if self.thread is not None:
            self.stopping = True
            self.changed.set()
            self.thread.join()

    def report(self, stage, done=0, total=None, unit="行"):
        """Where the work is: a stage in Chinese ("写入数据库"), and `done` of `total` `unit`s if known."""
        self.state = {
            "stage": stage[:100],
            "done": done,
            "total": total,
            "unit": unit if total is not None else "",
        }
        if self.thread is not None:
            self.changed.set()
        else:
            self._write()

    def _beat(self):
        try:
            while not self.stopping:
                self._write()
                self.changed.wait(settings.JOB_HEARTBEAT_SECONDS)
                self.changed.clear()
        finally:
            connections.close_all()  # this thread's own connections

    def _write(self):
        try:
            BackgroundJob.objects.filter(pk=self.job_id).update(heartbeat_at=timezone.now(), **self.state)
        except DatabaseError as error:
            # SQLite: an import holds the only write lock for its whole transaction (7 s for
            # 60,000 rows), which may outlast the 20 s busy timeout for the largest files allowed;
            # the next beat writes again. A job is judged stale only after JOB_STALE_SECONDS.
            logger.warning("后台任务 %s 的进度暂时无法写入：%s", self.job_id, error)


def separate_connection_works():
    if connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


# Files a job makes ------------------------------------------------------------------------------


def files_folder():
    """JOB_FILES_DIR: private (0700), outside MEDIA_ROOT, so nothing there has a public URL."""
    folder = Path(settings.JOB_FILES_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def file_path(job, suffix):
    return files_folder() / f"{job.pk}{suffix}"


def create_file(job, suffix):
    """A new file for the job's result, readable by this account only (0600); binary, for writing."""
    descriptor = os.open(file_path(job, suffix), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(descriptor, "wb")
