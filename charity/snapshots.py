"""The one shape of everything the federation publishes: draft → publish → frozen rows → errata.

An honor-roll issue, a ranking edition and a disclosure are each a `Snapshot` subclass. While a
draft, staff edit it freely. `publish_snapshot` freezes what it shows (`content`, JSON, built by
the app's own `freeze` function from the data at that moment) with a SHA-256 fingerprint, in one
transaction with one audit entry. From then on the snapshot never changes: later edits of
donations or beneficiaries do not reach it, `save()` refuses to alter what was published, and a
correction is a published erratum (更正说明) attached to it, shown with it, never a silent edit.
"""

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from . import artifacts, audit
from .errors import UserError


class SnapshotError(UserError):
    """A publication step that is not allowed; the message is for the user."""


def fingerprint(content):
    """SHA-256 of the content as canonical JSON: the same content always gives the same hash."""
    text = json.dumps(
        content, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode()).hexdigest()


class Snapshot(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
        editable=False,
    )
    # What the public sees, exactly as published: only public forms of names, never real names of
    # anonymous donors or beneficiaries' personal data.
    content = models.JSONField(
        "发布内容", default=dict, blank=True, editable=False, encoder=DjangoJSONEncoder
    )
    content_sha256 = models.CharField("内容指纹（SHA-256）", max_length=64, blank=True, editable=False)

    # Fields a published snapshot may still change (a subclass adds e.g. a note for staff only).
    mutable_after_publishing = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self._refuse_changes_to_published()
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def delete(self, *args, **kwargs):
        stored = type(self)._base_manager.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()
        if stored:
            raise SnapshotError(f"“{self}”已发布，不能删除；如需更正请发布更正说明")
        return super().delete(*args, **kwargs)

    def _refuse_changes_to_published(self):
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        if stored is None or not stored.is_published:
            return
        for field in self._meta.concrete_fields:
            if field.primary_key or field.name in self.mutable_after_publishing:
                continue
            if getattr(stored, field.attname) != getattr(self, field.attname):
                name = field.verbose_name
                raise SnapshotError(f"“{stored}”已发布，不能修改“{name}”；如需更正请发布更正说明")


VOID_STATEMENT = "原公布的上述数字同时作废，以本更正为准。"


class Erratum(models.Model):
    """更正说明: published with the snapshot it corrects; subclasses add the foreign key to it.

    The 2026 disclosure rules: a correction states its reason and the figures before and after,
    and declares the earlier figures void. `reason` and `changes` are empty only on errata
    published before they existed (their `text` said everything); the snapshot itself is never
    edited, so the original stays readable next to its corrections.
    """

    text = models.TextField("更正内容", blank=True, help_text="更正的说明（可选），与原因一同公布")
    reason = models.TextField("更正原因", blank=True)
    # [{"label", "before", "after"}], each as people read it (publications.show): the figures of
    # the published document that the correction replaces.
    changes = models.JSONField("更正前后的数字", default=list, blank=True)
    published_at = models.DateTimeField("发布时间", default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
        editable=False,
    )

    class Meta:
        abstract = True
        ordering = ["published_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self)._base_manager.filter(pk=self.pk).exists():
            raise SnapshotError("更正说明发布后不能修改；如有新的更正，请再发布一条")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SnapshotError("更正说明发布后不能删除")

    @property
    def is_structured(self):
        """Published with a reason: the void statement applies (older errata were free text)."""
        return bool(self.reason)

    @property
    def void_statement(self):
        return VOID_STATEMENT if self.is_structured else ""

    def public_dict(self):
        """What every download of the document carries of this correction."""
        return {
            "published_at": timezone.localtime(self.published_at).isoformat(),
            "reason": self.reason,
            "text": self.text,
            "changes": self.changes,
            "void_statement": self.void_statement,
        }


def publish_snapshot(snapshot, user, *, freeze, action, check=None, at=None):
    """Freeze and publish a draft: one transaction, one audit entry; returns the published row.

    `freeze(locked)` returns the content to publish, computed from the data now; `check(locked)`
    may raise SnapshotError for app rules (e.g. issue numbers in order). `at` is the publication
    date when it is not now: history entered afterwards (the demo's 2023 campaign) keeps the day
    it happened, since a published row cannot be re-dated later. The audit entry keeps the real time.
    """
    model = type(snapshot)
    with transaction.atomic(), audit.explicit():
        locked = model._base_manager.select_for_update().get(pk=snapshot.pk)
        if locked.is_published:
            when = timezone.localtime(locked.published_at)
            raise SnapshotError(f"“{locked}”已于 {when:%Y-%m-%d %H:%M} 发布，不能再次发布")
        if check is not None:
            check(locked)
        content = freeze(locked)
        model._base_manager.filter(pk=locked.pk).update(
            content=content,
            content_sha256=fingerprint(content),
            status=model.Status.PUBLISHED,
            published_at=at or timezone.now(),
            published_by=user,
        )
        locked.refresh_from_db()
        audit.record(action, locked, actor=user, data={"sha256": locked.content_sha256})
        artifacts.schedule(locked)  # its PDF, images and downloads, in the worker
    return locked


def publish_erratum(
    erratum_model, snapshot, text, user, *, action, at=None, reason="", changes=(), **fields
):
    """Attach a published correction to a published snapshot: one transaction, one audit entry.

    `reason` (更正原因) and `changes` ([{label, before, after}], see parse_changes) make the
    correction the rules ask for; a text alone is still taken (the demo's and older callers').
    `at` as for publish_snapshot."""
    text, reason = (text or "").strip(), (reason or "").strip()
    if not text and not reason:
        raise SnapshotError("请填写更正原因")
    changes = clean_changes(changes)
    with transaction.atomic(), audit.explicit():
        locked = type(snapshot)._base_manager.select_for_update().get(pk=snapshot.pk)
        if not locked.is_published:
            raise SnapshotError(f"“{locked}”尚未发布，直接修改草稿即可，不需要更正说明")
        erratum = erratum_model.objects.create(
            text=text,
            reason=reason,
            changes=changes,
            published_by=user,
            published_at=at or timezone.now(),
            **fields,
        )
        data = {"erratum": erratum.pk, "text": erratum.text, "reason": reason, "changes": len(changes)}
        audit.record(action, locked, actor=user, data=data)
        artifacts.schedule(locked)  # rendered again with the erratum
    return erratum


def clean_changes(changes):
    """[{label, before, after}] as text, empty rows dropped; SnapshotError for a row without a label."""
    cleaned = []
    for change in changes:
        row = {key: str(change.get(key) or "").strip() for key in ("label", "before", "after")}
        if not any(row.values()):
            continue
        if not row["label"]:
            raise SnapshotError("更正前后的数字：每一行都要写明是哪一项数字")
        cleaned.append(row)
    return cleaned


def parse_changes(text):
    """Changes typed by staff, one a line: "项目：更正前 → 更正后" (also ":" and "->")."""
    changes = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        # From the right: figures hold no colon or arrow, a public name (an alias) might.
        left, arrow, after = line.replace("->", "→").rpartition("→")
        label, colon, before = left.replace(":", "：").rpartition("：")
        if not colon or not arrow or not label.strip():
            raise SnapshotError(
                f"第 {number} 行应写成“项目：更正前 → 更正后”，例如“合计：12,850.00 元 → 12,800.00 元”"
            )
        changes.append({"label": label.strip(), "before": before.strip(), "after": after.strip()})
    return changes


def format_changes(changes):
    """The inverse of parse_changes, for a form prefilled from a draft."""
    return "\n".join(f"{c['label']}：{c['before']} → {c['after']}" for c in changes)


def erratum_rows(errata):
    """Rows for a spreadsheet download (CSV, a workbook's sheet): each correction's date, reason,
    text, figures before → after and the void statement, each row headed 更正说明 so a reader who
    sorts or filters the file still sees which rows correct the rest."""
    rows = []
    for erratum in errata:
        head = ["更正说明", timezone.localtime(erratum.published_at).date()]
        if erratum.reason:
            rows.append([*head, "更正原因", erratum.reason])
        if erratum.text:
            rows.append([*head, "说明", erratum.text])
        for change in erratum.changes:
            before, after = change["before"], change["after"]
            rows.append([*head, "更正项目", change["label"], "原公布", before, "更正后", after])
        if erratum.void_statement:
            rows.append([*head, "声明", erratum.void_statement])
    return rows
