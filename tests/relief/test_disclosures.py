"""Disclosures (公示): draft → publish (service) → frozen snapshot → errata; pages and downloads."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from charity.models import AuditEntry
from charity.snapshots import SnapshotError, fingerprint
from relief import services
from relief.models import Disclosure, DisclosureErratum
from tests import factories
from tests.publishing import confirm
from tests.relief import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    people = [helpers.beneficiary(name="王小明", district="雁峰区"), helpers.beneficiary(name="李春花")]
    return helpers.published_disclosure(factories.project(), people, title="2023年慈善光明行受助名单公示")


def test_publishing_freezes_content_with_its_fingerprint_and_one_audit_entry(published):
    assert published.status == Disclosure.Status.PUBLISHED
    assert published.content_sha256 == fingerprint(published.content)
    entries = AuditEntry.objects.filter(action="relief.disclosure.published")
    assert entries.count() == 1 and entries.get().object_id == str(published.pk)


def test_later_edits_of_the_data_do_not_reach_the_published_list(published):
    from relief.models import Beneficiary

    person = Beneficiary.objects.get(name="王小明")
    person.name = "王大明"
    person.save()
    helpers.disbursement(published.project, amount="99999.00")
    published.refresh_from_db()
    assert [r["name"] for r in published.content["recipients"]] == ["李*花", "王*明"]
    assert published.content["total"] == "10000.00"


def test_a_published_disclosure_cannot_be_edited_deleted_or_published_again(published):
    published.title = "改过的标题"
    with pytest.raises(SnapshotError, match="已发布，不能修改“标题”"):
        published.save()
    published.refresh_from_db()
    with pytest.raises(SnapshotError, match="不能删除"):
        published.delete()
    with pytest.raises(SnapshotError, match="不能再次发布"):
        services.publish_disclosure(published)
    published.staff_note = "已电话回访"  # staff notes stay editable
    published.save()


def test_publishing_needs_spending_and_a_contact():
    project = factories.project()
    with pytest.raises(SnapshotError, match="没有支出"):
        services.publish_disclosure(helpers.disclosure(project))
    helpers.disbursement(project)
    with pytest.raises(SnapshotError, match="异议联系方式"):
        services.publish_disclosure(helpers.disclosure(project, objection_contact=" "))


def test_an_erratum_is_published_beside_the_unchanged_disclosure(client, published):
    sha = published.content_sha256
    erratum = services.publish_disclosure_erratum(published, "第2位受助人的县市区应为“蒸湘区”。")
    with pytest.raises(SnapshotError):
        erratum.text = "悄悄改掉"
        erratum.save()
    with pytest.raises(SnapshotError):
        erratum.delete()
    published.refresh_from_db()
    assert published.content_sha256 == sha
    page = client.get(reverse("relief:disclosure", args=[published.pk])).content.decode()
    assert "更正说明" in page and "第2位受助人的县市区应为“蒸湘区”。" in page
    data = client.get(reverse("relief:disclosure_json", args=[published.pk])).json()
    assert data["errata"][0]["text"] == "第2位受助人的县市区应为“蒸湘区”。"


def test_no_erratum_for_a_draft():
    draft = helpers.disclosure(factories.project())
    with pytest.raises(SnapshotError, match="尚未发布"):
        services.publish_disclosure_erratum(draft, "更正")
    assert DisclosureErratum.objects.count() == 0


def test_drafts_are_not_public(client):
    draft = helpers.disclosure(factories.project(), title="尚未发布的公示")
    assert client.get(reverse("relief:disclosure", args=[draft.pk])).status_code == 404
    assert client.get(reverse("relief:disclosure_csv", args=[draft.pk])).status_code == 404
    assert "尚未发布的公示" not in client.get(reverse("relief:disclosure_list")).content.decode()


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (datetime.date(2024, 1, 7), "公示期未开始"),
        (datetime.date(2024, 1, 8), "公示中，可提出异议"),
        (datetime.date(2024, 1, 14), "公示中，可提出异议"),
        (datetime.date(2024, 1, 15), "公示期已结束"),
    ],
)
def test_objection_period_status(published, today, status):
    assert published.objection_status(today) == status


def test_the_page_shows_status_contact_and_masked_list(client, published):
    page = client.get(reverse("relief:disclosure", args=[published.pk])).content.decode()
    assert "<title>2023年慈善光明行受助名单公示 · 公示 · 市慈善总会</title>" in page
    assert "<h1>2023年慈善光明行受助名单公示</h1>" in page
    assert "公示期已结束" in page and "0734-8860089" in page
    assert "王*明" in page and "王小明" not in page


def test_csv_and_xlsx_hold_the_masked_list(client, published):
    response = client.get(reverse("relief:disclosure_csv", args=[published.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["序号", "姓名", "县市区", "金额（元）"] in rows
    assert ["2", "王*明", "雁峰区", "500.00"] in rows
    response = client.get(reverse("relief:disclosure_xlsx", args=[published.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [2, "王*明", "雁峰区", 500] in values
    assert "王小明" not in str(values)


def test_json_is_the_frozen_content_with_its_fingerprint(client, published):
    data = json.loads(client.get(reverse("relief:disclosure_json", args=[published.pk])).content)
    assert data["content_sha256"] == published.content_sha256
    assert data["recipients"][1] == {"name": "王*明", "district": "雁峰区", "amount": "500.00"}
    assert data["objection_contact"] == "0734-8860089"


def test_admin_publish_page_publishes_through_the_service(client, admin_user):
    project = factories.project()
    helpers.disbursement(project)
    draft = helpers.disclosure(project)
    client.force_login(admin_user)
    response = confirm(client, draft)
    assert f"已发布：{draft.title}" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == admin_user
    assert AuditEntry.objects.filter(action="relief.disclosure.published", actor=admin_user).count() == 1


def test_admin_erratum_form_publishes_through_the_service(client, admin_user, published):
    client.force_login(admin_user)
    url = reverse("admin:relief_disclosure_erratum", args=[published.pk])
    refused = client.post(url, {"text": "金额更正：第1位应为 600.00 元。"}).content.decode()
    assert "这个字段是必填项" in refused and not published.errata.exists()  # the reason is required
    response = client.post(
        url,
        {"reason": "凭证金额录入有误", "text": "第1位应为 600.00 元。", "changes": "支出合计：1 → 2"},
        follow=True,
    )
    assert "更正说明已发布" in response.content.decode()
    erratum = published.errata.get()
    assert erratum.published_by == admin_user and erratum.reason == "凭证金额录入有误"
    assert erratum.changes == [{"label": "支出合计", "before": "1", "after": "2"}]
