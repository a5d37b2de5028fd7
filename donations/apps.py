from django.apps import AppConfig

# How the keys the ledger's services write into audit entries read in the admin.
AUDIT_DATA_LABELS = {
    # imports, batches and exports
    "campaign": "活动",
    "donations": "捐赠笔数",
    "lines": "明细行数",
    "new_donors": "新建捐赠人数",
    "total": "总金额（元）",
    "forced": "强制导入",
    "outside_dates_allowed": "允许活动期外日期",
    "donations_deleted": "删除捐赠笔数",
    "lines_deleted": "删除明细条数",
    "donors_deleted": "删除捐赠人数",
    "filters": "筛选条件",
    # review
    "donations_confirmed": "确认捐赠笔数",
    "ids": "捐赠编号",
    "reversal": "冲正记录编号",
    "amount": "金额（元）",
    # merging two donor records (donations/merging.py)
    "merged": "并入的记录",
    "follow_ups": "劝募跟进条数",
    "staff": "职工人数",
    # reconciliation (对账, donations/reconciliation/services.py)
    "new": "新到账笔数",
    "repeated": "已导入过的笔数",
    "matched": "已匹配",
    "doubtful": "待确认",
    "differs": "金额不符",
    "unmatched": "无对应捐赠",
    "donation": "对应捐赠",
    "count": "笔数",
}


class DonationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "donations"
    verbose_name = "捐赠管理"

    def ready(self):
        from charity import audit, page_cache

        from .models import (
            Branch,
            Donation,
            Donor,
            FollowUp,
            ImportBatch,
            RemittanceLine,
            Sector,
            StatementMapping,
        )

        audit.track(Branch, Donation, Donor, FollowUp, ImportBatch, RemittanceLine, Sector, StatementMapping)
        audit.describe_data(AUDIT_DATA_LABELS)
        # Public pages show the ledger's rows: a change of any makes cached pages stale.
        page_cache.watch(*self.get_models())
        from . import signals, tasks  # noqa: F401  (tasks: registers the import and export jobs)

        # The campaigns' freshness stamps follow hand edits of the ledger.
        signals.connect()
