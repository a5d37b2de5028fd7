from django.contrib import admin

from charity.admin import AuditHistoryMixin

from .models import ReliefProject


@admin.register(ReliefProject)
class ReliefProjectAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "category", "year", "budget", "partners", "active"]
    list_filter = ["category", "year", "active"]
    search_fields = ["name", "partners"]
    ordering = ["-year", "name"]
