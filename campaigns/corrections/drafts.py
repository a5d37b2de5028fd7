"""Drafts of 更正说明: prepared from drift, completed and published (or discarded) by staff.

After an action that contradicted published documents (undoing a batch, reversing a gift), or
from the drift check (check_publications --draft, the dashboard), a draft is prepared for each
document that no longer agrees with the ledger, its figures before and after filled in from
charity.publications. Publishing goes through the kind's own service, registered with the
publications registry, so nothing here knows the kinds.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from charity import audit, publications
from charity.snapshots import SnapshotError, clean_changes

from .models import CorrectionDraft

PREPARED = audit.describe("campaigns.correction.prepared", "准备更正说明草稿")
DISCARDED = audit.describe("campaigns.correction.discarded", "放弃更正说明草稿")


def prepare_drafts(documents, user, *, cause=""):
    """A draft for each of `documents` that differs from the ledger now; [CorrectionDraft].

    A document that already has an open draft gets it brought up to date (its differences and
    cause) rather than a second one. One transaction, one audit entry.
    """
    drafts = []
    with transaction.atomic(), audit.explicit():
        for document in documents:
            differences = publications.drift(document)
            if not differences:
                continue
            content_type = ContentType.objects.get_for_model(document)
            draft = (
                CorrectionDraft.objects.select_for_update()
                .filter(content_type=content_type, object_id=document.pk, status=CorrectionDraft.Status.DRAFT)
                .first()
            ) or CorrectionDraft(content_type=content_type, object_id=document.pk, created_by=user)
            draft.title = str(document)[:200]
            draft.url = publications.url_of(document)
            draft.cause = cause[:300]
            draft.changes = [difference.as_change() for difference in differences]
            draft.save()
            drafts.append(draft)
        if drafts:
            audit.record(
                PREPARED,
                None,
                actor=user,
                data={
                    "drafts": [d.pk for d in drafts],
                    "documents": [d.title for d in drafts],
                    "cause": cause,
                },
            )
    return drafts


def prepare_all_drafts(user, *, cause="核对发现与账目不一致"):
    """Drafts for every published document that drifted (a raw SQL change is found too)."""
    _, drifted = publications.all_drifts()
    return prepare_drafts([found.document for found in drifted], user, cause=cause)


def publish_draft(draft, user, *, reason, text="", changes=None):
    """Publish the draft as the document's correction (its kind's service writes the one audit
    entry); `changes` replaces the draft's figures when staff edited them."""
    reason = (reason or "").strip()
    if not reason:
        raise SnapshotError("请填写更正原因：公众看到的更正说明必须写明原因")
    with transaction.atomic():
        locked = _open(draft)
        changes = clean_changes(locked.changes if changes is None else changes)
        published = publications.publish_correction(
            locked.document, user, reason=reason, text=(text or "").strip(), changes=changes
        )
        CorrectionDraft.objects.filter(pk=locked.pk).update(
            status=CorrectionDraft.Status.PUBLISHED,
            reason=reason,
            text=(text or "").strip(),
            changes=changes,
            erratum_id=published.pk,
            decided_by=user,
            decided_at=timezone.now(),
        )
    return published


def discard_draft(draft, user, *, reason):
    """Close the draft without publishing (e.g. the action was put right another way)."""
    reason = (reason or "").strip()
    if not reason:
        raise SnapshotError("请填写放弃原因")
    with transaction.atomic(), audit.explicit():
        locked = _open(draft)
        locked.status = CorrectionDraft.Status.DISCARDED
        locked.discard_reason = reason
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
        audit.record(DISCARDED, locked, actor=user, data={"title": locked.title, "reason": reason})
    return locked


def _open(draft):
    locked = CorrectionDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.status != CorrectionDraft.Status.DRAFT:
        raise SnapshotError(f"这份更正说明草稿{locked.get_status_display()}，不能再处理")
    if locked.document is None:
        raise SnapshotError("草稿对应的已公布文件不存在")
    if not publications.correctable(locked.document):
        raise SnapshotError("这类文件不能在这里发布更正说明")
    return locked
