"""The site's identity (charity.models.SiteIdentity), read by every page, PDF and share image.

`current()` answers from Django's cache (Redis in production), so a page costs no query for it;
a save or delete of the identity or one of its donation accounts drops that entry and, once the
transaction commits, makes every cached public page stale (charity/page_cache.py), since every
page shows the name and the hotlines.

Templates read it as `site` (the context processor `site`, and charity.pdf for PDFs, which are
rendered without a request).
"""

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.functional import SimpleLazyObject
from PIL import Image, ImageOps

from . import page_cache
from .uploaded_images import clean_image, encode_png

CACHE_KEY = "site-identity:v1"
# The emblem is shown at most 64 px tall (twice that for sharp screens); the QR code must stay
# scannable when printed, so it keeps more.
EMBLEM_SIDE = 256
QR_SIDE = 800
# The seal prints 40 mm wide on the year report's cover: 600 px is sharp at 380 dpi.
SEAL_SIDE = 600
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 25_000_000


def current():
    """The SiteIdentity with its donation accounts (`accounts_list`); the defaults when none is saved."""
    identity = cache.get(CACHE_KEY)
    if identity is None:
        identity = _load()
        cache.set(CACHE_KEY, identity, None)
    return identity


def _load():
    from .models import SiteIdentity

    identity = SiteIdentity.objects.filter(pk=1).first() or SiteIdentity()
    identity.accounts_list = list(identity.accounts.all()) if identity.pk else []
    return identity


def site(request):
    """Context processor: `site` in every template rendered with a request, read only when the
    template uses it (the admin's pages do not: no query for them, even with a cold cache)."""
    return {"site": SimpleLazyObject(current)}


def prepared_image(upload, *, side, noun, filename):
    """An uploaded emblem or QR code as a PNG file of its pixels only (ImageRefused if not an image)."""
    image = clean_image(upload, max_bytes=IMAGE_MAX_BYTES, max_pixels=IMAGE_MAX_PIXELS, noun=noun)
    return ContentFile(encode_png(image, side), name=filename)


def prepared_seal(upload, *, filename="seal.png"):
    """An uploaded seal as a PNG of its ink only: checked and stripped like the emblem
    (clean_image), laid on white where the upload was transparent, then every pixel made as
    transparent as it is light, so the red ink prints over the office's name and date on the cover
    and a scan's white paper does not hide them. ImageRefused if it is not an image."""
    image = clean_image(upload, max_bytes=IMAGE_MAX_BYTES, max_pixels=IMAGE_MAX_PIXELS, noun="公章图片")
    upload.seek(0)
    with Image.open(upload) as original:  # already checked above: only its transparency is read
        if original.mode in ("RGBA", "LA", "PA") or "transparency" in original.info:
            alpha = original.convert("RGBA").getchannel("A")
            white = Image.new("RGB", image.size, "white")
            image = Image.composite(image, white, alpha)
    ink = image.convert("RGBA")
    darkness = ImageOps.invert(image.convert("L"))
    ink.putalpha(darkness.point(lambda value: 0 if value < 16 else min(255, value * 2)))
    return ContentFile(encode_png(ink, SEAL_SIDE), name=filename)


def _changed(sender, **kwargs):
    cache.delete(CACHE_KEY)
    # Again after commit: a page rendered meanwhile may have put the old row back in the cache.
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    page_cache.public_data_changed()


def connect():
    from .models import DonationAccount, SiteIdentity

    for model in (SiteIdentity, DonationAccount):
        uid = f"site-identity:{model._meta.model_name}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ":delete")
