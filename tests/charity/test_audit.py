"""One audit trail: who did what, when, with before and after values."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from campaigns.models import Campaign
from charity import audit
from charity.models import AuditEntry
from donations.importing import import_file
from donations.models import Branch, Donation, Donor, ImportBatch, RemittanceLine, Sector
from relief.models import ReliefProject
from tests import factories
from tests.donations.import_helpers import person_row, unit_row, xlsx

pytestmark = pytest.mark.django_db


def entries_of(obj):
    return list(AuditEntry.objects.for_object(obj).order_by("id"))


def remittance_line():
    remittance = factories.donation(factories.unit(), amount="10.00")
    return RemittanceLine.objects.create(remittance=remittance, donor=factories.person(), amount="5.00")


MAKERS = {
    Sector: lambda: Sector.objects.create(name="测试版块", order=99),
    Branch: lambda: factories.branch("测试分会"),
    Donor: lambda: factories.unit("测试单位"),
    Donation: lambda: factories.donation(amount="12.00"),
    RemittanceLine: remittance_line,
    ImportBatch: lambda: ImportBatch.objects.create(
        campaign=factories.campaign(name="活动A"), file_name="a.xlsx", sha256="a" * 64
    ),
    Campaign: lambda: factories.campaign(name="活动B", year=2024),
    ReliefProject: lambda: factories.project("测试项目"),
}
# A field of each model to change, and its new value.
CHANGES = {
    Sector: ("name", "改名版块"),
    Branch: ("name", "改名分会"),
    Donor: ("phone", "0734-8888888"),
    Donation: ("amount", Decimal("13.50")),
    RemittanceLine: ("amount", Decimal("4.00")),
    ImportBatch: ("file_name", "b.xlsx"),
    Campaign: ("description", "说明"),
    ReliefProject: ("budget", Decimal("2000.00")),
}


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_every_tracked_model_records_create_change_and_delete(model, admin_user):
    with audit.acting_as(admin_user):
        obj = MAKERS[model]()
        field, value = CHANGES[model]
        before = str(getattr(obj, field))
        setattr(obj, field, value)
        obj.save()
        pk = obj.pk
        if model is not ImportBatch:  # batches are never deleted, only rolled back
            obj.delete()
            obj.pk = pk
    key = f"{model._meta.app_label}.{model._meta.model_name}"
    entries = entries_of(obj)
    actions = [e.action for e in entries]
    assert actions[:2] == [f"{key}.created", f"{key}.changed"]
    assert all(e.actor == admin_user and e.actor_label == "admin" for e in entries)
    (change,) = entries[1].changes
    assert (change["field"], change["before"], change["after"]) == (field, before, str(value))
    if model is not ImportBatch:
        assert actions[2] == f"{key}.deleted"
        assert any(c["field"] == field and c["before"] == str(value) for c in entries[2].changes)


def test_a_save_that_changes_nothing_records_nothing():
    donor = factories.unit("不变的单位")
    count = AuditEntry.objects.count()
    donor.save()
    assert AuditEntry.objects.count() == count


def test_related_objects_and_choices_are_recorded_as_staff_read_them(campaign):
    gift = factories.donation(factories.unit("甲单位", sector_name="国资系统"), campaign, "1.00")
    gift.sector = factories.sector("教育系统")
    gift.channel = Donation.Channel.WECHAT
    gift.save()
    changes = {c["field"]: (c["before"], c["after"]) for c in entries_of(gift)[-1].changes}
    sectors = {name: factories.sector(name).pk for name in ("国资系统", "教育系统")}
    assert changes["sector"] == (f"国资系统 (#{sectors['国资系统']})", f"教育系统 (#{sectors['教育系统']})")
    assert changes["channel"] == ("银行转账", "微信")


def test_without_anyone_acting_the_system_is_named():
    entry = entries_of(factories.unit("脚本建的单位"))[0]
    assert (entry.actor, entry.actor_label) == (None, audit.SYSTEM)


def test_admin_edits_are_recorded_with_before_and_after_and_shown_in_the_history(
    client, admin_user, campaign
):
    gift = factories.donation(factories.unit("乙单位"), campaign, "100.00")
    client.force_login(admin_user)
    url = reverse("admin:donations_donation_change", args=[gift.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {"amount": "88.80", "received_on": "2023-09-01", "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0"}
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = entries_of(gift)[-1]
    assert (entry.action, entry.actor, entry.actor_label) == (
        "donations.donation.changed",
        admin_user,
        "admin",
    )
    assert [(c["label"], c["before"], c["after"]) for c in entry.changes] == [
        ("金额（元）", "100.00", "88.80")
    ]
    assert not LogEntry.objects.exists()  # one audit trail, not the admin's second one

    page = client.get(reverse("admin:donations_donation_history", args=[gift.pk])).content.decode()
    assert "修改捐赠" in page and "100.00" in page and "88.80" in page and "admin" in page


def test_history_needs_permission_to_see_the_object(client, outsider, campaign):
    gift = factories.donation(campaign_=campaign)
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    response = client.get(reverse("admin:donations_donation_history", args=[gift.pk]))
    assert response.status_code == 403


def test_an_import_is_one_entry_for_its_batch(admin_user, campaign):
    rows = [unit_row(f"单位{i}", "100", 票据号=f"R-{i}") for i in range(30)]
    rows += [person_row(f"职工{i}", "10", 汇款票据号="R-0") for i in range(5)]
    before = AuditEntry.objects.count()
    batch = import_file(xlsx(rows), campaign=campaign, user=admin_user)
    (entry,) = AuditEntry.objects.all()[: AuditEntry.objects.count() - before]
    assert (entry.action, entry.actor, entry.object_id) == (
        "donations.import_batch.imported",
        admin_user,
        str(batch.pk),
    )
    assert entry.data["sha256"] == batch.sha256 and len(entry.data["sha256"]) == 64
    assert (entry.data["donations"], entry.data["lines"], entry.data["rows"]) == (30, 5, 35)
    assert Decimal(entry.data["total"]) == Decimal("3000.00")


def test_a_refused_import_leaves_no_entry(campaign):
    before = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - ImportFailed; what matters is what stays behind
        import_file(xlsx([unit_row("单位", "-1")]), campaign=campaign)
    assert AuditEntry.objects.count() == before


def test_the_command_line_signs_its_entries(tmp_path, campaign):
    path = tmp_path / "捐赠.xlsx"
    path.write_bytes(xlsx([unit_row("命令行单位", "50")]).getvalue())
    call_command("import_donations", str(path), campaign=campaign.name, stdout=None)
    entry = AuditEntry.objects.get(action="donations.import_batch.imported")
    assert entry.actor is None and entry.actor_label.startswith("命令行 import_donations（")


def test_the_list_is_searchable_by_file_object_and_fingerprint(client, admin_user, campaign):
    batch = import_file(
        xlsx([unit_row("可查单位", "50")], name="九月名单.xlsx"), campaign=campaign, user=admin_user
    )
    client.force_login(admin_user)
    url = reverse("admin:charity_auditentry_changelist")
    for query in ("九月名单", batch.sha256):
        shown = client.get(url, {"q": query}).context["cl"].result_list
        assert [e.action for e in shown] == ["donations.import_batch.imported"], query
    shown = client.get(url, {"action": "donations.import_batch.imported"}).context["cl"].result_list
    assert len(shown) == 1
    page = client.get(reverse("admin:charity_auditentry_change", args=[shown[0].pk])).content.decode()
    assert "导入文件" in page and "SHA-256" in page and batch.sha256 in page


def test_entries_cannot_be_changed_or_deleted_in_the_admin(client, admin_user):
    entry = entries_of(factories.unit("单位丙"))[0]
    client.force_login(admin_user)
    assert (
        client.post(reverse("admin:charity_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert client.get(reverse("admin:charity_auditentry_add")).status_code == 403


def test_a_bulk_delete_of_keys_only_is_recorded_without_reloading_the_rows(campaign):
    gifts = [factories.donation(campaign_=campaign, amount="3.00") for _ in range(3)]
    Donation.objects.filter(pk__in=[g.pk for g in gifts]).only("pk").delete()
    deleted = AuditEntry.objects.filter(action="donations.donation.deleted")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(g.pk) for g in gifts)
