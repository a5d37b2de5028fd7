from django.db import models

from charity.snapshots import Snapshot


class ReportNarrative(models.Model):
    """One staff-written section of a year's report (主要做法, 工作体会, 不足与思考 …): a heading and
    Markdown paragraphs whose figures are named placeholders ({{募集总额}}), filled from the ledger
    when the report is rendered (campaigns/annual_report/narratives.py)."""

    year = models.PositiveSmallIntegerField("年度")
    order = models.PositiveSmallIntegerField("排序", default=1, help_text="同一年度内的先后，小的在前")
    heading = models.CharField("标题", max_length=100, help_text="例如“主要做法”")
    body = models.TextField(
        "正文",
        help_text="Markdown 格式：空一行分段，行首“- ”为列表，**加粗**。数字请用占位符，例如 {{募集总额}}",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "年度工作报告文字部分"
        verbose_name_plural = "年度工作报告文字部分"
        ordering = ["-year", "order", "pk"]

    def __str__(self):
        return f"{self.year}年度 · {self.heading}"


class YearReport(Snapshot):
    """One released version of a year's report (年度工作报告), a charity.snapshots.Snapshot.

    A draft is only its year, version and code: the report is built from the ledger and the
    narratives when it is published and frozen then (`content`, publishing.py). The PDF and the
    Word file are rendered from that frozen content by the task worker and served as stored
    (artifacts.py). A correction is the year's next version (第N版) with a reason; the earlier
    version stays as published and its verification page says it was superseded.
    """

    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版本", default=1)
    # Printed on the cover and in its QR code; chosen when the draft is made, so the frozen
    # document can print it.
    code = models.CharField("校验码", max_length=12, unique=True, editable=False)
    reason = models.TextField(
        "更正原因", blank=True, help_text="第2版起必填：说明为什么发布新版本，与新版本一同公布"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度工作报告发布"
        verbose_name_plural = "年度工作报告发布"
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="year_report_unique_version"),
        ]
        permissions = [("publish_yearreport", "可以发布年度工作报告")]

    def __str__(self):
        return f"{self.year}年度工作报告（第{self.version}版）"
