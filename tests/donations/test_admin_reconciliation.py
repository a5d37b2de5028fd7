"""The 对账 pages: upload, results, decisions, as a clerk, a reviewer and a branch liaison."""

import datetime

import pytest
from django.urls import reverse

from charity.models import AuditEntry
from donations.models import BranchLiaison, Donation
from donations.reconciliation.models import Outcome, Statement, StatementCredit, StatementMapping
from tests import factories
from tests.conftest import staff_with_role
from tests.donations import statement_files as files
from tests.donations.statement_files import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapping():
    return StatementMapping.objects.create(name="工商银行对公账户")


@pytest.fixture
def gifts(campaign):
    return {
        "zhang": factories.donation(factories.person("张三"), campaign, "200.00", received_on=DAY),
        "school": factories.donation(factories.unit("衡阳市一中"), campaign, "1000.00", received_on=DAY),
    }


def upload(client, mapping, rows=None, name="工行流水.xlsx"):
    rows = rows or [
        files.credit(DAY, "B0001", "衡阳市一中", 1000),
        files.credit(DAY, "B0002", "李四", 200, memo="代张三捐款"),
        files.credit(DAY, "B0003", "衡阳某某科技有限公司", 300),
    ]
    return client.post(
        reverse("admin:donations_statement_upload"),
        {"file": files.bank_statement(rows, name=name), "mapping": mapping.pk},
    )


@pytest.fixture
def clerk(client):
    user = staff_with_role("clerk", "录入员")
    client.force_login(user)
    return user


def test_a_clerk_uploads_a_statement_and_reads_its_results(client, clerk, mapping, gifts):
    response = upload(client, mapping)
    statement = Statement.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "admin:donations_statement_change", args=[statement.pk]
    )
    page = client.get(response.url).content.decode()
    assert "新到账 3 笔。已匹配 1 笔；未到账 0 笔；无对应捐赠 1 笔；金额不符 0 笔；待确认 1 笔" in page
    assert "金额相同，同一天，但付款人“李四”不是捐赠人“张三”，请确认" in page
    assert "确认是这笔" in page and "创建捐赠" in page
    again = upload(client, mapping, name="工行流水（2）.xlsx")
    assert again.url == reverse("admin:donations_statement_changelist")
    assert "全部 3 笔到账此前已导入，未作任何改动" in client.get(again.url).content.decode()
    assert Statement.objects.count() == 1


def test_a_refused_statement_lists_row_column_and_cause(client, clerk, mapping):
    response = upload(client, mapping, rows=[files.credit(DAY, "B0001", "衡阳市一中", "一千元")])
    page = response.content.decode()
    assert response.status_code == 200
    assert "无法识别的金额“一千元”" in page and "<td>5</td><td>贷方发生额</td>" in page
    assert not Statement.objects.exists()


def test_a_clerk_confirms_a_doubtful_match_and_creates_the_missing_gift(
    client, clerk, mapping, gifts, campaign
):
    upload(client, mapping)
    statement = Statement.objects.get()
    doubtful = StatementCredit.objects.get(serial="B0002")
    missing = StatementCredit.objects.get(serial="B0003")

    def decide(credit, decision, **data):
        url = reverse("admin:donations_statement_decide", args=[statement.pk, credit.pk, decision])
        return client.post(url, data)

    assert decide(doubtful, "confirm").status_code == 302
    doubtful.refresh_from_db()
    assert (doubtful.outcome, doubtful.donation, doubtful.decided_by) == (
        Outcome.MATCHED,
        gifts["zhang"],
        clerk,
    )
    decide(missing, "create", campaign=campaign.pk, kind="unit", name="衡阳某某科技有限公司")
    missing.refresh_from_db()
    gift = missing.donation
    assert (gift.amount, gift.channel, gift.received_on, gift.entered_by) == (300, "bank", DAY, clerk)
    assert gift.status == Donation.Status.PENDING
    page = client.get(reverse("admin:donations_statement_change", args=[statement.pk])).content.decode()
    assert "已匹配 <strong>3</strong> 笔" in page
    assert AuditEntry.objects.filter(action="donations.statement.gifts_created", actor=clerk).exists()


def test_create_all_makes_every_unmatched_credit_a_gift_or_none(client, clerk, mapping, campaign):
    rows = [
        files.credit(DAY, "B0101", "王五", 50),
        files.credit(datetime.date(2024, 3, 1), "B0102", "赵六", 60),
    ]
    upload(client, mapping, rows=rows)
    statement = Statement.objects.get()
    url = reverse("admin:donations_statement_create_gifts", args=[statement.pk])
    response = client.post(url, {"campaign": campaign.pk}, follow=True)
    # 2024-03-01 is outside the campaign: the whole step is refused, with the row and the rule.
    assert "第 6 行（B0102）" in response.content.decode() and "未创建任何捐赠" in response.content.decode()
    assert not Donation.objects.exists()


def test_a_reviewer_reads_the_results_but_decides_nothing(client, mapping, gifts):
    clerk = staff_with_role("clerk", "录入员")
    client.force_login(clerk)
    upload(client, mapping)
    statement = Statement.objects.get()
    credit = StatementCredit.objects.get(serial="B0002")
    client.force_login(staff_with_role("reviewer", "审核员"))
    page = client.get(reverse("admin:donations_statement_change", args=[statement.pk]))
    assert page.status_code == 200 and "确认是这笔" not in page.content.decode()
    url = reverse("admin:donations_statement_decide", args=[statement.pk, credit.pk, "confirm"])
    assert client.post(url).status_code == 403
    credit.refresh_from_db()
    assert credit.outcome == Outcome.DOUBTFUL


def test_a_liaison_never_sees_the_federations_statements(client, mapping, gifts):
    client.force_login(staff_with_role("clerk", "录入员"))
    upload(client, mapping)
    statement = Statement.objects.get()
    liaison = staff_with_role("liaison", "分会联络员")
    BranchLiaison.objects.create(user=liaison, branch=factories.branch("市住建局慈善分会", "住建系统"))
    # Even given every permission of 对账 by mistake.
    from django.contrib.auth.models import Permission

    liaison.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_statement", "reconcile_statement", "view_statementmapping"]
        )
    )
    client.force_login(liaison)
    for url in (
        reverse("admin:donations_statement_changelist"),
        reverse("admin:donations_statement_change", args=[statement.pk]),
        reverse("admin:donations_statement_upload"),
        reverse("admin:donations_statementmapping_changelist"),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert "对账单" not in client.get(reverse("admin:index")).content.decode()
