from django.apps import AppConfig


class ReliefConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "relief"
    verbose_name = "慈善救助"

    def ready(self):
        from charity import audit, page_cache

        from .models import (
            Beneficiary,
            BodyMember,
            Disbursement,
            DisbursementShare,
            Disclosure,
            DisclosureErratum,
            FilingErratum,
            NamedFund,
            OrganisationBody,
            ProjectPhoto,
            ProjectYear,
            ReliefProject,
            StatutoryFiling,
        )

        audit.describe_data({"project": "项目"})
        # Public pages show projects, spending and disclosures: a change makes cached pages stale.
        page_cache.watch(*self.get_models())
        # Beneficiary's identity number is recorded as changed, never by value (audit_redacted).
        audit.track(
            ReliefProject,
            ProjectYear,
            ProjectPhoto,
            Disbursement,
            DisbursementShare,
            Beneficiary,
            Disclosure,
            DisclosureErratum,
            StatutoryFiling,
            FilingErratum,
            OrganisationBody,
            BodyMember,
            NamedFund,
        )

        from charity import publications

        from . import drift, services

        # check_publications and the dashboard recompute every published disclosure; a correction
        # prepared from that is published as the disclosure's erratum.
        publications.register(
            Disclosure,
            published=drift.published,
            figures=drift.figures,
            url=drift.url,
            correct=publications.erratum_publisher(services.publish_disclosure_erratum),
        )

        from . import artifacts

        # A disclosure's downloads, rendered by the worker when it is published.
        artifacts.register()
