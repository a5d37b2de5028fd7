import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import connections, models
from django.utils import timezone

from . import audit_labels, credit_codes


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
        return audit_labels.action_label(self.action)

    @property
    def data_items(self):
        return audit_labels.data_items(self.data)


class BackgroundJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The jobs a user may see: their own; a superuser sees everyone's."""
        return self if user.is_superuser else self.filter(requested_by=user)

    def unfinished(self):
        return self.filter(status__in=[BackgroundJob.Status.WAITING, BackgroundJob.Status.RUNNING])


class JobKinds:
    """The kinds of background job. The kernel lists none: each app registers its own, with the
    task that runs it (charity.jobs.register, when the app's tasks load in its ready()). A kind
    is then read as an attribute (BackgroundJob.Kind.IMPORT == "import") and offered as a choice
    of BackgroundJob.kind; the values are what the database stores, so registering one changes
    no column and no migration."""

    def __init__(self):
        self.labels = {}

    def add(self, value, label):
        self.labels[value] = label
        setattr(self, value.upper(), value)
        return value

    @property
    def choices(self):
        return list(self.labels.items())


def job_kind_choices():
    """The registered kinds, read when a form or the admin asks (after every app's ready())."""
    return BackgroundJob.Kind.choices


class BackgroundJob(models.Model):
    """Long work done by the task worker instead of a web request: an import, a large export, a PDF.

    The request that asks for it creates the job and enqueues its task (charity.jobs); the worker
    reports the stage and counts while it runs and the result (or the errors) at the end. Its page
    in the admin shows all of that to the person who asked, and to nobody else but superusers.
    """

    Kind = JobKinds()  # registered by the apps (charity.jobs.register)

    class Status(models.TextChoices):
        WAITING = "waiting", "等待"
        RUNNING = "running", "进行中"
        DONE = "done", "完成"
        FAILED = "failed", "失败"
        # Never stored by a worker: a running job whose heartbeat stopped is shown so (shown_status),
        # and stored so by charity/job_upkeep.py, with its task row marked failed.
        INTERRUPTED = "interrupted", "中断"

    id = models.UUIDField("编号", primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("类型", max_length=32, choices=job_kind_choices)
    title = models.CharField("任务", max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name="提交人", db_index=False
    )
    # What the task needs to run (stored file names, filters, the year); no personal data.
    params = models.JSONField("参数", default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.WAITING)
    stage = models.CharField("进度", max_length=100, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    unit = models.CharField("计数单位", max_length=10, blank=True)
    # What the job made, as its kind reads it back (a batch's id, a file's name, a document's id).
    result = models.JSONField("结果", default=dict, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField("错误说明", blank=True)
    # [[row, column, message], ...]: the problems of a refused file, listed as the import preview does.
    error_rows = models.JSONField("错误列表", default=list, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近报告", null=True, blank=True)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True)

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at"]
        indexes = [
            # A clerk's own jobs, newest first (the admin list), and a year's unfinished summary.
            models.Index(fields=["requested_by", "-created_at"], name="job_requester_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def interrupted(self):
        """Running, but its worker has not reported for JOB_STALE_SECONDS: stopped or died."""
        if self.status != self.Status.RUNNING:
            return self.status == self.Status.INTERRUPTED
        last = self.heartbeat_at or self.started_at
        return last is None or timezone.now() - last > datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)

    @property
    def shown_status(self):
        return self.Status.INTERRUPTED if self.interrupted else self.Status(self.status)

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED) or self.interrupted


class PublishedArtifact(models.Model):
    """A file made from a published document (a share image, a CSV, a JSON or xlsx download),
    rendered by the task worker when the document or an erratum of it is published, and served
    as stored by the public views, so no public request renders one (charity/artifacts.py).

    `owner` names the document ("campaigns.honorrollissue:12"): the kernel imports no app, so no
    foreign key. `version` is what the file was rendered from (the content's fingerprint and the
    errata); a file of another version is never served.
    """

    owner = models.CharField("所属文档", max_length=100)
    name = models.CharField("文件", max_length=100)
    version = models.CharField("内容版本（SHA-256）", max_length=64)
    filename = models.CharField("下载文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    file = models.FileField("文件", upload_to="published/", max_length=300)
    sha256 = models.CharField("文件指纹（SHA-256）", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    rendered_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "公开文件"
        verbose_name_plural = "公开文件"
        ordering = ["owner", "name"]
        constraints = [
            # One stored file per document and name; a new version replaces it. Its unique index
            # is also what a public request's look-up (owner, name) reads.
            models.UniqueConstraint(fields=["owner", "name"], name="published_artifact_unique_name"),
        ]

    def __str__(self):
        return f"{self.owner} {self.name}"


class StoredFigures(models.Model):
    """Figures a public page shows, computed once for the data they were computed from and kept in
    the database, so that a page whose cache was emptied (a restart, a flush, the first request
    after a publication) reads them instead of aggregating a million donations (charity/stored.py).

    `slot` names what is kept ("relief-year:2023"); `version` says from which data (e.g. the
    campaigns' figures_changed_at): figures of another version are computed again.
    """

    slot = models.CharField("名称", max_length=200, unique=True)
    version = models.CharField("数据版本", max_length=200)
    value = models.BinaryField("数据")
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "已计算的公开数据"
        verbose_name_plural = "已计算的公开数据"

    def __str__(self):
        return self.slot


class SiteIdentity(models.Model):
    """Who runs the site: the federation's names, where and how to reach it, its registration and
    where to give. One row, edited by the administrator (charity/admin_identity.py) and read
    through charity.identity.current() by every page, PDF and share image.

    Without a row (a fresh database before anyone filled it in) the defaults below stand, which
    name no city: the site says "市慈善总会" rather than somebody else's name.
    """

    full_name = models.CharField("全称", max_length=100, default="市慈善总会")
    short_name = models.CharField(
        "简称", max_length=30, default="市慈善总会", help_text="页眉、标签页标题和分享卡片上使用"
    )
    city = models.CharField("所在城市", max_length=30, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    help_hotline = models.CharField("求助热线", max_length=40, blank=True)
    donation_hotline = models.CharField("捐助热线", max_length=40, blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[credit_codes.validate_credit_code]
    )
    certificate_number = models.CharField(
        "登记证书编号", max_length=60, blank=True, help_text="慈善组织（社会团体）法人登记证书上的编号"
    )
    registration_authority = models.CharField("登记管理机关", max_length=60, blank=True)
    icp_number = models.CharField(
        "ICP 备案号",
        max_length=60,
        blank=True,
        help_text="例如 湘ICP备12345678号-1；页脚显示并链接到工信部备案网站",
    )
    # Both images are stored re-encoded as PNG, pixels only (charity/uploaded_images.py).
    emblem = models.ImageField("会徽", upload_to="site/", blank=True)
    # Printed on the year report's cover only; kept outside the public uploads (site/, served by
    # charity.views.public_upload) so that nobody can download the seal itself.
    seal = models.ImageField(
        "公章图片",
        upload_to="seal/",
        blank=True,
        help_text="可选：印在年度工作报告封面落款处（建议透明背景 PNG）",
    )
    wechat_pay_qr = models.ImageField("微信支付收款码", upload_to="site/", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "网站信息"
        verbose_name_plural = "网站信息"
        constraints = [
            # The one row: charity.identity reads pk 1, the admin edits it.
            models.CheckConstraint(condition=models.Q(pk=1), name="site_identity_single_row"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.pk = 1
        self.credit_code = credit_codes.normalize_credit_code(self.credit_code)
        super().save(*args, **kwargs)

    @property
    def version(self):
        """What pages kept whole (charity/stored.py) compare to know their header and footer are current."""
        return f"site:{self.updated_at.isoformat()}" if self.updated_at else "site:default"

    @property
    def hotlines(self):
        """[(label, number)], one line when both numbers are the same (Hengyang's are)."""
        if self.help_hotline and self.help_hotline == self.donation_hotline:
            return [("求助、捐助热线", self.help_hotline)]
        lines = [("求助热线", self.help_hotline), ("捐助热线", self.donation_hotline)]
        return [(label, number) for label, number in lines if number]


# Bank account numbers are digits, often written in groups of four.
ACCOUNT_NUMBER = RegexValidator(r"^[0-9][0-9 ]{5,38}[0-9]$", "账号只能由数字组成（可用空格分组），请核对")


class DonationAccount(models.Model):
    """A bank account the public may give to, shown on the 联系我们 page."""

    site = models.ForeignKey(
        SiteIdentity, models.CASCADE, related_name="accounts", verbose_name="网站信息", default=1
    )
    bank = models.CharField("开户银行", max_length=100)
    account_name = models.CharField("户名", max_length=100)
    account_number = models.CharField(
        "账号",
        max_length=40,
        validators=[ACCOUNT_NUMBER],
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "捐赠账户"
        verbose_name_plural = "捐赠账户"
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.bank} {self.account_number}"
