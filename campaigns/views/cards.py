"""og:image cards of public pages, by kind and object (charity.images.card registers the kinds)."""

import hashlib

from django.http import Http404, HttpResponse

from charity import images, stored

# A card of a live page (a campaign's progress) may be this many seconds old.
LIVE_CARD_SECONDS = 300


def card(request, kind, pk=None):
    found = images.card_for(kind, pk)
    if found is None:
        raise Http404("没有这张卡片")
    url = request.build_absolute_uri(found.path)
    # Kept under what it shows (charity/stored.py): drawn again only when its title, figures,
    # address or the federation's name change, not after every restart or flush of the cache
    # (about 50 ms a card).
    drawn = (images.federation_name(), found.title, found.lines, url)
    shown = hashlib.sha256(repr(drawn).encode()).hexdigest()
    slot = f"card:{kind}:{pk}:{request.get_host()}"
    png = stored.get_or_compute(slot, shown, lambda: images.render_card(found.title, found.lines, url))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={86400 if found.version else LIVE_CARD_SECONDS}"
    return response
