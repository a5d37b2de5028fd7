"""Server time of each public page type with a million donations in PostgreSQL.

    .venv/bin/python bench/public_bench.py [--donations 1000000] [--requests 200]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/charity_bench_public, created and
migrated if needed) and fills it once with ten years of one-day campaigns (COPY, a few minutes;
later runs reuse it). Then, in this process with Django's test client (server time: URL routing,
view, queries, template; no network), for each page type: the first request after the cache is
cleared (cold: the figures are computed), then --requests more (warm: figures at most two
minutes old come from the cache), printing the queries per request, p50, p95 and max. Goal:
p95 under 50 ms, a constant number of queries. The look-up's fixed answer time is set to 0 here
so that its own work is measured.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/charity_bench_public"
YEARS = range(2014, 2024)


def machine_line():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(
            line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return f"机器：{cpu}，{os.cpu_count()} 核，Python {platform.python_version()}，PostgreSQL {version}"


def setup(url):
    import psycopg

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charity.settings")
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    import gc

    import django
    from django.core.management import call_command

    # As charity/wsgi.py starts a server's worker: the collector off while Django starts, then
    # (charity.apps) what start-up built frozen. Otherwise every full collection rescans Django's
    # modules and classes, and one request in eight took 80-100 ms longer (the admin's lists).
    gc.disable()
    django.setup()
    call_command("migrate", verbosity=0)


def load(total):
    """Ten one-day campaigns of equal size; 600 units remitting, the rest people giving directly."""
    from django.db import connection, transaction

    from campaigns.models import Campaign
    from donations.models import Donation, Donor, Sector

    if Donation.objects.count() >= total:
        return False
    rng = random.Random(2023)
    sectors = list(Sector.objects.order_by("order").values_list("pk", flat=True))
    personal = Sector.objects.get(name="个人").pk
    campaigns = [
        Campaign.objects.get_or_create(
            name=f"{year}年慈善一日捐（基准）",
            defaults={
                "year": year,
                "kind": "one_day",
                "start_date": datetime.date(year, 8, 28),
                "end_date": datetime.date(year, 12, 31),
                "goal": 20_000_000,
            },
        )[0]
        for year in YEARS
    ]
    people = max(1, total // 4)
    # All or nothing: a failed load would leave donors behind that the next one trips over.
    with transaction.atomic(), connection.cursor() as cursor:
        columns = "kind, name, credit_code, sector_id, display, alias, contact_person, phone, address, note"
        columns += ", created_at"
        with cursor.copy(f"COPY donations_donor ({columns}) FROM STDIN") as copy:
            for n in range(600):
                display = "anonymous" if n % 50 == 0 else "real"
                copy.write_row(
                    ("unit", f"基准单位{n:04d}", "", sectors[n % len(sectors)], display, *[""] * 5, "now")
                )
            for n in range(people):
                copy.write_row(("individual", f"基准个人{n:07d}", "", None, "real", *[""] * 5, "now"))
        units = list(Donor.objects.filter(kind="unit").values_list("pk", "sector_id"))
        persons = list(Donor.objects.filter(kind="individual").values_list("pk", flat=True))
        per_campaign = total // len(campaigns)
        fields = (
            "donor_id, campaign_id, sector_id, amount, received_on, channel, head_count, receipt_no,"
            " anonymous, note, entered_at, status, confirmed_at, reversal_reason"
        )
        with cursor.copy(f"COPY donations_donation ({fields}) FROM STDIN") as copy:
            for c in campaigns:
                days = (c.end_date - c.start_date).days
                for n in range(per_campaign):
                    day = c.start_date + datetime.timedelta(days=rng.randrange(days + 1))
                    if n < len(units):
                        donor, sector = units[n]
                        amount, heads = rng.randrange(3_000, 500_000), rng.randrange(5, 400)
                    else:
                        donor, sector, amount, heads = (
                            rng.choice(persons),
                            personal,
                            rng.randrange(10, 2_000),
                            None,
                        )
                    receipt = f"B{c.year}-{n:07d}" if n % 10 == 0 else ""
                    anonymous = n % 97 == 0
                    row = (donor, c.pk, sector, amount, day, "bank", heads, receipt, anonymous, "", "now")
                    copy.write_row((*row, "confirmed", "now", ""))
        cursor.execute("ANALYZE")
    return True


def campaign_for_publications():
    from campaigns.models import Campaign

    return Campaign.objects.filter(name__endswith="（基准）").order_by("-year").first()


def publications(campaign):
    """A published honor-roll issue of the campaign and a ranking edition of its year (made once)."""
    from campaigns import services
    from campaigns.models import HonorRollIssue, RankingEdition
    from campaigns.rankings.content import add_default_categories

    issue = HonorRollIssue.objects.filter(campaign=campaign, status="published").first()
    if issue is None:
        started = time.perf_counter()
        issue = HonorRollIssue.objects.create(campaign=campaign, number=1, cut_off=campaign.end_date)
        issue = services.publish_honor_roll(issue, None)
        print(f"发布光荣榜（{issue.content['donations']:,} 笔）：{time.perf_counter() - started:.1f} s")
    edition = RankingEdition.objects.filter(year=campaign.year, status="published").first()
    if edition is None:
        started = time.perf_counter()
        edition = RankingEdition.objects.create(number=1, year=campaign.year)
        add_default_categories(edition)
        edition = services.publish_ranking(edition, None)
        print(f"发布排行榜：{time.perf_counter() - started:.1f} s")
    return issue, edition


def measure(client, method, url, data, requests):
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection, reset_queries

    settings.DEBUG = True  # count queries
    cache.clear()
    reset_queries()
    start = time.perf_counter()
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    cold = time.perf_counter() - start
    cold_queries = len(connection.queries)
    assert response.status_code == 200, (url, response.status_code)
    timings, queries = [], []
    for _ in range(requests):
        reset_queries()
        start = time.perf_counter()
        getattr(client, method)(url, data) if data else getattr(client, method)(url)
        timings.append(time.perf_counter() - start)
        queries.append(len(connection.queries))
    settings.DEBUG = False
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return cold, cold_queries, statistics.median(timings), p95, timings[-1], max(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--donations", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    setup(url)
    started = time.perf_counter()
    if load(args.donations):
        print(f"装入 {args.donations:,} 笔捐赠：{time.perf_counter() - started:.0f} s")

    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from campaigns.models import Campaign
    from donations.models import Donation, Sector

    issue, edition = publications(campaign_for_publications())
    settings.LOOKUP_ANSWER_SECONDS = 0
    settings.LOOKUP_RATE_LIMIT = 10**9
    settings.ALLOWED_HOSTS = ["testserver"]
    campaign = Campaign.objects.filter(name__endswith="（基准）").order_by("-year").first()
    sector = Sector.objects.get(name="国资系统")
    receipt = (
        Donation.objects.filter(campaign=campaign)
        .exclude(receipt_no="")
        .values_list("receipt_no", flat=True)[0]
    )
    pages = [
        ("首页", "get", reverse("home"), None),
        ("活动列表", "get", reverse("campaigns:campaign_list"), None),
        ("活动页", "get", reverse("campaigns:campaign", args=[campaign.pk]), None),
        ("版块页", "get", reverse("campaigns:sector", args=[campaign.pk, sector.pk]), None),
        ("光荣榜一期", "get", reverse("campaigns:honor_roll", args=[issue.pk]), None),
        ("排行榜一届", "get", reverse("campaigns:ranking", args=[edition.pk]), None),
        (
            "排行榜类别",
            "get",
            reverse("campaigns:ranking_category", args=[edition.pk, edition.categories.first().pk]),
            None,
        ),
        ("查询（票据号）", "post", reverse("campaigns:lookup"), {"receipt_no": receipt}),
        (
            "查询（姓名+金额）",
            "post",
            reverse("campaigns:lookup"),
            {"name": "基准个人0000001", "amount": "100"},
        ),
    ]
    print(machine_line())
    count, campaigns = Donation.objects.count(), Campaign.objects.count()
    print(f"捐赠 {count:,} 笔，活动 {campaigns} 个；每页 {args.requests} 次请求")
    client = Client()
    print("页面 | 首次（缓存为空） | 查询数 | p50 | p95 | 最慢 | 每次请求查询数")
    for name, method, path, data in pages:
        cold, cold_q, p50, p95, worst, queries = measure(client, method, path, data, args.requests)
        print(
            f"{name} | {cold * 1000:.0f} ms | {cold_q} | {p50 * 1000:.1f} ms | {p95 * 1000:.1f} ms |"
            f" {worst * 1000:.1f} ms | {queries}"
        )


if __name__ == "__main__":
    main()
