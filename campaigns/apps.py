from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"
    verbose_name = "募捐活动"

    def ready(self):
        from charity import audit

        from .models import (
            AnnualSummaryDocument,
            Campaign,
            HonorRollIssue,
            RankingCategory,
            RankingEdition,
            RankingEntry,
            ReportNarrative,
        )

        # Drafts and staff's review are recorded save by save; publishing and errata are one
        # named entry each, written by campaigns.services.
        audit.track(Campaign, HonorRollIssue, RankingEdition, RankingCategory, RankingEntry, ReportNarrative)

        from charity import publications

        from . import services, summary_drift
        from .honor_rolls import drift as honor_roll_drift
        from .rankings import drift as ranking_drift

        # check_publications and the dashboard recompute every published document from the ledger;
        # a correction of each kind is published by its own service (corrections/drafts.py).
        erratum = publications.erratum_publisher
        for model, kind, correct in (
            (HonorRollIssue, honor_roll_drift, erratum(services.publish_honor_roll_erratum)),
            (RankingEdition, ranking_drift, erratum(services.publish_ranking_erratum)),
            (AnnualSummaryDocument, summary_drift, services.correct_summary),
        ):
            publications.register(
                model, published=kind.published, figures=kind.figures, url=kind.url, correct=correct
            )

        from .corrections.drafts import prepare_drafts

        # After an action in the ledger's admin contradicted published documents (charity.publications).
        publications.register_drafter(prepare_drafts)

        # Files of honor rolls and rankings, rendered by the worker when they are published.
        from . import artifacts

        artifacts.register()

        from . import tasks  # noqa: F401  (registers how the summary job reads)
