"""Uploaded PDFs (news attachments, statutory documents): a PDF by its first bytes, not by its
name, within a size limit, since the public downloads it from the federation's own address."""

from .errors import UserError

PDF_MAX_BYTES = 20 * 1024 * 1024


class PdfRefused(UserError):
    """The file is refused; the message is for the user."""


def checked_pdf(upload, max_bytes=PDF_MAX_BYTES):
    """The upload itself when it is a PDF within the size limit, else PdfRefused."""
    if upload.size > max_bytes:
        size, limit = upload.size / 1048576, max_bytes // 1048576
        raise PdfRefused(f"文件过大（{size:.1f} MB），上限为 {limit} MB，未保存")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise PdfRefused(f"“{upload.name}”不是 PDF 文件，这里只接受 PDF，未保存")
    return upload
