import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.test import RequestFactory
from django.utils import timezone

from campaigns.demo.figures import SECTOR_TOTALS_2022, UNASSIGNED_2022
from campaigns.models import Article, Campaign, HonorRollIssue, RankingEdition
from charity.snapshots import Erratum, Snapshot
from donations.models import Branch, Donation, Donor, RemittanceLine
from donations.validators import credit_code_error
from relief.models import Disclosure, ReliefProject

pytestmark = pytest.mark.django_db

# The 23 figures of the 2023 report (万元), typed from the report, not taken from the generator.
REPORT_2023 = {
    "市直工委慈善分会": "330.78",
    "部队系统": "40.01",
    "常务理事单位": "47.77",
    "高校系统": "119.48",
    "个人": "209.6",
    "公安系统": "29.81",
    "国资系统": "423.72",
    "教育系统": "44.79",
    "金融系统": "34.42",
    "民政系统": "151.36",
    "民宗系统": "4.97",
    "民营企业": "89.5",
    "人社系统": "8.63",
    "市场监督管理系统": "17.2",
    "司法系统": "41.71",
    "卫健系统": "56.3",
    "文旅广系统": "11.23",
    "社会组织": "6.83",
    "祁商会慈善分会": "7.44",
    "高新区": "44.85",
    "松木经开区": "12.86",
    "民主党派": "3.93",
    "住建系统": "63.17",
}
# "与2022年度相比较，捐赠金额有提升的为……有降低的为……"
ROSE_IN_2023 = [
    "个人", "教育系统", "民宗系统", "民营企业", "市场监督管理系统", "司法系统", "卫健系统", "文旅广系统",
    "松木经开区", "民主党派",
]  # fmt: skip
FELL_IN_2023 = [
    "市直工委慈善分会", "部队系统", "常务理事单位", "高校系统", "公安系统", "国资系统", "金融系统",
    "民政系统", "人社系统", "社会组织", "祁商会慈善分会", "高新区", "住建系统",
]  # fmt: skip


def sign_in(**credentials):
    # As the login page does: with the request, which the lockout (django-axes) needs.
    return authenticate(RequestFactory().post("/admin/login/"), **credentials)


def wan(text):
    return Decimal(text) * 10000


def donations_of(year):
    return Donation.objects.for_campaign(Campaign.objects.get(year=year))


def by_sector(year):
    return {row["sector__name"]: row["total"] for row in donations_of(year).totals_by_sector()}


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def run_loaddemo(*args):
    out = StringIO()
    call_command("loaddemo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """One loaddemo for the whole module, in a transaction rolled back when the module is done.

    Each test runs in a savepoint inside it, so tests may change data without seeing each other.
    """
    with pytest.MonkeyPatch.context() as env, django_db_blocker.unblock(), transaction.atomic():
        # The printed admin link follows scripts/serve's HOST and PORT; the defaults here.
        env.delenv("HOST", raising=False)
        env.delenv("PORT", raising=False)
        yield run_loaddemo()
        transaction.set_rollback(True)


def test_2023_sector_totals_are_the_reports_to_the_fen(first_run):
    totals = by_sector(2023)
    unassigned = totals.pop(None)
    assert totals == {name: wan(figure) for name, figure in REPORT_2023.items()}
    assert list(totals) == list(REPORT_2023)  # in the report's order
    assert sum(totals.values()) == Decimal("18003600.00")  # 1800.36万元
    assert unassigned == Decimal("103435.00")
    assert donations_of(2023).total() == Decimal("18107035.00") == wan("1810.7035")


def test_2023_has_593_units_and_nearly_60000_people(first_run):
    assert donations_of(2023).participating_units() == 593
    assert 58_000 <= donations_of(2023).head_count() <= 60_000


def test_2022_total_and_each_sectors_change_follow_the_report(first_run):
    assert donations_of(2022).total() == Decimal("16364835.00")
    assert donations_of(2023).total() - donations_of(2022).total() == wan("174.22")
    now, before = by_sector(2023), by_sector(2022)
    assert sorted(ROSE_IN_2023 + FELL_IN_2023) == sorted(REPORT_2023)
    assert [name for name in ROSE_IN_2023 if not now[name] > before[name]] == []
    assert [name for name in FELL_IN_2023 if not now[name] < before[name]] == []
    # The published constant is what the database holds.
    assert before.pop(None) == UNASSIGNED_2022 > 0
    assert before == SECTOR_TOTALS_2022


def test_remittance_lines_never_exceed_their_remittance(first_run):
    assert RemittanceLine.objects.count() > 1000
    over = Donation.objects.annotate(listed=Sum("lines__amount")).filter(listed__gt=F("amount"))
    assert list(over.values_list("receipt_no", flat=True)) == []
    # Lines list the unit's own staff, never more people than the remittance's head count.
    assert not RemittanceLine.objects.exclude(donor__employer=F("remittance__donor")).exists()
    assert not Donation.objects.annotate(n=Count("lines")).filter(n__gt=F("head_count")).exists()


def test_units_people_and_anonymity(first_run):
    units = Donor.objects.units()
    # 2022/2023's units, and those 2019 adds (住建 alone counted 207 units that year).
    assert 750 <= units.count() <= 800
    assert 3000 <= Donor.objects.individuals().count() <= 5000
    for name in ("南华大学", "衡阳师范学院", "武警衡阳支队", "衡阳市教育局"):
        assert units.filter(name=name).exists(), name
    assert Donor.objects.individuals().filter(employer__isnull=False).count() > 1000
    assert Donor.objects.filter(display=Donor.Display.ANONYMOUS).exists()
    assert Donor.objects.filter(display=Donor.Display.ALIAS).exclude(alias="").exists()
    assert Donation.objects.filter(anonymous=True).exists()


def test_every_unit_has_a_valid_unique_credit_code(first_run):
    codes = list(Donor.objects.units().values_list("credit_code", flat=True))
    assert [code for code in codes if credit_code_error(code)] == []
    assert len(set(codes)) == len(codes)


def test_donations_are_complete_and_inside_their_campaign(first_run):
    donations = Donation.objects.all()
    receipts = list(donations.values_list("receipt_no", flat=True))
    assert "" not in receipts and len(set(receipts)) == len(receipts)
    outside = Q(received_on__lt=F("campaign__start_date")) | Q(received_on__gt=F("campaign__end_date"))
    assert not donations.filter(outside).exists()
    assert not donations.filter(donor__kind="unit", head_count__isnull=True).exists()
    assert not donations.filter(donor__kind="individual", head_count__isnull=False).exists()
    unit_channels = donations.filter(donor__kind="unit").values_list("channel", flat=True)
    assert list(unit_channels).count("bank") > 0.8 * unit_channels.count()
    # A branch on a donation belongs to the donation's sector; branched units' gifts carry it.
    assert not donations.filter(branch__isnull=False).exclude(branch__sector=F("sector")).exists()
    assert not donations.filter(sector=F("donor__sector"), donor__branch__isnull=False, branch=None).exists()


def test_branches_and_directed_projects(first_run):
    housing = Branch.objects.get(sector__name="住建系统", name="市住建局慈善分会")
    assert set(housing.children.values_list("name", flat=True)) >= {
        "局属单位",
        "施工企业",
        "房地产开发企业",
        "物业协会",
    }
    assert Branch.objects.filter(sector__name="民营企业", name="王一集团分会").exists()
    assert donations_of(2023).filter(branch__parent=housing).exists()
    budgets = dict(ReliefProject.objects.values_list("name", "budget"))
    assert budgets["慈善光明行"] == Decimal("1000000.00")
    assert budgets["慈康项目"] == Decimal("1332600.00")
    assert budgets["慈惠民生保险"] == Decimal("6000000.00")
    assert ReliefProject.objects.get(name="慈善光明行").partner_list == ["爱尔眼科"]
    assert Donation.objects.filter(project__isnull=False).count() > 20


def published_dates():
    """{(model, pk): published_at} of every published thing and erratum, whatever its kind: a
    kind added later is covered without changing this test."""
    kinds = [m for m in apps.get_models() if issubclass(m, (Snapshot, Erratum))]
    assert {HonorRollIssue, RankingEdition, Disclosure} <= set(kinds)
    dates = {}
    for model in kinds:
        rows = model._default_manager.all()
        if issubclass(model, Snapshot):
            rows = rows.filter(status=Snapshot.Status.PUBLISHED)
        dates |= {(model._meta.label, pk): at for pk, at in rows.values_list("pk", "published_at")}
    return dates


def day(moment):
    return timezone.localdate(moment)


def test_publications_are_dated_on_the_campaigns_own_timeline(first_run):
    """Issues, rankings, disclosures and errata carry the dates they would have had, not today's."""
    dates = published_dates()
    assert len(dates) >= 5 + 1 + 6 + 2
    # The seed articles keep the dates the federation published them on (2020-01-13, 2024-01-25).
    seeds = {
        ("campaigns.Article", pk)
        for pk in Article.objects.filter(category="work").values_list("pk", flat=True)
    }
    assert sorted(day(at) for key, at in dates.items() if key in seeds) == [
        datetime.date(2020, 1, 13),
        datetime.date(2024, 1, 25),
    ]
    outside = {key: at for key, at in dates.items() if key not in seeds and not 2022 <= day(at).year <= 2024}
    assert outside == {}
    for issue in HonorRollIssue.objects.select_related("campaign"):
        # A few days after the cut-off, and within two months of the campaign's end.
        assert issue.cut_off < day(issue.published_at) <= issue.cut_off + datetime.timedelta(days=14)
        assert day(issue.published_at) <= issue.campaign.end_date + datetime.timedelta(days=60)
        for erratum in issue.errata.all():
            assert issue.published_at < erratum.published_at
            assert erratum.published_at.year == issue.campaign.year
    numbers = list(HonorRollIssue.objects.order_by("number").values_list("published_at", flat=True))
    assert numbers == sorted(numbers)
    for edition in RankingEdition.objects.all():
        # An edition honours its year and is published early the next year (第八届, 2023年初).
        published = day(edition.published_at)
        assert datetime.date(edition.year, 12, 31) < published <= datetime.date(edition.year + 1, 6, 30)
    for disclosure in Disclosure.objects.all():
        # Published after the period it reports and on the first day anyone may object.
        assert disclosure.period_end < day(disclosure.published_at) == disclosure.objection_start
        for erratum in disclosure.errata.all():
            assert disclosure.published_at < erratum.published_at
            assert day(erratum.published_at) <= disclosure.objection_end


def test_first_run_prints_what_it_made_and_the_admin_login(first_run):
    assert "已创建演示数据" in first_run
    assert "管理后台: http://127.0.0.1:8000/admin/" in first_run
    assert "用户名: admin" in first_run
    assert "密码: charity-demo" in first_run
    user = sign_in(username="admin", password="charity-demo")
    assert user is not None and user.is_staff and user.is_superuser


def test_second_run_creates_nothing_and_restores_the_login(first_run, settings):
    settings.ADMIN_URL = "houtai/"
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-by-someone")
    admin.save()
    before, dated = row_counts(), published_dates()
    output = run_loaddemo()
    assert row_counts() == before
    assert published_dates() == dated
    assert "演示数据已存在" in output
    assert "管理后台: http://127.0.0.1:8000/houtai/" in output
    assert sign_in(username="admin", password="charity-demo") == admin


def test_the_admin_link_follows_host_and_port(first_run, monkeypatch):
    # PORT=8001 ./scripts/serve runs loaddemo, then runserver, with the same environment.
    monkeypatch.setenv("PORT", "8001")
    assert "管理后台: http://127.0.0.1:8001/admin/" in run_loaddemo()
    monkeypatch.setenv("HOST", "192.168.1.20")
    assert "管理后台: http://192.168.1.20:8001/admin/" in run_loaddemo()
    # Listening on every interface: the link is the one that works on this machine.
    monkeypatch.setenv("HOST", "0.0.0.0")
    assert "管理后台: http://127.0.0.1:8001/admin/" in run_loaddemo()


def test_a_database_with_real_data_is_left_alone(first_run):
    # Same campaign names, but not marked as demo data: this is somebody's real work.
    Campaign.objects.update(description="")
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("a-real-password")
    admin.save()
    before = row_counts()
    output = run_loaddemo()
    assert row_counts() == before
    assert "本次未装入" in output and "密码: charity-demo" not in output
    assert sign_in(username="admin", password="a-real-password") == admin


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    before = row_counts()
    with pytest.raises(CommandError, match="生产环境"):
        run_loaddemo()
    assert row_counts() == before
