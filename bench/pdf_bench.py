"""Benchmark of the PDFs: the annual summary on the demo data and a 2,000-name honor roll.

    .venv/bin/python bench/pdf_bench.py [--runs 3] [--names 2000] [--compare] [--reports-only]

Each measurement is a whole command in a fresh process (start-up, queries, layout, writing the
file), best of --runs, with the process's peak RSS (from wait4). Printed in the same run:

- `manage.py annual_summary 2023 --output … --fresh`: the command staff and scripts run (goal
  < 2 s), on an SQLite copy of the demo data (bench/out/pdf_bench.sqlite3, made once; or
  DATABASE_URL).
- the same summary rendered by this script with the shipped Chinese font, and with its text made
  Latin-only (each Chinese character replaced by a Latin letter and a space, so lines still break
  about as often) in DejaVu Sans: the font's cost is the ratio (goal ≤ 1.2).
- an honor-roll issue of --names names (2,000: goal < 2 s) rendered by the portal's own code
  (campaigns/honor_rolls/pdf.py, the grid layout) from a synthetic published content shaped like
  a real issue: 5 % units spread over the sectors, 55 % staff on their units' lists, 40 %
  individuals (5 % of them anonymous), amounts at or above the listing threshold, one erratum.
  Again with the Chinese font and Latin-only.
- `manage.py annual_report 2019|2023 --output ….pdf` and `annual_report 2019 --output ….docx`:
  the year report (年度工作报告) as staff run it (goal < 2 s each); --reports-only measures these
  alone, with the next item.
- the release of the 2019 and 2023 year reports as the worker does it, in a fresh process: the
  freeze from the ledger (publishing.release, rolled back afterwards) and both files from the
  frozen content with the cover's QR code (files.report_pdf and files.report_docx, not stored).
- with --compare, the same names as one flat list in the layouts the grid was chosen against:
  CSS columns, and tables of 2 or 4 name/amount pairs a row (Chinese font only).
"""

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文斌慧敏晓东海燕鹏飞婷雪琳浩宇子涵欣怡"
UNIT_KINDS = "局 中学 医院 分局 有限公司 建设集团有限公司 投资集团股份有限公司 服务中心".split()


def latin(html):
    """The same document with Latin-only text: each Chinese character becomes 'n ' (about as wide)."""
    return CJK.sub("n ", html)


def setup_django(url=None):
    if url:
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charity.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def font_css(is_latin):
    from charity import pdf

    return pdf.font_face_css(LATIN_FONT) if is_latin else pdf.font_face_css()


# --- what each child process does ------------------------------------------------------------------


def child_summary(args):
    setup_django()
    from django.template.loader import render_to_string

    from campaigns import services
    from campaigns.annual_summary.figures import annual_summary
    from charity import pdf

    html = render_to_string(services.PDF_TEMPLATE, services.summary_context(annual_summary(args.year)))
    rendered = pdf.render_html(latin(html) if args.latin else html, font_css=font_css(args.latin))
    Path(args.output).write_bytes(rendered.content)
    print(json.dumps({"pages": rendered.pages}))


def random_name(rng):
    if rng.random() < 0.05:
        return "爱心人士"
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def amount(rng, low, high):
    return Decimal(rng.randrange(low, high, 10)).quantize(Decimal("0.01"))


def synthetic_issue(names, seed=2023):
    """A published issue's content (the shape of campaigns/honor_rolls/content.py) listing `names`
    names, with totals that reconcile as a published issue's do."""
    from donations.sectors import INDIVIDUAL_SECTOR, REPORT_2023_SECTORS

    rng = random.Random(seed)
    unit_count, staff_count = names // 20, names * 11 // 20
    people_count = names - unit_count - staff_count
    unit_sectors = [s for s in REPORT_2023_SECTORS if s != INDIVIDUAL_SECTOR]
    sectors = {
        name: {"sector_id": order, "name": name, "order": order, "units": [], "people": [], "staff": []}
        for order, name in enumerate(REPORT_2023_SECTORS, start=1)
    }
    units = []
    for i in range(unit_count):
        trade = "".join(rng.choice(GIVEN) for _ in range(2))
        name = f"衡阳市{trade}{rng.choice(UNIT_KINDS)}"
        sector = sectors[unit_sectors[i % len(unit_sectors)]]
        units.append((sector, {"name": name, "amount": amount(rng, 5000, 200000), "donations": 1}))
    for sector, unit in sorted(units, key=lambda u: -u[1]["amount"]):
        sector["units"].append(unit)
    # Staff lines go with their unit's remittance, largest first within it.
    members = [rng.randrange(unit_count) for _ in range(staff_count)]
    for index, (sector, unit) in enumerate(units):
        staff = [amount(rng, 1000, 3000) for m in members if m == index]
        for value in sorted(staff, reverse=True):
            sector["staff"].append({"name": random_name(rng), "unit": unit["name"], "amount": value})
    personal = sectors[INDIVIDUAL_SECTOR]
    people = sorted((amount(rng, 1000, 5000) for _ in range(people_count)), reverse=True)
    personal["people"] = [{"name": random_name(rng), "amount": value} for value in people]
    others = {"count": people_count // 4, "amount": amount(rng, 20000, 40000)}
    listed = []
    for sector in sectors.values():
        if not (sector["units"] or sector["people"]):
            continue
        total = sum(u["amount"] for u in sector["units"]) + sum(p["amount"] for p in sector["people"])
        sector_others = others if sector is personal else {"count": 0, "amount": Decimal("0.00")}
        sector["others"] = sector_others
        sector["total"] = total + sector_others["amount"]
        sector["donations"] = len(sector["units"]) + len(sector["people"]) + sector_others["count"]
        listed.append(sector)
    total = sum(s["total"] for s in listed)
    before = Decimal("8000000.00")
    content = {
        "schema": 1,
        "kind": "honor_roll",
        "campaign": {"id": 1, "name": "2023年慈善一日捐", "year": 2023},
        "number": 7,
        "number_label": "第七期",
        "title": "2023年慈善一日捐光荣榜（第七期）",
        "cut_off": "2023-12-31",
        "previous_cut_off": "2023-12-15",
        "threshold": "1000.00",
        "total": total,
        "donations": sum(s["donations"] for s in listed),
        "running_total": before + total,
        "running_donations": 9000 + sum(s["donations"] for s in listed),
        "sectors": listed,
        "running_by_sector": [
            {"sector_id": s["sector_id"], "name": s["name"], "order": s["order"], "total": s["total"]}
            for s in listed
        ],
    }
    content["running_by_sector"][0]["total"] += before  # earlier issues' money, in one sector
    # As stored: JSON, amounts as exact decimal strings.
    return json.loads(json.dumps(content, default=lambda value: f"{value:.2f}"))


def honor_roll_document(names):
    import datetime

    from django.utils import timezone

    from campaigns.honor_rolls import pdf as layout
    from charity.snapshots import fingerprint

    content = synthetic_issue(names)
    published = timezone.make_aware(datetime.datetime(2024, 1, 3, 10, 0))
    return layout.IssueDocument(
        content=content,
        published_at=published,
        page_url="http://127.0.0.1:8000/honor-rolls/7/",
        errata=[layout.Erratum(published, "第六期中一位爱心人士的捐款日期应为12月2日，金额无误。")],
        content_sha256=fingerprint(content),
    )


# The flat layouts the grid was chosen against (bench/README.md, "PDFs"): the same names, one list.
COMPARISON = """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
  @page { size: A4; margin: 18mm 15mm 16mm 15mm;
    @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font-size: 8.5pt; }
  }
  html { font-family: "Noto Sans SC"; font-size: 9.5pt; line-height: 1.45; }
  h1 { font-size: 16pt; text-align: center; }
  /* each name a paragraph whose two words are pushed apart: the fastest columns variant measured
     (a flex item per name took 53 s for 2,000 names, inline-blocks 5 s) */
  .names { column-count: 4; column-gap: 6mm; }
  .names p { margin: 0; text-align: justify; text-align-last: justify; }
  table { width: 100%; border-collapse: collapse; }
  td { padding: .6pt 3pt; border-bottom: .3pt dotted #bbb; }
  td.num { text-align: right; white-space: nowrap; }
</style></head><body>
<h1>{{ title }}</h1>
{% if layout == "columns" %}
<div class="names">{% for name, amount in rows %}<p>{{ name }} {{ amount }}</p>{% endfor %}</div>
{% else %}
<table><tbody>{% for group in table_rows %}<tr>{% for name, amount in group %}<td>{{ name }}</td>\
<td class="num">{{ amount }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
{% endif %}
</body></html>
"""


def comparison_html(document, layout):
    from django.template import Context, Template

    from charity.money import yuan

    rows = [
        (row["name"], yuan(row["amount"]))
        for sector in document.content["sectors"]
        for row in (*sector["units"], *sector["people"], *sector["staff"])
    ]
    per_row = {"table2": 2, "table4": 4}.get(layout, 1)
    context = {
        "title": document.content["title"],
        "layout": layout,
        "rows": rows,
        "table_rows": [rows[i : i + per_row] for i in range(0, len(rows), per_row)],
    }
    return Template(COMPARISON).render(Context(context))


def child_honor_roll(args):
    setup_django()
    from campaigns.honor_rolls import pdf as layout
    from charity import pdf

    document = honor_roll_document(args.names)
    if args.layout != "grid":
        rendered = pdf.render_html(comparison_html(document, args.layout))
    elif args.latin:
        rendered = pdf.render_html(latin(layout.issue_html(document)), font_css=font_css(True))
    else:
        rendered = layout.render_issue(document)  # exactly what a first download does
    Path(args.output).write_bytes(rendered.content)
    print(json.dumps({"pages": rendered.pages}))


# --- the parent: runs and measures the children ----------------------------------------------------


def child_release(args):
    """What the worker's job costs for one release: the freeze, then the PDF and the Word file."""
    setup_django()
    from django.db import transaction

    from campaigns.annual_report import files, publishing

    with transaction.atomic():
        report = publishing.release(publishing.new_draft(args.year), None)
        pdf = files.report_pdf(report)[0].body
        files.report_docx(report)
        transaction.set_rollback(True)  # the demo data stays as it was; nothing is scheduled
    Path(args.output).write_bytes(pdf)
    print(json.dumps({"pages": pdf_pages(args.output)}))


def run_measured(command, env, runs):
    """Best wall and CPU time of `runs` fresh processes, their peak RSS in MB (wait4), the last output.

    CPU time (user + system, from wait4) is printed beside the wall time: on a shared machine it
    is the steadier figure, about what the command takes on a free core.
    """
    best, cpu, peak, output = None, None, 0.0, ""
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        if process.returncode:
            raise SystemExit(f"失败（{process.returncode}）：{' '.join(command)}")
        best = elapsed if best is None else min(best, elapsed)
        used = usage.ru_utime + usage.ru_stime
        cpu = used if cpu is None else min(cpu, used)
        peak = max(peak, usage.ru_maxrss / 1024)
        output = out.decode()
    return best, cpu, peak, output


def ratio(timings):
    """(wall, CPU) of the Chinese render over the Latin-only one."""
    chinese, latin_only = timings["Chinese font"], timings["Latin-only reference"]
    return chinese[0] / latin_only[0], chinese[1] / latin_only[1]


def pages_of(output):
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)["pages"]
    match = re.search(r"（(\d+) 页", output)
    return int(match.group(1)) if match else None


def prepare_demo(env):
    """Migrate and load the demo data once (not timed)."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "loaddemo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    import weasyprint

    python = platform.python_version()
    return f"{cpu}, {os.cpu_count()} cores, Python {python}, WeasyPrint {weasyprint.__version__}"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--names", type=int, default=2000)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--compare", action="store_true", help="also the flat layouts the grid beat")
    parser.add_argument("--reports-only", action="store_true", help="only the year report's commands")
    parser.add_argument("--child", choices=["summary", "honor-roll", "release"], help=argparse.SUPPRESS)
    parser.add_argument("--latin", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--layout", default="grid", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "summary":
        return child_summary(args)
    if args.child == "honor-roll":
        return child_honor_roll(args)
    if args.child == "release":
        return child_release(args)

    if not Path(LATIN_FONT).is_file():
        raise SystemExit(f"需要 {LATIN_FONT} 作为拉丁字体的参照（apt-get install fonts-dejavu-core）")
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{OUT / 'pdf_bench.sqlite3'}"
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="charity.settings", DEBUG="0")
    env["CHARITY_DATA_DIR"] = str(OUT / "data")
    prepare_demo(env)
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"# {machine()}; best of {args.runs} runs each; database {url.split('@')[-1]}")
    me = [sys.executable, str(Path(__file__).resolve())]
    rows = []

    for year, suffix in ((2019, "pdf"), (2023, "pdf"), (2019, "docx")):
        target = OUT / f"annual-report-{year}.{suffix}"
        command = [sys.executable, "manage.py", "annual_report", str(year), "--output", str(target)]
        seconds, cpu, peak, _ = run_measured(command, env, args.runs)
        pages = pdf_pages(target) if suffix == "pdf" else None
        rows.append((f"manage.py annual_report {year} --output ….{suffix}", pages, seconds, cpu, peak))
    for year in (2019, 2023):
        command = me + [
            "--child",
            "release",
            "--year",
            str(year),
            "--output",
            str(OUT / f"release-{year}.pdf"),
        ]
        seconds, cpu, peak, output = run_measured(command, env, args.runs)
        rows.append(
            (f"release {year}: freeze + PDF + .docx (the worker's job)", pages_of(output), seconds, cpu, peak)
        )
    if args.reports_only:
        return print_rows(rows, {}, load_before)

    command = [
        sys.executable, "manage.py", "annual_summary", str(args.year), "--fresh",
        "--output", str(OUT / "summary-command.pdf"),
    ]  # fmt: skip
    seconds, cpu, peak, output = run_measured(command, env, args.runs)
    rows.append((f"manage.py annual_summary {args.year} --fresh", pages_of(output), seconds, cpu, peak))

    results = {}
    for label, extra in (("Chinese font", []), ("Latin-only reference", ["--latin"])):
        command = me + [
            "--child",
            "summary",
            "--year",
            str(args.year),
            "--output",
            str(OUT / f"summary{'-latin' if extra else ''}.pdf"),
        ]
        results[label] = run_measured(command + extra, env, args.runs)
        seconds, cpu, peak, output = results[label]
        rows.append((f"summary, {label}", pages_of(output), seconds, cpu, peak))
    ratios = {"summary": ratio(results)}

    def honor_roll(layout, latin_only):
        suffix = f"{layout}{'-latin' if latin_only else ''}"
        command = me + [
            "--child", "honor-roll", "--names", str(args.names), "--layout", layout,
            "--output", str(OUT / f"honor-roll-{suffix}.pdf"),
        ]  # fmt: skip
        return run_measured(command + (["--latin"] if latin_only else []), env, args.runs)

    timings = {}
    for label, latin_only in (("Chinese font", False), ("Latin-only reference", True)):
        timings[label] = honor_roll("grid", latin_only)
        seconds, cpu, peak, output = timings[label]
        rows.append((f"honor roll {args.names} names, grid, {label}", pages_of(output), seconds, cpu, peak))
    ratios["honor roll grid"] = ratio(timings)
    for layout in ("columns", "table2", "table4") if args.compare else ():
        seconds, cpu, peak, output = honor_roll(layout, False)
        label = f"honor roll {args.names} names, {layout} (flat list)"
        rows.append((label, pages_of(output), seconds, cpu, peak))

    print_rows(rows, ratios, load_before)


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def print_rows(rows, ratios, load_before):
    width = max(len(r[0]) for r in rows)
    print(f"{'document':<{width}}  pages  wall s   CPU s  peak MB")
    for label, pages, seconds, cpu, peak in rows:
        print(f"{label:<{width}}  {pages!s:>5}  {seconds:6.2f}  {cpu:6.2f}  {peak:7.0f}")
    if ratios:
        print("Chinese font / Latin-only (wall, CPU; goal ≤ 1.2): ", end="")
        print("; ".join(f"{name} {wall:.2f}, {cpu:.2f}" for name, (wall, cpu) in ratios.items()))
    print(f"# load average before and after: {load_before}, {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
