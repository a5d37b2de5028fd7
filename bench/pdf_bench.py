"""Benchmark of the PDFs: the annual summary on the demo data and a 2,000-name honor roll.

    .venv/bin/python bench/pdf_bench.py [--runs 3] [--names 2000] [--layouts columns table2 table4]

Each measurement is a whole command in a fresh process (start-up, queries, layout, writing the
file), best of --runs, with the process's peak RSS (from wait4). Printed in the same run:

- `manage.py annual_summary 2023 --output … --fresh`: the command staff and scripts run (goal
  < 2 s), on an SQLite copy of the demo data (bench/out/pdf_bench.sqlite3, made once; or
  DATABASE_URL).
- the same summary rendered by this script with the shipped Chinese font, and with its text made
  Latin-only (each Chinese character replaced by a Latin letter and a space, so lines still break
  about as often) in DejaVu Sans: the font's cost is the ratio (goal ≤ 1.2).
- an honor roll of --names synthetic names (2,000: goal < 2 s) in each layout, Chinese and
  Latin-only: `grid` (a line of text per row of four names, filled a page at a time so names read
  down the columns; see grid_blocks), `columns` (names flowing in CSS columns), or a table of 2 or
  4 name/amount pairs a row. The honor-roll models are another branch's; the template here is the
  bench's own (bench/honor_roll_bench.html).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文斌慧敏晓东海燕鹏飞婷雪琳浩宇子涵欣怡"


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
    from campaigns.summary import annual_summary
    from charity import pdf

    html = render_to_string(services.PDF_TEMPLATE, services.summary_context(annual_summary(args.year)))
    rendered = pdf.render_html(latin(html) if args.latin else html, font_css=font_css(args.latin))
    Path(args.output).write_bytes(rendered.content)
    print(json.dumps({"pages": rendered.pages}))


def honor_roll_names(count, seed=2023):
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        if rng.random() < 0.05:
            name = "爱心人士"
        else:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        amount = rng.choice((50, 100, 100, 200, 200, 300, 500, 1000)) + rng.randint(0, 3) * 10
        rows.append((name, f"{amount:,}.00"))
    return rows


# The grid layout: one line of text per row of four names, a page at a time, so the names still read
# down each column and on into the next (as CSS columns would) with a quarter of the line boxes.
GRID_COLUMNS, GRID_ROWS, GRID_ROWS_FIRST_PAGE = 4, 52, 46
FIGURE_SPACE = "\u2007"  # as wide as a digit: pads amounts so they line up on the right


def grid_blocks(rows):
    width = max((len(amount) for _, amount in rows), default=0)
    blocks, start, size = [], 0, GRID_ROWS_FIRST_PAGE
    while start < len(rows):
        chunk = rows[start : start + size * GRID_COLUMNS]
        height = -(-len(chunk) // GRID_COLUMNS)
        lines = []
        for r in range(height):
            cells = [chunk[c * height + r] for c in range(GRID_COLUMNS) if c * height + r < len(chunk)]
            lines.append("\t".join(f"{name}\t{amount.rjust(width, FIGURE_SPACE)}" for name, amount in cells))
        blocks.append(lines)
        start, size = start + len(chunk), GRID_ROWS
    return blocks


def child_honor_roll(args):
    setup_django()
    from django.template import Context, Template

    from charity import pdf

    rows = honor_roll_names(args.names)
    per_row = {"table2": 2, "table4": 4}.get(args.layout, 1)
    context = {
        "title": "2023年慈善一日捐光荣榜（第七期）",
        "layout": args.layout,
        "rows": rows,
        "table_rows": [rows[i : i + per_row] for i in range(0, len(rows), per_row)],
        "blocks": grid_blocks(rows),
        "count": len(rows),
    }
    html = Template((ROOT / "bench" / "honor_roll_bench.html").read_text()).render(Context(context))
    rendered = pdf.render_html(latin(html) if args.latin else html, font_css=font_css(args.latin))
    Path(args.output).write_bytes(rendered.content)
    print(json.dumps({"pages": rendered.pages}))


# --- the parent: runs and measures the children ----------------------------------------------------


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
    parser.add_argument("--layouts", nargs="+", default=["grid", "columns", "table2", "table4"])
    parser.add_argument("--child", choices=["summary", "honor-roll"], help=argparse.SUPPRESS)
    parser.add_argument("--latin", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--layout", default="columns", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "summary":
        return child_summary(args)
    if args.child == "honor-roll":
        return child_honor_roll(args)

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

    for layout in args.layouts:
        timings = {}
        for label, extra in (("Chinese font", []), ("Latin-only reference", ["--latin"])):
            command = me + [
                "--child", "honor-roll", "--names", str(args.names), "--layout", layout,
                "--output", str(OUT / f"honor-roll-{layout}{'-latin' if extra else ''}.pdf"),
            ]  # fmt: skip
            timings[label] = run_measured(command + extra, env, args.runs)
            seconds, cpu, peak, output = timings[label]
            label = f"honor roll {args.names} names, {layout}, {label}"
            rows.append((label, pages_of(output), seconds, cpu, peak))
        ratios[f"honor roll {layout}"] = ratio(timings)

    width = max(len(r[0]) for r in rows)
    print(f"{'document':<{width}}  pages  wall s   CPU s  peak MB")
    for label, pages, seconds, cpu, peak in rows:
        print(f"{label:<{width}}  {pages!s:>5}  {seconds:6.2f}  {cpu:6.2f}  {peak:7.0f}")
    print("Chinese font / Latin-only (wall, CPU; goal ≤ 1.2): ", end="")
    print("; ".join(f"{name} {wall:.2f}, {cpu:.2f}" for name, (wall, cpu) in ratios.items()))
    print(f"# load average before and after: {load_before}, {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
