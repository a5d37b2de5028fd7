"""Helper of bench/load_bench.sh (run by it, with its production-like environment).

    load_bench.py prepare [--donations N]   database, demo data, what to load: "name<TAB>path" lines
    load_bench.py machine                    the machine and the versions, one line
    load_bench.py table RESULTS              the figures wrk wrote (bench/load_bench.lua), as a table

`prepare` creates the database named by DATABASE_URL if needed, migrates it, loads the demo data
(`loaddemo --force`: the environment says production), optionally adds bench/public_bench.py's
ten campaigns of N/10 donations each, renders the 2023 annual summary once (for its verification
page), and deletes this bench's own keys from Redis (CACHE_KEY_PREFIX) so that every run starts
from a cold cache, without touching anybody else's keys.
"""

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def prepare(donations):
    from public_bench import setup  # creates the database if needed, django.setup(), migrate

    setup(os.environ["DATABASE_URL"])
    from django.core.management import call_command

    forget_own_cache_keys()
    call_command("loaddemo", force=True, stdout=open(os.devnull, "w"))
    if donations:
        from public_bench import campaign_for_publications, load, publications

        load(donations)
        publications(campaign_for_publications())
    return targets()


def forget_own_cache_keys():
    import redis

    prefix = os.environ["CACHE_KEY_PREFIX"]
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.unlink(*keys[start : start + 1000])


def targets():
    """One URL of each public page type, from the data (the running campaign, its biggest sector,
    the latest published issue, edition and disclosure)."""
    from django.templatetags.static import static
    from django.urls import reverse

    from campaigns.models import AnnualSummaryDocument, HonorRollIssue, RankingEdition
    from campaigns.selectors import campaign_figures, current_campaign
    from campaigns.services import summary_document
    from relief.models import Disclosure, ReliefProject

    campaign = current_campaign()
    figures = campaign_figures(campaign)
    sector = max((row for row in figures.rows if row.key), key=lambda row: row.total)
    issue = HonorRollIssue.objects.filter(status="published").order_by("-published_at").first()
    edition = RankingEdition.objects.filter(status="published").order_by("-published_at").first()
    category = edition.categories.first()
    disclosure = Disclosure.objects.filter(status="published").order_by("-published_at").first()
    project = ReliefProject.objects.order_by("-year", "pk").first()
    summary = AnnualSummaryDocument.objects.filter(year=campaign.year).first() or summary_document(
        campaign.year
    )
    return [
        ("static file (site.css)", static("charity/site.css")),
        ("home", reverse("home")),
        ("campaign list", reverse("campaigns:campaign_list")),
        ("campaign", reverse("campaigns:campaign", args=[campaign.pk])),
        ("sector", reverse("campaigns:sector", args=[campaign.pk, sector.key])),
        ("honor-roll list", reverse("campaigns:honor_roll_list", args=[campaign.pk])),
        ("honor-roll issue", reverse("campaigns:honor_roll", args=[issue.pk])),
        ("ranking edition", reverse("campaigns:ranking", args=[edition.pk])),
        ("ranking category", reverse("campaigns:ranking_category", args=[edition.pk, category.pk])),
        ("relief projects", reverse("relief:project_list")),
        ("relief project", reverse("relief:project", args=[project.pk])),
        ("disclosure", reverse("relief:disclosure", args=[disclosure.pk])),
        ("relief year", reverse("relief:year", args=[project.year])),
        ("summary verification", reverse("campaigns:summary_verify", args=[summary.code])),
    ]


def machine():
    import django
    import gunicorn
    import psycopg
    import redis

    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
        platform.processor(),
    )
    memory = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0].split()[0]
    redis_version = redis.Redis.from_url(os.environ["REDIS_URL"]).info("server")["redis_version"]
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory / 1024 / 1024:.1f} GB; Python {platform.python_version()},"
        f" Django {django.__version__}, gunicorn {gunicorn.__version__}, PostgreSQL {postgres},"
        f" Redis {redis_version}, wrk {wrk}"
    )


def read_results(results):
    """Lines "workers<TAB>name<TAB>path<TAB>RESULT …" (bench/load_bench.lua) as dicts."""
    rows = []
    for line in Path(results).read_text(encoding="utf-8").splitlines():
        workers, name, path, result = line.split("\t")
        fields = result.split()[1:]
        requests, duration_us, size, connect, read, write, status, timeout = map(int, fields[:8])
        p50, p90, p99, worst = (float(v) / 1000 for v in fields[8:])
        rows.append(
            {
                "workers": workers,
                "target": f"{name} `{path}`",
                "static": name.startswith("static"),
                "rate": requests / (duration_us / 1e6),
                "latency": f"{p50:.1f} ms | {p90:.1f} ms | {p99:.1f} ms | {worst:.1f} ms",
                "non_2xx": status,  # wrk counts 4xx and 5xx; every target answered 200 when warmed
                "socket_errors": connect + read + write + timeout,
                "bytes": size // requests,
            }
        )
    return rows


def table(results):
    """The figures as a table, each page's rate also as a share of the static file's rate in the
    same run (the mean of the static file's runs before and after the pages)."""
    rows = read_results(results)
    print("| workers | target | req/s | p50 | p90 | p99 | max | non-2xx | socket errors | bytes | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for workers in dict.fromkeys(row["workers"] for row in rows):
        mine = [row for row in rows if row["workers"] == workers]
        static = [row["rate"] for row in mine if row["static"]]
        reference = sum(static) / len(static)
        for row in mine:
            ratio = "" if row["static"] else f"{row['rate'] / reference:.2f}"
            print(
                f"| {workers} | {row['target']} | {row['rate']:,.0f} | {row['latency']} | {row['non_2xx']} |"
                f" {row['socket_errors']} | {row['bytes']:,} | {ratio} |"
            )
        lowest = min((row for row in mine if not row["static"]), key=lambda row: row["rate"])
        errors = sum(row["non_2xx"] + row["socket_errors"] for row in mine)
        print(
            f"| {workers} | **lowest page / static; errors** | | | | | | | {errors} | |"
            f" **{lowest['rate'] / reference:.2f}** ({lowest['target'].split(' `')[0]}) |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare").add_argument("--donations", type=int, default=0)
    commands.add_parser("machine")
    commands.add_parser("table").add_argument("results")
    args = parser.parse_args()
    if args.command == "prepare":
        for name, path in prepare(args.donations):
            print(f"{name}\t{path}")
    elif args.command == "machine":
        print(machine())
    else:
        table(args.results)


if __name__ == "__main__":
    main()
