"""Review of donations (审核): confirming gifts, and reversing a confirmed one that was wrong.

A clerk's gift stays 待审核 (pending) and editable until a reviewer confirms it; from then on it is
locked (Donation.save and delete refuse). A confirmed gift found wrong is corrected by a reversing
entry (冲正): a new row of the opposite amount, in the same campaign, sector and branch, naming
the gift it cancels and why. The pair adds up to zero in every total and neither is counted as a
gift any more; the right gift is then entered again as a new one. Nothing is edited or deleted.

Imported gifts are confirmed with their batch (services.finalize_batch), not one by one, so a
batch that is still open can be rolled back as a whole.
"""

from django.db import transaction
from django.utils import timezone

from campaigns.freshness import figures_changed
from charity import audit
from charity.errors import UserError

from .models import Donation, ImportBatch

CONFIRMED = audit.describe("donations.donation.confirmed", "审核确认捐赠")
REVERSED = audit.describe("donations.donation.reversed", "冲正已确认的捐赠")

Status = Donation.Status


class ReviewError(UserError):
    """The change is refused; the message (Chinese) says why, for the user."""


def confirm_donations(donations, user):
    """Confirm the pending gifts among `donations` (ids or a queryset); returns how many.

    Gifts of a batch still open are left for the batch's own confirmation (ReviewError when
    nothing else was asked for), so a batch is confirmed or rolled back whole.
    """
    with transaction.atomic(), audit.explicit():
        rows = Donation.objects.select_for_update().filter(
            pk__in=[getattr(d, "pk", d) for d in donations], status=Status.PENDING
        )
        open_batches = rows.filter(batch__status=ImportBatch.Status.IMPORTED)
        held_back = sorted(set(open_batches.values_list("batch__file_name", flat=True)))
        confirmable = list(rows.exclude(pk__in=open_batches.values("pk")).values_list("pk", flat=True))
        if not confirmable and held_back:
            raise ReviewError(
                f"所选捐赠属于尚未确认的导入批次（{'、'.join(held_back)}），请在“导入批次”中确认整个批次"
            )
        now = timezone.now()
        confirmed = Donation.objects.filter(pk__in=confirmable)
        # Public means confirmed: the confirmed gifts now count on the public pages of their
        # campaigns, whose figures are computed again (update() sends no signal).
        figures_changed(*set(confirmed.values_list("campaign_id", flat=True)))
        confirmed.update(status=Status.CONFIRMED, confirmed_by=user, confirmed_at=now)
        if confirmable:
            audit.record(
                CONFIRMED,
                None,
                actor=user,
                data={"donations": len(confirmable), "ids": confirmable[:1000]},
            )
    return len(confirmable)


def reverse_donation(donation, reason, user):
    """Cancel a confirmed gift with a reversing entry; returns the reversal (a new Donation)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("请填写冲正原因")
    with transaction.atomic(), audit.explicit():
        original = Donation.objects.select_for_update().get(pk=getattr(donation, "pk", donation))
        if original.status == Status.PENDING:
            raise ReviewError("这笔捐赠尚未审核确认，可以直接修改或删除，不需要冲正")
        if original.status != Status.CONFIRMED:
            raise ReviewError(f"这笔捐赠{original.get_status_display()}，不能再冲正")
        now = timezone.now()
        reversal = Donation(
            donor_id=original.donor_id,
            campaign_id=original.campaign_id,
            sector_id=original.sector_id,
            branch_id=original.branch_id,
            project_id=original.project_id,
            amount=-original.amount,
            received_on=timezone.localdate(),
            channel=original.channel,
            anonymous=original.anonymous,
            note=f"冲正 #{original.pk}",
            entered_by=user,
            status=Status.REVERSAL,
            confirmed_by=user,
            confirmed_at=now,
            reverses=original,
            reversal_reason=reason[:500],
        )
        # bulk_create: Donation.save() would apply the attribution rule to a new row, and the
        # reversal must count exactly where the original did, whatever the donor's place now.
        Donation.objects.bulk_create([reversal])
        Donation.objects.filter(pk=original.pk).update(status=Status.REVERSED)
        figures_changed(original.campaign_id)
        audit.record(
            REVERSED,
            original,
            actor=user,
            changes=[{"field": "status", "label": "审核状态", "before": "已确认", "after": "已冲正"}],
            data={"reversal": reversal.pk, "amount": original.amount, "reason": reversal.reversal_reason},
        )
    return reversal
