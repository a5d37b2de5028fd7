"""How the audit trail reads in the admin: action codes' Chinese labels (each app describes its
own, `charity.audit.describe`) and the labels of the keys of an entry's data (the kernel's here;
each app adds the keys its services write, `charity.audit.describe_data`, from its ready()).

Apart from charity/audit.py, which writes entries, so that charity.models.AuditEntry can show its
labels without importing the writer that imports it.
"""

_labels = {}

# How the keys of an entry's data read in the admin; services use these keys (English, so the
# admin can search them as JSON paths, e.g. data__sha256). Here the keys the kernel's own writers
# use; the apps add theirs (describe_data).
DATA_LABELS = {
    # spreadsheet imports (charity/resources.py)
    "file_name": "文件名",
    "rows": "行数",
    "new_rows": "新增行数",
    "updated_rows": "更新行数",
    "unchanged_rows": "未变行数",
    # published snapshots and their errata (charity/snapshots.py)
    "sha256": "SHA-256",
    "erratum": "更正说明编号",
    "text": "内容",
    "reason": "原因",
    "changes": "更正数字项数",
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


def describe_data(labels):
    """Give the keys an app's services write into entries' data their Chinese labels (called
    from the app's ready()). A key two apps use must read the same in both."""
    for key, label in labels.items():
        if DATA_LABELS.setdefault(key, label) != label:
            raise ValueError(f"审计数据项 {key} 已有不同的名称：{DATA_LABELS[key]}")


def action_label(action):
    return _labels.get(action, action)


def data_items(data):
    """[(label, value)] of an entry's data, for the admin."""
    return [(DATA_LABELS.get(key, key), value) for key, value in data.items()]
