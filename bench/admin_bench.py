"""Server time of every admin list with ten years of data (1,000,000 donations) in PostgreSQL.

    .venv/bin/python bench/admin_bench.py [--requests 20] [--only donation] [--save after.json]
                                          [--compare before.json]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/charity_bench_admin, created and
migrated if needed) and fills it once with ten years of data (bench/admin_bench_data.py: COPY,
a few minutes; later runs find it loaded and reuse it). Then, in this process with Django's test
client logged in as a superuser (server time: URL routing, view, queries, template; no network),
for every changelist of admin.site (walking its registry): unfiltered, with each list filter
applied (its first choice), searched for a common name and for a receipt number (and a credit
code where donors are searched), drilled down by date (year, month, day), and sorted by each
sortable column both ways; the change form of an individual's gift and of unit remittances with
a typical and the longest staff list; every autocomplete endpoint. The donation list's filtered
sum is part of each of its pages. Each case: one request to warm up, then up to --requests more
(at most --budget seconds each case, at least --min-requests), printing p50, p95, the slowest
and the queries per request. Goal: p95 under 300 ms, a number of queries that does not depend on
the rows (tests/charity/test_admin_query_counts.py proves that part at small scale).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/charity_bench_admin"
GOAL_MS = 300


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(client, url, requests, budget, min_requests, before_each=None):
    """(timings in s, queries per request) of GET url, after one request to warm up;
    `before_each` runs (untimed) before every request."""
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        if before_each:
            before_each()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings, queries = [], []
        started = time.perf_counter()
        while len(timings) < requests and (
            len(timings) < min_requests or time.perf_counter() - started < budget
        ):
            if before_each:
                before_each()
            counter.count = 0
            start = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - start)
            queries.append(counter.count)
    return timings, queries


def running_campaign_changed():
    """What a clerk's save does to the running campaign: its figures are stale until recomputed
    (campaigns/freshness.py), so the next list recomputes its rollup (campaigns/rollups.py)."""
    from django.utils import timezone

    from campaigns.models import Campaign

    latest = Campaign.objects.order_by("-start_date").values_list("pk", flat=True)[:1]
    Campaign.objects.filter(pk__in=list(latest)).update(figures_changed_at=timezone.now())


def p95(timings):
    ordered = sorted(timings)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


# --- what to request -------------------------------------------------------------------------------


def search_terms():
    """A common name (the most frequent among people), a receipt number, a unit's credit code."""
    from django.db.models import Count

    from donations.models import Donation, Donor

    name = (
        Donor.objects.filter(kind="individual")
        .values("name")
        .annotate(n=Count("id"))
        .order_by("-n", "name")
        .values_list("name", flat=True)[0]
    )
    receipts = Donation.objects.exclude(receipt_no="").order_by("id").values_list("receipt_no", flat=True)
    receipt = receipts[5000]
    code = Donor.objects.exclude(credit_code="").order_by("id").values_list("credit_code", flat=True)[100]
    return {"常见姓名": name, "票据号": receipt, "信用代码": code}


def changelist_cases(client, model, model_admin, terms):
    """(case, url) for one changelist: unfiltered, filters, searches, date drill-down, sorting."""
    from django.contrib.admin.templatetags.admin_list import result_headers
    from django.urls import reverse

    opts = model._meta
    base = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client.get(base)
    assert response.status_code == 200, (base, response.status_code)
    cl = response.context_data["cl"]
    yield "全部", base
    for spec in cl.filter_specs:
        for choice in filter_choices(spec, cl):
            yield f"筛选：{spec.title}（{choice['display']}）", base + choice["query_string"]
    for case, params in combined_cases(model, terms):
        yield case, f"{base}?{urlencode(params)}"
    if model_admin.search_fields:
        searched = ["常见姓名", "票据号"]
        if "credit_code" in str(model_admin.search_fields):
            searched.append("信用代码")
        for label in searched:
            yield f"搜索：{label} {terms[label]}", f"{base}?{urlencode({'q': terms[label]})}"
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        day = cl.root_queryset.order_by(f"-{field}").values_list(field, flat=True).first()
        if day is not None:
            for depth, label in ((1, "年"), (2, "月"), (3, "日")):
                parts = [("year", day.year), ("month", day.month), ("day", day.day)][:depth]
                query = urlencode({f"{field}__{part}": value for part, value in parts})
                yield f"日期下钻：{label}", f"{base}?{query}"
    for index, header in enumerate(result_headers(cl)):
        if header.get("sortable"):
            for sign, label in (("", "升序"), ("-", "降序")):
                yield f"排序：{header['text']} {label}", f"{base}?o={sign}{index}"


def filter_choices(spec, cl, every_up_to=8):
    """Every choice of a short filter; of a long one the first, the last and the busiest."""
    from django.db.models import Count

    choices = [c for c in spec.choices(cl) if not c["selected"]]
    if len(choices) <= every_up_to:
        return choices
    picked = [choices[0], choices[-1]]
    path, kwarg = getattr(spec, "field_path", None), getattr(spec, "lookup_kwarg", None)
    if path and kwarg:
        busiest = (
            cl.root_queryset.order_by()
            .values(path)
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list(path, flat=True)
            .first()
        )
        picked += [c for c in choices if f"{kwarg}={busiest}" in c["query_string"]][:1]
    return list({c["query_string"]: c for c in picked}.values())


def combined_cases(model, terms):
    """What staff do most on the donation list: the running campaign with a sector, or a name."""
    from django.db.models import Count

    from campaigns.models import Campaign

    if model._meta.label != "donations.Donation":
        return
    campaign = Campaign.objects.order_by("-start_date").values_list("pk", flat=True).first()
    sector = (
        model.objects.filter(campaign=campaign, sector__isnull=False)
        .values("sector")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("sector", flat=True)
        .first()
    )
    yield "组合：本届活动 + 最大版块", {"campaign__id__exact": campaign, "sector__id__exact": sector}
    yield "组合：本届活动 + 搜索常见姓名", {"campaign__id__exact": campaign, "q": terms["常见姓名"]}


def autocomplete_cases(admin_site, terms):
    """(list, case, url) for every autocomplete field of every registered admin and its inlines."""
    from django.urls import reverse

    url = reverse("admin:autocomplete")
    for model, model_admin in admin_site._registry.items():
        sources = [(model, model_admin.autocomplete_fields)]
        sources += [(inline.model, inline.autocomplete_fields) for inline in model_admin.inlines]
        for source, fields in sources:
            for field in fields:
                params = {"app_label": source._meta.app_label, "model_name": source._meta.model_name}
                params["field_name"] = field
                label = f"自动完成 {source._meta.verbose_name}.{field}"
                for term in ("", terms["常见姓名"][0], terms["常见姓名"]):
                    case = f"搜索“{term}”" if term else "第一页"
                    yield label, case, f"{url}?{urlencode({**params, 'term': term})}"


def change_form_cases():
    from django.db.models import Count
    from django.urls import reverse

    from donations.models import Donation

    def change(pk):
        return reverse("admin:donations_donation_change", args=[pk])

    gift = Donation.objects.filter(donor__kind="individual").order_by("id").values_list("pk", flat=True)[1000]
    yield "个人捐赠", change(gift)
    remittances = list(
        Donation.objects.filter(donor__kind="unit")
        .annotate(n=Count("lines"))
        .filter(n__gt=0)
        .order_by("n", "id")
        .values_list("pk", "n")
    )
    typical = remittances[len(remittances) // 2]
    yield f"单位汇款（明细 {typical[1]} 条，中位数）", change(typical[0])
    longest = remittances[-1]
    yield f"单位汇款（明细 {longest[1]:,} 条，最多）", change(longest[0])


def fundraising_cases():
    """劝募名单 (donations/fundraising.py): each list of units, LYBUNT of people, and a call list."""
    from django.urls import reverse

    url = reverse("admin:donations_donor_lists")
    for key in ("lybunt", "sybunt", "less", "first"):
        yield f"单位 {key}", f"{url}?list={key}&kind=unit"
    yield "个人 lybunt", f"{url}?list=lybunt&kind=individual"
    yield "单位 lybunt 导出 Excel", f"{url}?list=lybunt&kind=unit&format=xlsx"


# --- the report ------------------------------------------------------------------------------------


def row_counts():
    from campaigns.models import Campaign
    from charity.models import AuditEntry
    from donations.models import Branch, Donation, Donor, ImportBatch, RemittanceLine

    def n(model):
        return f"{model.objects.count():,}"

    return (
        f"捐赠 {n(Donation)} 笔，汇款明细 {n(RemittanceLine)} 条，捐赠人 {n(Donor)}"
        f"（单位 {Donor.objects.filter(kind='unit').count():,}），导入批次 {n(ImportBatch)}，"
        f"活动 {n(Campaign)}，分会 {n(Branch)}，操作记录 {n(AuditEntry)}"
    )


def load_average():
    return "负载（1/5/15 分钟）：" + " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--donations", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--audit-entries", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--min-requests", type=int, default=5)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per case at most")
    parser.add_argument("--only", default="", help="only lists whose model name contains this")
    parser.add_argument("--save", help="write the figures as JSON")
    parser.add_argument("--compare", help="JSON of an earlier run: print it beside this one")
    args = parser.parse_args()

    from public_bench import machine_line, setup  # setup: creates the database if needed, migrates

    setup(os.environ.get("DATABASE_URL", DEFAULT_URL))
    import admin_bench_data

    if not admin_bench_data.loaded():
        started = time.perf_counter()
        print(f"装入十年数据（{args.donations:,} 笔捐赠）…")
        admin_bench_data.load(args.donations, args.lines, args.audit_entries)
        print(f"装入完成：{time.perf_counter() - started:.0f} s")

    from django.conf import settings
    from django.contrib import admin
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["testserver"]
    # The admin's pages register when the URLconf loads (charity/admin_site.py); the lists are
    # walked below before any request has loaded it. (Older trees register at start-up.)
    admin.autodiscover()
    print(machine_line())
    print(row_counts())
    print(load_average(), "（开始）")
    client = Client()
    client.force_login(User.objects.get(username="bench-admin"))
    terms = search_terms()
    before = json.loads(Path(args.compare).read_text()) if args.compare else {}
    results = {}

    def run(listing, case, url, before_each=None):
        timings, queries = measure(client, url, args.requests, args.budget, args.min_requests, before_each)
        row = {
            "p50": statistics.median(timings) * 1000,
            "p95": p95(timings) * 1000,
            "max": max(timings) * 1000,
            "n": len(timings),
            "queries": max(queries),
            "queries_min": min(queries),
        }
        results[f"{listing} | {case}"] = row
        earlier = before.get(f"{listing} | {case}")
        was = f"{earlier['p95']:,.0f} ms / {earlier['queries']} → " if earlier else ""
        flag = "" if row["p95"] < GOAL_MS else "  ← 超过 300 ms"
        queries = str(row["queries"])
        if row["queries"] != row["queries_min"]:
            queries = f"{row['queries_min']}–{queries}"
        print(
            f"{listing} | {case} | {row['n']} | {row['p50']:,.1f} ms | {was}{row['p95']:,.1f} ms |"
            f" {row['max']:,.1f} ms | {queries}{flag}",
            flush=True,
        )

    print("列表 | 情形 | 请求数 | p50 | p95 | 最慢 | 每次请求查询数")
    for model, model_admin in admin.site._registry.items():
        if args.only not in model._meta.model_name:
            continue
        listing = str(model._meta.verbose_name)
        for case, url in list(changelist_cases(client, model, model_admin, terms)):
            run(listing, case, url)
    if args.only in "donation":
        for case, url in change_form_cases():
            run("捐赠修改页", case, url)
        # The first list after a clerk's save in the running campaign, every time.
        for model in ("donation", "campaign"):
            app = "donations" if model == "donation" else "campaigns"
            label = "捐赠" if model == "donation" else "募捐活动"
            url = reverse(f"admin:{app}_{model}_changelist")
            run(label, "全部（本届活动每次请求前刚有变动）", url, running_campaign_changed)
        # A filter's sum after the same save: that campaign's figures for the filter are
        # recomputed (campaigns/facets.py), the other campaigns' read.
        url = reverse("admin:donations_donation_changelist")
        filters = [
            ("渠道（微信）", "channel__exact=wechat"),
            ("捐赠人类型（个人）", "donor__kind=individual"),
        ]
        for case, params in filters:
            case = f"筛选：{case}（本届活动每次请求前刚有变动）"
            run("捐赠", case, f"{url}?{params}", running_campaign_changed)
    if args.only in "donor":
        for case, url in fundraising_cases():
            run("劝募名单", case, url)
    for listing, case, url in autocomplete_cases(admin.site, terms):
        if args.only in url:
            run(listing, case, url)
    print(load_average(), "（结束）")
    over = {key: row for key, row in results.items() if row["p95"] >= GOAL_MS}
    print(f"共 {len(results)} 种请求，p95 超过 {GOAL_MS} ms 的 {len(over)} 种")
    worst = {}
    for key, row in results.items():
        listing = key.split(" | ")[0]
        if listing not in worst or row["p95"] > worst[listing][1]["p95"]:
            worst[listing] = (key.split(" | ", 1)[1], row)
    print("各列表最慢的情形：列表 | 情形 | p95 | 查询数")
    for listing, (case, row) in worst.items():
        print(f"{listing} | {case} | {row['p95']:,.0f} ms | {row['queries']}")
    if args.save:
        Path(args.save).write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
