from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"
    verbose_name = "募捐活动"

    def ready(self):
        from charity import audit

        from .models import Campaign, HonorRollIssue, RankingCategory, RankingEdition, RankingEntry

        # Drafts and staff's review are recorded save by save; publishing and errata are one
        # named entry each, written by campaigns.services.
        audit.track(Campaign, HonorRollIssue, RankingEdition, RankingCategory, RankingEntry)

        from . import freshness

        freshness.connect()

        from . import tasks  # noqa: F401  (registers how the summary job reads)
