"""State changes of relief: publishing disclosures (公示) and their corrections, adding photos.

Each is one transaction with one audit entry (charity.snapshots, charity.audit); errors are
SnapshotError or PhotoError with a message for staff.
"""

from django.core.files.base import ContentFile
from django.db import transaction

from charity import audit
from charity.money import money_sum, to_yuan
from charity.snapshots import SnapshotError, publish_erratum, publish_snapshot

from .models import Disbursement, DisbursementShare, Disclosure, DisclosureErratum, ProjectPhoto
from .photos import prepare_photo
from .privacy import WITHHELD_REASON, public_recipients, unlisted_lines

DISCLOSURE_PUBLISHED = audit.describe("relief.disclosure.published", "发布公示")
ERRATUM_PUBLISHED = audit.describe("relief.disclosure.erratum", "发布公示更正说明")
PHOTO_ADDED = audit.describe("relief.photo.added", "上传项目照片")


def freeze_disclosure(disclosure):
    """The content a disclosure publishes, computed from the data now; only public forms."""
    project = disclosure.project
    spent = Disbursement.objects.for_project(project).between(disclosure.period_start, disclosure.period_end)
    on = disclosure.objection_start
    rows, districts = public_recipients(spent, project, on)
    listed, unlisted = unlisted_lines(spent, project, on)
    total, people_helped = to_yuan(spent.total()), spent.people_helped()
    return {
        "title": disclosure.title,
        "kind": disclosure.get_kind_display(),
        "project": {"id": project.pk, "name": project.name, "category": project.get_category_display()},
        "period": {"start": disclosure.period_start, "end": disclosure.period_end},
        "objection_period": {"start": disclosure.objection_start, "end": disclosure.objection_end},
        "objection_contact": disclosure.objection_contact,
        "summary": disclosure.summary,
        "disbursements": [
            {
                "voucher_no": d["voucher_no"],
                "paid_on": d["paid_on"],
                "purpose": d["purpose"],
                "amount": d["amount"],
                "people_helped": d["people_helped"],
            }
            for d in spent.order_by("paid_on", "voucher_no").values(
                "voucher_no", "paid_on", "purpose", "amount", "people_helped"
            )
        ],  # fmt: skip
        "total": total,
        "people_helped": people_helped,
        "recipients": rows,
        "recipients_total": to_yuan(
            DisbursementShare.objects.filter(disbursement__in=spent).aggregate(t=money_sum())["t"]
        ),
        "withheld": districts,
        "withheld_reason": WITHHELD_REASON if districts else "",
        # What the list leaves out, by reason, so that listed + unlisted = the stated totals
        # (issue #19). Disclosures frozen before have no such key and render without the table.
        "reconciliation": [
            {"label": f"公示名单（{len(rows)} 人）", **listed},
            *unlisted,
            {"label": "合计", "people": people_helped, "amount": total},
        ],
    }


def _check(disclosure):
    if not disclosure.objection_contact.strip():
        raise SnapshotError("请填写异议联系方式后再发布")
    spent = Disbursement.objects.for_project(disclosure.project).between(
        disclosure.period_start, disclosure.period_end
    )
    if disclosure.kind == Disclosure.Kind.RECIPIENTS and not spent.exists():
        raise SnapshotError("所选期间内该项目没有支出，无法发布受助名单公示")


def publish_disclosure(disclosure, user=None, *, at=None):
    return publish_snapshot(
        disclosure, user, freeze=freeze_disclosure, action=DISCLOSURE_PUBLISHED, check=_check, at=at
    )


def publish_disclosure_erratum(disclosure, text, user=None, *, at=None, reason="", changes=()):
    return publish_erratum(
        DisclosureErratum,
        disclosure,
        text,
        user,
        action=ERRATUM_PUBLISHED,
        at=at,
        reason=reason,
        changes=changes,
        disclosure=disclosure,
    )


def add_photo(project, upload, caption="", user=None, prepared=None):
    """Check, strip and re-encode an upload, then store it; PhotoError leaves nothing behind."""
    prepared = prepared or prepare_photo(upload)
    with transaction.atomic(), audit.explicit():
        photo = ProjectPhoto(project=project, caption=caption)
        photo.large.save("large.jpg", ContentFile(prepared["large"]), save=False)
        photo.small.save("small.jpg", ContentFile(prepared["small"]), save=False)
        photo.save()
        audit.record(PHOTO_ADDED, photo, actor=user, data={"project": project.name})
    return photo
