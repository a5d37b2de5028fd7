from django.db import models
from django.db.models import Q

from charity.snapshots import Erratum, Snapshot

from ..numbering import chinese_number


class RankingEdition(Snapshot):
    """第N届慈善排行榜: one year's donations across all campaigns, reviewed, then frozen."""

    number = models.PositiveSmallIntegerField("届数", unique=True)
    year = models.PositiveSmallIntegerField("年度", help_text="统计该年度各募捐活动的捐款")
    title = models.CharField("名称", max_length=100, blank=True, help_text="留空则用默认名称")
    note = models.TextField("内部备注", blank=True, help_text="仅工作人员可见，不公开")

    mutable_after_publishing = ("note",)

    class Meta:
        verbose_name = "慈善排行榜"
        verbose_name_plural = "慈善排行榜"
        ordering = ["-number"]
        permissions = [("publish_rankingedition", "可以发布慈善排行榜及其更正说明")]
        constraints = [models.CheckConstraint(condition=Q(number__gte=1), name="ranking_number_positive")]

    def __str__(self):
        return self.title or f"第{chinese_number(self.number)}届慈善排行榜（{self.year}年度）"

    @property
    def number_label(self):
        return f"第{chinese_number(self.number)}届"


class RankingCategory(models.Model):
    """One list of an edition: computed from the year's donations, or filled by hand (荣誉)."""

    class Kind(models.TextChoices):
        UNITS = "units", "爱心单位（按捐款金额）"
        COMPANIES = "companies", "爱心企业（民营企业版块单位）"
        INDIVIDUALS = "individuals", "爱心人士（个人直接捐款）"
        SECTORS = "sectors", "版块（按捐款金额）"
        HONOURS = "honours", "荣誉称号（手工添加，如慈善楷模）"

    edition = models.ForeignKey(
        RankingEdition, models.CASCADE, related_name="categories", verbose_name="排行榜"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    name = models.CharField("名称", max_length=50)
    order = models.PositiveSmallIntegerField("排序", default=0)
    size = models.PositiveSmallIntegerField("上榜名额", default=20, help_text="并列最后一名的全部上榜")

    class Meta:
        verbose_name = "排行榜类别"
        verbose_name_plural = "排行榜类别"
        ordering = ["edition", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="ranking_category_unique_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_computed(self):
        return self.kind != self.Kind.HONOURS


class RankingEntry(models.Model):
    """A candidate of a category for staff to review, or an honour added by hand.

    Computed candidates are keyed by who they are (donor and whether the gifts were anonymous, or
    sector), so refreshing the amounts keeps staff's decisions. `public_name` comes from the
    public-name query methods; the real name is only shown to staff through `donor`.
    """

    category = models.ForeignKey(RankingCategory, models.CASCADE, related_name="entries", verbose_name="类别")
    donor = models.ForeignKey(
        "donations.Donor", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="捐赠人"
    )
    shown_anonymous = models.BooleanField("以“爱心人士”显示", default=False, editable=False)
    sector = models.ForeignKey(
        "donations.Sector", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="版块"
    )
    public_name = models.CharField("公开名称", max_length=200)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    donations = models.PositiveIntegerField("捐赠笔数", default=0, editable=False)
    computed = models.BooleanField("由数据计算", default=False, editable=False)
    excluded = models.BooleanField("不上榜", default=False)
    exclusion_reason = models.CharField("不上榜原因", max_length=200, blank=True)
    honour = models.CharField("荣誉称号", max_length=50, blank=True, help_text="如：慈善楷模、爱心企业")
    citation = models.CharField("事迹简介", max_length=300, blank=True)

    class Meta:
        verbose_name = "排行榜条目"
        verbose_name_plural = "排行榜条目"
        ordering = ["category", models.F("amount").desc(nulls_last=True), "public_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excluded=False) | ~Q(exclusion_reason=""),
                name="ranking_entry_exclusion_has_reason",
                violation_error_message="不上榜时请填写原因",
            ),
        ]

    def __str__(self):
        return self.public_name


class RankingErratum(Erratum):
    edition = models.ForeignKey(RankingEdition, models.PROTECT, related_name="errata", verbose_name="排行榜")

    class Meta(Erratum.Meta):
        verbose_name = "排行榜更正说明"
        verbose_name_plural = "排行榜更正说明"

    def __str__(self):
        return f"{self.edition} 更正说明"
