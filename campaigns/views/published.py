"""What the public views of published snapshots share: the look-up, the cache, the downloads.

A published snapshot never changes, so whatever is made from it (a page, a CSV, an image) is
cached under its id and its content's SHA-256 for good; errata are few and change the page, so
their ids are part of a page's key. A page costs the same few queries whether or not it is
cached.
"""

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone

from charity import images
from charity.snapshots import erratum_rows
from charity.spreadsheets import WRITER_VERSION, csv_document, download, json_document


def published_or_404(model, pk, with_content=False):
    """A published snapshot or 404. Its frozen content is loaded only when the page is built
    (a 100,000-gift issue is megabytes of JSON: parsing it on every cached request cost 75 ms,
    bench/public_bench.py), unless the view needs it on every request anyway."""
    published = model.objects.filter(status=model.Status.PUBLISHED)
    return get_object_or_404(published if with_content else published.defer("content"), pk=pk)


def cached(parts, build, timeout=None):
    key = "campaigns:" + ":".join(str(p) for p in parts)
    return cache.get_or_set(key, build, timeout)


def cached_page(request, template, context, parts):
    """The page rendered once per host (its og: tags hold absolute URLs); `context` is a function
    called only when the page is not in the cache."""
    body = cached(
        [template, *parts, request.get_host()], lambda: render_to_string(template, context(), request)
    )
    return HttpResponse(body)


def csv_response(rows, header, filename, parts, errata=()):
    """`rows` (a function) of typed values, money as Decimal: charity.spreadsheets escapes text.
    The published corrections follow the rows (charity.snapshots.erratum_rows).

    WRITER_VERSION is part of the key: files cached for good before the writer escaped formulas
    must not be served again.
    """
    parts = [WRITER_VERSION, *parts, errata_key(errata)]
    return download(
        cached(parts, lambda: csv_document([header, *rows(), *erratum_rows(errata)])), filename
    )


def json_response(snapshot, errata, url, filename, parts):
    def build():
        document = {
            "url": url,
            "published_at": timezone.localtime(snapshot.published_at).isoformat(),
            "content_sha256": snapshot.content_sha256,
            "content": snapshot.content,
            "errata": [erratum.public_dict() for erratum in errata],
        }
        return json_document(document)

    return download(cached(parts, build), filename, inline=True)


def share_png(request, snapshot, title, subtitle, lines, path, page, parts):
    """Page `page` (1-based) of a snapshot's tall images; 404 past the last."""
    url = request.build_absolute_uri(path)
    pages = cached(
        [*parts, snapshot.content_sha256, request.get_host()],
        lambda: images.render_pages(title, subtitle, lines(), url),
    )
    if not 1 <= page <= len(pages):
        raise Http404("没有这一张图片")
    response = HttpResponse(pages[page - 1], content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def errata_of(snapshot):
    return list(snapshot.errata.all())


def errata_key(errata):
    return "-".join(str(e.pk) for e in errata) or "none"
