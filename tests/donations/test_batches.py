import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse

from charity.models import AuditEntry
from donations.models import Donation, Donor, ImportBatch, RemittanceLine
from donations.services import BatchStateError, finalize_batch, rollback_batch
from tests import factories

pytestmark = pytest.mark.django_db


def make_batch(campaign, name="2023一日捐.xlsx"):
    return ImportBatch.objects.create(campaign=campaign, file_name=name, sha256="0" * 64, row_count=3)


@pytest.fixture
def imported(campaign):
    """A batch that created a unit, two of its staff and a matched existing unit's donation."""
    batch = make_batch(campaign)
    existing = factories.unit("早已存在的单位")
    unit = factories.unit("批次新建单位", source_batch=batch)
    staff = [factories.person(f"职工{i}", employer=unit, source_batch=batch) for i in range(2)]
    remittance = factories.donation(unit, campaign, "300.00", receipt_no="R-1", batch=batch, head_count=2)
    for person in staff:
        RemittanceLine.objects.create(
            remittance=remittance, donor=person, amount=Decimal("100.00"), batch=batch
        )
    factories.donation(existing, campaign, "50.00", batch=batch)
    return batch


def test_rollback_removes_exactly_the_batch_and_the_donors_it_created(campaign, admin_user, imported):
    kept_donation = factories.donation(factories.unit("别的单位"), campaign, "7.00")
    other_batch = make_batch(campaign, "另一个文件.xlsx")
    other_batch_donation = factories.donation(campaign_=campaign, amount="9.00", batch=other_batch)

    rollback_batch(imported, admin_user)

    imported.refresh_from_db()
    assert imported.status == ImportBatch.Status.ROLLED_BACK
    assert imported.rolled_back_at is not None
    assert set(Donation.objects.all()) == {kept_donation, other_batch_donation}
    assert not RemittanceLine.objects.exists()
    assert not Donor.objects.filter(source_batch=imported).exists()
    assert Donor.objects.filter(name="早已存在的单位").exists()  # matched, not created: kept
    assert Donation.objects.total() == Decimal("16.00")


def test_rollback_keeps_created_donors_that_are_used_elsewhere_by_now(campaign, admin_user, imported):
    unit = Donor.objects.get(name="批次新建单位")
    later = factories.donation(unit, campaign, "1.00")  # entered by hand after the import

    rollback_batch(imported, admin_user)

    assert list(Donation.objects.all()) == [later]
    assert set(Donor.objects.filter(source_batch=imported)) == {unit}
    assert not Donor.objects.filter(name__startswith="职工").exists()


def test_rollback_refuses_when_another_batch_itemised_its_remittance(campaign, admin_user, imported):
    remittance = Donation.objects.get(receipt_no="R-1")
    other = make_batch(campaign, "补充明细.xlsx")
    RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person(), amount=Decimal("5.00"), batch=other
    )
    with pytest.raises(BatchStateError, match="其他批次或手工录入的明细"):
        rollback_batch(imported, admin_user)
    assert Donation.objects.filter(batch=imported).count() == 2


def test_final_batch_cannot_be_rolled_back(admin_user, imported):
    finalize_batch(imported, admin_user)
    imported.refresh_from_db()
    assert imported.status == ImportBatch.Status.FINAL
    assert imported.finalized_at is not None

    with pytest.raises(BatchStateError, match="已确认为最终，不能撤销"):
        rollback_batch(imported, admin_user)
    assert Donation.objects.filter(batch=imported).count() == 2


def test_rolled_back_batch_cannot_be_rolled_back_or_finalized_again(admin_user, imported):
    rollback_batch(imported, admin_user)
    with pytest.raises(BatchStateError, match="已撤销"):
        rollback_batch(imported, admin_user)
    with pytest.raises(BatchStateError, match="不能再确认为最终"):
        finalize_batch(imported, admin_user)


def test_each_service_writes_one_audit_record(admin_user, campaign, imported):
    other = make_batch(campaign, "b.xlsx")
    before = AuditEntry.objects.count()
    rollback_batch(imported, admin_user)
    finalize_batch(other, admin_user)
    entries = AuditEntry.objects.order_by("id")[before:]
    assert [(e.actor, e.action, e.object_id) for e in entries] == [
        (admin_user, "donations.import_batch.rolled_back", str(imported.pk)),
        (admin_user, "donations.import_batch.finalized", str(other.pk)),
    ]
    rolled_back, finalized = entries
    assert rolled_back.data["donations_deleted"] == 2
    assert (rolled_back.data["lines_deleted"], rolled_back.data["donors_deleted"]) == (2, 3)
    (status,) = rolled_back.changes
    assert (status["label"], status["before"], status["after"]) == ("状态", "已导入（可撤销）", "已撤销")
    assert finalized.changes[0]["after"] == "已确认为最终"


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def offered_actions(response):
    form = response.context["action_form"]  # None when no action is allowed at all
    return {name for name, _ in form.fields["action"].choices} if form else set()


def test_rolling_back_and_finalizing_need_their_own_permissions(client, clerk, reviewer, campaign, imported):
    url = reverse("admin:donations_importbatch_changelist")
    clerk.groups.get().permissions.remove(Permission.objects.get(codename="rollback_importbatch"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # permissions are cached on the instance
    client.force_login(clerk)
    assert offered_actions(client.get(url)) & {"rollback_selected", "finalize_selected"} == set()
    response = client.post(url, {"action": "rollback_selected", "_selected_action": [imported.pk]})
    assert Donation.objects.filter(batch=imported).exists()  # refused: may view batches, not undo them
    assert response.status_code in (200, 302)

    grant(clerk, "rollback_importbatch")
    clerk = type(clerk).objects.get(pk=clerk.pk)
    client.force_login(clerk)
    actions = offered_actions(client.get(url))
    assert "rollback_selected" in actions and "finalize_selected" not in actions  # the 录入员 role

    client.force_login(reviewer)
    assert {"rollback_selected", "finalize_selected"} <= offered_actions(client.get(url))  # 审核员


def test_admin_actions_call_the_services_with_messages(client, clerk, campaign, imported):
    grant(clerk, "rollback_importbatch", "finalize_importbatch")
    final = make_batch(campaign, "已确认.xlsx")
    finalize_batch(final, clerk)
    client.force_login(clerk)
    url = reverse("admin:donations_importbatch_changelist")

    response = client.post(
        url,
        {"action": "rollback_selected", "_selected_action": [imported.pk, final.pk]},
        follow=True,
    )

    body = response.content.decode()
    assert "已撤销 1 个批次：2023一日捐.xlsx" in body
    assert "批次“已确认.xlsx”已确认为最终，不能撤销" in body
    assert not Donation.objects.filter(batch=imported).exists()

    fresh = make_batch(campaign, "新的.xlsx")
    response = client.post(url, {"action": "finalize_selected", "_selected_action": [fresh.pk]}, follow=True)
    assert "已确认为最终 1 个批次：新的.xlsx" in response.content.decode()
    fresh.refresh_from_db()
    assert fresh.status == ImportBatch.Status.FINAL


def test_batch_page_links_to_its_donations(client, admin_user, campaign, imported):
    factories.donation(campaign_=campaign, amount="1.00")  # not in the batch
    client.force_login(admin_user)
    page = client.get(reverse("admin:donations_importbatch_change", args=[imported.pk])).content.decode()
    link = f"{reverse('admin:donations_donation_changelist')}?batch__id__exact={imported.pk}"
    assert link in page
    response = client.get(link)
    assert set(response.context["cl"].result_list) == set(Donation.objects.filter(batch=imported))
    lines = f"{reverse('admin:donations_remittanceline_changelist')}?batch__id__exact={imported.pk}"
    assert lines in page
    assert client.get(lines).context["cl"].result_count == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_rolling_back_at_once_run_it_once(report_sectors, campaign, admin_user, imported):
    results = []

    def clerk_clicks():
        try:
            rollback_batch(imported, admin_user)
            results.append("done")
        except BatchStateError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk_clicks) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["done", "refused"]
    assert AuditEntry.objects.filter(action="donations.import_batch.rolled_back").count() == 1
