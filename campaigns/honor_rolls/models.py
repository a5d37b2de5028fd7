from django.db import models
from django.db.models import Q

from charity.snapshots import Erratum, Snapshot

from ..numbering import chinese_number


class HonorRollIssue(Snapshot):
    """第N期光荣榜 of a campaign: the gifts received up to its cut-off that no earlier issue listed."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", models.PROTECT, related_name="honor_roll_issues", verbose_name="活动"
    )
    number = models.PositiveSmallIntegerField("期数", help_text="第几期，从 1 开始，按顺序发布")
    cut_off = models.DateField("截止日期", help_text="本期收录此日期（含）之前收到、尚未上榜的捐款")
    note = models.TextField("内部备注", blank=True, help_text="仅工作人员可见，不公开")

    mutable_after_publishing = ("note",)

    class Meta:
        verbose_name = "光荣榜"
        verbose_name_plural = "光荣榜"
        ordering = ["campaign", "-number"]
        permissions = [("publish_honorrollissue", "可以发布光荣榜及其更正说明")]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="honor_roll_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="honor_roll_number_positive"),
        ]

    def __str__(self):
        name = self.campaign.name if self.campaign_id else ""
        return f"{name}光荣榜（第{chinese_number(self.number)}期）"

    @property
    def number_label(self):
        return f"第{chinese_number(self.number)}期"


class HonorRollErratum(Erratum):
    issue = models.ForeignKey(HonorRollIssue, models.PROTECT, related_name="errata", verbose_name="光荣榜")

    class Meta(Erratum.Meta):
        verbose_name = "光荣榜更正说明"
        verbose_name_plural = "光荣榜更正说明"

    def __str__(self):
        return f"{self.issue} 更正说明"


class HonorRollListing(models.Model):
    """Which published issue listed a donation: each donation is listed once, by one issue.

    Written when an issue is published; the next issue lists what no issue has listed yet, so a
    gift received before a cut-off but entered after that issue appears in the next one, once.
    The "was my gift counted" look-up reads it from the donation's side.
    """

    issue = models.ForeignKey(HonorRollIssue, models.PROTECT, related_name="listings", verbose_name="光荣榜")
    # The frozen issue keeps what it showed; a donation deleted later (an import rolled back)
    # only loses its listing.
    donation = models.OneToOneField(
        "donations.Donation",
        models.CASCADE,
        related_name="honor_roll_listing",
        verbose_name="捐赠",
    )

    class Meta:
        verbose_name = "光荣榜收录"
        verbose_name_plural = "光荣榜收录"

    def __str__(self):
        return f"{self.issue}：{self.donation_id}"


class HonorRollPdf(models.Model):
    """The PDF of a published issue, rendered once and then served as stored.

    A published issue never changes, so a file stays right for as long as its key does: the
    issue's content fingerprint, the errata published with it so far and the layout's version
    (campaigns.services.honor_roll_pdf). A new erratum makes a new key, and the next download
    renders the file that prints it.
    """

    issue = models.ForeignKey(HonorRollIssue, models.CASCADE, related_name="pdfs", verbose_name="光荣榜")
    key = models.CharField("文件版本（SHA-256）", max_length=64, unique=True)
    errata_count = models.PositiveSmallIntegerField("更正说明条数", default=0)
    pdf = models.FileField("PDF 文件", upload_to="honor-rolls/")
    filename = models.CharField("下载文件名", max_length=200)
    pages = models.PositiveIntegerField("页数", default=0)
    rendered_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "光荣榜 PDF 文件"
        verbose_name_plural = "光荣榜 PDF 文件"
        ordering = ["issue", "-rendered_at"]

    def __str__(self):
        return self.filename
