"""What a statement brought in: the mapping that reads a bank's export, the statement, its credits."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, Q, Value, When

from charity.money import money_sum, to_yuan


class StatementMapping(models.Model):
    """Which column of one bank's export holds what: set once per bank, used for every export.

    The defaults are the usual spellings of the big banks' exports, so most mappings only name
    the bank.
    """

    name = models.CharField("映射名称", max_length=100, unique=True, help_text="例如“工商银行对公账户”")
    date_column = models.CharField(
        "日期列", max_length=50, default="交易日期", help_text="交易日期或记账日期"
    )
    payer_name_column = models.CharField("付款人户名列", max_length=50, default="对方户名")
    payer_account_column = models.CharField(
        "付款人账号列", max_length=50, blank=True, default="对方账号", help_text="没有这一列时留空"
    )
    amount_column = models.CharField(
        "收入金额列",
        max_length=50,
        default="贷方发生额",
        help_text="贷方发生额或收入金额；为空或为 0 的行是支出，不参与对账",
    )
    memo_column = models.CharField(
        "摘要列", max_length=50, blank=True, default="摘要", help_text="摘要或用途；没有时留空"
    )
    serial_column = models.CharField(
        "流水号列", max_length=50, default="流水号", help_text="每笔交易唯一的编号：同一笔再次导入时据此跳过"
    )

    class Meta:
        verbose_name = "银行流水列映射"
        verbose_name_plural = "银行流水列映射"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def columns(self):
        """{what: header} of the columns this mapping reads (empty optional ones left out)."""
        wanted = {
            "date": self.date_column,
            "payer_name": self.payer_name_column,
            "payer_account": self.payer_account_column,
            "amount": self.amount_column,
            "memo": self.memo_column,
            "serial": self.serial_column,
        }
        return {key: header.strip() for key, header in wanted.items() if header.strip()}


class Source(models.TextChoices):
    BANK = "bank", "银行流水"
    WECHAT = "wechat", "微信支付账单"


class Statement(models.Model):
    """One uploaded file: a bank statement export or a WeChat Pay trade bill."""

    source = models.CharField("类型", max_length=10, choices=Source.choices)
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    mapping = models.ForeignKey(
        StatementMapping,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name="列映射",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="导入人",
    )
    uploaded_at = models.DateTimeField("导入时间", auto_now_add=True)
    first_day = models.DateField("最早到账日期", null=True, blank=True)
    last_day = models.DateField("最晚到账日期", null=True, blank=True)
    credit_count = models.PositiveIntegerField("新到账笔数", default=0)
    repeated_count = models.PositiveIntegerField(
        "已导入过的笔数", default=0, help_text="流水号或微信订单号此前已导入，这次未重复计入"
    )

    class Meta:
        verbose_name = "对账单"
        verbose_name_plural = "对账单"
        ordering = ["-uploaded_at", "-id"]
        permissions = [("reconcile_statement", "可以导入对账单并处理对账结果")]

    def __str__(self):
        return f"{self.get_source_display()} {self.file_name}"


class Outcome(models.TextChoices):
    MATCHED = "matched", "已匹配"
    DOUBTFUL = "doubtful", "待确认"
    DIFFERS = "differs", "金额不符"
    UNMATCHED = "unmatched", "无对应捐赠"


class CreditQuerySet(models.QuerySet):
    def with_state(self):
        """Each credit's `current`: its outcome, or 无对应捐赠 once its gift was deleted (a pending
        gift may be; the credit keeps its row, SET_NULL, and is a credit with no gift again)."""
        return self.annotate(
            current=Case(When(donation__isnull=True, then=Value(Outcome.UNMATCHED)), default=F("outcome"))
        )

    def outcome_counts(self):
        """{outcome: (count, total 元)} of these credits by state, every outcome present."""
        rows = self.order_by().with_state().values("current").annotate(n=Count("id"), total=money_sum())
        found = {row["current"]: (row["n"], to_yuan(row["total"])) for row in rows}
        return {outcome: found.get(outcome, (0, to_yuan(0))) for outcome in Outcome.values}


class StatementCredit(models.Model):
    """One credit of a statement (a transfer in, or a paid WeChat Pay order) and the gift it is."""

    statement = models.ForeignKey(Statement, models.CASCADE, related_name="credits", verbose_name="对账单")
    source = models.CharField("类型", max_length=10, choices=Source.choices)
    serial = models.CharField("流水号", max_length=64, help_text="银行流水号或微信订单号")
    row_number = models.PositiveIntegerField("文件行号")
    received_on = models.DateField("到账日期")
    payer_name = models.CharField("付款人", max_length=200, blank=True)
    payer_account = models.CharField(
        "付款账号", max_length=100, blank=True, help_text="银行账号，或微信支付的用户标识"
    )
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    memo = models.CharField("摘要", max_length=500, blank=True)
    outcome = models.CharField("对账结果", max_length=10, choices=Outcome.choices, default=Outcome.UNMATCHED)
    donation = models.ForeignKey(
        "donations.Donation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="credits",
        verbose_name="对应捐赠",
    )
    reason = models.CharField("匹配依据", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)

    objects = CreditQuerySet.as_manager()

    class Meta:
        verbose_name = "到账记录"
        verbose_name_plural = "到账记录"
        ordering = ["received_on", "row_number"]
        constraints = [
            # Importing the same statement (or an overlapping one) twice adds nothing: a credit is
            # known by its bank serial number or WeChat Pay order number.
            models.UniqueConstraint(fields=["source", "serial"], name="credit_unique_serial"),
            # A gift arrives once: it answers one credit at most.
            models.UniqueConstraint(
                fields=["donation"], condition=Q(donation__isnull=False), name="credit_one_per_donation"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_amount_positive"),
        ]

    def __str__(self):
        return f"{self.received_on} {self.payer_name or '（无户名）'} {self.amount}元"

    @property
    def state(self):
        """As CreditQuerySet.with_state(), for a loaded credit."""
        return self.outcome if self.donation_id else Outcome.UNMATCHED

    @property
    def shown_reason(self):
        if self.donation_id is None and self.outcome != Outcome.UNMATCHED:
            return "原对应的捐赠已被删除"
        return self.reason
