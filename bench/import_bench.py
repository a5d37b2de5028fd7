"""Benchmark of the donation import against the physical limit of this machine.

    .venv/bin/python bench/import_bench.py [--rows 60000] [--runs 3]

It generates a campaign-sized workbook (units' remittances, their staff lists as itemisation
lines, people giving on their own), then, on PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/charity_bench, created and migrated if needed):

- times `manage.py import_donations` as a whole process: start-up, reading, validating, matching
  donors, writing, the batch record; with the peak RSS of that process;
- times the reference: the same workbook read with python-calamine and its rows written with a
  raw COPY into a plain table, no validation;

and prints rows/s for both, their ratio (goal: at least 0.20) and the import's peak memory
(goal: under 400 MB). Each run starts from empty donation tables.
"""

import argparse
import datetime
import hashlib
import inspect
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/charity_bench"
CAMPAIGN = "基准测试慈善一日捐"
GOAL_RATIO = 0.20
GOAL_PEAK_MB = 400


# --- the workbook ---------------------------------------------------------------------------


def credit_code(n):
    from donations.validators import credit_code_check_char

    first17 = f"91430400{n:09d}"
    return first17 + credit_code_check_char(first17)


def generate_rows(total, seed=2023):
    """Rows in template order: ~1% unit remittances, ~2/3 their staff lines, the rest own gifts."""
    from donations.sectors import REPORT_2023_SECTORS

    rng = random.Random(seed)
    sectors = [s for s in REPORT_2023_SECTORS if s != "个人"]
    channels = ["银行转账", "银行转账", "银行转账", "微信", "支付宝", "现金"]
    start = datetime.date(2023, 8, 28)
    units = max(1, total // 100)
    lines_per_unit = (total * 2 // 3) // units
    rows = []
    surnames = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    )
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海燕鹏宇浩然子涵欣怡"

    def person_name(n):
        return (
            surnames[n % len(surnames)]
            + given[(n // 7) % len(given)]
            + given[(n // 131) % len(given)]
            + str(n)
        )

    person = 0
    for u in range(units):
        if len(rows) >= total:
            break
        unit_name = f"衡阳市基准单位{u:04d}"
        day = start + datetime.timedelta(days=rng.randrange(120))
        receipt = f"HY2023-U{u:05d}"
        line_amounts = [Decimal(rng.choice([50, 100, 100, 200, 300, 500])) for _ in range(lines_per_unit)]
        remittance = sum(line_amounts) + Decimal(rng.randrange(0, 5000)) + Decimal("0.50")
        rows.append(
            {
                "捐赠日期": day,
                "捐赠人": unit_name,
                "捐赠人类型": "单位",
                "统一社会信用代码": credit_code(u + 1),
                "版块": sectors[u % len(sectors)],
                "金额": float(remittance),
                "参与人数": lines_per_unit + rng.randrange(0, 20),
                "渠道": "银行转账",
                "票据号": receipt,
            }
        )
        for amount in line_amounts:
            if len(rows) >= total:
                break
            person += 1
            rows.append(
                {
                    "捐赠日期": day,
                    "捐赠人": person_name(person),
                    "捐赠人类型": "个人",
                    "金额": float(amount),
                    "匿名": "是" if person % 40 == 0 else None,
                    "汇款票据号": receipt,
                }
            )
    own = 0
    while len(rows) < total:
        own += 1
        person += 1
        day = start + datetime.timedelta(days=rng.randrange(120))
        employer = f"衡阳市基准单位{rng.randrange(units):04d}" if own % 2 else None
        # As in the federation's own files: a person naming their unit carries a receipt number
        # of their own, so the row is a separately receipted gift and needs no option (#22).
        receipt = f"HY2023-P{own:06d}" if employer or own % 3 == 0 else None
        rows.append(
            {
                "捐赠日期": day,
                "捐赠人": person_name(person),
                "捐赠人类型": "个人",
                "所在单位": employer,
                "金额": float(rng.choice([20, 50, 100, 88.8, 1000])),
                "渠道": rng.choice(channels),
                "票据号": receipt,
                "匿名": "是" if own % 25 == 0 else None,
            }
        )
    return rows


def default_workbook(total):
    """Where the generated workbook is kept between runs: its name changes with the template's
    columns and this generator, so a workbook written for an older template is never reused."""
    from donations.importing import COLUMNS

    fingerprint = hashlib.sha256(("|".join(COLUMNS) + inspect.getsource(generate_rows)).encode())
    return Path("/tmp") / f"charity_import_bench_{total}_{fingerprint.hexdigest()[:10]}.xlsx"


def write_workbook(path, total):
    import openpyxl

    from donations.importing import COLUMNS

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("捐赠")
    sheet.append(list(COLUMNS))
    # Rows are keyed by column name, so a column added to the template cannot shift the others.
    for row in generate_rows(total):
        unknown = set(row) - set(COLUMNS)
        assert not unknown, f"not in the template: {unknown}"
        sheet.append([row.get(column) for column in COLUMNS])
    book.save(path)


# --- the database ---------------------------------------------------------------------------


def prepare_database(url):
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=child_env(url), check=True
    )


def child_env(url):
    return dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="charity.settings", DEBUG="0")


def reset_tables(url):
    import psycopg

    from campaigns.models import Campaign

    with psycopg.connect(url, autocommit=True) as conn:
        tables = "donations_remittanceline, donations_donation, donations_donor, donations_importbatch"
        conn.execute(f"TRUNCATE {tables} CASCADE")
        conn.execute("VACUUM ANALYZE donations_donor")
    # Through the model: its columns' defaults live in Django, not in the table.
    Campaign.objects.get_or_create(
        name=CAMPAIGN,
        defaults={
            "kind": "one_day",
            "year": 2023,
            "start_date": datetime.date(2023, 8, 28),
            "end_date": datetime.date(2023, 12, 31),
        },
    )


# --- the two measurements -------------------------------------------------------------------


def time_import(url, workbook, options=()):
    """Wall time and peak RSS (MB) of `manage.py import_donations` as its own process."""
    # Half the people giving on their own name a unit that remits in the same file. Each of them
    # carries a receipt number of their own, as in the federation's files, so the import counts
    # them as separate gifts without being told (#22); no option is passed.
    command = [
        sys.executable,
        "manage.py",
        "import_donations",
        str(workbook),
        "--campaign",
        CAMPAIGN,
        *options,
    ]
    # Output goes to files, not pipes: a refused file writes a message per row, and a pipe nobody
    # reads until the end would fill and stop the child for good.
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=child_env(url), stdout=stdout, stderr=stderr)
        # wait4 gives this child's own rusage; RUSAGE_CHILDREN would mix in earlier children.
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read().decode(), stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"导入失败：\n{err[:3000]}")
    return elapsed, usage.ru_maxrss / 1024, out.strip()


REFERENCE_TYPES = {"捐赠日期": "date", "金额": "numeric(14,2)", "参与人数": "numeric"}


def time_reference(url, workbook):
    """calamine read + COPY of every row into a plain table: what the hardware allows."""
    import psycopg
    import python_calamine

    from donations.importing import COLUMNS

    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_reference")
        # One column per template column, typed as the import reads it (so an older tree, whose
        # template has fewer columns, is measured against its own file).
        columns = ", ".join(f"c{n} {REFERENCE_TYPES.get(name, 'text')}" for n, name in enumerate(COLUMNS))
        conn.execute(f"CREATE TABLE bench_reference ({columns})")
        conn.commit()
        started = time.perf_counter()
        book = python_calamine.CalamineWorkbook.from_path(str(workbook))
        rows = book.get_sheet_by_index(0).to_python()[1:]
        with conn.cursor() as cursor, cursor.copy("COPY bench_reference FROM STDIN") as copy:
            for row in rows:
                copy.write_row([None if cell == "" else cell for cell in row])
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_reference")
        conn.commit()
    return elapsed, len(rows)


def machine(url):
    import psycopg

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with psycopg.connect(url) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return (
        f"CPU {cpu}，{os.cpu_count()} 核，内存 {mem_kb / 1024 / 1024:.1f} GB，"
        f"Python {platform.python_version()}，PostgreSQL {pg}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=60000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workbook", type=Path, help="reuse or write the generated workbook here")
    parser.add_argument(
        "--import-option",
        action="append",
        default=[],
        help="pass this option to import_donations (a tree before #22 needs --separate-staff-gifts)",
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    os.environ.update(child_env(url))
    import django

    django.setup()

    workbook = args.workbook or default_workbook(args.rows)
    if not workbook.exists():
        print(f"生成 {args.rows} 行的工作簿 {workbook} …", flush=True)
        write_workbook(workbook, args.rows)
    prepare_database(url)

    imports, references = [], []
    for run in range(1, args.runs + 1):
        reset_tables(url)
        seconds, peak, summary = time_import(url, workbook, args.import_option)
        imports.append((seconds, peak))
        ref_seconds, ref_rows = time_reference(url, workbook)
        references.append(ref_seconds)
        print(
            f"第 {run} 次：导入 {seconds:.2f} s（峰值 {peak:.0f} MB），参照 {ref_seconds:.2f} s — {summary}",
            flush=True,
        )

    rows = ref_rows
    best_import = min(s for s, _ in imports)
    best_reference = min(references)
    import_rate = rows / best_import
    reference_rate = rows / best_reference
    ratio = import_rate / reference_rate
    peak = max(p for _, p in imports)
    spread = f"{min(s for s, _ in imports):.2f}–{max(s for s, _ in imports):.2f} s"
    ref_spread = f"{min(references):.2f}–{max(references):.2f} s"
    print()
    print(f"机器：{machine(url)}")
    print(f"行数：{rows}，运行 {args.runs} 次（取最好的一次；范围：导入 {spread}，参照 {ref_spread}）")
    print(f"导入（manage.py import_donations，整个进程）：{import_rate:,.0f} 行/秒（{best_import:.2f} s）")
    print(
        f"参照（python-calamine 读取 + COPY 到普通表）：{reference_rate:,.0f} 行/秒（{best_reference:.2f} s）"
    )
    print(f"比值：{ratio:.2f}（目标 ≥ {GOAL_RATIO:.2f}）{'✓' if ratio >= GOAL_RATIO else '✗'}")
    print(f"导入进程峰值内存：{peak:.0f} MB（目标 < {GOAL_PEAK_MB} MB）{'✓' if peak < GOAL_PEAK_MB else '✗'}")


if __name__ == "__main__":
    main()
