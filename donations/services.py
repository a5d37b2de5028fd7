"""State changes of import batches (confirm one as final, or undo it while it is still open), and
the background jobs that import a previewed file and export a large list.

Each service is one transaction and writes one audit record. The import itself is
`donations.importing.import_file`, run by the job's task (donations.tasks).
"""

from dataclasses import asdict

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from campaigns.core import Campaign
from campaigns.freshness import figures_changed
from charity import audit, jobs
from charity.errors import UserError
from charity.models import BackgroundJob
from charity.money import count

from .models import Donation, Donor, FollowUp, ImportBatch, RemittanceLine

IMPORTED = audit.describe("donations.import_batch.imported", "导入文件")
FINALIZED = audit.describe("donations.import_batch.finalized", "确认导入批次为最终")
ROLLED_BACK = audit.describe("donations.import_batch.rolled_back", "撤销导入批次")
IMPORT_ENQUEUED = audit.describe("donations.import.enqueued", "提交后台导入")
EXPORT_ENQUEUED = audit.describe("donations.export.enqueued", "提交后台导出")


class BatchStateError(UserError):
    """The batch is not in a state that allows the change; the message is for the user."""


def batch_summary(batch):
    """What an audit entry keeps of a batch: the file, its fingerprint and what it added up to."""
    return {
        "file_name": batch.file_name,
        "sha256": batch.sha256,
        "campaign": str(batch.campaign),
        "rows": batch.row_count,
        "donations": batch.donation_count,
        "lines": batch.line_count,
        "new_donors": batch.new_donor_count,
        "total": batch.total_amount,
        "forced": batch.forced,
        "outside_dates_allowed": batch.outside_dates_allowed,
        **({"reason": batch.outside_dates_reason} if batch.outside_dates_reason else {}),
    }


def _status_change(before, batch):
    return [{"field": "status", "label": "状态", "before": before, "after": batch.get_status_display()}]


def _locked(batch, allowed_status, refusal):
    """Re-read the batch under a row lock so two clerks cannot change it at the same time."""
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != allowed_status:
        raise BatchStateError(refusal.format(name=locked.file_name, status=locked.get_status_display()))
    return locked


def finalize_batch(batch, user):
    """Confirm an imported batch as final, and its gifts with it: from now on it can no longer be
    rolled back, and its gifts are locked (donations/review.py)."""
    with transaction.atomic(), audit.explicit():
        locked = _locked(batch, ImportBatch.Status.IMPORTED, "批次“{name}”{status}，不能再确认为最终")
        before = locked.get_status_display()
        locked.status = ImportBatch.Status.FINAL
        locked.finalized_at = timezone.now()
        locked.save(update_fields=["status", "finalized_at"])
        # Confirming the batch confirms its gifts: from now on they are locked like any other.
        confirmed = Donation.objects.filter(batch=locked, status=Donation.Status.PENDING).update(
            status=Donation.Status.CONFIRMED, confirmed_by=user, confirmed_at=locked.finalized_at
        )
        # Its gifts now count on the public pages (public means confirmed): their figures change.
        figures_changed(locked.campaign_id)
        audit.record(
            FINALIZED,
            locked,
            actor=user,
            changes=_status_change(before, locked),
            data={**batch_summary(locked), "donations_confirmed": confirmed},
        )
    return locked


def rollback_batch(batch, user):
    """Undo an imported batch: its donations, its lines and the donors only it created.

    Donors the batch created are kept when anything else refers to them by now (a donation or
    line entered later, or staff of a unit), so a rollback never takes other data with it.
    """
    with transaction.atomic(), audit.explicit():
        locked = _locked(batch, ImportBatch.Status.IMPORTED, "批次“{name}”{status}，不能撤销")
        before = locked.get_status_display()
        foreign_lines = RemittanceLine.objects.filter(remittance__batch=locked).exclude(batch=locked)
        if foreign_lines.exists():
            # Deleting the remittance would cascade to lines entered by hand or by another batch.
            raise BatchStateError(
                f"批次“{locked.file_name}”的汇款下有其他批次或手工录入的明细，请先处理这些明细再撤销"
            )
        lines_deleted, _ = RemittanceLine.objects.filter(batch=locked).delete()
        # only("pk"): the delete collector loads the rows it deletes; a campaign file has tens of
        # thousands, so load nothing but their keys.
        donations_deleted, _ = Donation.objects.filter(batch=locked).only("pk").delete()
        donors_deleted = _delete_unreferenced_donors(locked)
        figures_changed(locked.campaign_id)

        locked.status = ImportBatch.Status.ROLLED_BACK
        locked.rolled_back_at = timezone.now()
        locked.save(update_fields=["status", "rolled_back_at"])
        audit.record(
            ROLLED_BACK,
            locked,
            actor=user,
            changes=_status_change(before, locked),
            data={
                **batch_summary(locked),
                "donations_deleted": donations_deleted,
                "lines_deleted": lines_deleted,
                "donors_deleted": donors_deleted,
            },
        )
    return locked


def _delete_unreferenced_donors(batch):
    unreferenced = (
        Donor.objects.filter(source_batch=batch)
        .filter(~Exists(Donation.objects.filter(donor=OuterRef("pk"))))
        .filter(~Exists(RemittanceLine.objects.filter(donor=OuterRef("pk"))))
        .filter(~Exists(Donor.objects.filter(employer=OuterRef("pk"))))
        # Someone followed them up (劝募跟进): the staff's record of the contact stays, and so does its donor.
        .filter(~Exists(FollowUp.objects.filter(donor=OuterRef("pk"))))
    )
    # People first: a unit the batch created is free only once its staff from the batch are gone.
    people, _ = unreferenced.filter(kind=Donor.Kind.INDIVIDUAL).only("pk").delete()
    units, _ = unreferenced.filter(kind=Donor.Kind.UNIT).only("pk").delete()
    return people + units


# Background jobs ----------------------------------------------------------------------------------
# Queued by their kind (charity.jobs.register, in donations/tasks.py): the tasks call this module.


def enqueue_import(pending, user):
    """Import a previewed upload (pending_imports.PendingImport) in the task worker; returns the job.

    The job takes over the upload's files and removes them when it is done.
    """
    plan = pending.read_plan() or {}
    campaign = Campaign.objects.get(pk=pending.campaign_id)
    with transaction.atomic():
        job = jobs.create(
            BackgroundJob.Kind.IMPORT,
            user=user,
            title=f"导入 {pending.file_name} 到 {campaign}",
            params={"pending": asdict(pending), "sha256": plan.get("sha256", "")},
        )
        audit.record(
            IMPORT_ENQUEUED,
            job,
            actor=user,
            data={
                "file_name": pending.file_name,
                "sha256": plan.get("sha256", ""),
                "campaign": str(campaign),
                "rows": plan.get("row_count"),
            },
        )
        return jobs.enqueue(job)


# How a background export's job is titled, by format (the staff lines are a CSV file of their own).
EXPORT_TITLES = {"xlsx": ("捐赠", "XLSX"), "csv": ("捐赠", "CSV"), "lines-csv": ("汇款明细", "CSV")}


def enqueue_export(user, *, file_format, query, selection, rows, file_name):
    """Export the donation list with these filters in the task worker: `query` is the list's
    query string (for the audit), `selection` what donations.listing.donation_list reads."""
    what, kind = EXPORT_TITLES[file_format]
    with transaction.atomic():
        job = jobs.create(  # which also removes old job files
            BackgroundJob.Kind.EXPORT,
            user=user,
            title=f"导出{what} {count(rows)} 行（{kind}）",
            params={"format": file_format, "query": query, "selection": selection, "file_name": file_name},
        )
        audit.record(
            EXPORT_ENQUEUED,
            job,
            actor=user,
            data={"file_name": file_name, "rows": rows, "filters": query or "（无）"},
        )
        return jobs.enqueue(job)
