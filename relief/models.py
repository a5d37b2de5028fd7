from django.db import models
from django.db.models import Q


class ReliefProject(models.Model):
    """救助项目: what the money is spent on, and the target of directed donations (定向捐)."""

    class Category(models.TextChoices):
        MEDICAL = "medical", "医疗救助"
        MENTAL_HEALTH = "mental_health", "精神卫生"
        EDUCATION = "education", "助学"
        HOUSING = "housing", "住房保障"
        INSURANCE = "insurance", "慈善保险"
        DISASTER = "disaster", "灾害救助"
        ELDERLY = "elderly", "助老"
        DISABILITY = "disability", "助残"
        POVERTY = "poverty", "扶贫济困"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=100, unique=True)
    category = models.CharField("类别", max_length=16, choices=Category.choices, default=Category.OTHER)
    year = models.PositiveSmallIntegerField("年度")
    budget = models.DecimalField("预算（元）", max_digits=14, decimal_places=2, default=0)
    partners = models.CharField("合作单位", max_length=300, blank=True, help_text="多个单位用顿号“、”分隔")
    description = models.TextField("项目说明", blank=True)
    active = models.BooleanField("进行中", default=True)

    class Meta:
        verbose_name = "救助项目"
        verbose_name_plural = "救助项目"
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="relief_project_budget_not_negative"),
        ]

    def __str__(self):
        return self.name

    @property
    def partner_list(self):
        return [
            p.strip() for p in self.partners.replace(",", "、").replace("，", "、").split("、") if p.strip()
        ]
