from django.apps import AppConfig


class DonationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "donations"
    verbose_name = "捐赠管理"

    def ready(self):
        from charity import audit

        from .models import Branch, Donation, Donor, ImportBatch, RemittanceLine, Sector, StatementMapping

        audit.track(Branch, Donation, Donor, ImportBatch, RemittanceLine, Sector, StatementMapping)
        from . import signals, tasks  # noqa: F401  (tasks: registers the import and export jobs)

        # The campaigns' freshness stamps follow hand edits of the ledger.
        signals.connect()
