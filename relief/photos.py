"""Project photos: only real images get in, without their EXIF data, re-encoded at fixed sizes.

A phone photo carries its GPS position in EXIF: a picture taken in a beneficiary's home would
publish where they live. So nothing of the upload is kept: Pillow decodes the pixels, applies the
orientation tag, and the pixels alone are copied into a new image (`_pixels_only`) that is written
as JPEG at the sizes below. Saving the decoded image itself was not enough: Pillow's JPEG writer
carries the upload's comment (COM segment) over from the image's info, and any other writer
option read from it later would do the same. A colour profile is applied to the pixels (converted
to sRGB) and then dropped, so colours stay right without the profile's bytes. Hostile files
are refused before anything is stored: too many bytes (before decoding), too many pixels (from
the header, before the pixels are decoded: a "decompression bomb" is a small file that inflates
to gigabytes), or not an image Pillow can read.
"""

import io
import warnings

from django.conf import settings
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from charity.errors import UserError

# Longest side in pixels of each stored version: the page's photo, its list thumbnail.
SIZES = {"large": 1600, "small": 480}
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO", "GIF", "BMP"}
JPEG_QUALITY = 85


class PhotoError(UserError):
    """The photo is refused; the message is for the user."""


def max_bytes():
    return getattr(settings, "RELIEF_PHOTO_MAX_BYTES", 15 * 1024 * 1024)


def max_pixels():
    return getattr(settings, "RELIEF_PHOTO_MAX_PIXELS", 50_000_000)


def prepare_photo(upload):
    """Return {size name: JPEG bytes} for an uploaded file, or raise PhotoError (a message for staff)."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise PhotoError(
            f"照片文件过大（{size / 1048576:.1f} MB），上限为 {max_bytes() // 1048576} MB，未保存"
        )
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise PhotoError(f"照片文件过大，上限为 {max_bytes() // 1048576} MB，未保存")
    if not data:
        raise PhotoError("上传的文件是空的，未保存")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _open_checked(data)
            image = ImageOps.exif_transpose(image)
            image.load()
            image = _pixels_only(image)
        except PhotoError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoError("图片像素过多（疑似“解压炸弹”文件），未保存") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise PhotoError("文件不是可以识别的图片（支持 JPEG、PNG、WebP），未保存") from exc
    return {name: _encode(image, side) for name, side in SIZES.items()}


def _open_checked(data):
    image = Image.open(io.BytesIO(data))
    if image.format not in ALLOWED_FORMATS:
        raise PhotoError(f"不支持的图片格式 {image.format}（支持 JPEG、PNG、WebP），未保存")
    width, height = image.size
    if width * height > max_pixels():
        raise PhotoError(f"图片像素过多（{width}×{height}），疑似“解压炸弹”文件，未保存")
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


def _encode(image, side):
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, icc_profile=, comment=, xmp=: the new file carries pixels only.
    copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()
