from django.apps import AppConfig

# How the keys the publication services and loaddemo write into audit entries read in the admin.
AUDIT_DATA_LABELS = {
    "year": "年度",
    # corrections (更正说明 and their drafts, annual summary versions)
    "drafts": "草稿编号",
    "documents": "已公布文件",
    "cause": "起因",
    "title": "已公布文件",
    "version": "版本",
    "supersedes": "取代的校验码",
    # loaddemo (campaigns/demo)
    "campaigns": "募捐活动数",
    "branches": "分会数",
    "units": "单位数",
    "people": "个人数",
    "projects": "救助项目数",
}


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"
    verbose_name = "募捐活动"

    def ready(self):
        from charity import audit, page_cache

        from .models import (
            AnnualSummaryDocument,
            Campaign,
            HonorRollIssue,
            RankingCategory,
            RankingEdition,
            RankingEntry,
            ReportNarrative,
            YearReport,
        )

        # Drafts and staff's review are recorded save by save; publishing and errata are one
        # named entry each, written by campaigns.services.
        audit.track(
            Campaign,
            HonorRollIssue,
            RankingEdition,
            RankingCategory,
            RankingEntry,
            ReportNarrative,
            YearReport,
        )
        audit.describe_data(AUDIT_DATA_LABELS)
        # Public pages show campaigns and their publications: a change makes cached pages stale.
        page_cache.watch(*self.get_models())

        from charity import publications

        from . import services
        from .annual_summary import drift as summary_drift
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

        from .annual_report import drift as year_report_drift

        # A released year report: its headline against the ledger; corrected by its next version.
        publications.register(
            YearReport,
            published=year_report_drift.published,
            figures=year_report_drift.figures,
            url=year_report_drift.url,
            correct=year_report_drift.correct,
        )

        from .corrections.drafts import prepare_drafts

        # After an action in the ledger's admin contradicted published documents (charity.publications).
        publications.register_drafter(prepare_drafts)

        # Files of honor rolls and rankings, rendered by the worker when they are published.
        from . import artifacts

        artifacts.register()
        from .annual_report import files as year_report_files

        year_report_files.register()  # the released year report's PDF and Word file

        # 信息公开's documents list the released annual summaries by themselves.
        from relief.organisation import documents

        from . import tasks  # noqa: F401  (registers how the summary job reads)
        from .selectors import released_summary_documents

        documents.register(released_summary_documents)
        from .annual_report.views import released_documents as released_year_reports

        documents.register(released_year_reports)
