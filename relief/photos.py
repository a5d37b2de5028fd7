"""Project photos: only real images get in, without their EXIF data, re-encoded at fixed sizes.

A phone photo carries its GPS position in EXIF: a picture taken in a beneficiary's home would
publish where they live. So nothing of the upload is kept: the kernel's `clean_image`
(charity/uploaded_images.py, which says how) decodes the pixels alone, and they are written as
JPEG at the sizes below. Hostile files (too many bytes, a "decompression bomb", not an image) are
refused before anything is stored.
"""

from django.conf import settings

from charity.errors import UserError
from charity.uploaded_images import clean_image, encode_jpeg

# Longest side in pixels of each stored version: the page's photo, its list thumbnail.
SIZES = {"large": 1600, "small": 480}
JPEG_QUALITY = 85


class PhotoError(UserError):
    """The photo is refused; the message is for the user."""


def max_bytes():
    return getattr(settings, "RELIEF_PHOTO_MAX_BYTES", 15 * 1024 * 1024)


def max_pixels():
    return getattr(settings, "RELIEF_PHOTO_MAX_PIXELS", 50_000_000)


def prepare_photo(upload):
    """Return {size name: JPEG bytes} for an uploaded file, or raise PhotoError (a message for staff)."""
    image = clean_image(upload, max_bytes=max_bytes(), max_pixels=max_pixels(), noun="照片", error=PhotoError)
    return {name: encode_jpeg(image, side, JPEG_QUALITY) for name, side in SIZES.items()}
