"""Benchmark of the admin's donation export (xlsx and CSV) of a campaign-sized dataset.

    .venv/bin/python bench/export_bench.py [--runs 3] [--formats xlsx csv] [--rows 60000]

On PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/charity_bench_export,
created and migrated if needed) the dataset is the workbook bench/import_bench.py generates,
imported once and reused while its campaign holds it: 60,000 rows (600 unit remittances with
39,600 itemised staff lines, 19,800 individual gifts). Each run is a fresh process that logs in
as a superuser with Django's test client, asks the admin for the campaign's export and reads the
response to its last byte. Printed per format: the time from request to last byte (best and
range) with the CPU time it took (steadier on a shared machine), the file's size and rows, and
the process's peak RSS next to its RSS once Django has started (the difference is what the
export itself holds). The exported rows are counted again from the file (python-calamine for
xlsx), so a fast but short file would show.

The export is measured in the request, whatever its size (EXPORT_IMMEDIATE_MAX_ROWS is raised for
the child): these figures are what set that limit, above which the admin runs an export as a
background job instead. `--rows` imports a smaller workbook of the same shape (10,000: the limit).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_bench import CAMPAIGN, child_env, machine, prepare_database, reset_tables, write_workbook  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/charity_bench_export"
ROWS = 60000
# Half the workbook's own gifts name a unit of the file: separate gifts (see import_bench.time_import).
SEPARATE = "--separate-staff-gifts"
WORK = Path(os.environ.get("BENCH_WORK_DIR", "/tmp"))  # the generated workbook, the exported files
USERNAME = "bench-export"
GOAL_XLSX_SECONDS = 5.0


def ensure_dataset(url):
    """Import the generated workbook unless the campaign already holds its rows; the campaign's pk."""
    from django.db import connection

    from campaigns.models import Campaign
    from donations.models import Donation, RemittanceLine

    prepare_database(url)
    campaign = Campaign.objects.filter(name=CAMPAIGN).first()
    exported = 0
    if campaign is not None:
        exported = (
            Donation.objects.filter(campaign=campaign).count()
            + RemittanceLine.objects.filter(remittance__campaign=campaign).count()
        )
    if exported != ROWS:
        workbook = WORK / f"charity_import_bench_{ROWS}.xlsx"
        if not workbook.exists():
            print(f"生成 {ROWS} 行的工作簿 {workbook} …", flush=True)
            write_workbook(workbook, ROWS)
        print(f"导入基准数据到 {url.rsplit('/', 1)[1]} …", flush=True)
        reset_tables(url)
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "import_donations",
                str(workbook),
                "--campaign",
                CAMPAIGN,
                SEPARATE,
            ],
            cwd=ROOT,
            env=child_env(url),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        campaign = Campaign.objects.get(name=CAMPAIGN)
        # What autovacuum does within a minute of a large import on a live database: without
        # fresh statistics the planner expects an almost empty donor table and picks worse plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from django.contrib.auth import get_user_model

    get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    return campaign.pk


def run_child(url, file_format, campaign_pk, out_path):
    """The figures of one export in its own process (see child)."""
    command = [sys.executable, __file__, "--child", file_format, str(campaign_pk), str(out_path)]
    env = dict(child_env(url), EXPORT_IMMEDIATE_MAX_ROWS=str(10**9))
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"导出失败：{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(file_format, campaign_pk, out_path):
    """In the child process: one admin export, streamed to out_path; figures as JSON on stdout.

    Peak memory is the process's own high-water mark (VmHWM): the rusage a parent gets also
    counts the parent's pages at the moment of the fork. CPU time is printed next to wall time
    because this machine's cores are shared: other work stretches the wall time, not the CPU time.
    """
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    url = reverse("admin:donations_donation_export", args=[file_format])
    after_setup = memory_mb("VmRSS")
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(url, {"campaign__id__exact": campaign_pk})
    with open(out_path, "wb") as out:
        for chunk in response.streaming_content:
            out.write(chunk)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if response.status_code != 200:
        sys.exit(f"HTTP {response.status_code}")
    figures = {"seconds": seconds, "cpu": cpu, "peak_mb": memory_mb("VmHWM"), "after_setup_mb": after_setup}
    print(json.dumps(figures))


def memory_mb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def count_rows(path, file_format):
    """(data rows, header) of the exported file, read back independently: every sheet's rows
    less its header and its total row (the workbook's 捐赠 and 汇款明细; a CSV is one of them)."""
    if file_format != "xlsx":
        import csv

        with open(path, encoding="utf-8-sig", newline="") as text:
            sheets = [list(csv.reader(text))]
    else:
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = [book.get_sheet_by_index(i).to_python() for i in range(len(book.sheet_names))]
    return sum(len(rows) - 2 for rows in sheets), sheets[0][0]


def main():
    global ROWS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    # csv is the donations only; lines-csv the staff lines, the CSV twin of the 汇款明细 sheet.
    parser.add_argument(
        "--formats", nargs="+", default=["xlsx", "csv", "lines-csv"], choices=["xlsx", "csv", "lines-csv"]
    )
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    ROWS = args.rows

    if args.child:
        child(*args.child)
        return

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    os.environ.update(child_env(url))
    import django

    django.setup()
    campaign_pk = ensure_dataset(url)

    results = {}
    for file_format in args.formats:
        out_path = WORK / f"charity_export_bench.{file_format.replace('lines-csv', 'lines.csv')}"
        runs = []
        for run in range(1, args.runs + 1):
            figures = run_child(url, file_format, campaign_pk, out_path)
            runs.append(figures)
            print(
                f"{file_format} 第 {run} 次：{figures['seconds']:.2f} s（CPU {figures['cpu']:.2f} s，"
                f"峰值 {figures['peak_mb']:.0f} MB）",
                flush=True,
            )
        results[file_format] = (runs, out_path)

    print()
    print(f"机器：{machine(url)}")
    print(f"数据：{ROWS} 行（import_bench.py 生成：单位汇款、员工明细、个人捐赠），各运行 {args.runs} 次")
    csv_rows = {}
    for file_format, (runs, out_path) in results.items():
        # Read back only now: the parent stays small while the children run.
        rows, header = count_rows(out_path, file_format)
        times = sorted(run["seconds"] for run in runs)
        cpu = min(run["cpu"] for run in runs)
        peak = max(run["peak_mb"] for run in runs)
        after_setup = max(run["after_setup_mb"] for run in runs)
        goal = ""
        if file_format == "xlsx":
            goal = f"（目标 < {GOAL_XLSX_SECONDS:.0f} s）{'✓' if times[0] < GOAL_XLSX_SECONDS else '✗'}"
        print(
            f"{file_format}：{times[0]:.2f} s（{times[0]:.2f}–{times[-1]:.2f} s；CPU {cpu:.2f} s）{goal}，"
            f"{rows / times[0]:,.0f} 行/秒；文件 {out_path.stat().st_size / 1e6:.1f} MB，"
            f"{rows} 行 + 表头与合计行（{len(header)} 列）；"
            f"进程峰值内存 {peak:.0f} MB（Django 启动后 {after_setup:.0f} MB）"
        )
        total_rows = rows if file_format == "xlsx" else None
        if file_format != "xlsx":
            csv_rows[file_format] = rows
        if total_rows is not None and total_rows != ROWS:
            sys.exit(f"导出的行数 {total_rows} 不是 {ROWS}")
    if len(csv_rows) == 2 and sum(csv_rows.values()) != ROWS:
        sys.exit(f"两个 CSV 文件的行数 {sum(csv_rows.values())} 不是 {ROWS}")


if __name__ == "__main__":
    main()
