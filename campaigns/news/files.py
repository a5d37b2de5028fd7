"""An article's uploads: pictures re-encoded to their pixels only, attachments that are PDFs.

Pictures go through the kernel's `clean_image` (charity/uploaded_images.py), as relief photos
do: a phone photo's EXIF holds where it was taken, which a news picture of a visit must not
publish. Attachments must be PDF files (charity/uploaded_pdfs.py).
"""

from django.core.files.base import ContentFile

from charity.errors import UserError
from charity.uploaded_images import clean_image, encode_jpeg
from charity.uploaded_pdfs import PdfRefused, checked_pdf  # noqa: F401  (this module's API)

IMAGE_SIDE = 1600  # the longest side shown on a wide screen
IMAGE_MAX_BYTES = 15 * 1024 * 1024
IMAGE_MAX_PIXELS = 50_000_000


class UploadRefused(UserError):
    """The file is refused; the message is for the user."""


def prepared_image(upload):
    image = clean_image(
        upload, max_bytes=IMAGE_MAX_BYTES, max_pixels=IMAGE_MAX_PIXELS, noun="图片", error=UploadRefused
    )
    return ContentFile(encode_jpeg(image, IMAGE_SIDE), name="picture.jpg")
