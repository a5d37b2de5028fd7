"""Benchmark of the admin import's two requests and of the task worker that does the import.

    .venv/bin/python bench/admin_import_bench.py [--rows 60000] [--runs 3]

Through the admin as a clerk's browser would (Django's test client, in one process): the upload
request (the file is read and checked, and the preview stored) and the confirmation request, on
the workbook bench/import_bench.py generates (60,000 rows, imported with 员工另行捐赠). When the
confirmation queues a background job (this branch), the worker then runs it as its own process
(`manage.py db_worker --batch`), and its time is printed: the whole process, and the job itself
from start to finish as the job records it. Before background jobs the confirmation did the import
itself; the same script measures that code too (run it from a checkout of an older commit).

DATABASE_URL chooses the database (default postgres://postgres@127.0.0.1:5432/charity_bench_admin,
created and migrated if needed; `sqlite:////path/file.sqlite3` for SQLite, migrated if needed).
Each run starts from empty donation tables. The machine and its load average are printed.
BENCH_WORK_DIR chooses where the workbook and the uploads go.
"""

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_bench import CAMPAIGN, write_workbook  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/charity_bench_admin"
USERNAME = "bench-admin-import"
WORK = Path(os.environ.get("BENCH_WORK_DIR", "/tmp/charity-bench-admin-import"))  # workbook, uploads


def child_env(url):
    return dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="charity.settings",
        DEBUG="0",
        IMPORT_PENDING_DIR=str(WORK / "pending"),
        LOG_LEVEL="WARNING",
    )


def prepare_database(url):
    if url.startswith("postgres"):
        import psycopg
        from psycopg import sql

        name = url.rsplit("/", 1)[1].split("?")[0]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=child_env(url), check=True
    )


def reset():
    """Empty donation tables, the campaign, a superuser; returns (campaign, user)."""
    from django.contrib.auth import get_user_model

    from campaigns.models import Campaign
    from donations.models import Donation, Donor, ImportBatch, RemittanceLine

    # Raw deletes, in the order of their foreign keys: the collector would load 120,000 rows.
    for queryset in (
        RemittanceLine.objects.all(),
        Donation.objects.all(),
        Donor.objects.filter(employer__isnull=False),
        Donor.objects.all(),
        ImportBatch.objects.all(),
    ):
        queryset._raw_delete(queryset.db)
    campaign, _ = Campaign.objects.get_or_create(
        name=CAMPAIGN,
        defaults={
            "kind": "one_day",
            "year": 2023,
            "start_date": datetime.date(2023, 8, 28),
            "end_date": datetime.date(2023, 12, 31),
        },
    )
    user, _ = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    return campaign, user


def one_run(url, workbook):
    from django.test import Client
    from django.urls import reverse

    from donations.models import Donation

    campaign, user = reset()
    client = Client()
    client.force_login(user)
    with open(workbook, "rb") as file:
        started = time.perf_counter()
        uploaded = client.post(
            reverse("admin:donations_donation_import"),
            {"campaign": campaign.pk, "file": file, "separate_staff_gifts": "on"},
        )
        upload_seconds = time.perf_counter() - started
    if uploaded.status_code != 302:
        sys.exit(f"上传失败：HTTP {uploaded.status_code}")
    preview = uploaded["Location"]
    if 'id="confirm-import"' not in client.get(preview).content.decode():
        sys.exit("预览发现错误，不能确认导入")

    started = time.perf_counter()
    confirmed = client.post(preview.rstrip("/") + "/confirm/")
    confirm_seconds = time.perf_counter() - started
    figures = {"upload": upload_seconds, "confirm": confirm_seconds}

    if "/backgroundjob/" in confirmed["Location"]:
        from charity.models import BackgroundJob

        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                "-v",
                "0",
            ],
            cwd=ROOT,
            env=child_env(url),
            check=True,
        )
        figures["worker"] = time.perf_counter() - started
        job = BackgroundJob.objects.get(title__contains=workbook.name, status__in=["done", "failed"])
        if job.status != "done":
            sys.exit(f"导入任务失败：{job.error}")
        figures["job"] = (job.finished_at - job.started_at).total_seconds()
        job.delete()
    rows = Donation.objects.filter(campaign=campaign).count()
    if rows == 0:
        sys.exit("没有导入任何捐赠")
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=60000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    WORK.mkdir(exist_ok=True)
    os.environ.update(child_env(url))
    import django

    django.setup()
    workbook = WORK / f"admin_import_{args.rows}.xlsx"
    if not workbook.exists():
        print(f"生成 {args.rows} 行的工作簿 {workbook} …", flush=True)
        write_workbook(workbook, args.rows)
    prepare_database(url)

    runs = []
    for run in range(1, args.runs + 1):
        figures = one_run(url, workbook)
        runs.append(figures)
        load = os.getloadavg()[0]
        print(
            f"第 {run} 次：上传并检查 {figures['upload']:.2f} s，确认请求 {figures['confirm']:.2f} s"
            + (
                f"，后台进程 {figures['worker']:.2f} s（其中任务本身 {figures['job']:.2f} s）"
                if "worker" in figures
                else "（确认请求里完成导入）"
            )
            + f"；负载 {load:.2f}",
            flush=True,
        )

    from django.db import connection

    database = "SQLite" if connection.vendor == "sqlite" else f"PostgreSQL {connection.pg_version // 10000}"
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "?",
    )
    print()
    print(f"机器：CPU {cpu}，{os.cpu_count()} 核；{database}；1 分钟负载 {os.getloadavg()[0]:.2f}")
    print(f"{args.rows} 行，{args.runs} 次（最好，范围）：")
    for key, label in (
        ("upload", "上传并检查"),
        ("confirm", "确认请求"),
        ("worker", "后台进程"),
        ("job", "任务本身"),
    ):
        values = sorted(run[key] for run in runs if key in run)
        if values:
            print(f"  {label}：{values[0]:.2f} s（{values[0]:.2f}–{values[-1]:.2f} s）")


if __name__ == "__main__":
    main()
