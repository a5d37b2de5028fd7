import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from charity.snapshots import Erratum, Snapshot, SnapshotError

from . import crypto
from .idnumbers import age_on, id_number_error, normalize_id_number
from .querysets import BeneficiaryQuerySet, DisbursementQuerySet, ReliefProjectQuerySet
from .rules import spending_error


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class District(models.TextChoices):
    """县市区 of the city: the only place a beneficiary is ever located by in public."""

    ZHUHUI = "珠晖区", "珠晖区"
    YANFENG = "雁峰区", "雁峰区"
    SHIGU = "石鼓区", "石鼓区"
    ZHENGXIANG = "蒸湘区", "蒸湘区"
    NANYUE = "南岳区", "南岳区"
    HENGYANG_COUNTY = "衡阳县", "衡阳县"
    HENGNAN = "衡南县", "衡南县"
    HENGSHAN = "衡山县", "衡山县"
    HENGDONG = "衡东县", "衡东县"
    QIDONG = "祁东县", "祁东县"
    LEIYANG = "耒阳市", "耒阳市"
    CHANGNING = "常宁市", "常宁市"


class ReliefProject(models.Model):
    """救助项目: what the money is spent on, and the target of directed donations (定向捐)."""

    class Category(models.TextChoices):
        MEDICAL = "medical", "医疗救助"
        MENTAL_HEALTH = "mental_health", "精神卫生"
        EDUCATION = "education", "助学"
        HOUSING = "housing", "住房保障"
        INSURANCE = "insurance", "慈善保险"
        DISASTER = "disaster", "灾害救助"
        ELDERLY = "elderly", "助老"
        DISABILITY = "disability", "助残"
        POVERTY = "poverty", "扶贫济困"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PLANNED = "planned", "筹备中"
        RUNNING = "running", "实施中"
        CLOSED = "closed", "已结项"

    name = models.CharField("名称", max_length=100, unique=True)
    category = models.CharField("类别", max_length=16, choices=Category.choices, default=Category.OTHER)
    year = models.PositiveSmallIntegerField("年度", help_text="立项年度")
    end_year = models.PositiveSmallIntegerField("结束年度", null=True, blank=True, help_text="跨年度项目填写")
    budget = money_field("预算（元）", default=0)
    partners = models.CharField("合作单位", max_length=300, blank=True, help_text="多个单位用顿号“、”分隔")
    description = models.TextField(
        "项目说明", blank=True, help_text="公开显示。不得写入任何受助人的姓名、身份证号码或健康状况。"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    start_date = models.DateField("开始日期", null=True, blank=True)
    end_date = models.DateField("结束日期", null=True, blank=True, help_text="实际或计划结束日期")

    objects = ReliefProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "救助项目"
        verbose_name_plural = "救助项目"
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="relief_project_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="relief_project_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期"})

    @property
    def partner_list(self):
        return [
            p.strip() for p in self.partners.replace(",", "、").replace("，", "、").split("、") if p.strip()
        ]

    @property
    def years_label(self):
        return (
            f"{self.year}—{self.end_year}年"
            if self.end_year and self.end_year != self.year
            else f"{self.year}年"
        )

    @property
    def names_are_never_listed(self):
        """Mental-health care: even a masked name in a public list says too much."""
        return self.category == self.Category.MENTAL_HEALTH


def photo_path(instance, filename):
    return f"relief/photos/{instance.project_id}/{uuid.uuid4().hex}-{filename}"


class ProjectYear(models.Model):
    """年度预算: a project that runs over several years (跨年度项目) has a budget per year, which
    the year report compares with the year before; its spending and people helped per year come
    from its disbursements. The spending rule's limit is the larger of the project's budget, the
    sum of its yearly budgets and the money directed to it (ReliefProjectQuerySet.with_money)."""

    project = models.ForeignKey(ReliefProject, models.CASCADE, related_name="years", verbose_name="项目")
    year = models.PositiveSmallIntegerField("年度")
    budget = money_field("年度预算（元）", default=0)

    class Meta:
        verbose_name = "年度预算"
        verbose_name_plural = "年度预算"
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="relief_project_year_once"),
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="relief_project_year_budget_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.year}年度"


class ProjectPhoto(models.Model):
    """项目照片: stored only as re-encoded JPEGs without EXIF (relief/photos.py)."""

    project = models.ForeignKey(ReliefProject, models.CASCADE, related_name="photos", verbose_name="项目")
    caption = models.CharField("说明", max_length=200, blank=True, help_text="公开显示，不得出现受助人姓名")
    large = models.FileField("大图", upload_to=photo_path, editable=False)
    small = models.FileField("缩略图", upload_to=photo_path, editable=False)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "项目照片"
        verbose_name_plural = "项目照片"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.caption or f"{self.project} 照片 #{self.pk}"


class Disbursement(models.Model):
    """支出: money paid out of a project, with the voucher it was booked under."""

    project = models.ForeignKey(
        ReliefProject, models.PROTECT, related_name="disbursements", verbose_name="项目"
    )
    amount = money_field("金额（元）")
    paid_on = models.DateField("支出日期")
    # The year report states how much of its spending was money raised in an earlier year
    # (2019: 含2018年项目资金137.61万元). Blank: money of the year it was paid.
    funds_year = models.PositiveSmallIntegerField(
        "资金所属年度",
        null=True,
        blank=True,
        help_text="这笔支出所用资金是哪一年募集的；留空表示支出当年的资金",
    )
    voucher_no = models.CharField("凭证号", max_length=50, unique=True)
    people_helped = models.PositiveIntegerField("受助人数", default=0)
    purpose = models.CharField(
        "用途", max_length=200, blank=True, help_text="公开显示，例如“第一批白内障手术费用”"
    )
    over_limit_reason = models.TextField(
        "超支说明",
        blank=True,
        help_text="项目支出超过预算和定向捐赠中较大者时必须填写",
    )
    beneficiaries = models.ManyToManyField(
        "Beneficiary", through="DisbursementShare", related_name="disbursements", verbose_name="受助人"
    )

    objects = DisbursementQuerySet.as_manager()

    class Meta:
        verbose_name = "支出"
        verbose_name_plural = "支出"
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="relief_disbursement_amount_positive"),
        ]
        indexes = [
            # for_year() and a disclosure's period select by date within a project.
            models.Index(fields=["project", "paid_on"], name="relief_disb_project_date_idx"),
            models.Index(fields=["paid_on"], name="relief_disb_date_idx"),
        ]

    def __str__(self):
        return f"{self.voucher_no}（{self.project}）"

    def clean(self):
        if self.funds_year and self.paid_on and self.funds_year > self.paid_on.year:
            raise ValidationError({"funds_year": "资金所属年度不能晚于支出日期所在年度"})
        if self.project_id and self.amount is not None:
            message = spending_error(self.project, self.amount, self.over_limit_reason, exclude=self.pk)
            if message:
                raise ValidationError({"over_limit_reason": message})


class PersonalNameField(models.CharField):
    """A beneficiary's name: the audit trail records that it changed, never the names themselves."""

    audit_redacted = True


class Beneficiary(models.Model):
    """受助人. Name and identity number never leave the back office unmasked (relief/privacy.py)."""

    class Group(models.TextChoices):
        GENERAL = "general", "一般"
        CHILD = "child", "未成年人"
        MENTAL_HEALTH = "mental_health", "精神卫生服务对象"

    name = PersonalNameField("姓名", max_length=50)
    id_number = crypto.EncryptedTextField(
        "身份证号码", help_text="18 位，按 GB 11643 校验；加密保存，任何公开内容都不会出现其任何部分"
    )
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    district = models.CharField("所在县市区", max_length=10, choices=District.choices)
    group = models.CharField(
        "类别",
        max_length=16,
        choices=Group.choices,
        default=Group.GENERAL,
        help_text="未成年人和精神卫生服务对象的姓名不出现在任何公开名单中，只公开各县市区的人数和金额",
    )
    name_withheld = models.BooleanField(
        "本人要求不公开姓名",
        default=False,
        help_text="勾选后，姓名（包括遮盖后的姓名）不出现在公开名单中；人次和金额计入“未列名”一行",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = "受助人"
        verbose_name_plural = "受助人"
        ordering = ["district", "id"]

    def __str__(self):
        # Admin pages, audit entries and select boxes are staff-only, and show the masked form
        # anyway: a screen over a clerk's shoulder is public too.
        from charity.text import mask_name

        return f"{mask_name(self.name)}（{self.district}）"

    def save(self, *args, **kwargs):
        self.id_number = normalize_id_number(self.id_number)
        self.id_number_digest = crypto.digest(self.id_number)
        super().save(*args, **kwargs)

    def clean(self):
        self.id_number = normalize_id_number(self.id_number)
        error = id_number_error(self.id_number)
        if error:
            raise ValidationError({"id_number": error})
        digest = crypto.digest(self.id_number)
        if Beneficiary.objects.filter(id_number_digest=digest).exclude(pk=self.pk).exists():
            raise ValidationError({"id_number": "该身份证号码已登记为另一位受助人"})

    def is_minor_on(self, day):
        age = age_on(self.id_number, day)
        return age is not None and age < 18


class DisbursementShare(models.Model):
    """One beneficiary's part of a disbursement."""

    disbursement = models.ForeignKey(Disbursement, models.CASCADE, related_name="shares", verbose_name="支出")
    beneficiary = models.ForeignKey(Beneficiary, models.PROTECT, related_name="shares", verbose_name="受助人")
    amount = money_field("金额（元）")

    class Meta:
        verbose_name = "受助明细"
        verbose_name_plural = "受助明细"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="relief_share_amount_positive"),
            models.UniqueConstraint(fields=["disbursement", "beneficiary"], name="relief_share_once"),
        ]

    def __str__(self):
        return f"{self.beneficiary} {self.amount}"


class Disclosure(Snapshot):
    """公示: a project's spending in a period, published for objections during the 公示期."""

    class Kind(models.TextChoices):
        RECIPIENTS = "recipients", "受助名单公示"
        PROGRESS = "progress", "项目进展报告"
        FINAL = "final", "项目结项报告"
        LEFTOVER = "leftover", "剩余资金处理情况"

    project = models.ForeignKey(
        ReliefProject, models.PROTECT, related_name="disclosures", verbose_name="项目"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.RECIPIENTS)
    title = models.CharField("标题", max_length=200, help_text="例如“2023年慈善光明行受助名单公示”")
    period_start = models.DateField("支出起始日期", help_text="公示这段时间内的支出")
    period_end = models.DateField("支出截止日期")
    objection_start = models.DateField("公示期开始")
    objection_end = models.DateField("公示期结束")
    objection_contact = models.CharField(
        "异议联系方式",
        max_length=200,
        help_text="公示期内受理异议的电话、地址或邮箱，例如“0734-8860089（慈善办）”",
    )
    summary = models.TextField(
        "说明", blank=True, help_text="公开显示。不得写入受助人姓名、身份证号码或健康状况。"
    )
    staff_note = models.TextField("内部备注", blank=True, help_text="仅工作人员可见，发布后仍可修改")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    mutable_after_publishing = ("staff_note",)

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-objection_start", "-id"]
        # Drafting a disclosure (change) and publishing it, which freezes it, are separate jobs.
        permissions = [("publish_disclosure", "可以发布公示及更正说明")]
        constraints = [
            models.CheckConstraint(
                condition=Q(objection_end__gte=F("objection_start")),
                name="relief_disclosure_objection_ordered",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="relief_disclosure_period_ordered"
            ),
        ]
        indexes = [
            # The public list: published disclosures, newest first.
            models.Index(fields=["status", "-objection_start"], name="relief_disclosure_public_idx"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.objection_start and self.objection_end and self.objection_end < self.objection_start:
            errors["objection_end"] = "公示期结束不能早于开始"
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "支出截止日期不能早于起始日期"
        if errors:
            raise ValidationError(errors)

    def objection_status(self, today=None):
        today = today or timezone.localdate()
        if today < self.objection_start:
            return "公示期未开始"
        if today <= self.objection_end:
            return "公示中，可提出异议"
        return "公示期已结束"

    def in_objection_period(self, today=None):
        today = today or timezone.localdate()
        return self.objection_start <= today <= self.objection_end


class DisclosureErratum(Erratum):
    disclosure = models.ForeignKey(Disclosure, models.PROTECT, related_name="errata", verbose_name="公示")

    class Meta(Erratum.Meta):
        verbose_name = "更正说明"
        verbose_name_plural = "更正说明"

    def __str__(self):
        return f"{self.disclosure} 更正说明"


class StatutoryFilingQuerySet(models.QuerySet):
    def with_documents(self):
        """Filings whose PDF the portal publishes (信息公开's documents), newest year first."""
        return self.exclude(document="").order_by("kind", "-year", "-published_on", "-pk")


class StatutoryFiling(models.Model):
    """法定公开记录: what the federation published (annual reports, audit reports, the charter,
    fundraising results), so the statutory calendar can tick it off. With a PDF, the portal
    publishes the document itself on its 信息公开 pages (relief/organisation/); without one, the
    row records where it was published (慈善中国).

    A document once uploaded is never replaced: a correction is a published 更正说明
    (FilingErratum), shown with it, as for every published thing (charity/snapshots.py).
    """

    class Kind(models.TextChoices):
        ANNUAL_WORK = "annual_work", "年度工作报告"
        ANNUAL_FINANCIAL = "annual_financial", "年度财务会计报告"
        AUDIT = "audit", "年度审计报告"
        CAMPAIGN_RESULT = "campaign_result", "公开募捐活动结果"
        CHARTER = "charter", "章程"

    # Kinds that belong to a year (the calendar's annual duties and the audit that goes with them).
    YEARLY = (Kind.ANNUAL_WORK, Kind.ANNUAL_FINANCIAL, Kind.AUDIT)

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("所属年度", null=True, blank=True, help_text="年度报告填写")
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="filings",
        verbose_name="募捐活动",
        help_text="公开募捐活动结果填写",
    )
    published_on = models.DateField("公开日期", default=datetime.date.today)
    where = models.CharField("公开渠道", max_length=300, default="慈善中国", help_text="平台名称或网址")
    title = models.CharField("文件标题", max_length=200, blank=True, help_text="不填则按类型和年度命名")
    document = models.FileField(
        "PDF 文件",
        upload_to="open/",
        blank=True,
        help_text="上传后在本网站“信息公开”中公布，同时算作完成法定公开；上传后不能替换，更正请发布更正说明",
    )

    objects = StatutoryFilingQuerySet.as_manager()

    class Meta:
        verbose_name = "法定公开记录"
        verbose_name_plural = "法定公开记录"
        ordering = ["-published_on", "-id"]

    def __str__(self):
        if self.title:
            return self.title
        kind = self.get_kind_display()
        if self.year and kind.startswith("年度"):
            return f"{self.year}{kind}"  # 2023年度工作报告, not 2023年年度工作报告
        subject = self.campaign or (f"{self.year}年" if self.year else "")
        return f"{subject}{kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("document", flat=True).first()
            if stored and stored != self.document.name:
                raise SnapshotError(f"“{self}”的文件已公布，不能替换；如需更正请发布更正说明")
        super().save(*args, **kwargs)

    def clean(self):
        if self.kind == self.Kind.CAMPAIGN_RESULT and not self.campaign_id:
            raise ValidationError({"campaign": "请选择募捐活动"})
        if self.kind in self.YEARLY and not self.year:
            raise ValidationError({"year": "请填写所属年度"})


class FilingErratum(Erratum):
    filing = models.ForeignKey(
        StatutoryFiling, models.PROTECT, related_name="errata", verbose_name="法定公开记录"
    )

    class Meta(Erratum.Meta):
        verbose_name = "信息公开更正说明"
        verbose_name_plural = "信息公开更正说明"

    def __str__(self):
        return f"{self.filing} 更正说明"


# The organisation page's bodies, members and named funds: a module of their own.
from .organisation.models import BodyMember, NamedFund, OrganisationBody  # noqa: E402, F401
