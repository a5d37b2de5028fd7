"""Uploaded images: only real images get in, and nothing of the upload but its pixels is kept.

A phone photo carries its GPS position in EXIF, and any file can carry comments, XMP or a colour
profile's bytes. So Pillow decodes the pixels, applies the orientation tag, and the pixels alone
are copied into a new image (`_pixels_only`) that the caller writes out again (JPEG for photos,
PNG for a QR code or an emblem, whose edges JPEG would blur). Saving the decoded image itself was
not enough: Pillow's JPEG writer carries the upload's comment (COM segment) over from the image's
info. A colour profile is applied to the pixels (converted to sRGB) and then dropped. Hostile
files are refused before anything is stored: too many bytes (before decoding), too many pixels
(from the header, before the pixels are decoded: a "decompression bomb" is a small file that
inflates to gigabytes), or not an image Pillow can read.

Used by relief's project photos (relief/photos.py) and the site identity's emblem and WeChat Pay
QR code (charity/identity.py).
"""

import io
import warnings

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .errors import UserError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO", "GIF", "BMP"}


class ImageRefused(UserError):
    """The upload is refused; the message is for the user."""


def clean_image(upload, *, max_bytes, max_pixels, noun="图片", error=ImageRefused):
    """The upload's pixels as a new RGB image with no metadata, or raise `error` (a message naming
    `noun`, e.g. 照片)."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise error(f"{noun}文件过大（{size / 1048576:.1f} MB），上限为 {max_bytes // 1048576} MB，未保存")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise error(f"{noun}文件过大，上限为 {max_bytes // 1048576} MB，未保存")
    if not data:
        raise error("上传的文件是空的，未保存")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _open_checked(data, max_pixels, error)
            image = ImageOps.exif_transpose(image)
            image.load()
            return _pixels_only(image)
        except error:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise error("图片像素过多（疑似“解压炸弹”文件），未保存") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise error("文件不是可以识别的图片（支持 JPEG、PNG、WebP），未保存") from exc


def encode_jpeg(image, side, quality=85):
    """`image` shrunk to at most `side` px on its longest side, as JPEG bytes."""
    out = io.BytesIO()
    # No exif=, icc_profile=, comment=, xmp=: the new file carries pixels only.
    _shrunk(image, side).save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def encode_png(image, side):
    """`image` shrunk to at most `side` px on its longest side, as PNG bytes (sharp edges kept)."""
    out = io.BytesIO()
    _shrunk(image, side).save(out, "PNG", optimize=True)
    return out.getvalue()


def _shrunk(image, side):
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    return copy


def _open_checked(data, max_pixels, error):
    image = Image.open(io.BytesIO(data))
    if image.format not in ALLOWED_FORMATS:
        raise error(f"不支持的图片格式 {image.format}（支持 JPEG、PNG、WebP），未保存")
    width, height = image.size
    if width * height > max_pixels:
        raise error(f"图片像素过多（{width}×{height}），疑似“解压炸弹”文件，未保存")
    image.verify()  # reads the whole file's structure; the image must be opened again after it
    return Image.open(io.BytesIO(data))


def _pixels_only(image):
    """A new RGB image holding the upload's pixels and nothing else (an empty info dict)."""
    rgb = _to_srgb(image)
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def _to_srgb(image):
    profile = image.info.get("icc_profile")
    if image.mode not in ("RGB", "CMYK", "L") or not profile:
        return image.convert("RGB")
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A profile that does not parse is ignored, as a browser would ignore it.
        return image.convert("RGB")
