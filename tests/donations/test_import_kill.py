"""Killing the process that imports, in the middle of writing: the batch is all there or not at all.

A campaign workbook is imported by a separate process, the task worker (as the admin does) or
`manage.py import_donations`. To kill it while it is writing, and not a moment before or after,
this test holds a lock on the staff-line table that lets the import read but not insert: the
import writes its batch, donors and donations inside its transaction, then waits for the lock at
the COPY of the lines, which pg_stat_activity shows. Then the process gets SIGKILL (no handler,
no clean-up), the lock is released, and the database must hold nothing of that import.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from charity.models import AuditEntry, BackgroundJob
from donations.models import Donation, Donor, ImportBatch, RemittanceLine
from tests import factories

from .staff_files import STAFF_HEADER, workbook_file
from .test_admin_import import confirm_url, preview_url, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
UNITS, STAFF = 40, 250  # 10,040 rows: 40 units' remittances with their staff lines
DAY = datetime.date(2023, 9, 18)
WAITING_COPY = """
    SELECT pid, backend_xid IS NOT NULL FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'
      AND query LIKE 'COPY "donations_remittanceline"%%'
"""


def campaign_workbook():
    rows = []
    for u in range(UNITS):
        unit, receipt = f"衡阳市测试单位{u:03d}", f"K-{u:03d}"
        rows.append([DAY, unit, "单位", "", "教育系统", STAFF * 100, receipt, ""])
        rows += [[DAY, f"职工{u:03d}-{s:03d}", "个人", unit, "", 100, "", receipt] for s in range(STAFF)]
    return workbook_file(rows, STAFF_HEADER, "2023年全市汇总.xlsx")


def database_url_of_tests():
    """The test database, for the child processes."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    address = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'])}{password}@{address}/{db['NAME']}"


def child_env(settings):
    return {
        **os.environ,
        "DATABASE_URL": database_url_of_tests(),
        "IMPORT_PENDING_DIR": str(settings.IMPORT_PENDING_DIR),
        "JOB_HEARTBEAT_SECONDS": "0.2",
        "DEBUG": "0",
    }


@pytest.fixture
def locker():
    """A connection of its own holding the lock: reads go on, inserts into the lines wait."""
    locker = psycopg.connect(database_url_of_tests())
    locker.execute("LOCK TABLE donations_remittanceline IN EXCLUSIVE MODE")
    yield locker
    locker.close()  # also when the test failed before kill_and_release: the flush needs the table


@pytest.fixture
def start(settings, locker):
    """Start `manage.py <command>` in a process of its own; one still running at the end is killed
    before the lock is released and the tables are emptied."""
    started = []

    def start(*command):
        process = subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=child_env(settings),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for_copy_of_lines(process, timeout=90):
    """The pid of the import's backend once it waits at the COPY of the lines, having written."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(WAITING_COPY)
            found = cursor.fetchone()
        if found:
            backend, has_written = found
            assert has_written  # its transaction has written rows: batch, donors, donations
            return backend
        assert process.poll() is None, process.stderr.read().decode()[-3000:]
        time.sleep(0.05)
    raise AssertionError("导入没有在规定时间内开始写入明细")


def page_showing(client, url, text, timeout=15):
    """The job page once it shows `text`: progress is written every JOB_HEARTBEAT_SECONDS by a
    thread of the worker, which on a busy machine comes a moment after the write it reports."""
    deadline = time.monotonic() + timeout
    while True:
        page = client.get(url).content.decode()
        if text in page or time.monotonic() > deadline:
            assert text in page
            return page
        time.sleep(0.1)


def kill_and_release(process, locker, backend):
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    locker.rollback()  # the COPY gets its lock, finds its client gone, and rolls back
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend])
            if cursor.fetchone() is None:
                return
        time.sleep(0.05)
    raise AssertionError("被终止的导入连接没有结束")


def assert_nothing_imported(donors_before):
    assert not ImportBatch.objects.exists()
    assert not Donation.objects.exists() and not RemittanceLine.objects.exists()
    assert Donor.objects.count() == donors_before
    assert not AuditEntry.objects.filter(action="donations.import_batch.imported").exists()


@pytest.fixture
def pending_folder(settings, tmp_path):
    settings.IMPORT_PENDING_DIR = tmp_path / "pending"
    return settings.IMPORT_PENDING_DIR


def test_killing_the_worker_while_it_writes_leaves_nothing_and_the_job_interrupted(
    client, admin_user, report_sectors, pending_folder, settings, database_tasks, locker, start
):
    settings.JOB_STALE_SECONDS = 1
    campaign = factories.campaign()
    donors_before = Donor.objects.count()
    client.force_login(admin_user)
    preview = preview_url(upload(client, campaign, campaign_workbook()))
    assert client.get(preview).context["plan"]["errors"] == []
    client.post(confirm_url(preview))
    job = BackgroundJob.objects.get()
    page_url = reverse("admin:charity_backgroundjob_change", args=[job.pk])

    worker = start("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    backend = wait_for_copy_of_lines(worker)
    running = page_showing(client, page_url, f"写入数据库：{UNITS} / {UNITS * (STAFF + 1):,} 行")
    assert "进行中" in running

    kill_and_release(worker, locker, backend)

    assert_nothing_imported(donors_before)
    time.sleep(settings.JOB_STALE_SECONDS + 0.5)  # the heartbeat has stopped with the process
    page = client.get(page_url).content.decode()
    assert "中断" in page and "进行中" not in page
    assert "这次没有写入任何数据" in page
    # The queue's own row, which only the dead worker would have finished, is ended too.
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.FAILED


def test_killing_the_import_command_while_it_writes_leaves_nothing(report_sectors, tmp_path, locker, start):
    campaign = factories.campaign()
    donors_before = Donor.objects.count()
    path = tmp_path / "2023年全市汇总.xlsx"
    path.write_bytes(campaign_workbook().getvalue())

    command = start("import_donations", str(path), "--campaign", campaign.name)
    backend = wait_for_copy_of_lines(command)
    kill_and_release(command, locker, backend)

    assert_nothing_imported(donors_before)
