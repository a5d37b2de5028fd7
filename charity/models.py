from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        """What happened to one object, newest first (the admin's history page)."""
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=str(obj.pk))

    def action_codes(self):
        """The action codes that occur, in order, for the list's filter.

        SELECT DISTINCT reads every entry (ten years: 300,000); this asks audit_action_idx for the
        first code after the previous one, once per code (a few dozen index look-ups).
        """
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        action = connection.ops.quote_name("action")
        sql = (
            f"WITH RECURSIVE codes(code) AS (SELECT MIN({action}) FROM {table} UNION ALL"
            f" SELECT (SELECT MIN({action}) FROM {table} WHERE {action} > codes.code) FROM codes"
            " WHERE codes.code IS NOT NULL) SELECT code FROM codes WHERE code IS NOT NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [code for (code,) in cursor.fetchall()]


class AuditEntry(models.Model):
    """One thing someone did: who, when, which action, to what, with before and after values.

    Written only by charity.audit (automatically when a tracked model is saved or deleted, or by
    a service naming its action); never edited or deleted through the application.
    """

    created_at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人账号",
        db_index=False,
    )
    # The name at the time, so an entry still says who it was after the account is renamed or
    # removed; a script or command names itself here ("命令行 import_donations（root）").
    actor_label = models.CharField("操作人", max_length=150)
    action = models.CharField("动作代码", max_length=64)
    content_type = models.ForeignKey(
        ContentType, models.PROTECT, null=True, blank=True, verbose_name="对象类型", db_index=False
    )
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    # [{"field", "label", "before", "after"}, ...]: values as text, ready to show.
    changes = models.JSONField("修改内容", default=list, blank=True, encoder=DjangoJSONEncoder)
    data = models.JSONField("数据", default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-created_at", "-id"]
        indexes = [
            # An object's history page: its entries, newest first.
            models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_object_idx"),
            # The searchable list, newest first, and its filter by action.
            models.Index(fields=["-created_at"], name="audit_created_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
        ]

    def __str__(self):
        return f"{self.actor_label} {self.action_label} {self.object_repr}".strip()

    @property
    def action_label(self):
        from .audit import action_label

        return action_label(self.action)

    @property
    def data_items(self):
        from .audit import data_items

        return data_items(self.data)
