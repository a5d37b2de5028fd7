from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from charity.audit import current_actor
from charity.errors import UserError
from charity.search_indexes import trigram_index
from charity.text import normalize_name

from . import attribution, gift_rules, staff_lists
from .follow_ups import FollowUp
from .querysets import ANONYMOUS_NAME, DonationQuerySet, DonorQuerySet, RemittanceLineQuerySet, public_name_of
from .sectors import INDIVIDUAL_SECTOR
from .validators import normalize_credit_code, validate_credit_code

__all__ = [
    "ANONYMOUS_NAME",
    "Branch",
    "BranchLiaison",
    "Donation",
    "DonationLocked",
    "Donor",
    "FollowUp",
    "ImportBatch",
    "RemittanceLine",
    "Sector",
]


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Sector(models.Model):
    """版块: the groupings donations are counted and compared in, year over year."""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0, help_text="报告中的排列顺序，小的在前")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "版块"
        verbose_name_plural = "版块"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @classmethod
    def personal_id(cls):
        """The id of 个人, where a person giving on their own is counted (None if it was removed)."""
        return cls.objects.filter(name=INDIVIDUAL_SECTOR).values_list("id", flat=True).first()


class Branch(models.Model):
    """慈善分会 or a sector's sub-group (住建系统 › 施工企业); nests through `parent`."""

    name = models.CharField("名称", max_length=100)
    sector = models.ForeignKey(Sector, models.PROTECT, related_name="branches", verbose_name="版块")
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级分会"
    )
    active = models.BooleanField("启用", default=True)
    # Published on the 信息公开 page (relief/organisation/): when the branch was set up, what it does.
    founded_on = models.DateField("成立日期", null=True, blank=True)
    purpose = models.CharField("主要职能", max_length=200, blank=True)

    class Meta:
        verbose_name = "分会"
        verbose_name_plural = "分会"
        ordering = ["sector__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "name"], name="branch_unique_name_in_sector"),
        ]

    def __str__(self):
        return f"{self.sector.name} › {self.name}" if self.sector_id else self.name

    def clean(self):
        if self.parent_id and self.parent.sector_id != self.sector_id:
            raise ValidationError({"parent": "上级分会必须属于同一版块"})
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": "上级分会不能形成循环"})
            seen.add(node.pk)
            node = node.parent


class Donor(models.Model):
    class Kind(models.TextChoices):
        UNIT = "unit", "单位"
        INDIVIDUAL = "individual", "个人"

    class Display(models.TextChoices):
        REAL_NAME = "real", "公开真实姓名"
        ANONYMOUS = "anonymous", "显示为“爱心人士”"
        ALIAS = "alias", "显示自选名称"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.UNIT)
    name = models.CharField("名称", max_length=200)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code]
    )
    # Indexes on this table and on donations are few on purpose: every one is maintained for
    # each of the tens of thousands of rows an import writes (see Meta.indexes).
    sector = models.ForeignKey(
        Sector,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="donors",
        verbose_name="所属版块",
        db_index=False,
    )
    branch = models.ForeignKey(
        Branch,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="donors",
        verbose_name="所属分会",
        db_index=False,
    )
    employer = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="staff",
        limit_choices_to={"kind": "unit"},
        verbose_name="所在单位",
    )
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    display = models.CharField(
        "公开显示方式", max_length=10, choices=Display.choices, default=Display.REAL_NAME
    )
    alias = models.CharField("自选公开名称", max_length=100, blank=True)
    note = models.TextField("备注", blank=True)
    source_batch = models.ForeignKey(
        "ImportBatch",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_donors",
        verbose_name="创建于导入批次",
        editable=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = DonorQuerySet.as_manager()

    class Meta:
        verbose_name = "捐赠人"
        verbose_name_plural = "捐赠人"
        ordering = ["kind", "name"]
        permissions = [("merge_donor", "可以合并重复的捐赠人")]
        constraints = [
            # One unit is one donor: the importer matches units by name, so two rows must never
            # share one.
            models.UniqueConstraint(fields=["name"], condition=Q(kind="unit"), name="donor_unique_unit_name"),
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="donor_unique_credit_code"
            ),
            # Sums count a person's gifts as those of donors who are not units
            # (DonationQuerySet._by_units): there is no third kind.
            models.CheckConstraint(condition=Q(kind__in=["unit", "individual"]), name="donor_kind_known"),
            models.CheckConstraint(
                condition=Q(kind="unit") | Q(credit_code=""), name="donor_credit_code_only_for_units"
            ),
            models.CheckConstraint(
                condition=Q(kind="individual") | Q(employer__isnull=True),
                name="donor_employer_only_for_people",
            ),
        ]
        indexes = [
            # The importer matches donors by name in one set-based query. Measured on the
            # 60,000-row bench file, (kind, name, employer) cost the import 0.15 s against 0.08 s
            # for name alone, and the look-up needs no more.
            models.Index(fields=["name"], name="donor_name_idx"),
            # Most donors have no branch and most units no staff: partial indexes serve the
            # look-ups (a branch's donors, a unit's staff) and cost an import nothing for the
            # rows without one. Sectors are looked up through donations, never here.
            models.Index(fields=["branch"], condition=Q(branch__isnull=False), name="donor_branch_idx"),
            models.Index(fields=["employer"], condition=Q(employer__isnull=False), name="donor_employer_idx"),
            # No index for the admin's searches by part of a name, telephone or alias: they read
            # the 400,000 names once per request (about 0.05 s, charity/admin_lists.py). A
            # trigram index on the name cost the 60,000-row import 0.22 s (1.55 -> 1.77 s, ratio
            # 0.20 -> 0.18, bench/import_bench.py), one on (kind, name) for the donor list's order
            # 0.3 s, one on the telephone 0.1 s.
        ]

    def __str__(self):
        if self.display == self.Display.REAL_NAME:
            return self.name
        return shown_name(self)

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        self.credit_code = normalize_credit_code(self.credit_code)
        super().save(*args, **kwargs)

    def clean(self):
        self.name = normalize_name(self.name)
        self.credit_code = normalize_credit_code(self.credit_code)
        if self.kind == self.Kind.INDIVIDUAL and self.credit_code:
            raise ValidationError({"credit_code": gift_rules.CREDIT_CODE_ONLY_FOR_UNITS})
        if self.kind == self.Kind.UNIT and self.employer_id:
            raise ValidationError({"employer": gift_rules.EMPLOYER_ONLY_FOR_PEOPLE})
        if self.display == self.Display.ALIAS and not self.alias.strip():
            raise ValidationError({"alias": "选择“显示自选名称”时必须填写自选公开名称"})


class ImportBatch(models.Model):
    """One imported file: what every donation it created points to, so it can be undone."""

    class Status(models.TextChoices):
        IMPORTED = "imported", "已导入（可撤销）"
        FINAL = "final", "已确认为最终"
        ROLLED_BACK = "rolled_back", "已撤销"

    campaign = models.ForeignKey(
        "campaigns.Campaign", models.PROTECT, related_name="import_batches", verbose_name="活动"
    )
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.IMPORTED)
    row_count = models.PositiveIntegerField("行数", default=0)
    donation_count = models.PositiveIntegerField("捐赠记录数", default=0)
    line_count = models.PositiveIntegerField("明细行数", default=0)
    new_donor_count = models.PositiveIntegerField("新建捐赠人数", default=0)
    total_amount = money_field("总金额", default=0)
    # What the importer was told to let through, kept with the batch for whoever audits it later.
    forced = models.BooleanField("强制导入（同一文件已导入过）", default=False)
    outside_dates_allowed = models.BooleanField("允许活动期外日期", default=False)
    outside_dates_reason = models.CharField(
        "活动期外日期的原因", max_length=200, blank=True, default="", db_default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="导入人",
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    finalized_at = models.DateTimeField("确认时间", null=True, blank=True)
    rolled_back_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at"]
        permissions = [
            ("rollback_importbatch", "可以撤销导入批次"),
            ("finalize_importbatch", "可以确认导入批次为最终"),
        ]

    def __str__(self):
        return f"{self.file_name}（{self.created_at:%Y-%m-%d %H:%M}）" if self.created_at else self.file_name


class Donation(models.Model):
    class Status(models.TextChoices):
        # A clerk may still edit or delete a pending gift; a reviewer's confirmation locks it.
        PENDING = "pending", "待审核"
        CONFIRMED = "confirmed", "已确认"
        # A confirmed gift found wrong is never edited: a reversing entry (冲正) of the opposite
        # amount cancels it, with a reason, and the right gift is entered again as a new one.
        REVERSED = "reversed", "已冲正"
        REVERSAL = "reversal", "冲正记录"

    class Channel(models.TextChoices):
        BANK = "bank", "银行转账"
        CASH = "cash", "现金"
        WECHAT = "wechat", "微信"
        ALIPAY = "alipay", "支付宝"
        IN_KIND = "in_kind", "实物"
        OTHER = "other", "其他"

    class Route(models.TextChoices):
        # Most money passes through the federation's account; some is given by the donor straight
        # to a beneficiary or a disaster area (the 2019 summary's 外地商会向灾区直接捐款). Both count in
        # the year's giving; only the first in the account's figures, and neither kind of figure
        # is ever stated without saying which one it is.
        ACCOUNT = "account", "总会账户"
        DIRECT = "direct", "直接捐赠"

    donor = models.ForeignKey(Donor, models.PROTECT, related_name="donations", verbose_name="捐赠人")
    # No single-column index: the (campaign, …) indexes below all lead with it.
    campaign = models.ForeignKey(
        "campaigns.Campaign", models.PROTECT, related_name="donations", verbose_name="活动", db_index=False
    )
    # Sector and branch are fixed on the donation: a unit that moves sector later must not
    # rewrite last year's comparison. Null sector = money not yet assigned to one.
    sector = models.ForeignKey(
        Sector,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name="计入版块",
        db_index=False,
    )
    branch = models.ForeignKey(
        Branch,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name="计入分会",
        db_index=False,
    )
    amount = money_field("金额（元）")
    received_on = models.DateField("捐赠日期")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, default=Channel.BANK)
    # db_default: adding the column fills the existing rows without rewriting the table.
    route = models.CharField(
        "到账方式",
        max_length=8,
        choices=Route.choices,
        default=Route.ACCOUNT,
        db_default=Route.ACCOUNT,
        help_text="直接捐赠：捐赠人直接交给受助人或灾区，计入募集总额，不计入进入总会账户的金额",
    )
    head_count = models.PositiveIntegerField("参与人数", null=True, blank=True)
    receipt_no = models.CharField("票据号", max_length=50, blank=True)
    project = models.ForeignKey(
        "relief.ReliefProject",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="directed_donations",
        verbose_name="定向项目",
        db_index=False,
    )
    anonymous = models.BooleanField("匿名", default=False)
    note = models.CharField("备注", max_length=500, blank=True)
    # Why a date outside the campaign was let through (donations/gift_rules.py, 2). An imported
    # gift's reason is its batch's; db_default, since the importer's COPY does not name the column.
    outside_dates_reason = models.CharField(
        "活动期外日期的原因", max_length=200, blank=True, default="", db_default=""
    )
    batch = models.ForeignKey(
        ImportBatch, models.PROTECT, null=True, blank=True, related_name="donations", verbose_name="导入批次"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
        db_index=False,
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    status = models.CharField(
        "审核状态", max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
        db_index=False,
        editable=False,
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True, editable=False)
    # Set on a reversing entry only: the confirmed gift it cancels, and why.
    reverses = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name="冲正的捐赠",
        db_index=False,
        editable=False,
    )
    reversal_reason = models.CharField("冲正原因", max_length=500, blank=True, editable=False)

    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = "捐赠"
        verbose_name_plural = "捐赠"
        ordering = ["-received_on", "-id"]
        permissions = [
            ("import_donation", "可以导入捐赠文件"),
            ("confirm_donation", "可以审核确认捐赠"),
            ("reverse_donation", "可以冲正已确认的捐赠"),
        ]
        constraints = [
            # A gift is positive; only a reversing entry is negative, and it names what it cancels
            # and why.
            models.CheckConstraint(
                condition=(Q(amount__gt=0) & Q(reverses__isnull=True) & ~Q(status="reversal"))
                | (
                    Q(amount__lt=0)
                    & Q(reverses__isnull=False)
                    & Q(status="reversal")
                    & ~Q(reversal_reason="")
                ),
                name="donation_amount_positive_unless_reversal",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(confirmed_at__isnull=False),
                name="donation_confirmed_has_time",
            ),
            models.UniqueConstraint(
                fields=["receipt_no"], condition=~Q(receipt_no=""), name="donation_unique_receipt_no"
            ),
            models.CheckConstraint(condition=Q(route__in=["account", "direct"]), name="donation_route_known"),
            # A gift is reversed once. Partial: the column is empty on nearly every row.
            models.UniqueConstraint(
                fields=["reverses"], condition=Q(reverses__isnull=False), name="donation_reversed_once"
            ),
        ]
        indexes = [
            # totals_by_sector() for one campaign: the annual report and year-over-year table.
            models.Index(fields=["campaign", "sector"], name="donation_campaign_sector_idx"),
            # A donor's history and the ranking per campaign.
            models.Index(fields=["campaign", "donor"], name="donation_campaign_donor_idx"),
            # Honor-roll issues select by date range within a campaign; the admin's lists of a
            # campaign's gifts (and of their staff lines) read them newest first, a page at a
            # time, in the order of (date, id): with the id the index gives that order whole, so
            # PostgreSQL stops walking the date index of all ten years past the other campaigns.
            models.Index(fields=["campaign", "received_on", "id"], name="donation_campaign_day_idx"),
            # Mostly empty columns: partial indexes cost an import nothing for the empty rows.
            # A sector's donations are found through donation_campaign_sector_idx.
            models.Index(fields=["branch"], condition=Q(branch__isnull=False), name="donation_branch_idx"),
            models.Index(fields=["project"], condition=Q(project__isnull=False), name="donation_project_idx"),
            models.Index(
                fields=["entered_by"], condition=Q(entered_by__isnull=False), name="donation_entered_by_idx"
            ),
            # The admin's list, newest first, a page at a time, and the first and last date of
            # its date drill-down (charity/templatetags/admin_lists.py).
            models.Index(fields=["received_on", "id"], name="donation_date_idx"),
            # The admin's search by part of a receipt number (PostgreSQL only; a million receipts
            # read for each search took 0.15 s). Most gifts of people have none: the index holds
            # only the donations that have one (about 0.05 s of a 60,000-row import).
            trigram_index("receipt_no", "donation_receipt_trgm_idx", condition=~Q(receipt_no="")),
            # The public look-up's receipt number in any case (campaigns/lookup.py: receipt_no <> ''
            # AND UPPER(receipt_no) = UPPER(%s)): 0.01-0.06 ms on a million gifts, as fast as the
            # unique index; the trigram index answers that equality too, but in 40-70 ms.
            models.Index(Upper("receipt_no"), condition=~Q(receipt_no=""), name="donation_receipt_upper_idx"),
        ]

    def __str__(self):
        return f"{donor_label(self.donor, self.anonymous)} {self.amount}元"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            refuse_if_locked(Donation, self.pk)
        # Where the gift counts is decided once, when it is recorded, by the one rule every entry
        # path shares (donations/attribution.py); afterwards it stays fixed on the donation.
        if self._state.adding and self.donor_id:
            self.sector_id, self.branch_id = self.counted_in()
        super().save(*args, **kwargs)

    def counted_in(self):
        """(sector id, branch id) this gift counts in under the attribution rule."""
        placement = attribution.placement_of(self.donor)
        return attribution.counted_in(
            placement,
            personal_sector=Sector.personal_id() if attribution.needs_personal_sector(placement) else None,
            sector_id=self.sector_id,
            branch_id=self.branch_id,
            branch_sector_id=self.branch.sector_id if self.branch_id else None,
        )

    def delete(self, *args, **kwargs):
        refuse_if_locked(Donation, self.pk)
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self):
        """Confirmed, reversed or a reversal: never edited or deleted again."""
        return self.status != self.Status.PENDING

    # Set by whoever enters the gift to let a date outside the campaign through: the donation
    # page's checkbox, worded as the importer's option (donations/gift_rules.py).
    allow_outside_dates = False

    def clean(self):
        errors = {}
        if self.branch_id and self.sector_id and self.branch.sector_id != self.sector_id:
            errors["branch"] = "分会不属于所选版块"
        # The rules the importer applies to a row, in its words (donations/gift_rules.py).
        try:
            gift_rules.check_gift(self, allow_outside_dates=self.allow_outside_dates)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def donor_label(donor, anonymous):
    """How a gift or a line names its donor in the back office: as the donor's own name would be
    (Donor.__str__), and in the public form to a liaison outside whose branches the donor is when
    the gift itself was anonymous (donations/scoping.py)."""
    if not anonymous:
        return str(donor)
    return shown_name(donor, anonymous=True)


class DonationLocked(UserError):
    """A confirmed gift (or its staff list) was about to be edited or deleted."""

    def __init__(self):
        super().__init__("该笔捐赠已审核确认，不能修改或删除；如有错误，请由审核员冲正后重新录入")


def refuse_if_locked(model, pk):
    """Raise DonationLocked when the stored gift is no longer pending (read from the database,
    not from the instance, so a stale form cannot unlock it)."""
    if model._base_manager.filter(pk=pk).exclude(status=Donation.Status.PENDING).exists():
        raise DonationLocked


class RemittanceLine(models.Model):
    """One person's share itemised on a unit's remittance (the staff list of 慈善一日捐).

    The money counts once, in the remittance (a Donation); lines credit the people in it
    for look-ups and honor rolls and are never added to any total.
    """

    remittance = models.ForeignKey(Donation, models.CASCADE, related_name="lines", verbose_name="所属汇款")
    donor = models.ForeignKey(Donor, models.PROTECT, related_name="remittance_lines", verbose_name="捐赠人")
    amount = money_field("金额（元）")
    anonymous = models.BooleanField("匿名", default=False)
    note = models.CharField("备注", max_length=500, blank=True)
    batch = models.ForeignKey(
        ImportBatch, models.PROTECT, null=True, blank=True, related_name="lines", verbose_name="导入批次"
    )

    objects = RemittanceLineQuerySet.as_manager()

    class Meta:
        verbose_name = "汇款明细"
        verbose_name_plural = "汇款明细"
        ordering = ["remittance", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="remittance_line_amount_positive"),
        ]

    # The donation page's staff list checks the total over all the lines it posts at once
    # (forms.RemittanceLineFormSet); a line checked alone adds itself to the stored ones.
    total_checked_with_list = False

    def __str__(self):
        return f"{donor_label(self.donor, self.anonymous)} {self.amount}元"

    # A confirmed remittance's staff list is part of what was confirmed: its lines are not edited
    # or deleted any more. Lines may still be added (an import or a clerk), since units often send
    # the list after the money and lines never count in any total.
    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            stored = (
                type(self)._base_manager.filter(pk=self.pk).values_list("remittance_id", flat=True).first()
            )
            if stored is not None:
                refuse_if_locked(Donation, stored)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_locked(Donation, self.remittance_id)
        return super().delete(*args, **kwargs)

    def clean(self):
        # The staff-list rules, worded as the importer and the donation page word them.
        staff_lists.check_line(self, with_total=not self.total_checked_with_list)


class BranchLiaison(models.Model):
    """分会联络员: a staff account that sees and enters the donations of one branch only.

    The branch's sub-branches count as its own. Any other branch's donations, donors and staff
    lines answer 404 to such an account, wherever it asks (donations/scoping.py).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="branch_liaison", verbose_name="账号"
    )
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="liaisons", verbose_name="负责分会")

    class Meta:
        verbose_name = "分会联络员"
        verbose_name_plural = "分会联络员"
        ordering = ["branch__sector__order", "branch__name"]

    def __str__(self):
        return f"{self.user.get_username()}（{self.branch}）"


# Branch liaisons' scope -----------------------------------------------------------------------------
# Here, with the models, because Donor.__str__ names a donor as whoever acts may read it;
# donations/scoping.py confines the admin with the same functions.

_CACHE = "_liaison_branch_ids"


def liaison_branch_ids(user):
    """The branch ids `user` is confined to, or None when the user is not confined.

    Read once per request (cached on the user object, which lives for one request).
    """
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    if not hasattr(user, _CACHE):
        branch_id = BranchLiaison.objects.filter(user=user).values_list("branch_id", flat=True).first()
        setattr(user, _CACHE, None if branch_id is None else branch_with_descendants(branch_id))
    return getattr(user, _CACHE)


def branch_with_descendants(branch_id):
    """{branch_id and every branch below it}: branches are a few dozen, so one query for all."""
    children = {}
    for pk, parent in Branch.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), [branch_id]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return frozenset(found)


def shown_name(donor, anonymous=False):
    """The donor's name as whoever acts now may read it: the real name for staff who may see the
    donor's record, else the public form (爱心人士 or the alias), as the public pages show it.

    Donor.__str__ and the names of gifts and lines come here, so the admin's messages and the
    audit trail's entries, which name a record with str(), tell a liaison no more than its
    branches' records do. Whoever acts is the request's user (charity.audit's actor); scripts and
    commands act for nobody confined.
    """
    public = public_name_of(donor, anonymous)
    if public == donor.name:
        return public
    user, _label = current_actor()
    scope = liaison_branch_ids(user) if user is not None else None
    if scope is None or donor.branch_id in scope:
        return donor.name
    return public


# Reconciliation's models (对账) live in their own package; imported here so the app registers them.
from .reconciliation.models import Statement, StatementCredit, StatementMapping  # noqa: E402, F401
