"""The released year report's PDF and Word file, rendered by the task worker and served as stored.

Registered with charity.artifacts (CampaignsConfig.ready()): publishing a YearReport schedules
both files, made from the frozen content only (publishing.thaw), so a file is the same whoever
asks and whenever. Rendering takes seconds (bench/pdf_bench.py), so the public views never
render one: until the worker has stored it they answer 503 with Retry-After
(views.py); `manage.py render_artifacts` renders any that are missing.
"""

import hashlib
import json

from charity import artifacts, identity
from charity.artifacts import Rendered

from ..annual_summary.figures import display_code
from . import publishing, rendering
from .models import YearReport

# Bump when the files' layout changes without their content changing: stored files are then
# rendered again.
FILES_VERSION = 1


def seal_path():
    site = identity.current()
    if site.seal and site.seal.storage.exists(site.seal.name):
        return site.seal.path
    return None


def version(report):
    """What the files depend on: the frozen content and the layout. Not the seal: a released file
    keeps the seal it was printed with (a new seal reaches the files rendered after it, and
    `render_artifacts --all`), and a new seal does not turn every released file into a 503."""
    parts = {"content": report.content_sha256, "files": FILES_VERSION}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def basename(report):
    return f"{report.year}年度工作报告-第{report.version}版-{display_code(report.code)}"


def cover(report):
    return rendering.release_cover(
        publishing.verify_url(report.code), display_code(report.code), report.version, seal_path()
    )


def report_pdf(report):
    site = identity.current()
    emblem = site.emblem.path if site.emblem and site.emblem.storage.exists(site.emblem.name) else None
    body = rendering.render_pdf(
        publishing.thaw(report.content),
        emblem=f"file://{emblem}" if emblem else None,
        cover=cover(report),
    )
    return [Rendered("pdf", f"{basename(report)}.pdf", body)]


def report_docx(report):
    body = rendering.render_docx(publishing.thaw(report.content), cover=cover(report))
    return [Rendered("docx", f"{basename(report)}.docx", body)]


def register():
    artifacts.register(YearReport, version=version, groups={"pdf": report_pdf, "docx": report_docx})
