"""The year report through the publication layer: draft → preview → release → new versions.

A `YearReport` is a charity.snapshots.Snapshot. `new_draft(year)` makes the year's next version
(第N版) with its verification code; `preview(draft)` shows what releasing it now would freeze
(charity.previews: the very freeze, rolled back), with every number typed into a narrative
flagged as a warning; `release(draft, user)` freezes the report built from the ledger and the
narratives (publish_snapshot: one transaction, one audit entry) and the worker renders its PDF and
Word file from that frozen content (artifacts.py). Version 2 and later need a reason: the frozen
content then opens with the 更正说明 (reason, headline figures before → after, the void
statement), and the earlier version's verification page says it was superseded.
"""

import dataclasses
import re
import secrets
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from charity import audit, identity
from charity.previews import Preview, dry_run
from charity.snapshots import SnapshotError, publish_snapshot

from ..annual_summary.figures import display_code, normalize_code
from ..annual_summary.preview import year_not_settled
from ..models import Campaign
from . import narratives
from .document import Chart, Heading, Narrative, Paragraph, Report, Table, build_report
from .models import ReportNarrative, YearReport

RELEASED = audit.describe("campaigns.year_report.released", "发布年度工作报告")
VOID_STATEMENT = "第{version}版中与上述不同的数字同时作废，以本版为准。"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
BLOCKS = {cls.kind: cls for cls in (Heading, Paragraph, Table, Chart, Narrative)}
# The headline figures the verification page shows and a new version compares (placeholders'
# names: narratives.placeholder_values, the same text as the report prints).
HEADLINE = ("募集总额", "进入总会账户", "直接捐赠", "活动数", "分会上升数", "救助支出", "受助人次")


def verify_url(code):
    return settings.SITE_URL + reverse("campaigns:year_report_verify", args=[display_code(code)])


def find(code):
    return YearReport.objects.filter(code=normalize_code(code), status=YearReport.Status.PUBLISHED).first()


def latest(year):
    published = YearReport.objects.filter(year=year, status=YearReport.Status.PUBLISHED)
    return published.order_by("-version").first()


def superseded_by(report):
    """The version that replaced this published one, or None while it is the year's latest."""
    later = YearReport.objects.filter(
        year=report.year, status=YearReport.Status.PUBLISHED, version__gt=report.version
    )
    return later.order_by("version").first()


def new_draft(year, reason=""):
    """The year's unpublished draft (the one already there, its reason updated), or a new one
    numbered after the latest published version."""
    if not Campaign.objects.of_year(year).exists():
        raise SnapshotError(f"{year}年度没有募捐活动，无法生成年度工作报告")
    draft = YearReport.objects.filter(year=year, status=YearReport.Status.DRAFT).first()
    if draft is not None:
        if reason and draft.reason != reason:
            draft.reason = reason
            draft.save()
        return draft
    last = latest(year)
    return YearReport.objects.create(
        year=year, version=last.version + 1 if last else 1, code=secrets.token_hex(6), reason=reason
    )


def check(draft):
    last = latest(draft.year)
    expected = last.version + 1 if last else 1
    if draft.version != expected:
        raise SnapshotError(
            f"“{draft}”的版本号不对：{draft.year}年度已发布到第{expected - 1}版，应发布第{expected}版；"
            "请删除此草稿后重新创建"
        )
    if last is not None and not draft.reason.strip():
        raise SnapshotError(
            f"{draft.year}年度工作报告已发布第{last.version}版，再次发布即为更正：请填写更正原因"
        )


def freeze(draft):
    """The report of the ledger and the narratives now, as published: blocks, headline, cover."""
    site = identity.current()
    report = build_report(draft.year, site.full_name)
    values = narratives.placeholder_values(draft.year)
    headline = {name: values[name] for name in HEADLINE}
    content = {
        "year": draft.year,
        "version": draft.version,
        "code": draft.code,
        "title": report.title,
        "organisation": report.organisation,
        "office": report.office,
        "date": report.date.isoformat(),
        "headline": headline,
        "blocks": [frozen(block, number) for number, block in enumerate(report.blocks)],
    }
    last = latest(draft.year)
    if last is not None:
        content["correction"] = correction(last, draft, headline)
        content["blocks"] = [*correction_blocks(content["correction"]), *content["blocks"]]
    return content


def frozen(block, number):
    """A block as JSON. A chart's SVG carries pygal's random id (charity.charts); it becomes one
    named by the block's place, so the same ledger freezes to the same content (the preview's
    fingerprint is what publishing freezes) and two charts still differ."""
    data = {"kind": block.kind, **dataclasses.asdict(block)}
    if block.kind == "Chart":
        data["svg"] = UUID.sub(f"year-report-chart-{number}", str(block.svg))
    return data


def correction(previous, draft, headline):
    before = previous.content.get("headline", {})
    return {
        "version": draft.version,
        "previous_version": previous.version,
        "previous_code": display_code(previous.code),
        "reason": draft.reason.strip(),
        "changes": [
            {"label": name, "before": before.get(name, "—"), "after": headline[name]}
            for name in HEADLINE
            if before.get(name) != headline[name]
        ],
        "void_statement": VOID_STATEMENT.format(version=previous.version),
    }


def correction_blocks(fix):
    """The 更正说明 printed before the report's sections, as blocks both files print."""
    blocks = [
        {"kind": "Heading", "text": f"更正说明（第{fix['version']}版）"},
        {
            "kind": "Paragraph",
            "text": f"本版更正第{fix['previous_version']}版（校验码 {fix['previous_code']}）。"
            f"更正原因：{fix['reason']}",
            "note": False,
        },
    ]
    if fix["changes"]:
        rows = [[c["label"], c["before"], c["after"]] for c in fix["changes"]]
        blocks.append(
            {"kind": "Table", "header": ["项目", "原公布", "更正后"], "rows": rows, "numeric": [1, 2]}
        )
    blocks.append({"kind": "Paragraph", "text": fix["void_statement"], "note": False})
    return blocks


def thaw(content):
    """The Report the files print, from the frozen content."""
    blocks = []
    for stored in content["blocks"]:
        fields = {key: value for key, value in stored.items() if key != "kind"}
        if "numeric" in fields:
            fields["numeric"] = tuple(fields["numeric"])
        if "svg" in fields:
            # Drawn by charity.charts when frozen (labels escaped by pygal); JSON loses its safeness.
            fields["svg"] = mark_safe(fields["svg"])  # noqa: S308
        blocks.append(BLOCKS[stored["kind"]](**fields))
    return Report(
        year=content["year"],
        title=content["title"],
        organisation=content["organisation"],
        office=content["office"],
        date=date.fromisoformat(content["date"]),
        blocks=blocks,
    )


def release(draft, user, *, at=None):
    return publish_snapshot(draft, user, freeze=freeze, check=check, action=RELEASED, at=at)


def preview(draft):
    content, refusal = dry_run(draft, freeze=freeze, check=check)
    shown = Preview(title=str(draft), content=content, refusal=refusal)
    if content is None:
        return shown
    shown.figures = [
        *[(name, content["headline"][name]) for name in HEADLINE],
        ("版本", f"第{draft.version}版"),
        ("校验码", display_code(draft.code)),
    ]
    fix = content.get("correction")
    if fix:
        shown.previous = f"第{fix['previous_version']}版（校验码 {fix['previous_code']}）"
        shown.changes = [f"{c['label']}：{c['before']} → {c['after']}" for c in fix["changes"]]
    shown.warnings = warnings(draft.year)
    return shown


def warnings(year):
    found = []
    sections = list(ReportNarrative.objects.filter(year=year).order_by("order", "pk"))
    if not sections:
        found.append(f"{year}年度还没有文字部分（主要做法、工作体会等），报告将只有数字部分")
    for section in sections:
        found += [f"「{section.heading}」：{problem}" for problem in narratives.problems(section.body)]
    return found + year_not_settled(year, "报告")
