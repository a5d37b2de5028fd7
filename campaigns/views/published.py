"""What the public views of published snapshots share: the look-up, the cache, the files.

A published snapshot never changes, so its pages are cached under its id and its content's
SHA-256 for good; errata are few and change the page, so their ids are part of a page's key. A
page costs the same few queries whether or not it is cached. Its files (PDF, share images,
downloads) are rendered when it is published and served as stored (charity/artifacts.py).
"""

import hashlib

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from charity import artifacts, stored
from charity import identity as site_identity


def published_or_404(model, pk, with_content=False):
    """A published snapshot or 404. Its frozen content is loaded only when the page is built
    (a 100,000-gift issue is megabytes of JSON: parsing it on every cached request cost 75 ms,
    bench/public_bench.py), unless the view needs it on every request anyway."""
    published = model.objects.filter(status=model.Status.PUBLISHED)
    return get_object_or_404(published if with_content else published.defer("content"), pk=pk)


def cached_page(request, template, context, parts):
    """The page rendered once per host (its og: tags hold absolute URLs); `context` is a function
    called only when the page is neither in the cache nor kept in the database.

    Kept in the database too (charity/stored.py): an issue of 100,000 gifts lists tens of
    thousands of names, and rendering it again after every restart or flush of the cache took
    seconds (bench/public_bench.py). `parts` name everything the page shows (the snapshot's id,
    its content's fingerprint, its errata), and the version kept names the site identity the
    header and footer show (charity/identity.py), so a kept page is never stale."""
    identity = ":".join(str(p) for p in [template, *parts, request.get_host()])
    slot = f"page:{template}:{parts[0]}:{hashlib.sha256(identity.encode()).hexdigest()[:32]}"
    shell = site_identity.current().version
    body = stored.get_or_compute(slot, shell, lambda: render_to_string(template, context(), request))
    return HttpResponse(body)


def stored_file(request, document, name):
    """A published document's PDF, image or download as the worker stored it when it was
    published (campaigns/artifacts.py): no public request renders one, unless it is missing."""
    return artifacts.serve(request, document, name)


def errata_of(snapshot):
    return list(snapshot.errata.all())


def errata_key(errata):
    return "-".join(str(e.pk) for e in errata) or "none"
