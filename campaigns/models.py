from django.conf import settings
from django.db import models

# The campaign core, a module of its own (see there); imported here so Django registers it.
from .core import Campaign, CampaignQuerySet  # noqa: F401


class CampaignFigures(models.Model):
    """Donation figures kept for the back office's lists, computed from a campaign's gifts and
    current while the campaign's figures_changed_at equals `computed_for` (never edited)."""

    computed_for = models.DateTimeField("计算依据（数据更新时间）")
    total = models.DecimalField("金额合计（元）", max_digits=16, decimal_places=2)
    # Every row, reversed gifts and reversals included (what the list pages through); `donations`
    # counts the gifts that stand.
    rows = models.PositiveIntegerField("记录数", default=0)
    donations = models.PositiveIntegerField("捐赠笔数")
    units = models.PositiveIntegerField("参与单位数")
    staff = models.PositiveBigIntegerField("单位参与人数")
    people = models.PositiveIntegerField("个人捐赠人数")
    first_gift = models.DateField("最早捐赠日期", null=True)
    last_gift = models.DateField("最晚捐赠日期", null=True)

    class Meta:
        abstract = True


class CampaignRollup(CampaignFigures):
    """A campaign's donation figures as a whole (campaigns.rollups)."""

    campaign = models.OneToOneField(
        Campaign, models.CASCADE, primary_key=True, related_name="rollup", verbose_name="活动"
    )

    class Meta:
        verbose_name = "活动捐赠汇总"
        verbose_name_plural = "活动捐赠汇总"

    def __str__(self):
        return f"{self.campaign_id}：{self.total}元"


class CampaignFacet(CampaignFigures):
    """A campaign's figures for one value of one of the donation list's filters (its status,
    sector, branch, channel, 到账方式, anonymity, donor kind or import batch), kept like CampaignRollup.

    Computed by campaigns.facets for one filter of one campaign at a time, when a list filtered
    by it is asked for after the campaign's `figures_changed_at` moved. `value` is the filtered
    column's value as text ("" for none: money not assigned to a sector, a gift entered by hand
    rather than imported).
    """

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="facets", verbose_name="活动")
    facet = models.CharField("筛选项", max_length=20)
    value = models.CharField("取值", max_length=40, blank=True)

    class Meta:
        verbose_name = "活动捐赠分项汇总"
        verbose_name_plural = "活动捐赠分项汇总"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "facet", "value"], name="campaign_facet_unique"),
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.facet}={self.value}：{self.total}元"


# Honor rolls, rankings and news live in modules of their own; imported here so Django registers them.
from .annual_report.models import ReportNarrative, YearReport  # noqa: E402, F401
from .corrections.models import CorrectionDraft  # noqa: E402
from .honor_rolls.models import HonorRollErratum, HonorRollIssue, HonorRollListing, HonorRollPdf  # noqa: E402
from .news.models import Article, ArticleAttachment, ArticleErratum, ArticleImage  # noqa: E402
from .rankings.models import RankingCategory, RankingEdition, RankingEntry, RankingErratum  # noqa: E402

__all__ = [
    "Article",
    "ArticleAttachment",
    "ArticleErratum",
    "ArticleImage",
    "Campaign",
    "CampaignFacet",
    "CampaignRollup",
    "CorrectionDraft",
    "HonorRollErratum",
    "HonorRollIssue",
    "HonorRollListing",
    "HonorRollPdf",
    "RankingCategory",
    "RankingEdition",
    "RankingEntry",
    "RankingErratum",
]


class AnnualSummaryDocument(models.Model):
    """A rendered annual summary (年度总结 PDF), stored under the fingerprint of the data it shows.

    The same data gives the same fingerprint, so a download is served from here until a donation,
    campaign or sector it was built from changes; then the next download renders a new one. The
    verification code printed on the document (and in its QR code) finds it again.
    """

    year = models.PositiveSmallIntegerField("年度")
    fingerprint = models.CharField("数据指纹（SHA-256）", max_length=64, unique=True)
    code = models.CharField("校验码", max_length=12, unique=True)
    pdf = models.FileField("PDF 文件", upload_to="annual-summaries/")
    pages = models.PositiveSmallIntegerField("页数", default=0)
    # The headline figures exactly as printed, for the public verification page.
    headline = models.JSONField("主要数字", default=dict)
    rendered_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "年度总结文件"
        verbose_name_plural = "年度总结文件"
        ordering = ["-year", "-rendered_at"]
        permissions = [
            ("download_annualsummary", "可以下载年度总结"),
            ("release_annualsummary", "可以向公众发布年度总结"),
        ]

    def __str__(self):
        return f"{self.year}年度总结（{self.code.upper()}）"

    @property
    def filename(self):
        return f"{self.year}年度慈善一日捐工作总结-{self.code.upper()}.pdf"


class AnnualSummaryRelease(models.Model):
    """A summary staff released to the public: the public page serves the latest one, as stored."""

    year = models.PositiveSmallIntegerField("年度")
    document = models.ForeignKey(
        AnnualSummaryDocument, models.PROTECT, related_name="releases", verbose_name="发布的文件"
    )
    released_at = models.DateTimeField("发布时间", auto_now_add=True)
    # The year's first release is 第1版; each later one corrects the one before it, with a reason
    # printed in its PDF and shown on the verification page of the code it replaces.
    version = models.PositiveSmallIntegerField("版本", default=1)
    reason = models.TextField("更正原因", blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )

    class Meta:
        verbose_name = "年度总结发布记录"
        verbose_name_plural = "年度总结发布记录"
        ordering = ["-released_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="summary_release_unique_version"),
        ]
        indexes = [
            # The public page looks up the latest release of a year.
            models.Index(fields=["year", "-released_at"], name="summary_release_year_idx"),
        ]

    def __str__(self):
        return (
            f"{self.year}年度总结 发布于 {self.released_at:%Y-%m-%d %H:%M}"
            if self.released_at
            else str(self.year)
        )
