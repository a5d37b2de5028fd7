"""The 「预览并发布」 page of a disclosure (公示): what it would publish, masked, with its warnings."""

import datetime
import re

import pytest
from django.urls import reverse

from charity.models import AuditEntry
from relief import services
from relief.models import Disclosure
from relief.preview import preview
from tests import factories
from tests.conftest import ROLES, staff_with_role
from tests.publishing import confirm, publish_url, token_of
from tests.relief import helpers

pytestmark = pytest.mark.django_db
TODAY_OR_LATER = {"objection_start": datetime.date(2099, 1, 8), "objection_end": datetime.date(2099, 1, 14)}


def warnings_of(page):
    found = re.search(r'<ul class="messagelist preview-warnings">(.*?)</ul>', page, re.S)
    return re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S) if found else []


@pytest.fixture
def draft():
    project = factories.project()
    paid = helpers.disbursement(project, amount="1500.00", people_helped=3)
    helpers.share(paid, helpers.beneficiary(name="王小明", district="雁峰区"), "500.00")
    helpers.share(paid, helpers.beneficiary(name="李春花"), "500.00")
    helpers.share(paid, helpers.beneficiary(name="赵大海"), "500.00")
    return helpers.disclosure(project, **TODAY_OR_LATER)


def test_the_preview_shows_the_masked_list_and_its_totals_without_publishing(client, admin_user, draft):
    client.force_login(admin_user)
    page = client.get(publish_url(draft)).content.decode()
    assert "支出合计" in page and "1,500.00 元" in page
    assert "公示名单人数" in page and "<td>3</td>" in page
    assert "王*明" in page and "雁峰区" in page
    assert "王小明" not in page and "李春花" not in page
    assert warnings_of(page) == []
    draft.refresh_from_db()
    assert not draft.is_published
    assert not AuditEntry.objects.filter(action="relief.disclosure.published").exists()


def test_the_preview_is_what_publishing_freezes(admin_user, draft):
    shown = preview(draft)
    assert services.publish_disclosure(draft, admin_user).content_sha256 == shown.fingerprint


def test_confirming_publishes_and_a_stale_confirmation_is_refused(client, admin_user, draft):
    client.force_login(admin_user)
    seen = token_of(client.get(publish_url(draft)).content.decode())
    helpers.disbursement(draft.project, amount="200.00", paid_on=datetime.date(2023, 6, 1))
    response = client.post(publish_url(draft), {"token": seen, "checked": "on"})
    assert "预览之后数据有变化，未发布" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published
    response = confirm(client, draft)
    assert response.redirect_chain[-1][0] == reverse("admin:relief_disclosure_change", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == admin_user
    assert draft.content["total"] == "1700.00"


def test_the_preview_compares_with_the_previous_disclosure_of_the_project(client, admin_user):
    project = factories.project()
    helpers.published_disclosure(project, [helpers.beneficiary(name="王小明")], title="第一批")
    paid = helpers.disbursement(project, amount="800.00", paid_on=datetime.date(2024, 3, 1))
    helpers.share(paid, helpers.beneficiary(name="周新来"), "800.00")
    year_2024 = {"period_start": datetime.date(2024, 1, 1), "period_end": datetime.date(2024, 12, 31)}
    second = helpers.disclosure(project, title="第二批", **year_2024)
    client.force_login(admin_user)
    page = client.get(publish_url(second)).content.decode()
    assert "与上一份（第一批）相比" in page
    assert "支出合计 800.00 元，上一份 10,000.00 元（-9,200.00 元）" in page
    assert "公示名单新增 1 个名称：周*来" in page and "公示名单不再出现 1 个名称：王*明" in page


def test_a_disclosure_with_nothing_listed_and_dates_to_check_is_warned_of(client, admin_user):
    project = factories.project()
    draft = helpers.disclosure(
        project,
        kind=Disclosure.Kind.PROGRESS,
        objection_start=datetime.date(2024, 1, 8),
        objection_end=datetime.date(2024, 1, 10),
    )
    client.force_login(admin_user)
    page = client.get(publish_url(draft)).content.decode()
    assert warnings_of(page) == [
        "所选期间内该项目没有支出：公示中没有任何支出",
        "公示期开始日期 2024-01-08 已经过去，发布后公示期不足原定天数",
        "公示期只有 3 天，少于 7 天",
    ]
    response = confirm(client, draft, checked=False)
    assert "请先勾选" in response.content.decode()
    confirm(client, draft)
    draft.refresh_from_db()
    assert draft.is_published


def test_spending_not_given_to_listed_people_is_warned_of(client, admin_user):
    project = factories.project()
    paid = helpers.disbursement(project, amount="1000.00")
    helpers.share(paid, helpers.beneficiary(name="王小明"), "400.00")
    draft = helpers.disclosure(project, **TODAY_OR_LATER)
    client.force_login(admin_user)
    page = client.get(publish_url(draft)).content.decode()
    assert warnings_of(page) == [
        "名单金额合计 400.00 元与支出合计 1,000.00 元不一致（未分配到个人的支出见对账表），请核对"
    ]


def test_a_recipients_list_without_spending_is_refused(client, admin_user):
    draft = helpers.disclosure(factories.project(), **TODAY_OR_LATER)
    client.force_login(admin_user)
    page = client.get(publish_url(draft)).content.decode()
    assert "不能发布：所选期间内该项目没有支出，无法发布受助名单公示" in page
    assert 'name="token"' not in page


def test_a_relief_officer_drafts_but_cannot_publish(client, draft):
    officer = staff_with_role("relief", ROLES["relief"])
    client.force_login(officer)
    change = client.get(reverse("admin:relief_disclosure_change", args=[draft.pk])).content.decode()
    assert publish_url(draft) not in change
    assert client.get(publish_url(draft)).status_code == 403
    assert client.post(publish_url(draft), {"token": "0" * 64}).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_publisher_role_sees_the_link_and_publishes(client, draft):
    publisher = staff_with_role("publisher", ROLES["publisher"])
    client.force_login(publisher)
    change = client.get(reverse("admin:relief_disclosure_change", args=[draft.pk])).content.decode()
    assert publish_url(draft) in change
    assert publish_url(draft) in client.get(reverse("admin:relief_disclosure_changelist")).content.decode()
    confirm(client, draft)
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == publisher
