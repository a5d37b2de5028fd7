from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class CorrectionDraft(models.Model):
    """A 更正说明 prepared for a published document that no longer agrees with the ledger.

    Prepared after an action that contradicted it (undoing a batch, reversing a gift) or from the
    drift check, with the differences filled in; staff add the reason and publish it (it becomes
    the document kind's erratum) or discard it with a reason. The document is any kind registered
    in charity.publications, hence the generic key.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        DISCARDED = "discarded", "已放弃"

    content_type = models.ForeignKey(ContentType, models.PROTECT, verbose_name="文件类型")
    object_id = models.PositiveBigIntegerField("文件编号")
    document = GenericForeignKey("content_type", "object_id")
    title = models.CharField("已公布文件", max_length=200)
    url = models.CharField("公开页面", max_length=200, blank=True)
    cause = models.CharField("起因", max_length=300, blank=True)
    # [{"label", "before", "after"}] as people read them (charity.publications.show).
    changes = models.JSONField("更正前后的数字", default=list, blank=True)
    reason = models.TextField("更正原因", blank=True)
    text = models.TextField("补充说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    discard_reason = models.TextField("放弃原因", blank=True)
    erratum_id = models.PositiveBigIntegerField("发布的更正说明编号", null=True, blank=True)
    created_at = models.DateTimeField("准备时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="准备人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )

    class Meta:
        verbose_name = "更正说明草稿"
        verbose_name_plural = "更正说明草稿"
        ordering = ["-created_at", "-id"]
        permissions = [("publish_correctiondraft", "可以发布或放弃更正说明草稿")]
        constraints = [
            # One open draft per document: a later action updates it instead of adding another.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="draft"),
                name="correction_draft_one_open_per_document",
            ),
        ]

    def __str__(self):
        return f"{self.title} 更正说明（{self.get_status_display()}）"
