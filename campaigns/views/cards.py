"""og:image cards of public pages, by kind and object (charity.images.card registers the kinds)."""

from django.http import Http404, HttpResponse

from charity import images

from .published import cached

# A card of a live page (a campaign's progress) may be this many seconds old.
LIVE_CARD_SECONDS = 300


def card(request, kind, pk=None):
    found = images.card_for(kind, pk)
    if found is None:
        raise Http404("没有这张卡片")
    url = request.build_absolute_uri(found.path)
    key = ["card", kind, pk, found.version or "live", request.get_host()]
    timeout = None if found.version else LIVE_CARD_SECONDS
    png = cached(key, lambda: images.render_card(found.title, found.lines, url), timeout)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={86400 if found.version else LIVE_CARD_SECONDS}"
    return response
