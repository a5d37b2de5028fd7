"""Server time of every public URL with a million donations in PostgreSQL, cold and warm, for
both cache set-ups (issue #19 item 9).

    .venv/bin/python bench/public_bench.py [--donations 1000000] [--requests 200] [--cold 20]
        [--cache both|embedded|redis] [--redis-url redis://127.0.0.1:6379/7]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/charity_bench_public, created and
migrated if needed) and fills it once with ten years of one-day campaigns (COPY, a few minutes;
later runs reuse it). It publishes an honor-roll issue of the latest campaign and a ranking
edition of its year (once) and renders their files as the task worker does after a publication
(charity/artifacts.py; only the missing ones). Then, in this process with Django's test client
(server time: middleware, URL routing, view, queries, template; no network), for every public
URL: one request to start with (it keeps the page's figures in the database if they are not yet:
what a change of the ledger costs once, not measured), then --cold requests each made after the
cache is cleared (cold: what the first request after a publication, a restart or a flush pays;
the files, figures and pages kept in the database stay), then --requests more (warm), printing
p50, p95 and max of each and the most queries a request made.

Both set-ups run, each in a process of its own (settings read REDIS_URL at start): the embedded
default (no REDIS_URL: whole pages in each process's memory, the data version in the
database) and Redis (REDIS_URL, whole pages shared; only that Redis database is flushed, so give
one nobody else uses). Goal: cold p95
under 100 ms, warm p95 under 20 ms, for every URL. The look-up's fixed answer time is set to 0
here so that its own work is measured. Figures: bench/public_bench.md.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/charity_bench_public"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
COLD_GOAL, WARM_GOAL = 0.100, 0.020
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


def rendered_files(*documents):
    """What the task worker does after a publication: render and store the documents' files."""
    from charity import artifacts

    started = time.perf_counter()
    stored = sum(artifacts.render_all(document, only_missing=True) for document in documents)
    if stored:
        print(f"生成公开文件 {stored} 个（任务进程的工作）：{time.perf_counter() - started:.1f} s")


def clear_caches():
    """As after a restart or a flush: the shared cache (only its database), and this process's
    whole pages, version of the public data and honor-roll search indexes."""
    from django.core.cache import cache

    from campaigns.views import honor_rolls
    from charity import page_cache

    cache.clear()
    with page_cache.local_pages.lock:
        page_cache.local_pages.entries.clear()
    page_cache.Version.value = None
    with honor_rolls.searched_issues_lock:
        honor_rolls.SEARCHED_ISSUES.clear()


def request(client, method, url, data):
    from django.db import connection, reset_queries

    reset_queries()
    start = time.perf_counter()
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # a FileResponse is read by the server too
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(connection.queries)


def percentiles(timings):
    timings = sorted(timings)
    p95 = timings[max(0, int(round(len(timings) * 0.95)) - 1)]
    return statistics.median(timings), p95, timings[-1]


def measure(client, method, url, data, requests, colds):
    from django.conf import settings

    settings.DEBUG = True  # count queries
    # Once before measuring: figures and pages kept in the database (charity/stored.py) are there
    # after a publication (which changes no figures) and after a restart; only a change of the
    # ledger makes them computed again, which this bench does not measure.
    request(client, method, url, data)
    cold, cold_queries = [], 0
    for _ in range(colds):
        clear_caches()
        elapsed, queries = request(client, method, url, data)
        cold.append(elapsed)
        cold_queries = max(cold_queries, queries)
    warm, warm_queries = [], 0
    for _ in range(requests):
        elapsed, queries = request(client, method, url, data)
        warm.append(elapsed)
        warm_queries = max(warm_queries, queries)
    settings.DEBUG = False
    return percentiles(cold), cold_queries, percentiles(warm), warm_queries


def run_both(argv):
    """Each set-up in a process of its own: the settings choose the cache when they load."""
    failed = 0
    for setup_name in ("embedded", "redis"):
        env = dict(os.environ)
        env.pop("REDIS_URL", None)
        if setup_name == "redis":
            env["REDIS_URL"] = redis_url(argv)
        args = [sys.executable, __file__, *argv, "--cache", setup_name]
        failed |= subprocess.run(args, env=env).returncode
        print()
    return failed


def redis_url(argv):
    for n, arg in enumerate(argv):
        if arg == "--redis-url":
            return argv[n + 1]
        if arg.startswith("--redis-url="):
            return arg.split("=", 1)[1]
    return DEFAULT_REDIS


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--donations", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="warm requests per URL")
    parser.add_argument(
        "--cold", type=int, default=20, help="cold requests per URL, each after clearing the cache"
    )
    parser.add_argument("--cache", choices=["both", "embedded", "redis"], default="both")
    parser.add_argument(
        "--redis-url", default=DEFAULT_REDIS, help="Redis database for the Redis set-up (flushed)"
    )
    args = parser.parse_args()
    if args.cache == "both":
        return run_both([a for a in sys.argv[1:] if not a.startswith("--cache")])
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    setup(url)
    started = time.perf_counter()
    if load(args.donations):
        print(f"装入 {args.donations:,} 笔捐赠：{time.perf_counter() - started:.0f} s")

    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from campaigns.honor_rolls import browsing
    from campaigns.models import Campaign
    from donations.models import Donation, Sector

    issue, edition = publications(campaign_for_publications())
    rendered_files(issue, edition)
    settings.LOOKUP_ANSWER_SECONDS = 0
    settings.LOOKUP_RATE_LIMIT = 10**9
    settings.ALLOWED_HOSTS = ["testserver"]
    campaign = Campaign.objects.filter(name__endswith="（基准）").order_by("-year").first()
    sector = Sector.objects.get(name="国资系统")
    category = edition.categories.first().pk
    # A receipt number is looked up with the name on it (campaigns/forms.py LookupForm).
    receipt, giver = (
        Donation.objects.filter(campaign=campaign, anonymous=False)
        .exclude(receipt_no="")
        .values_list("receipt_no", "donor__name")[0]
    )
    get = "get"
    issue_url = reverse("campaigns:honor_roll", args=[issue.pk])
    sizes = [len(browsing.entries(s)) for s in issue.content["sectors"]]
    largest = sizes.index(max(sizes)) + 1
    middle_page = max(1, max(sizes) // browsing.PAGE_ENTRIES // 2)
    pages = [
        ("首页", get, reverse("home"), None),
        ("活动列表", get, reverse("campaigns:campaign_list"), None),
        ("活动页", get, reverse("campaigns:campaign", args=[campaign.pk]), None),
        ("版块页", get, reverse("campaigns:sector", args=[campaign.pk, sector.pk]), None),
        ("光荣榜列表", get, reverse("campaigns:honor_roll_list", args=[campaign.pk]), None),
        ("光荣榜一期", get, reverse("campaigns:honor_roll", args=[issue.pk]), None),
        # The largest sector's list, a page in its middle (campaigns/honor_rolls/browsing.py).
        ("光荣榜版块页", get, issue_url + f"?sector={largest}&page={middle_page}", None),
        ("光荣榜查找", get, issue_url + "?q=基准个人0000001", None),
        ("光荣榜打印版", get, reverse("campaigns:honor_roll_print", args=[issue.pk]), None),
        ("光荣榜 PDF", get, reverse("campaigns:honor_roll_pdf", args=[issue.pk]), None),
        ("光荣榜 CSV", get, reverse("campaigns:honor_roll_csv", args=[issue.pk]), None),
        ("光荣榜 JSON", get, reverse("campaigns:honor_roll_json", args=[issue.pk]), None),
        ("光荣榜分享图", get, reverse("campaigns:honor_roll_png", args=[issue.pk, largest]), None),
        ("排行榜列表", get, reverse("campaigns:ranking_list"), None),
        ("排行榜一届", get, reverse("campaigns:ranking", args=[edition.pk]), None),
        ("排行榜类别", get, reverse("campaigns:ranking_category", args=[edition.pk, category]), None),
        ("排行榜 CSV", get, reverse("campaigns:ranking_csv", args=[edition.pk]), None),
        ("排行榜 JSON", get, reverse("campaigns:ranking_json", args=[edition.pk]), None),
        ("排行榜分享图", get, reverse("campaigns:ranking_png", args=[edition.pk, category, 1]), None),
        ("卡片（首页）", get, reverse("campaigns:card", args=["home"]), None),
        ("卡片（活动）", get, reverse("campaigns:card", args=["campaign", campaign.pk]), None),
        ("卡片（光荣榜）", get, reverse("campaigns:card", args=["honor_roll", issue.pk]), None),
        ("救助项目", get, reverse("relief:project_list"), None),
        ("年度收支", get, reverse("relief:year", args=[campaign.year]), None),
        ("公示列表", get, reverse("relief:disclosure_list"), None),
        ("查询（票据号）", "post", reverse("campaigns:lookup"), {"receipt_no": receipt, "name": giver}),
        (
            "查询（姓名+金额）",
            "post",
            reverse("campaigns:lookup"),
            {"name": "基准个人0000001", "amount": "100"},
        ),
    ]
    print(machine_line())
    count, campaigns = Donation.objects.count(), Campaign.objects.count()
    where = (
        f"Redis（{settings.REDIS_URL}，整页缓存开）"
        if settings.REDIS_URL
        else "内置默认（无 Redis：整页缓存在各进程内存，数据版本在数据库）"
    )
    print(f"缓存：{where}")
    print(
        f"捐赠 {count:,} 笔，活动 {campaigns} 个；每个地址冷请求 {args.cold} 次（每次先清空缓存），"
        f"热请求 {args.requests} 次"
    )
    client = Client()
    print("地址 | 冷 p50 | 冷 p95 | 冷最慢 | 冷查询数 | 热 p50 | 热 p95 | 热最慢 | 热查询数 | 达标")
    missed = []
    for name, method, path, data in pages:
        cold, cold_q, warm, warm_q = measure(client, method, path, data, args.requests, args.cold)
        ok = cold[1] < COLD_GOAL and warm[1] < WARM_GOAL
        if not ok:
            missed.append(name)
        print(
            f"{name} `{path}` | {ms(cold[0])} | {ms(cold[1])} | {ms(cold[2])} | {cold_q} |"
            f" {ms(warm[0])} | {ms(warm[1])} | {ms(warm[2])} | {warm_q} | {'是' if ok else '否'}"
        )
    print("全部达标（冷 p95 < 100 ms，热 p95 < 20 ms）" if not missed else f"未达标：{'、'.join(missed)}")
    return 1 if missed else 0


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
