from django.apps import AppConfig


class ReliefConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "relief"
    verbose_name = "慈善救助"

    def ready(self):
        from charity import audit

        from .models import ReliefProject

        audit.track(ReliefProject)
