"""Corrections in the open (issue #19): undoing a batch that a published issue counted warns first
and ends with a published 更正说明 that the public sees on the page, in the downloads and the PDF."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from campaigns import services
from campaigns.corrections import drafts
from campaigns.models import CorrectionDraft, HonorRollErratum
from charity.models import AuditEntry
from charity.snapshots import VOID_STATEMENT, SnapshotError, format_changes, parse_changes
from donations.models import Donation, Donor, ImportBatch, RemittanceLine
from tests import factories
from tests.campaigns.conftest import publish_issue

from .pdf_text import pdf_text

pytestmark = pytest.mark.django_db

CHANGED = "国资系统·职工「衡阳市国资委 周八」"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff_batch(gifts):
    """An open batch (a staff list) that itemised two people under 衡阳市国资委's confirmed gift:
    周八 1,100 元 (named) and an anonymous 1,300 元 whose real name must never be shown."""
    batch = ImportBatch.objects.create(
        campaign=gifts, file_name="国资委职工名单.xlsx", sha256="1" * 64, row_count=2
    )
    unit = Donor.objects.get(name="衡阳市国资委")
    remittance = Donation.objects.get(donor=unit)
    for name, amount, anonymous in (("周八", "1100.00", False), ("隐名职工孙九", "1300.00", True)):
        RemittanceLine.objects.create(
            remittance=remittance,
            donor=factories.person(name, employer=unit),
            amount=Decimal(amount),
            anonymous=anonymous,
            batch=batch,
        )
    return batch


def undo(client, batch, **extra):
    url = reverse("admin:donations_importbatch_changelist")
    return client.post(
        url, {"action": "rollback_selected", "_selected_action": [batch.pk], **extra}, follow=True
    )


def test_undoing_a_counted_batch_warns_then_drafts_then_the_public_sees_the_correction(
    client, admin_user, gifts, staff_batch, tmp_path, django_capture_on_commit_callbacks
):
    issue = publish_issue(gifts, 1, "2023-09-30")
    client.force_login(admin_user)
    audit_before = AuditEntry.objects.count()

    # 1. The confirmation lists the issue and the figures that would change; nothing is done yet.
    page = undo(client, staff_batch).content.decode()
    assert str(issue) in page and reverse("campaigns:honor_roll", args=[issue.pk]) in page
    assert CHANGED in page and "1,100.00 元" in page
    assert "「衡阳市国资委 爱心人士」" in page and "隐名职工孙九" not in page
    assert RemittanceLine.objects.filter(batch=staff_batch).count() == 2
    assert (
        staff_batch.status == ImportBatch.objects.get(pk=staff_batch.pk).status == ImportBatch.Status.IMPORTED
    )
    assert AuditEntry.objects.count() == audit_before and not CorrectionDraft.objects.exists()

    # 2. Confirmed: the batch is undone and a draft holds the differences, reason blank.
    with django_capture_on_commit_callbacks(execute=True):
        done = undo(client, staff_batch, confirm_contradictions="yes").content.decode()
    assert "已撤销 1 个批次" in done and "已准备更正说明草稿" in done
    draft = CorrectionDraft.objects.get()
    assert draft.document == issue and draft.status == CorrectionDraft.Status.DRAFT and draft.reason == ""
    assert {"label": CHANGED, "before": "1,100.00 元", "after": "—"} in draft.changes
    assert "隐名职工孙九" not in str(draft.changes)
    board = client.get(reverse("admin_dashboard")).content.decode()
    assert "待发布的更正说明草稿" in board and draft.title in board

    # 3. Published without a reason: refused; with one: the issue's erratum, one audit entry.
    decide = reverse("admin:campaigns_correctiondraft_decide", args=[draft.pk])
    form = client.get(decide).content.decode()
    assert f"{CHANGED}：1,100.00 元 → —" in form
    refused = client.post(decide, {"_publish": "1", "changes": f"{CHANGED}：1,100.00 元 → —"})
    assert "请填写更正原因" in refused.content.decode() and not HonorRollErratum.objects.exists()
    entries = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            decide,
            {
                "_publish": "1",
                "reason": "国资委职工名单重复导入，已撤销",
                "changes": f"{CHANGED}：1,100.00 元 → —",
            },
        )
    erratum = HonorRollErratum.objects.get()
    assert erratum.issue == issue and erratum.reason == "国资委职工名单重复导入，已撤销"
    assert erratum.changes == [{"label": CHANGED, "before": "1,100.00 元", "after": "—"}]
    assert AuditEntry.objects.count() == entries + 1
    draft.refresh_from_db()
    assert draft.status == CorrectionDraft.Status.PUBLISHED and draft.erratum_id == erratum.pk

    # 4. The public sees it with the page, the downloads and the PDF; the original stays as published.
    client.logout()
    body = client.get(reverse("campaigns:honor_roll", args=[issue.pk])).content.decode()
    for text in ("更正原因", "国资委职工名单重复导入，已撤销", CHANGED, "1,100.00 元", VOID_STATEMENT):
        assert text in body
    assert "周八" in body.split("更正说明")[-1]  # the listing as published is still there
    data = client.get(reverse("campaigns:honor_roll_json", args=[issue.pk])).json()
    assert data["errata"][0]["reason"] == "国资委职工名单重复导入，已撤销"
    assert data["errata"][0]["changes"] == erratum.changes
    assert data["errata"][0]["void_statement"] == VOID_STATEMENT
    issue.refresh_from_db()
    assert data["content_sha256"] == issue.content_sha256
    response = client.get(reverse("campaigns:honor_roll_csv", args=[issue.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    correction = [row for row in rows if row[0] == "更正说明"]
    assert ["更正原因", "国资委职工名单重复导入，已撤销"] == correction[0][2:4]
    assert correction[1][2:] == ["更正项目", CHANGED, "原公布", "1,100.00 元", "更正后", "—"]
    assert correction[-1][2:4] == ["声明", VOID_STATEMENT]
    stored = services.honor_roll_pdf(issue)
    text = pdf_text(stored.pdf.path)
    assert "更正原因" in text and "国资委职工名单重复导入，已撤销" in text
    assert "衡阳市国资委周八" in text and VOID_STATEMENT.rstrip("。") in text
    for surface in (body, str(data), response.content.decode("utf-8-sig"), text):
        assert "隐名职工孙九" not in surface


def test_an_undo_that_contradicts_nothing_keeps_its_flow(client, admin_user, gifts, staff_batch):
    client.force_login(admin_user)  # nothing published yet
    done = undo(client, staff_batch).content.decode()
    assert "已撤销 1 个批次" in done and not CorrectionDraft.objects.exists()


def test_the_dry_run_leaves_nothing_behind(
    client, admin_user, gifts, staff_batch, django_capture_on_commit_callbacks
):
    publish_issue(gifts, 1, "2023-09-30")
    client.force_login(admin_user)
    before = (AuditEntry.objects.count(), RemittanceLine.objects.count(), Donor.objects.count())
    stamp = type(gifts).objects.get(pk=gifts.pk).figures_changed_at
    with django_capture_on_commit_callbacks() as hooks:
        page = undo(client, staff_batch)
    assert CHANGED in page.content.decode()
    assert hooks == []  # no page-cache version, campaign stamp or job left to run
    assert (AuditEntry.objects.count(), RemittanceLine.objects.count(), Donor.objects.count()) == before
    assert type(gifts).objects.get(pk=gifts.pk).figures_changed_at == stamp
    assert ImportBatch.objects.get(pk=staff_batch.pk).status == ImportBatch.Status.IMPORTED


def test_reversing_a_counted_gift_warns_and_drafts(client, admin_user, gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    gift = Donation.objects.get(donor__name="孙一")
    url = reverse("admin:donations_donation_reverse", args=[gift.pk])
    client.force_login(admin_user)
    audit_before = AuditEntry.objects.count()
    page = client.get(url).content.decode()
    # The reversed gift stays listed (its reversal is listed by the next issue), but it no longer
    # counts as a gift: the issue's count of gifts is contradicted.
    assert str(issue) in page and '<td>个人笔数</td><td class="num">5</td><td class="num">4</td>' in page
    assert "仍然冲正" in page
    assert (
        AuditEntry.objects.count() == audit_before and Donation.objects.get(pk=gift.pk).status == "confirmed"
    )

    client.post(url, {"reason": "重复录入"})
    assert Donation.objects.get(pk=gift.pk).status == Donation.Status.REVERSED
    draft = CorrectionDraft.objects.get()
    assert draft.document == issue and "冲正捐赠" in draft.cause
    assert {"label": "个人笔数", "before": "5", "after": "4"} in draft.changes


def test_a_raw_sql_change_gets_a_draft_from_check_publications_and_the_dashboard(client, admin_user, gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    gift = Donation.objects.get(donor__name="孙一")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE donations_donation SET amount = %s WHERE id = %s", ["2500.00", gift.pk])
    with pytest.raises(CommandError):
        call_command("check_publications", "--draft", stdout=io.StringIO())
    draft = CorrectionDraft.objects.get()
    assert draft.document == issue
    assert {"label": "个人·个人「孙一」", "before": "2,000.00 元", "after": "2,500.00 元"} in draft.changes

    # The dashboard's button brings the open draft up to date rather than adding a second one.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE donations_donation SET amount = %s WHERE id = %s", ["2600.00", gift.pk])
    client.force_login(admin_user)
    board = client.get(reverse("admin_dashboard")).content.decode()
    assert "为以上文件准备更正说明草稿" in board
    client.post(reverse("admin:campaigns_correctiondraft_prepare"))
    draft = CorrectionDraft.objects.get()
    assert {"label": "个人·个人「孙一」", "before": "2,000.00 元", "after": "2,600.00 元"} in draft.changes


def test_a_published_correction_settles_the_drift_it_states(client, admin_user, gifts):
    """After the correction is published the document no longer shows as contradicting the
    ledger (the dashboard, check_publications); the running total is among the corrected figures.
    A later change of the same figures is drift again."""
    issue = publish_issue(gifts, 1, "2023-09-30")
    Donation.objects.filter(donor__name="孙一").update(amount=Decimal("2500.00"))
    (draft,) = drafts.prepare_drafts([issue], admin_user, cause="测试")
    assert "累计合计" in [change["label"] for change in draft.changes]
    drafts.publish_draft(draft, admin_user, reason="孙一的捐款金额录入有误")

    call_command("check_publications", stdout=io.StringIO())  # exits 0: nothing differs
    client.force_login(admin_user)
    assert "为以上文件准备更正说明草稿" not in client.get(reverse("admin_dashboard")).content.decode()

    Donation.objects.filter(donor__name="孙一").update(amount=Decimal("2600.00"))
    with pytest.raises(CommandError):
        call_command("check_publications", stdout=io.StringIO())


def test_a_draft_is_discarded_with_a_reason_and_decided_only_once(admin_user, gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    Donation.objects.filter(donor__name="孙一").update(amount=Decimal("2500.00"))
    (draft,) = drafts.prepare_drafts([issue], admin_user, cause="测试")
    with pytest.raises(SnapshotError, match="请填写放弃原因"):
        drafts.discard_draft(draft, admin_user, reason=" ")
    drafts.discard_draft(draft, admin_user, reason="金额已改回")
    assert AuditEntry.objects.filter(action="campaigns.correction.discarded").count() == 1
    with pytest.raises(SnapshotError, match="已放弃"):
        drafts.publish_draft(draft, admin_user, reason="原因")
    assert not HonorRollErratum.objects.exists()


def test_figures_typed_one_a_line_survive_names_with_colons_and_arrows():
    changes = [
        {"label": "个人·个人「老张：爱心→传递」", "before": "1,000.00 元", "after": "—"},
        {"label": "笔数", "before": "8", "after": "7"},
    ]
    assert parse_changes(format_changes(changes)) == changes
    assert parse_changes("合计: 1 -> 2\n\n") == [{"label": "合计", "before": "1", "after": "2"}]
    with pytest.raises(SnapshotError, match="第 1 行应写成"):
        parse_changes("合计 12,850.00 元")
