"""An article's uploads: pictures re-encoded to their pixels only, attachments that are PDFs.

Pictures go through the kernel's `clean_image` (charity/uploaded_images.py), as relief photos
do: a phone photo's EXIF holds where it was taken, which a news picture of a visit must not
publish. Attachments must be PDF files (the first bytes say so, not the name), since the public
downloads them from the federation's own address.
"""

from django.core.files.base import ContentFile

from charity.errors import UserError
from charity.uploaded_images import clean_image, encode_jpeg

IMAGE_SIDE = 1600  # the longest side shown on a wide screen
IMAGE_MAX_BYTES = 15 * 1024 * 1024
IMAGE_MAX_PIXELS = 50_000_000
PDF_MAX_BYTES = 20 * 1024 * 1024


class UploadRefused(UserError):
    """The file is refused; the message is for the user."""


def prepared_image(upload):
    image = clean_image(
        upload, max_bytes=IMAGE_MAX_BYTES, max_pixels=IMAGE_MAX_PIXELS, noun="图片", error=UploadRefused
    )
    return ContentFile(encode_jpeg(image, IMAGE_SIDE), name="picture.jpg")


def checked_pdf(upload):
    """The upload itself when it is a PDF within the size limit, else UploadRefused."""
    if upload.size > PDF_MAX_BYTES:
        size, limit = upload.size / 1048576, PDF_MAX_BYTES // 1048576
        raise UploadRefused(f"附件过大（{size:.1f} MB），上限为 {limit} MB，未保存")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise UploadRefused(f"“{upload.name}”不是 PDF 文件，附件只接受 PDF，未保存")
    return upload
