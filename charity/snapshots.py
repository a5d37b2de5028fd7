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


class SnapshotError(Exception):
    """A publication step that is not allowed; the message is for the user."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


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


class Erratum(models.Model):
    """更正说明: published with the snapshot it corrects; subclasses add the foreign key to it."""

    text = models.TextField("更正内容")
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


def publish_erratum(erratum_model, snapshot, text, user, *, action, at=None, **fields):
    """Attach a published correction to a published snapshot: one transaction, one audit entry.
    `at` as for publish_snapshot."""
    if not text.strip():
        raise SnapshotError("请填写更正内容")
    with transaction.atomic(), audit.explicit():
        locked = type(snapshot)._base_manager.select_for_update().get(pk=snapshot.pk)
        if not locked.is_published:
            raise SnapshotError(f"“{locked}”尚未发布，直接修改草稿即可，不需要更正说明")
        erratum = erratum_model.objects.create(
            text=text.strip(), published_by=user, published_at=at or timezone.now(), **fields
        )
        audit.record(action, locked, actor=user, data={"erratum": erratum.pk, "text": erratum.text})
        artifacts.schedule(locked)  # rendered again with the erratum
    return erratum
