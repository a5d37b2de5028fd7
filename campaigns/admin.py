from django.contrib import admin

from charity.admin import AuditHistoryMixin

from .models import Campaign


@admin.register(Campaign)
class CampaignAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "year", "start_date", "end_date", "goal", "raised", "donation_count"]
    list_filter = ["kind", "year"]
    search_fields = ["name"]
    ordering = ["-year", "-start_date"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    @admin.display(description="已募集（元）", ordering="raised")
    def raised(self, obj):
        return obj.raised

    @admin.display(description="捐赠笔数", ordering="donation_count")
    def donation_count(self, obj):
        return obj.donation_count
