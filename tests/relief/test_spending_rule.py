"""Spending beyond the budget or the directed money needs a stated reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from relief.models import Disbursement
from tests import factories
from tests.relief import helpers

pytestmark = pytest.mark.django_db


def new(project, amount, reason=""):
    return Disbursement(
        project=project,
        amount=Decimal(amount),
        paid_on="2023-06-01",
        voucher_no=f"V{amount}",
        over_limit_reason=reason,
    )


def test_within_the_budget_needs_no_reason():
    project = factories.project(budget=Decimal("1000.00"))
    helpers.disbursement(project, "600.00")
    new(project, "400.00").full_clean()


def test_beyond_the_budget_needs_a_reason():
    project = factories.project(budget=Decimal("1000.00"))
    helpers.disbursement(project, "600.00")
    with pytest.raises(ValidationError) as info:
        new(project, "400.01").full_clean()
    assert info.value.message_dict["over_limit_reason"] == [
        "本笔支出后项目累计支出 1,000.01 元，超过预算和定向捐赠中较大者 1,000.00 元，请填写超支说明"
    ]
    new(project, "400.01", reason="市政府追加救助任务，理事会2023年第3次会议同意").full_clean()


def test_directed_money_beyond_the_budget_raises_the_limit():
    project = factories.project(budget=Decimal("1000.00"))
    factories.donation(amount="1500.00", project=project)
    new(project, "1500.00").full_clean()
    with pytest.raises(ValidationError):
        new(project, "1500.01").full_clean()


def test_editing_a_disbursement_does_not_count_it_twice():
    project = factories.project(budget=Decimal("1000.00"))
    paid = helpers.disbursement(project, "900.00")
    paid.amount = Decimal("1000.00")
    paid.full_clean()


def test_the_database_refuses_zero_and_negative_amounts():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        helpers.disbursement(amount="0.00")


def test_the_admin_shows_the_message(client, admin_user):
    project = factories.project(budget=Decimal("100.00"))
    client.force_login(admin_user)
    response = client.post(
        "/admin/relief/disbursement/add/",
        {
            "project": project.pk, "amount": "100.01", "paid_on": "2023-06-01", "voucher_no": "ZC-1",
            "people_helped": "1", "purpose": "", "over_limit_reason": "",
            "shares-TOTAL_FORMS": "0", "shares-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert "超过预算和定向捐赠中较大者 100.00 元，请填写超支说明" in response.content.decode()
    assert not Disbursement.objects.exists()


def test_shares_cannot_exceed_the_disbursement(client, admin_user):
    project = factories.project(budget=Decimal("1000.00"))
    first, second = helpers.beneficiary(), helpers.beneficiary()
    client.force_login(admin_user)
    form = {
        "project": project.pk, "amount": "100.00", "paid_on": "2023-06-01", "voucher_no": "ZC-2",
        "people_helped": "2", "purpose": "", "over_limit_reason": "",
        "shares-TOTAL_FORMS": "2", "shares-INITIAL_FORMS": "0",
        "shares-0-beneficiary": first.pk, "shares-0-amount": "60.00",
        "shares-1-beneficiary": second.pk, "shares-1-amount": "40.01",
    }  # fmt: skip
    response = client.post("/admin/relief/disbursement/add/", form)
    assert "受助明细合计 100.01 元，超过本笔支出 100.00 元" in response.content.decode()
    form["shares-1-amount"] = "40.00"
    assert client.post("/admin/relief/disbursement/add/", form).status_code == 302
    assert Disbursement.objects.get().shares.count() == 2
