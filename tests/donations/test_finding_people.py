"""Finding a person in the back office (issue #22, 5): a search of 捐赠 also finds their staff
lines and says where they are; the donor picker tells two 张伟 apart."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from donations.models import BranchLiaison, Donation, RemittanceLine
from tests import factories
from tests.conftest import staff_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_lines(campaign):
    school = factories.unit("衡阳市第一中学", "教育系统", branch=factories.branch("教育分会", "教育系统"))
    police = factories.unit("衡阳市公安局", "公安系统", branch=factories.branch("公安分会", "公安系统"))
    remittance = factories.donation(school, campaign, "5000.00", received_on=datetime.date(2023, 9, 3))
    other = factories.donation(police, campaign, "3000.00", received_on=datetime.date(2023, 9, 8))
    zhang_school = factories.person("张伟", employer=school, phone="13907341234")
    zhang_police = factories.person("张伟", employer=police, phone="0734-8825678")
    RemittanceLine.objects.create(remittance=remittance, donor=zhang_school, amount=Decimal("200.00"))
    RemittanceLine.objects.create(remittance=other, donor=zhang_police, amount=Decimal("150.00"))
    return {"school": school, "zhang_school": zhang_school, "zhang_police": zhang_police}


def test_a_search_of_donations_finds_a_persons_staff_lines_and_says_where(admin_client, staff_lines):
    response = admin_client.get(reverse("admin:donations_donation_changelist"), {"q": "张伟"})
    assert not response.context_data["cl"].result_list  # no gift of their own
    body = response.content.decode()
    assert "另有 <strong>2</strong> 条<strong>汇款明细</strong>" in body
    assert "在 衡阳市第一中学 2023-09-03 的汇款中" in body and "在 衡阳市公安局 2023-09-08 的汇款中" in body
    link = reverse("admin:donations_remittanceline_changelist") + "?q=" + "%E5%BC%A0%E4%BC%9F"
    assert link in body
    assert admin_client.get(link).context_data["cl"].result_count == 2


def test_a_liaison_is_told_only_of_its_branchs_lines(client, staff_lines):
    liaison = staff_with_role("liaison", "分会联络员")
    BranchLiaison.objects.create(user=liaison, branch=staff_lines["school"].branch)
    client.force_login(liaison)
    body = client.get(reverse("admin:donations_donation_changelist"), {"q": "张伟"}).content.decode()
    assert "另有 <strong>1</strong> 条" in body and "衡阳市公安局" not in body


def test_no_staff_line_no_notice(admin_client, staff_lines):
    body = admin_client.get(reverse("admin:donations_donation_changelist"), {"q": "李四"}).content.decode()
    assert "staff-lines-found" not in body


def picker(client, term, **source):
    params = {
        "app_label": "donations",
        "model_name": "donation",
        "field_name": "donor",
        "term": term,
        **source,
    }
    response = client.get(reverse("admin:autocomplete") + "?" + urlencode(params))
    assert response.status_code == 200
    return {int(result["id"]): result["text"] for result in response.json()["results"]}


def test_the_donor_picker_tells_two_people_of_one_name_apart(admin_client, staff_lines, campaign):
    factories.donation(staff_lines["zhang_police"], campaign, "50.00", received_on=datetime.date(2023, 10, 2))
    labels = picker(admin_client, "张伟")
    assert labels == {
        staff_lines["zhang_school"].pk: "张伟 · 个人，衡阳市第一中学 · 电话尾号1234 · 最近捐赠 2023-09-03",
        staff_lines["zhang_police"].pk: "张伟 · 个人，衡阳市公安局 · 电话尾号5678 · 最近捐赠 2023-10-02",
    }
    # A reversed gift is no last gift.
    Donation.objects.filter(donor=staff_lines["zhang_police"]).update(
        status="reversed", confirmed_at=datetime.datetime(2023, 10, 3, tzinfo=datetime.UTC)
    )
    assert picker(admin_client, "张伟")[staff_lines["zhang_police"].pk].endswith("最近捐赠 2023-09-08")
    assert (
        picker(admin_client, "第一中学")[staff_lines["school"].pk]
        == "衡阳市第一中学 · 单位，教育系统 · 最近捐赠 2023-09-03"
    )
