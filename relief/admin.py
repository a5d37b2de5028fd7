from django.contrib import admin

from charity.admin import AuditHistoryMixin
from charity.admin_columns import yuan_column

from .models import ReliefProject


@admin.register(ReliefProject)
class ReliefProjectAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "category", "year", "budget_yuan", "partners", "active"]
    list_filter = ["category", "year", "active"]
    search_fields = ["name", "partners"]
    ordering = ["-year", "name"]

    budget_yuan = yuan_column("budget", "预算（元）")
