"""What publishing a draft would publish, shown before anyone publishes it (issue #19 item 2).

A preview runs the very `check` and `freeze` the publish service runs (charity.snapshots), inside
a transaction that is always rolled back: an honor-roll issue's freeze records which gifts it
lists and a ranking's refreshes its candidates, and none of that may stay behind a look. So the
preview's content, and its fingerprint, are what publishing now would freeze, byte for byte.

Each kind (honor rolls, rankings, disclosures) builds its `Preview` next to its content builder
from that content: the figures people check, the first rows, what changed since the previous
document of the same series, and warnings. The admin page (charity.admin_publishing) and the
command `manage.py publish` show the same Preview; a confirmation carries `token`, so what is
published is what was previewed.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction

from .snapshots import SnapshotError, fingerprint

CHANGED_SINCE_PREVIEW = "预览之后数据有变化，未发布。下面是最新的预览，请重新核对后再确认发布。"


class _RollBack(Exception):
    pass


class ChangedSincePreview(SnapshotError):
    def __init__(self):
        super().__init__(CHANGED_SINCE_PREVIEW)


def dry_run(snapshot, *, freeze, check=None):
    """(content, refusal): the content publishing would freeze now, nothing saved; refusal is the
    service's message when it would refuse (content is then None)."""
    model = type(snapshot)
    result = {}
    try:
        with transaction.atomic():
            locked = model._base_manager.get(pk=snapshot.pk)
            try:
                if locked.is_published:
                    raise SnapshotError(f"“{locked}”已发布，不能再次发布")
                if check is not None:
                    check(locked)
                result["content"] = freeze(locked)
            except SnapshotError as refusal:
                result["refusal"] = refusal.message
            raise _RollBack
    except _RollBack:
        pass
    return result.get("content"), result.get("refusal")


@dataclass
class Preview:
    """Everything a clerk checks before publishing, as text ready to show (money via charity.money)."""

    title: str
    content: dict | None
    refusal: str | None = None  # the service would refuse: nothing can be published
    figures: list = field(default_factory=list)  # [(label, text)]
    columns: list = field(default_factory=list)  # headings of the first rows
    rows: list = field(default_factory=list)  # [[text, ...]] the first rows as published
    row_count: int = 0  # all rows, of which `rows` are the first
    previous: str | None = None  # the previous published document of the series, or None
    changes: list = field(default_factory=list)  # [text] since `previous`
    warnings: list = field(default_factory=list)  # [text] shown, explicit, not blocking

    @property
    def fingerprint(self):
        return fingerprint(self.content) if self.content is not None else ""

    @property
    def token(self):
        """What a confirmation posts back: the content and the warnings that were shown. If either
        differs when the clerk confirms, the data changed after the preview."""
        text = "\n".join([self.fingerprint, *self.warnings])
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def can_publish(self):
        return self.refusal is None and self.content is not None

    def lines(self):
        """The preview as plain text lines: what `manage.py publish` prints."""
        out = [f"预览：{self.title}"]
        if self.refusal:
            return [*out, f"不能发布：{self.refusal}"]
        out += [f"  {label}：{text}" for label, text in self.figures]
        if self.rows:
            out.append(f"前 {len(self.rows)} 行（共 {self.row_count} 行）：")
            out.append("  " + " | ".join(self.columns))
            out += ["  " + " | ".join(row) for row in self.rows]
        if self.previous:
            out.append(f"与上一份（{self.previous}）相比：")
            out += [f"  {change}" for change in self.changes] or ["  无变化"]
        else:
            out.append("这是本系列第一份，没有可比较的上一份")
        if self.warnings:
            out.append(f"提示（{len(self.warnings)} 条）：")
            out += [f"  ！{warning}" for warning in self.warnings]
        else:
            out.append("提示：无")
        out.append(f"内容指纹（SHA-256）：{self.fingerprint}")
        return out


def publish_as_previewed(publish, draft, user, shown):
    """Publish `draft` with the app's service; if what it froze is not what `shown` previewed (the
    data changed between the preview and the service's lock), undo it all, audit entry included,
    and raise ChangedSincePreview."""
    with transaction.atomic():
        published = publish(draft, user)
        if published.content_sha256 != shown.fingerprint:
            raise ChangedSincePreview
    return published


FIRST_ROWS = 20


def name_changes(before, after, noun="名单", removed=True):
    """[text] of rows added to and (unless `removed` is False: a list of what is new each time)
    removed from a list of names, and the names that are new."""
    show_removed = removed
    added = [n for n in dict.fromkeys(after) if n not in set(before)]
    removed = [n for n in dict.fromkeys(before) if n not in set(after)]
    changes = []
    if added:
        shown = "、".join(added[:10]) + ("等" if len(added) > 10 else "")
        changes.append(f"{noun}新增 {len(added)} 个名称：{shown}")
    if removed and show_removed:
        shown = "、".join(removed[:10]) + ("等" if len(removed) > 10 else "")
        changes.append(f"{noun}不再出现 {len(removed)} 个名称：{shown}")
    return changes
