from django.contrib import admin

from charity.admin import AuditHistoryMixin
from charity.admin_columns import count_column, yuan_column

from .models import Campaign


@admin.register(Campaign)
class CampaignAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "year", "start_date", "end_date", "goal_yuan", "raised", "donation_count"]
    list_filter = ["kind", "year"]
    search_fields = ["name"]
    ordering = ["-year", "-start_date"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    goal_yuan = yuan_column("goal", "目标金额（元）")
    raised = yuan_column("raised", "已募集（元）")
    donation_count = count_column("donation_count", "捐赠笔数")
