"""The campaign core: a campaign (`Campaign`) and, in campaigns/freshness.py, the stamp saying its
figures changed. The lowest layer above the kernel (docs/architecture.md): it imports no other
app and nothing else of campaigns, so the ledger (donations, relief) can build on it. Registered
by Django through campaigns/models.py, which imports it.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from charity.money import money_sum


class CampaignQuerySet(models.QuerySet):
    def with_totals(self):
        """Each campaign with its raised total and number of donations, in one query: every gift,
        those still under review included, so not for public pages (they read
        Donation.objects.public(): public means confirmed)."""
        # The ledger's Donation, reached through the relation: the core imports no ledger.
        donations = self.model.donations.rel.related_model.objects
        return self.annotate(
            raised=money_sum("donations__amount"),
            # Reversed gifts and their reversals cancel out in the sum and are not gifts any more.
            donation_count=models.Count("donations", filter=donations.standing_condition("donations__")),
        )

    def of_year(self, year):
        return self.filter(year=year)

    def with_rollup_totals(self):
        """Each campaign with `raised` and `donation_count` read from its CampaignRollup (the back
        office's list; campaigns.rollups.fresh_rollups() brings the rollups up to date first)."""
        return self.annotate(
            raised=Coalesce(F("rollup__total"), Decimal("0.00"), output_field=models.DecimalField()),
            donation_count=Coalesce(F("rollup__donations"), 0),
        )


class Campaign(models.Model):
    class Kind(models.TextChoices):
        ONE_DAY = "one_day", "慈善一日捐"
        DISASTER = "disaster", "灾害救助"
        CHARITY_SALE = "charity_sale", "义卖"
        GENERAL = "general", "综合募捐"

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.ONE_DAY)
    year = models.PositiveSmallIntegerField("年度")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    goal = models.DecimalField("目标金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    description = models.TextField("说明", blank=True)
    # When a donation of this campaign last changed: the key of its cached public figures, so the
    # figures are computed again once after a change and never while nothing changes
    # (campaigns/selectors.py). Set with update(), so it never reaches the audit trail.
    figures_changed_at = models.DateTimeField("数据更新时间", auto_now_add=True, editable=False)
    # Individuals (direct gifts and people on units' staff lists) are named on an honor roll from
    # this amount up; units are always listed. The rest of the money is still in every total.
    honor_roll_threshold = models.DecimalField(
        "光荣榜个人列名起点（元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal("1000.00"),
        help_text="个人在一期光荣榜内的捐款合计达到此金额才列出姓名；单位全部列出",
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "募捐活动"
        verbose_name_plural = "募捐活动"
        ordering = ["-year", "-start_date"]
        permissions = [("view_dashboard", "可以查看数据看板")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="campaign_dates_ordered"),
            models.CheckConstraint(
                condition=Q(goal__isnull=True) | Q(goal__gt=0), name="campaign_goal_positive"
            ),
            models.CheckConstraint(
                condition=Q(honor_roll_threshold__gte=0), name="campaign_honor_roll_threshold_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期"})
