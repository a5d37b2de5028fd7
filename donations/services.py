"""State changes of import batches: confirm one as final, or undo it while it is still open.

Each service is one transaction and writes one audit record. The import itself is
`donations.importing.import_file`; these run on the batch it created.
"""

import logging

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Donation, Donor, ImportBatch, RemittanceLine

logger = logging.getLogger(__name__)


class BatchStateError(Exception):
    """The batch is not in a state that allows the change; the message is for the user."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def _audit(user, batch, message):
    """One audit record per state change.

    The admin's LogEntry is the audit trail clerks already see in each object's history;
    a call without a user (a script) has no LogEntry to write and goes to the log instead.
    """
    if user is None:
        logger.info("导入批次 %s（%s）：%s", batch.pk, batch.file_name, message)
        return
    LogEntry.objects.log_actions(user.pk, [batch], CHANGE, change_message=message, single_object=True)


def _locked(batch, allowed_status, refusal):
    """Re-read the batch under a row lock so two clerks cannot change it at the same time."""
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != allowed_status:
        raise BatchStateError(refusal.format(name=locked.file_name, status=locked.get_status_display()))
    return locked


def finalize_batch(batch, user):
    """Confirm an imported batch as final: from now on it can no longer be rolled back."""
    with transaction.atomic():
        locked = _locked(batch, ImportBatch.Status.IMPORTED, "批次“{name}”{status}，不能再确认为最终")
        locked.status = ImportBatch.Status.FINAL
        locked.finalized_at = timezone.now()
        locked.save(update_fields=["status", "finalized_at"])
        _audit(user, locked, "确认为最终")
    return locked


def rollback_batch(batch, user):
    """Undo an imported batch: its donations, its lines and the donors only it created.

    Donors the batch created are kept when anything else refers to them by now (a donation or
    line entered later, or staff of a unit), so a rollback never takes other data with it.
    """
    with transaction.atomic():
        locked = _locked(batch, ImportBatch.Status.IMPORTED, "批次“{name}”{status}，不能撤销")
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

        locked.status = ImportBatch.Status.ROLLED_BACK
        locked.rolled_back_at = timezone.now()
        locked.save(update_fields=["status", "rolled_back_at"])
        _audit(
            user,
            locked,
            f"撤销：删除捐赠 {donations_deleted} 笔、明细 {lines_deleted} 条、捐赠人 {donors_deleted} 个",
        )
    return locked


def _delete_unreferenced_donors(batch):
    unreferenced = (
        Donor.objects.filter(source_batch=batch)
        .filter(~Exists(Donation.objects.filter(donor=OuterRef("pk"))))
        .filter(~Exists(RemittanceLine.objects.filter(donor=OuterRef("pk"))))
        .filter(~Exists(Donor.objects.filter(employer=OuterRef("pk"))))
    )
    # People first: a unit the batch created is free only once its staff from the batch are gone.
    people, _ = unreferenced.filter(kind=Donor.Kind.INDIVIDUAL).only("pk").delete()
    units, _ = unreferenced.filter(kind=Donor.Kind.UNIT).only("pk").delete()
    return people + units
