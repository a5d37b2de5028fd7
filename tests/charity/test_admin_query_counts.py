"""Every admin list answers in a number of queries that does not grow with its rows.

bench/admin_bench.py times the lists with ten years of data; here, at small scale, every list of
admin.site is requested with 10 and then with 100 rows of everything (donations, staff lines,
donors, import batches, audit entries, honor-roll issues, ranking entries, relief spending) and
must make the same number of queries: unfiltered, with each filter's first choice, searched,
drilled down by date and sorted by each sortable column; so must the change form of a remittance
with 10 and with 100 staff lines, and every autocomplete answer.

Each address is requested twice and the second request counted: the first after a change brings
the changed campaign's rollup up to date (campaigns/rollups.py), a fixed number of queries per
changed campaign, whatever its size.
"""

import datetime
import itertools
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services as campaign_services
from campaigns.models import HonorRollIssue, RankingEdition
from campaigns.rankings.content import add_default_categories
from donations.models import Donation, ImportBatch, RemittanceLine
from tests import factories
from tests.relief import helpers as relief

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


class World:
    """Rows of everything, grown in steps; `remittance` keeps one staff line per step row."""

    def __init__(self, admin_user):
        self.admin_user = admin_user
        self.campaign = factories.campaign()
        self.unit = factories.unit("衡阳市测试医院", branch=factories.branch("卫健系统慈善分会", "卫健系统"))
        self.remittance = factories.donation(
            self.unit, self.campaign, "50000", head_count=500, receipt_no="R-0"
        )
        self.project = factories.project()
        self.edition = RankingEdition.objects.create(number=1, year=2023)
        add_default_categories(self.edition)
        self.rows = 0

    def grow(self, n):
        for _ in range(n):
            i = next(_seq)
            batch = ImportBatch.objects.create(
                campaign=self.campaign, file_name=f"第{i}批.xlsx", sha256=f"{i:064d}"
            )
            # Over three months from the first rows on: the date drill-down offers a month's days
            # (one query) or a range of months (none) by the dates' span, not by their number.
            day = datetime.date(2023, 9, 1) + datetime.timedelta(days=(i * 9) % 90)
            unit = factories.unit(f"衡阳市单位{i}", credit_code=factories.credit_code())
            factories.donation(
                unit, self.campaign, f"{i}.50", head_count=3, receipt_no=f"R-{i}", received_on=day
            )
            person = factories.person(f"王伟{i}", employer=self.unit, phone=f"0734-{i:07d}")
            factories.donation(person, self.campaign, "100", batch=batch, received_on=day, channel="wechat")
            RemittanceLine.objects.create(remittance=self.remittance, donor=person, amount=Decimal("100"))
            relief.share(relief.disbursement(self.project), relief.beneficiary())
        issue = HonorRollIssue.objects.create(
            campaign=self.campaign,
            number=HonorRollIssue.objects.count() + 1,
            cut_off=datetime.date(2023, 12, 31),
        )
        campaign_services.publish_honor_roll(issue, self.admin_user)
        campaign_services.refresh_ranking_candidates(self.edition, self.admin_user)
        self.rows += n


def changelist_urls(client, model, model_admin):
    opts = model._meta
    base = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client.get(base)
    assert response.status_code == 200, base
    cl = response.context_data["cl"]
    yield base
    for spec in cl.filter_specs:
        choices = [c for c in spec.choices(cl) if not c["selected"]]
        if choices:
            yield base + choices[0]["query_string"]
    if model_admin.search_fields:
        yield f"{base}?{urlencode({'q': '王伟'})}"
        yield f"{base}?{urlencode({'q': 'R-0 衡阳市'})}"  # one row at both sizes
    if model_admin.date_hierarchy:
        yield f"{base}?{model_admin.date_hierarchy}__year=2023"
    for index, header in enumerate(result_headers(cl)):
        if header.get("sortable"):
            yield f"{base}?o={index}"


def autocomplete_urls():
    url = reverse("admin:autocomplete")
    for model, model_admin in admin.site._registry.items():
        sources = [(model, model_admin.autocomplete_fields)]
        sources += [(inline.model, inline.autocomplete_fields) for inline in model_admin.inlines]
        for source, fields in sources:
            for field in fields:
                for term in ("", "王伟"):
                    params = {"app_label": source._meta.app_label, "model_name": source._meta.model_name}
                    yield f"{url}?{urlencode({**params, 'field_name': field, 'term': term})}"


def count_queries(client, urls):
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(captured)
    return counts


@pytest.fixture
def world(client, admin_user, django_capture_on_commit_callbacks, monkeypatch):
    # Pages of five rows: both sizes fill several pages (a list that fits on one page is read
    # without paging, one query fewer than a long one).
    for model_admin in admin.site._registry.values():
        monkeypatch.setattr(model_admin, "list_per_page", 5)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        world = World(admin_user)
        world.grow(10)
    return world


def grown(world, django_capture_on_commit_callbacks, n):
    with django_capture_on_commit_callbacks(execute=True):
        world.grow(n)


LISTS = [f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry]


@pytest.mark.parametrize("label", LISTS)
def test_list_queries_do_not_grow_with_rows(client, world, django_capture_on_commit_callbacks, label):
    model = next(m for m in admin.site._registry if f"{m._meta.app_label}.{m._meta.model_name}" == label)
    urls = list(changelist_urls(client, model, admin.site._registry[model]))
    small = count_queries(client, urls)
    grown(world, django_capture_on_commit_callbacks, 90)
    large = count_queries(client, urls)
    assert large == small


def test_remittance_page_and_autocomplete_queries_do_not_grow(
    client, world, django_capture_on_commit_callbacks
):
    urls = [reverse("admin:donations_donation_change", args=[world.remittance.pk]), *autocomplete_urls()]
    small = count_queries(client, urls)
    grown(world, django_capture_on_commit_callbacks, 90)
    assert world.remittance.lines.count() == 100
    large = count_queries(client, urls)
    assert large == small


def test_the_first_list_after_a_change_recomputes_only_that_campaign(
    client, world, django_capture_on_commit_callbacks
):
    """A change costs the next page a fixed number of queries (the changed campaign's rollup),
    whatever the campaign's size, and the page shows the change."""
    url = reverse("admin:donations_donation_changelist")
    factories.campaign("2022年慈善一日捐", year=2022)
    steady = count_queries(client, [url])[url]

    def after_one_more_gift():
        with django_capture_on_commit_callbacks(execute=True):
            factories.donation(factories.person(), world.campaign, "0.01")
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).content.decode()
        return len(captured), body

    first, body = after_one_more_gift()
    assert f"共 {Donation.objects.count()} 笔" in body
    grown(world, django_capture_on_commit_callbacks, 90)
    client.get(url)
    again, body = after_one_more_gift()
    assert f"共 {Donation.objects.count()} 笔" in body
    assert first == again > steady
