from django.db import models


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
