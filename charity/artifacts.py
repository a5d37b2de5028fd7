"""Files made from published documents, rendered when they are published and served as stored.

A share image of a 100,000-gift honor roll took 7 s to draw, its PDF 1 s: a visitor who asked
first waited for it (bench/public_bench.py). So whatever is made from a published document (PDF,
share images, CSV, xlsx and JSON downloads) is rendered by the task worker once the publication
or an erratum of it is committed, and stored (PublishedArtifact); the public views serve the
stored bytes.

The publication layer registers, per kind of document (AppConfig.ready(): the kernel imports no
app), its `version` (what the files depend on: the content's fingerprint and the errata) and its
groups of files, each a function rendering [Rendered] from the document. Names are
"group" or "group:detail" ("png:2", "png:41:1"). `schedule(document)` is called by
charity.snapshots inside the publishing transaction; the job renders every group.

When the stored file of the current version is missing (the worker is behind, a document
published before this existed, a restore without media), the request renders that one group
itself, stores it and serves it: the next visitor gets the stored file. Only that group, and
once: a second request meanwhile waits on the document's row lock and then finds the file.
`manage.py render_artifacts` renders every published document's files (after a restore, for
the demo).
"""

import hashlib
import logging
import mimetypes
from dataclasses import dataclass

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import content_disposition_header
from django_tasks import task

from . import spreadsheets
from .models import PublishedArtifact

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    **spreadsheets.CONTENT_TYPES,
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}
# A stored file never changes under its name and version; browsers and proxies may keep it a day
# and then ask again with its ETag (an erratum makes a new one).
CACHE_CONTROL = "public, max-age=86400"


@dataclass(frozen=True)
class Rendered:
    name: str  # "csv", "png:2"
    filename: str  # the download's name
    body: bytes

    @property
    def content_type(self):
        extension = self.filename.rsplit(".", 1)[-1]
        return CONTENT_TYPES.get(extension) or mimetypes.guess_type(self.filename)[0]


@dataclass(frozen=True)
class Kind:
    model: type
    version: object  # (document) -> str
    groups: dict  # group -> (document) -> [Rendered]
    inline: frozenset  # groups shown in the browser rather than downloaded (images, JSON)


_kinds = {}


def register(model, *, version, groups, inline=()):
    _kinds[model] = Kind(model, version, dict(groups), frozenset(inline))


def registered():
    return list(_kinds)


def owner_of(document):
    return f"{document._meta.label_lower}:{document.pk}"


def schedule(document):
    """Render the document's files in the worker once the current transaction commits (a
    publication or an erratum); nothing for a kind that has no files."""
    if type(document) not in _kinds:
        return
    label, pk = document._meta.label, document.pk
    transaction.on_commit(lambda: render_published_artifacts.enqueue(label, pk))


@task()
def render_published_artifacts(label, pk):
    model = apps.get_model(label)
    document = model._base_manager.filter(pk=pk).first()
    if document is None:
        logger.warning("要生成公开文件的 %s %s 已不存在", label, pk)
        return
    render_all(document)


def render_all(document, only_missing=False):
    """Render and store every group of the document's files; returns how many files were stored."""
    kind = _kinds[type(document)]
    version = kind.version(document)
    stored, failed = 0, None
    for group in kind.groups:
        if only_missing and _group_is_stored(document, group, version):
            continue
        try:
            stored += len(_render_group(document, kind, group, version))
        except Exception as error:
            # The other groups are still rendered; the job fails (and is logged) at the end, and
            # the missing file is rendered by the first request that asks for it.
            logger.exception("%s 的公开文件（%s）生成失败", owner_of(document), group)
            failed = failed or error
    if failed is not None:
        raise failed
    return stored


class NotRendered(Exception):
    """The stored file is not there yet and the caller asked not to render it in the request."""


def serve(request, document, name, *, render_missing=True):
    """The stored file `name` of a published document, rendered here only if it is missing (and
    `render_missing`: a kind whose files take seconds, the year report, raises NotRendered instead
    and the view asks the visitor to come back once the worker has stored it)."""
    kind = _kinds[type(document)]
    version = kind.version(document)
    artifact = _stored(document, name, version)
    if artifact is None and not render_missing:
        raise NotRendered(name)
    if artifact is None:
        artifact = _render_missing(document, kind, name, version)
    etag = f'"{artifact.sha256}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        with artifact.file.open("rb") as file:
            response = HttpResponse(file.read(), content_type=artifact.content_type)
        response["Content-Length"] = str(artifact.size)
        as_attachment = name.split(":")[0] not in kind.inline
        response["Content-Disposition"] = content_disposition_header(as_attachment, artifact.filename)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response.stored_file = True  # not copied into the whole-page cache (charity/page_cache.py)
    return response


def read(document, name):
    """The bytes of a published document's stored file `name` (one that is no download: a search
    index), rendered here only if it is missing."""
    kind = _kinds[type(document)]
    version = kind.version(document)
    artifact = _stored(document, name, version) or _render_missing(document, kind, name, version)
    with artifact.file.open("rb") as file:
        return file.read()


def _stored(document, name, version):
    artifact = PublishedArtifact.objects.filter(owner=owner_of(document), name=name, version=version).first()
    if artifact is None or not artifact.file or not artifact.file.storage.exists(artifact.file.name):
        return None
    return artifact


def _group_is_stored(document, group, version):
    names = PublishedArtifact.objects.filter(owner=owner_of(document), version=version)
    names = [a for a in names if a.name.split(":")[0] == group]
    return bool(names) and all(a.file and a.file.storage.exists(a.file.name) for a in names)


def _render_missing(document, kind, name, version):
    group = name.split(":")[0]
    if group not in kind.groups:
        raise Http404("没有这个文件")
    logger.info("%s 的公开文件 %s 尚未生成，在请求中生成", owner_of(document), name)
    with transaction.atomic():
        # One request renders; another one meanwhile waits here and then finds the file.
        type(document)._base_manager.select_for_update().filter(pk=document.pk).values_list("pk").first()
        artifact = _stored(document, name, version)
        # A name the stored group does not have (a share image past the last page) renders
        # nothing again: anyone could ask for such names as often as they like.
        if artifact is None and not _group_is_stored(document, group, version):
            artifact = _render_group(document, kind, group, version).get(name)
    if artifact is None:
        raise Http404("没有这个文件")
    return artifact


def _render_group(document, kind, group, version):
    """{name: PublishedArtifact} of one group, rendered now and stored."""
    owner, now = owner_of(document), timezone.now()
    stored = {}
    for rendered in kind.groups[group](document):
        stored[rendered.name] = _store(owner, rendered, version, now)
    return stored


def _store(owner, rendered, version, now):
    digest = hashlib.sha256(rendered.body).hexdigest()
    with transaction.atomic():
        artifact = (
            PublishedArtifact.objects.select_for_update().filter(owner=owner, name=rendered.name).first()
        )
        old_file = artifact.file.name if artifact is not None and artifact.file else None
        artifact = artifact or PublishedArtifact(owner=owner, name=rendered.name)
        artifact.version = version
        artifact.filename = rendered.filename
        artifact.content_type = rendered.content_type
        artifact.sha256 = digest
        artifact.size = len(rendered.body)
        artifact.rendered_at = now
        extension = rendered.filename.rsplit(".", 1)[-1]
        safe = owner.replace(":", "-").replace(".", "-")
        artifact.file.save(
            f"{safe}-{rendered.name.replace(':', '-')}-{digest[:12]}.{extension}",
            ContentFile(rendered.body),
            save=False,
        )
        artifact.save()
        if old_file and old_file != artifact.file.name:
            transaction.on_commit(lambda: artifact.file.storage.delete(old_file))
    return artifact
