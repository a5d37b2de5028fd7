"""State changes of campaigns: publishing honor-roll issues and ranking editions with their errata,
rendering and storing an issue's PDF, and rendering (in the task worker), storing and releasing
the annual summary.

Each is one transaction with one audit entry; publishing goes through the one shape in
charity.snapshots, and a refusal is a SnapshotError or SummaryError whose message the admin
shows as it is.
"""

import hashlib
import json

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from charity import audit, charts, jobs, pdf
from charity.errors import UserError
from charity.models import BackgroundJob
from charity.money import count, wan
from charity.snapshots import SnapshotError, publish_erratum, publish_snapshot

from .annual_summary import figures
from .honor_rolls import content as honor_roll_content
from .honor_rolls import pdf as honor_roll_layout
from .models import (
    AnnualSummaryDocument,
    AnnualSummaryRelease,
    Campaign,
    HonorRollErratum,
    HonorRollIssue,
    HonorRollPdf,
    RankingErratum,
)
from .rankings import content as ranking_content

__all__ = [
    "SnapshotError",
    "honor_roll_pdf",
    "publish_honor_roll",
    "publish_honor_roll_erratum",
    "publish_ranking",
    "publish_ranking_erratum",
    "refresh_ranking_candidates",
    "enqueue_annual_summary",
    "release_summary",
    "stored_summary",
    "summary_document",
]

HONOR_ROLL_PUBLISHED = audit.describe("campaigns.honor_roll.published", "发布光荣榜")
HONOR_ROLL_ERRATUM = audit.describe("campaigns.honor_roll.erratum", "发布光荣榜更正说明")
RANKING_PUBLISHED = audit.describe("campaigns.ranking.published", "发布慈善排行榜")
RANKING_ERRATUM = audit.describe("campaigns.ranking.erratum", "发布慈善排行榜更正说明")
RANKING_REFRESHED = audit.describe("campaigns.ranking.refreshed", "计算排行榜候选名单")


def publish_honor_roll(issue, user, *, at=None):
    """Publish issue N: list every gift received by its cut-off that no earlier issue listed."""
    return publish_snapshot(
        issue,
        user,
        check=honor_roll_content.check_publishable,
        freeze=honor_roll_content.list_and_freeze,
        action=HONOR_ROLL_PUBLISHED,
        at=at,
    )


def publish_honor_roll_erratum(issue, text, user, *, at=None, reason="", changes=()):
    return publish_erratum(
        HonorRollErratum,
        issue,
        text,
        user,
        action=HONOR_ROLL_ERRATUM,
        at=at,
        reason=reason,
        changes=changes,
        issue=issue,
    )


def honor_roll_pdf(issue):
    """The stored PDF of a published issue as it stands (its errata included), rendered only when
    no stored file matches: the first download after publishing or after a new erratum.

    Rendering takes about 1 s for 2,000 names and grows with the issue, so it happens once: a
    request that finds no file takes a lock on the issue and looks again, and a second request
    arriving meanwhile waits for that file instead of rendering its own. (On SQLite the lock is
    the database's write lock, held while rendering.)
    """
    errata = list(issue.errata.all())
    key = honor_roll_pdf_key(issue, errata)
    stored = _stored_honor_roll_pdf(key)
    if stored is not None:
        return stored
    with transaction.atomic():
        HonorRollIssue.objects.select_for_update().filter(pk=issue.pk).values_list("pk").first()
        stored = _stored_honor_roll_pdf(key)
        if stored is not None:
            return stored
        now = timezone.now()
        document = honor_roll_layout.IssueDocument(
            content=issue.content,
            published_at=timezone.localtime(issue.published_at),
            page_url=settings.SITE_URL + reverse("campaigns:honor_roll", args=[issue.pk]),
            errata=[
                honor_roll_layout.Erratum(e.published_at, e.text, e.reason, e.changes, e.void_statement)
                for e in errata
            ],
            content_sha256=issue.content_sha256,
        )
        rendered = honor_roll_layout.render_issue(document, generated_at=now)
        stored = HonorRollPdf.objects.filter(key=key).first() or HonorRollPdf(issue=issue, key=key)
        if stored.pdf:  # its file was lost (a restore without media): replaced
            stored.pdf.delete(save=False)
        stored.errata_count = len(errata)
        stored.filename = f"{issue.content['title']}.pdf"
        stored.pages = rendered.pages
        stored.rendered_at = now
        name = f"{issue.campaign_id}-{issue.number}-{key[:12]}.pdf"
        stored.pdf.save(name, ContentFile(rendered.content), save=False)
        try:
            stored.save()
        except Exception:
            stored.pdf.delete(save=False)
            raise
    return stored


def honor_roll_pdf_key(issue, errata):
    """What a stored PDF of the issue depends on: its content, its errata, the layout's version."""
    parts = {
        "layout": honor_roll_layout.LAYOUT_VERSION,
        "content": issue.content_sha256,
        "errata": [e.pk for e in errata],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _stored_honor_roll_pdf(key):
    stored = HonorRollPdf.objects.filter(key=key).first()
    if stored is not None and stored.pdf and stored.pdf.storage.exists(stored.pdf.name):
        return stored
    return None


def refresh_ranking_candidates(edition, user):
    """Compute each computed category's candidates from the year's donations, keeping staff's
    decisions (exclusions, honours) on those already there."""
    return ranking_content.refresh_candidates(edition, user, action=RANKING_REFRESHED)


def publish_ranking(edition, user, *, at=None):
    """Refresh the amounts, apply staff's review and freeze every category of the edition."""
    return publish_snapshot(
        edition,
        user,
        check=ranking_content.check_publishable,
        freeze=ranking_content.refresh_and_freeze,
        action=RANKING_PUBLISHED,
        at=at,
    )


def publish_ranking_erratum(edition, text, user, *, at=None, reason="", changes=()):
    return publish_erratum(
        RankingErratum,
        edition,
        text,
        user,
        action=RANKING_ERRATUM,
        at=at,
        reason=reason,
        changes=changes,
        edition=edition,
    )


# --- the annual summary ------------------------------------------------------------------------

SUMMARY_RELEASED = audit.describe("campaigns.annual_summary.released", "向公众发布年度总结")
SUMMARY_ENQUEUED = audit.describe("campaigns.annual_summary.enqueued", "提交生成年度总结")
PDF_TEMPLATE = "campaigns/annual_summary_pdf.html"


class SummaryError(UserError):
    """The summary cannot be made or released; the message is for the user."""


def check_year(year):
    if not Campaign.objects.of_year(year).exists():
        raise SummaryError(f"{year}年度没有募捐活动，无法生成年度总结")


def verify_url(code):
    return settings.SITE_URL + reverse("campaigns:summary_verify", args=[figures.display_code(code)])


def summary_context(summary, *, generated_at=None):
    """What both templates (HTML preview and PDF) show: the figures, the charts, the check."""
    url = verify_url(summary.code)
    return {
        "summary": summary,
        "sector_chart": charts.sector_bars(
            [(r.name, r.current, r.previous) for r in summary.sector_rows],
            title=f"{summary.year}年各版块捐款（万元）",
            series=(f"{summary.year}年", f"{summary.previous_year}年" if summary.previous_year else ""),
            width=charts.PRINT_WIDTH,
        )
        if summary.sector_rows
        else "",
        "trend_chart": charts.trend_line(
            summary.trend, title="历年慈善一日捐募集总额（万元）", series="募集总额"
        )
        if summary.trend
        else "",
        "verify_url": url,
        # An image, not inline SVG: WeasyPrint sizes an <img> by its CSS box exactly.
        "qr_image": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
        "generated_at": timezone.localtime(generated_at or timezone.now()),
        "total_wan": wan(summary.total),
    }


def render_summary_pdf(summary, *, generated_at=None):
    return pdf.render_template(PDF_TEMPLATE, summary_context(summary, generated_at=generated_at))


def stored_summary(year):
    """The stored summary of `year` for the data as it is now, or None if it must be rendered."""
    check_year(year)
    stored = AnnualSummaryDocument.objects.filter(fingerprint=figures.data_fingerprint(year)).first()
    if stored is not None and stored.pdf and stored.pdf.storage.exists(stored.pdf.name):
        return stored
    return None


def summary_document(year, *, fresh=False, progress=None):
    """The stored summary of `year` for the data as it is now, rendered only when the data changed.

    `fresh` renders again even when a document for this data is stored (and replaces its file),
    unless that document was released. `progress(stage)` hears each step (a job's page).
    """
    progress = progress or (lambda stage: None)
    progress("核对数据指纹")
    stored = stored_summary(year)
    # A released file is what the public has and what its QR code verifies: never replaced.
    if stored is not None and (not fresh or stored.releases.exists()):
        return stored
    progress("计算年度数据")
    summary = figures.annual_summary(year)
    now = timezone.now()
    progress("排版 PDF")
    rendered = render_summary_pdf(summary, generated_at=now)
    progress("保存文件")
    return _store(summary, rendered, now)


def _store(summary, rendered, now):
    document = AnnualSummaryDocument.objects.filter(fingerprint=summary.fingerprint).first()
    if document is None:
        document = AnnualSummaryDocument(
            year=summary.year, fingerprint=summary.fingerprint, code=summary.code
        )
    elif document.pdf:
        document.pdf.delete(save=False)
    document.pages = rendered.pages
    document.headline = summary.headline()
    document.rendered_at = now
    document.pdf.save(f"{summary.year}-{summary.code}.pdf", ContentFile(rendered.content), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # another request stored the same data a moment earlier: serve that one
        document.pdf.delete(save=False)
        return AnnualSummaryDocument.objects.get(fingerprint=summary.fingerprint)
    return document


def enqueue_annual_summary(year, user):
    """Render `year`'s summary in the task worker; returns the job (the user's unfinished one for
    that year, if they already asked: a second click does not render twice)."""
    check_year(year)
    with transaction.atomic():
        asked = BackgroundJob.objects.unfinished().filter(
            kind=BackgroundJob.Kind.ANNUAL_SUMMARY, requested_by=user, params__year=year
        )
        for job in asked:
            if not job.interrupted:
                return job
        title = f"生成{year}年度总结 PDF"
        job = jobs.create(BackgroundJob.Kind.ANNUAL_SUMMARY, user=user, title=title, params={"year": year})
        audit.record(SUMMARY_ENQUEUED, job, actor=user, data={"year": year})
        return jobs.enqueue(job)  # campaigns.tasks.render_annual_summary


def release_summary(document, user, *, reason=""):
    """Release a stored summary to the public site: one transaction, one audit entry.

    The year's first release is 第1版. Releasing another document for a year already released is
    a correction (the 2026 disclosure rules): it needs a reason, becomes the next version with its
    own verification code (its data's), and its PDF is rendered again, before the transaction,
    with the 更正说明: the reason, the headline figures before → after and the statement that
    the earlier figures are void. The earlier versions' files stay as they were.
    """
    reason = (reason or "").strip()
    latest = _latest_release(document.year)
    if not document.pdf or not document.pdf.storage.exists(document.pdf.name):
        raise SummaryError(f"“{document}”的文件不存在，请重新生成后再发布")
    if latest is None:
        return _release(document, user, latest, version=1, reason=reason)
    if latest.document_id == document.pk:
        raise SummaryError(f"“{document}”已是公众看到的第{latest.version}版，不需要再次发布")
    if document.releases.exists():
        raise SummaryError(
            f"“{document}”曾作为较早的版本发布，其文件保持原样；请重新生成年度总结后发布新版本"
        )
    if not reason:
        raise SummaryError(
            f"{document.year}年度总结已发布第{latest.version}版，再次发布即为更正：请填写更正原因"
        )
    summary = figures.annual_summary(document.year)
    if summary.fingerprint != document.fingerprint:
        raise SummaryError(f"“{document}”生成后数据又有变化，请重新生成年度总结后再发布")
    now = timezone.now()
    correction = summary_correction(latest, document, reason, at=now)
    context = {**summary_context(summary, generated_at=now), "correction": correction}
    rendered = pdf.render_template(PDF_TEMPLATE, context)
    old_file = document.pdf.name
    name = f"{document.year}-{document.code}-v{correction['version']}.pdf"
    document.pdf.save(name, ContentFile(rendered.content), save=False)
    document.pages = rendered.pages
    try:
        release = _release(document, user, latest, version=correction["version"], reason=reason)
    except Exception:
        document.pdf.delete(save=False)
        raise
    if old_file != document.pdf.name:
        document.pdf.storage.delete(old_file)  # the unreleased rendering without the 更正说明
    return release


def _release(document, user, latest, *, version, reason):
    with transaction.atomic(), audit.explicit():
        if _latest_release(document.year, lock=True) != latest:
            raise SummaryError(f"{document.year}年度总结刚刚有人发布了新版本，请刷新后再试")
        if version > 1:
            AnnualSummaryDocument.objects.filter(pk=document.pk).update(
                pdf=document.pdf.name, pages=document.pages
            )
        release = AnnualSummaryRelease.objects.create(
            year=document.year, document=document, released_by=user, version=version, reason=reason
        )
        data = {"year": document.year, "sha256": document.fingerprint, "file_name": document.filename}
        if version > 1:
            data.update(version=version, reason=reason, supersedes=latest.document.code.upper())
        audit.record(SUMMARY_RELEASED, document, actor=user, data=data)
    return release


def _latest_release(year, *, lock=False):
    releases = AnnualSummaryRelease.objects.filter(year=year).select_related("document")
    if lock:
        releases = releases.select_for_update(of=("self",))
    return releases.order_by("-version").first()


SUMMARY_VOID_STATEMENT = "第{version}版中与上述不同的数字同时作废，以本版为准。"


def summary_correction(previous, document, reason, *, at):
    """The 更正说明 printed in a summary released as a correction of `previous` (a release)."""
    version = previous.version + 1
    return {
        "version": version,
        "previous_version": previous.version,
        "previous_code": figures.display_code(previous.document.code),
        "reason": reason,
        "date": timezone.localtime(at),
        "changes": headline_changes(previous.document.headline, document.headline),
        "void_statement": SUMMARY_VOID_STATEMENT.format(version=previous.version),
    }


def headline_changes(before, after):
    """[{label, before, after}] of the headline figures of two versions, as printed."""

    def shown(headline):
        return {
            "募集总额": f"{headline.get('total_yuan', '—')} 元",
            "参与单位": f"{count(headline['units'])} 家" if "units" in headline else "—",
            "参与人数": f"{count(headline['head_count'])} 人次" if "head_count" in headline else "—",
        }

    old, new = shown(before), shown(after)
    return [{"label": label, "before": old[label], "after": new[label]} for label in old]


def correct_summary(document, user, *, reason, text="", changes=()):
    """The correction of a released summary (charity.publications `correct`): the summary of the
    data now, released as the year's next version. Its figures come from the data, not `changes`."""
    current = summary_document(document.year)
    return release_summary(current, user, reason="\n".join(filter(None, [reason, text])))


def supersession(document):
    """(this document's latest release, the release that replaced it or None, the year's latest)."""
    own = document.releases.order_by("-version").first()
    if own is None:
        return None, None, _latest_release(document.year)
    later = AnnualSummaryRelease.objects.filter(year=document.year, version__gt=own.version)
    return own, later.select_related("document").order_by("version").first(), _latest_release(document.year)


def released_document(year):
    """The document the public site serves for `year`, or None before staff release one."""
    release = _latest_release(year)
    return release.document if release else None
