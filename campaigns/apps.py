from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"
    verbose_name = "募捐活动"

    def ready(self):
        from charity import audit

        from .models import Campaign

        audit.track(Campaign)

        from . import freshness

        freshness.connect()
