"""The fast admin list pieces (charity/admin_lists.py) give the answers Django's own gave."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services as campaign_services
from campaigns.models import HonorRollIssue
from charity.admin_lists import KeysFirstPaginator
from charity.models import AuditEntry
from donations.models import Donation, Donor, ImportBatch, RemittanceLine
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def gifts(campaign):
    hospital = factories.unit("衡阳市中心医院", credit_code=factories.credit_code(77), phone="0734-8881234")
    school = factories.unit(
        "衡阳市第一中学 School", sector_name="教育系统", branch=factories.branch("教育分会", "教育系统")
    )
    remittance = factories.donation(hospital, campaign, "5000", head_count=50, receipt_no="HY2023-U0001")
    factories.donation(school, campaign, "3000", head_count=30, receipt_no="HY2023-U0002")
    for name in ("王伟", "王伟明", "欧阳王伟", "李娜"):
        person = factories.person(name, employer=hospital)
        factories.donation(person, campaign, "100", receipt_no=f"HY2023-P{person.pk:04d}")
        RemittanceLine.objects.create(remittance=remittance, donor=person, amount=Decimal("100"))
    factories.person("张三", display="alias", alias="一位老党员", phone="13900001111")
    return campaign


TERMS = [
    "王伟",
    "伟明",
    "王",
    "中心医院",
    "school",
    "hy2023-u",
    "U0001",
    "0734-888",
    "老党员",
    "1390000",
    "王伟 中心",
]


def search(model, term, *, django_own=False):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = AnonymousUser()  # not a branch liaison: every row (donations/scoping.py)
    queryset = model_admin.get_queryset(request)
    if django_own:
        found, _ = admin.ModelAdmin.get_search_results(model_admin, request, queryset, term)
    else:
        found, _ = model_admin.get_search_results(request, queryset, term)
    return set(found.values_list("pk", flat=True))


@pytest.mark.parametrize("model", [Donation, RemittanceLine, Donor, AuditEntry])
def test_search_finds_what_djangos_search_finds(gifts, model):
    for term in TERMS:
        assert search(model, term) == search(model, term, django_own=True), term
    assert search(Donation, "伟明") and search(RemittanceLine, "U0001") and search(Donor, "1390000")


def test_numbers_and_codes_are_searched_from_three_characters(gifts):
    """A fragment of one or two characters of a receipt number, credit code or telephone matches
    most of them and is not searched there; names are searched from one character."""
    assert search(Donation, "U0") == set()
    assert search(Donation, "U0001") == {Donation.objects.get(receipt_no="HY2023-U0001").pk}
    assert search(Donor, "88") == set() and len(search(Donor, "888")) == 1
    li_na = Donation.objects.filter(donor__name="李娜").values_list("pk", flat=True)
    assert search(Donation, "娜") == set(li_na)


def test_related_only_filters_list_what_occurs_with_their_labels(client, admin_user, gifts):
    used = ImportBatch.objects.create(campaign=gifts, file_name="用过的.xlsx", sha256="1" * 64)
    ImportBatch.objects.create(campaign=gifts, file_name="没用过的.xlsx", sha256="2" * 64)
    Donation.objects.filter(receipt_no="HY2023-U0001").update(batch=used)
    client.force_login(admin_user)
    body = client.get(reverse("admin:donations_donation_changelist")).content.decode()
    assert "用过的.xlsx" in body and "没用过的.xlsx" not in body
    assert "教育系统 › 教育分会" in body


def test_date_drill_down_offers_every_year_from_first_to_last(
    client, admin_user, gifts, django_capture_on_commit_callbacks
):
    factories.donation(
        campaign_=factories.campaign("2019年", year=2019), received_on=datetime.date(2019, 9, 9)
    )
    client.force_login(admin_user)
    url = reverse("admin:donations_donation_changelist")
    years = re.findall(r"received_on__year=(\d{4})", client.get(url).content.decode())
    assert sorted(set(years)) == ["2019", "2020", "2021", "2022", "2023"]

    # A list within one month offers its days, within one year its months.
    def offered(level):
        body = client.get(url, {"campaign__id__exact": gifts.pk}).content.decode()
        return re.findall(rf'<a href="[^"]*received_on__{level}=(\d+)[^"]*">', body)

    with django_capture_on_commit_callbacks(execute=True):  # as after any change: rollups update
        factories.donation(campaign_=gifts, received_on=datetime.date(2023, 9, 20))
    assert offered("day") == ["1", "20"]
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(campaign_=gifts, received_on=datetime.date(2023, 10, 5))
    assert offered("month") == ["9", "10"] and offered("day") == []

    with django_capture_on_commit_callbacks(execute=True):
        factories.donation(campaign_=gifts, received_on=datetime.date(2023, 12, 2))
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url, {"received_on__year": "2023"}).content.decode()
    # Within a chosen year, the months from its first gift's to its last's (November has none),
    # without reading the year's rows for their distinct months.
    assert re.findall(r"received_on__month=(\d+)", body) == ["9", "10", "11", "12"]
    assert "2023年11月" in body
    assert not [q for q in queries.captured_queries if "date_trunc" in q["sql"].lower()]


@pytest.mark.parametrize("ordering", [["-amount", "-pk"], ["donor__name", "pk"], ["campaign__name", "-pk"]])
def test_pages_sorted_by_key_first_are_djangos_pages(gifts, ordering):
    for i in range(23):
        factories.donation(campaign_=gifts, amount=f"{i % 7}.50")
    queryset = Donation.objects.select_related("donor", "campaign").order_by(*ordering)
    ours, django = KeysFirstPaginator(queryset, 5), Paginator(queryset, 5)
    assert ours.num_pages == django.num_pages == 6
    for number in ours.page_range:
        assert list(ours.page(number)) == list(django.page(number))


def test_batches_sort_by_their_counts_each_listed_once(client, admin_user, gifts):
    for n, count in ((1, 300), (2, 20)):
        batch = ImportBatch.objects.create(
            campaign=gifts, file_name=f"第{n}批.xlsx", sha256=str(n) * 64, donation_count=count
        )
        Donation.objects.filter(receipt_no__startswith="HY2023-P").update(batch=batch)
    client.force_login(admin_user)
    body = client.get(reverse("admin:donations_importbatch_changelist"), {"o": "4"}).content.decode()
    rows = re.findall(r'<th class="field-file_name"><a [^>]*>([^<]*)</a>', body)
    assert rows == ["第2批.xlsx", "第1批.xlsx"]


def test_honor_roll_list_shows_each_issue_total(client, admin_user, reviewed_gifts, gifts):
    issue = HonorRollIssue.objects.create(campaign=gifts, number=1, cut_off=gifts.end_date)
    campaign_services.publish_honor_roll(issue, admin_user)
    client.force_login(admin_user)
    body = client.get(reverse("admin:campaigns_honorrollissue_changelist")).content.decode()
    assert "8,400.00" in body


def test_audit_action_filter_lists_the_codes_that_occur(client, admin_user, gifts):
    client.force_login(admin_user)
    body = client.get(reverse("admin:charity_auditentry_changelist")).content.decode()
    codes = re.findall(r"\?action=([\w.]+)", body)
    assert codes == sorted(set(AuditEntry.objects.values_list("action", flat=True)))
    assert "donations.donation.created" in codes


def test_no_list_counts_its_filter_choices_over_every_row(client, admin_user, gifts):
    """Django's facet counts ("显示计数") run a count per filter choice over the whole list: more
    than ten minutes for the donation list of ten years. No list offers or honours them."""
    client.force_login(admin_user)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, {"_facets": "True"})
        assert response.status_code == 200, url
        assert not response.context_data["cl"].add_facets, url
        assert "显示计数" not in response.content.decode(), url
