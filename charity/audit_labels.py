"""How the audit trail reads in the admin: action codes' Chinese labels (each app describes its
own, `charity.audit.describe`) and the labels of the keys of an entry's data.

Apart from charity/audit.py, which writes entries, so that charity.models.AuditEntry can show its
labels without importing the writer that imports it.
"""

_labels = {}

# How the keys of an entry's data read in the admin; services use these keys (English, so the
# admin can search them as JSON paths, e.g. data__sha256).
DATA_LABELS = {
    "file_name": "文件名",
    "sha256": "SHA-256",
    "campaign": "活动",
    "rows": "行数",
    "donations": "捐赠笔数",
    "lines": "明细行数",
    "new_donors": "新建捐赠人数",
    "total": "总金额（元）",
    "forced": "强制导入",
    "outside_dates_allowed": "允许活动期外日期",
    "donations_deleted": "删除捐赠笔数",
    "lines_deleted": "删除明细条数",
    "donors_deleted": "删除捐赠人数",
    # review
    "donations_confirmed": "确认捐赠笔数",
    "ids": "捐赠编号",
    "reversal": "冲正记录编号",
    "amount": "金额（元）",
    "reason": "原因",
    # loaddemo
    "campaigns": "募捐活动数",
    "branches": "分会数",
    "units": "单位数",
    "people": "个人数",
    "projects": "救助项目数",
    # background jobs
    "filters": "筛选条件",
    "year": "年度",
    # relief
    "project": "项目",
    "erratum": "更正说明编号",
    "text": "内容",
    # corrections (更正说明 and their drafts, annual summary versions)
    "changes": "更正数字项数",
    "drafts": "草稿编号",
    "documents": "已公布文件",
    "cause": "起因",
    "title": "已公布文件",
    "version": "版本",
    "supersedes": "取代的校验码",
    # reconciliation (对账, donations/reconciliation/services.py)
    "new": "新到账笔数",
    "repeated": "已导入过的笔数",
    "matched": "已匹配",
    "doubtful": "待确认",
    "differs": "金额不符",
    "unmatched": "无对应捐赠",
    "donation": "对应捐赠",
    "count": "笔数",
    # two-factor sign-in
    "codes": "恢复码个数",
    "codes_left": "剩余恢复码",
    "devices": "删除的设备数",
    "sessions_ended": "结束的登录会话数",
}


def describe(action, label):
    """Give an action code its Chinese label for the admin (services call this at import)."""
    _labels[action] = label
    return action


def action_label(action):
    return _labels.get(action, action)


def data_items(data):
    """[(label, value)] of an entry's data, for the admin."""
    return [(DATA_LABELS.get(key, key), value) for key, value in data.items()]
