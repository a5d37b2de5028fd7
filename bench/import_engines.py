"""The same donation rows through both import engines: the project's own and django-import-export's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/charity_bench_engines \\
        .venv/bin/python bench/import_engines.py [--rows 5000] [--runs 2]

Why donations keep their own importer while the back office's other tables use the library
(docs/dev/import-engines.md). On PostgreSQL (the database is created and migrated if needed), from
empty donation tables each time, in this one process, it times what staff wait for in the admin:

(a) the project's engine (donations/importing): check_file (the preview) + import_file (the job);
(b) a django-import-export ModelResource for Donation on the library's default path (row by row,
    full_clean, one transaction, donors found or created per row): import_data(dry_run=True) (the
    preview) + import_data() (the confirmation), the workbook read by the library's XLSX format.

The workbook holds gifts only (units and people giving on their own, no staff lists), so both
engines write the same donations and donors. It prints both times, rows/s, the ratio and the
machine line.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/charity_bench_engines"


def generate_rows(total, seed=2024):
    """Template-order rows: one unit in ten (with credit code and sector), the rest people."""
    from import_bench import credit_code

    from donations.sectors import REPORT_2023_SECTORS

    rng = random.Random(seed)
    sectors = [s for s in REPORT_2023_SECTORS if s != "个人"]
    channels = ["银行转账", "银行转账", "微信", "支付宝", "现金"]
    start = datetime.date(2023, 8, 28)
    rows = []
    for n in range(total):
        day = start + datetime.timedelta(days=rng.randrange(120))
        if n % 10 == 0:
            unit = n // 10
            rows.append(
                (
                    day, f"衡阳市对比单位{unit:05d}", "单位", credit_code(unit + 1), None,
                    sectors[unit % len(sectors)], None, float(rng.randrange(1000, 50000)), None,
                    "银行转账", f"CMP-U{unit:06d}", None, None, None, None,
                )
            )  # fmt: skip
        else:
            rows.append(
                (
                    day, f"对比捐赠人{n:06d}", "个人", None, None, None, None,
                    float(rng.choice([20, 50, 100, 88.8, 1000])), None, rng.choice(channels),
                    None, None, "是" if n % 25 == 0 else None, None, None,
                )
            )  # fmt: skip
    return rows


def write_workbook(path, total):
    import openpyxl

    from donations.importing import COLUMNS

    # Not write_only: that mode leaves out the sheet's dimensions and trailing empty cells, and the
    # library's XLSX reader (openpyxl read-only) then gives rows of uneven length, which tablib
    # refuses (InvalidDimensions). Excel itself writes the dimensions.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "捐赠"
    sheet.append(list(COLUMNS))
    for row in generate_rows(total):
        sheet.append(list(row))
    book.save(path)


def donation_resource(campaign):
    """A bench-only ModelResource for Donation, written as the library's documentation suggests:
    declared fields with widgets, donors found or created in before_import_row, the model's own
    validation (clean_model_instances), the default row-by-row path."""
    from import_export import fields, resources, widgets

    from donations.models import Donation, Donor

    channels = {str(label): value for value, label in Donation.Channel.choices}
    kinds = {str(label): value for value, label in Donor.Kind.choices}

    class ChannelWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return channels.get(value or "银行转账", value)

    class YesWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return value == "是"

    class DonationResource(resources.ModelResource):
        received_on = fields.Field("received_on", "捐赠日期", widgets.DateWidget())
        amount = fields.Field("amount", "金额", widgets.DecimalWidget())
        channel = fields.Field("channel", "渠道", ChannelWidget())
        receipt_no = fields.Field("receipt_no", "票据号", widgets.CharWidget())
        anonymous = fields.Field("anonymous", "匿名", YesWidget())
        note = fields.Field("note", "备注", widgets.CharWidget())

        class Meta:
            model = Donation
            fields = ["received_on", "amount", "channel", "receipt_no", "anonymous", "note"]
            import_id_fields = []
            clean_model_instances = True
            use_transactions = True

        def before_import_row(self, row, **kwargs):
            from donations.models import Sector

            kind = kinds[row["捐赠人类型"]]
            defaults = {}
            if kind == Donor.Kind.UNIT:
                defaults = {
                    "credit_code": row["统一社会信用代码"] or "",
                    "sector": Sector.objects.get(name=row["版块"]) if row["版块"] else None,
                }
            self._donor, _ = Donor.objects.get_or_create(kind=kind, name=row["捐赠人"], defaults=defaults)

        def init_instance(self, row=None):
            return Donation(campaign=campaign, donor=self._donor)

    return DonationResource


def reset(url):
    from import_bench import CAMPAIGN, reset_tables

    from campaigns.models import Campaign

    reset_tables(url)
    return Campaign.objects.get(name=CAMPAIGN)


def time_own_engine(url, workbook):
    from donations.importing import check_file, import_file
    from donations.models import Donation

    campaign = reset(url)
    options = {"campaign": campaign, "file_name": workbook.name, "separate_staff_gifts": True}
    started = time.perf_counter()
    plan = check_file(workbook, **options)
    if not plan.ok:
        sys.exit(f"(a) 检查未通过：{[str(e) for e in plan.errors[:5]]}")
    checked = time.perf_counter()
    print(f"  (a) 预览 {checked - started:.2f} s", flush=True)
    import_file(workbook, **options)
    done = time.perf_counter()
    return checked - started, done - checked, Donation.objects.count()


def time_library(url, workbook):
    from import_export.formats.base_formats import XLSX

    from charity import audit
    from donations.models import Donation

    campaign = reset(url)
    resource = donation_resource(campaign)()
    started = time.perf_counter()
    # Without the automatic audit entry of every saved row (charity/audit.py), as the project's
    # own resources import (charity/resources.py): the library's path alone is measured.
    with audit.explicit():
        dataset = XLSX().create_dataset(workbook.read_bytes())
        preview = resource.import_data(dataset, dry_run=True)
        if preview.has_errors() or preview.has_validation_errors():
            sys.exit(f"(b) 预览有错误：{preview.invalid_rows[:3] or preview.row_errors()[:3]}")
        checked = time.perf_counter()
        print(f"  (b) 预览 {checked - started:.2f} s", flush=True)
        result = resource.import_data(dataset, dry_run=False)
    done = time.perf_counter()
    if result.has_errors() or result.has_validation_errors():
        sys.exit("(b) 导入有错误")
    return checked - started, done - checked, Donation.objects.count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    from import_bench import child_env, machine, prepare_database

    os.environ.update(child_env(url))
    import django

    django.setup()
    prepare_database(url)
    workbook = Path("/tmp") / f"charity_import_engines_{args.rows}.xlsx"
    if not workbook.exists():
        write_workbook(workbook, args.rows)

    own, library = [], []
    for run in range(1, args.runs + 1):
        own.append(time_own_engine(url, workbook))
        library.append(time_library(url, workbook))
        (a_check, a_write, a_rows), (b_check, b_write, b_rows) = own[-1], library[-1]
        print(
            f"第 {run} 次：(a) 预览 {a_check:.2f} s + 写入 {a_write:.2f} s（{a_rows} 笔）；"
            f"(b) 预览 {b_check:.2f} s + 写入 {b_write:.2f} s（{b_rows} 笔）",
            flush=True,
        )

    def best(runs):
        return min(check + write for check, write, _rows in runs)

    a, b = best(own), best(library)
    print()
    print(f"机器：{machine(url)}")
    print(f"行数：{args.rows}（同一工作簿），运行 {args.runs} 次，取最好的一次（预览 + 写入）")
    print(f"(a) 本项目的导入引擎（donations/importing）：{a:.2f} s，{args.rows / a:,.0f} 行/秒")
    print(f"(b) django-import-export ModelResource（默认逐行）：{b:.2f} s，{args.rows / b:,.0f} 行/秒")
    print(f"(b) / (a) = {b / a:.1f} 倍")


if __name__ == "__main__":
    main()
