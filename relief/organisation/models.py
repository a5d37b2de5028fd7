"""Who governs the federation, and the funds set up inside it: what the disclosure rules (慈善组织
信息公开办法) ask an organisation to publish about itself. Members of the bodies are public office
holders, published by name as the rules require; nothing here is a beneficiary's or donor's data."""

from django.db import models


class OrganisationBody(models.Model):
    class Kind(models.TextChoices):
        DECISION = "decision", "决策机构"
        EXECUTIVE = "executive", "执行机构"
        SUPERVISORY = "supervisory", "监督机构"

    name = models.CharField("名称", max_length=60, help_text="例如 第六届理事会、秘书处、第六届监事会")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    term = models.CharField("任期", max_length=40, blank=True, help_text="例如 2021年9月—2026年9月")
    duties = models.CharField("职责", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class BodyMember(models.Model):
    body = models.ForeignKey(
        OrganisationBody, models.CASCADE, related_name="members", verbose_name="组织机构"
    )
    name = models.CharField("姓名", max_length=30)
    position = models.CharField("职务", max_length=30, help_text="例如 会长、副会长、理事、监事长")
    affiliation = models.CharField("工作单位及职务", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "成员"
        verbose_name_plural = "成员"
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.position} {self.name}"


class NamedFund(models.Model):
    """冠名基金: a fund a donor set up inside the federation, managed by it."""

    name = models.CharField("基金名称", max_length=100, unique=True)
    founder = models.CharField("设立人", max_length=100, help_text="公开显示的设立单位或个人名称")
    founded_on = models.DateField("设立日期")
    pledged = models.DecimalField(
        "协议金额（元）", max_digits=14, decimal_places=2, null=True, blank=True, help_text="不公开可不填"
    )
    purpose = models.CharField("用途", max_length=300)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "冠名基金"
        verbose_name_plural = "冠名基金"
        ordering = ["order", "founded_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pledged__isnull=True) | models.Q(pledged__gt=0),
                name="named_fund_pledged_positive",
            ),
        ]

    def __str__(self):
        return self.name
