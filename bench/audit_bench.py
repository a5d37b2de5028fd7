"""What the audit trail costs a save, an update and a delete made one by one (the admin's way).

    .venv/bin/python bench/audit_bench.py [--n 500] [--runs 3]

Uses DATABASE_URL (default: SQLite in a temporary file, migrated first). Times N donation
creates, N updates of the amount and N deletes with the audit trail writing its entries, and
the same with automatic entries off (charity.audit.explicit()), and prints milliseconds per
operation for both. Imports are not measured here: they write with COPY (PostgreSQL) or
bulk_create (SQLite), which send no signals, and record one entry per batch; bench/import_bench.py
measures them whole.
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup():
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/audit-bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charity.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def one_run(n, audited):
    import datetime

    from campaigns.models import Campaign
    from charity import audit
    from donations.models import Donation, Donor

    day = datetime.date(2023, 9, 1)
    campaign, _ = Campaign.objects.get_or_create(
        name="审计基准活动", defaults={"year": 2023, "start_date": day, "end_date": day}
    )
    donor, _ = Donor.objects.get_or_create(name="审计基准单位", kind="unit")
    context = nullcontext if audited else audit.explicit
    times = {}
    with context():
        start = time.perf_counter()
        gifts = [
            Donation.objects.create(
                donor=donor, campaign=campaign, amount=Decimal("10.00"), received_on=datetime.date(2023, 9, 1)
            )
            for _ in range(n)
        ]
        times["新增"] = time.perf_counter() - start
        start = time.perf_counter()
        for gift in gifts:
            gift.amount = Decimal("12.50")
            gift.save()
        times["修改"] = time.perf_counter() - start
        start = time.perf_counter()
        for gift in gifts:
            gift.delete()
        times["删除"] = time.perf_counter() - start
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        (version,) = cursor.fetchone()
    cpu = platform.processor() or platform.machine()
    python = platform.python_version()
    print(f"机器：{cpu}，{os.cpu_count()} 核，Python {python}，{connection.vendor} {version}")
    best = {True: {}, False: {}}
    for _ in range(args.runs):
        for audited in (False, True):
            for op, seconds in one_run(args.n, audited).items():
                best[audited][op] = min(best[audited].get(op, seconds), seconds)
    for op in ("新增", "修改", "删除"):
        off, on = best[False][op] / args.n * 1000, best[True][op] / args.n * 1000
        print(f"{op}：不记录 {off:.2f} ms/笔，记录 {on:.2f} ms/笔（+{on - off:.2f} ms）")


if __name__ == "__main__":
    main()
