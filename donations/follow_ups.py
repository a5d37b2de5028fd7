"""劝募跟进: one record per contact with a unit or person (a visit, a call, a letter, a meeting),
who made it, what came of it, the amount promised and when to follow up next. A promise that
became a gift is linked to the gift and shows as kept.

Scoped like the donor it names (donations/scoping.py: a liaison sees and writes only its
branches' follow-ups) and audited like every tracked model (donations/apps.py).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from charity.money import money_sum


class FollowUpQuerySet(models.QuerySet):
    def open_promises(self):
        """Promises of money not yet kept in full: no gift linked, or a gift smaller than the
        promise (300,000 promised and 49,240 given leaves 250,760 open, not a kept promise)."""
        return self.filter(promised_amount__gt=0).filter(
            Q(gift__isnull=True) | Q(gift__amount__lt=F("promised_amount"))
        )

    def kept(self):
        """Promises kept in full (a linked gift at least the amount promised, or no amount named)."""
        return self.filter(gift__isnull=False).exclude(gift__amount__lt=F("promised_amount"))

    def with_outstanding(self):
        """`outstanding`: what is still to come of each promise (the promise less its gift)."""
        return self.annotate(
            outstanding=ExpressionWrapper(
                F("promised_amount") - Coalesce(F("gift__amount"), Value(Decimal("0.00"))),
                output_field=models.DecimalField(max_digits=14, decimal_places=2),
            )
        )

    def due_for(self, user, today=None):
        """`user`'s follow-ups whose next date has come: not superseded by a later contact with
        the same donor, and not a promise already kept (「我的待跟进」)."""
        today = today or timezone.localdate()
        later = self.model._base_manager.filter(donor=OuterRef("donor")).filter(
            Q(contacted_on__gt=OuterRef("contacted_on"))
            | Q(contacted_on=OuterRef("contacted_on"), pk__gt=OuterRef("pk"))
        )
        return self.filter(staff=user, next_on__lte=today, gift__isnull=True).exclude(Exists(later))

    def open_promises_by_sector(self):
        """Open promises per sector of the donor (its own, else its branch's), largest first:
        figures only, for the dashboard, which names no donor."""
        return (
            self.open_promises()
            .with_outstanding()
            .values(sector=models.functions.Coalesce("donor__sector__name", "donor__branch__sector__name"))
            .annotate(total=money_sum("outstanding"), promises=Count("id"))
            .order_by("-total", "sector")
        )


class FollowUp(models.Model):
    class Method(models.TextChoices):
        VISIT = "visit", "上门"
        PHONE = "phone", "电话"
        LETTER = "letter", "函件"
        MEETING = "meeting", "会议"

    donor = models.ForeignKey(
        "donations.Donor", models.PROTECT, related_name="follow_ups", verbose_name="单位或个人"
    )
    contacted_on = models.DateField("跟进日期", default=timezone.localdate)
    method = models.CharField("方式", max_length=10, choices=Method.choices, default=Method.VISIT)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="follow_ups",
        verbose_name="跟进人",
        limit_choices_to={"is_staff": True, "is_active": True},
        db_index=False,  # follow_up_staff_next_idx leads with it
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name="针对活动",
        help_text="承诺捐给哪次活动；看板按活动列出尚未兑现的承诺",
    )
    outcome = models.TextField("结果", blank=True)
    promised_amount = models.DecimalField("承诺金额（元）", max_digits=14, decimal_places=2, default=0)
    next_on = models.DateField("下次跟进日期", null=True, blank=True)
    gift = models.ForeignKey(
        "donations.Donation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name="兑现的捐赠",
        help_text="承诺的钱到账、录入捐赠后，在这里选择那笔捐赠，承诺即显示为已兑现",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = "劝募跟进"
        verbose_name_plural = "劝募跟进"
        ordering = ["-contacted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_amount__gte=0), name="follow_up_promise_not_negative"
            ),
            # Only a promise can be kept by a gift.
            models.CheckConstraint(
                condition=Q(gift__isnull=True) | Q(promised_amount__gt=0),
                name="follow_up_gift_keeps_a_promise",
            ),
        ]
        indexes = [
            # 「我的待跟进」: one member of staff's follow-ups by next date.
            models.Index(fields=["staff", "next_on"], name="follow_up_staff_next_idx"),
        ]

    def __str__(self):
        # The donor as whoever acts may read it (Donor.__str__), for messages and audit entries.
        return f"{self.contacted_on:%Y-%m-%d} {self.get_method_display()} {self.donor}"

    @property
    def is_kept(self):
        return self.gift_id is not None

    def clean(self):
        errors = {}
        if self.gift_id and not self.promised_amount:
            errors["gift"] = "只有承诺了金额的跟进才能关联兑现的捐赠，请先填写承诺金额"
        if self.gift_id and self.donor_id and self.gift.donor_id != self.donor_id:
            errors["gift"] = "兑现的捐赠必须是本跟进对象（同一单位或个人）的捐赠"
        if self.gift_id and self.campaign_id and self.gift.campaign_id != self.campaign_id:
            errors["gift"] = "兑现的捐赠不属于所填的活动"
        if self.next_on and self.next_on < self.contacted_on:
            errors["next_on"] = "下次跟进日期不能早于本次跟进日期"
        if errors:
            raise ValidationError(errors)
        if self.gift_id and not self.campaign_id:
            self.campaign_id = self.gift.campaign_id
