"""Photo hostility: only real images are stored, re-encoded, without EXIF (relief/photos.py)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from relief.models import ProjectPhoto
from relief.photos import SIZES, PhotoError, prepare_photo
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def jpeg_with_gps(size=(2400, 1800)):
    image = Image.new("RGB", size, (200, 80, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotated; the stored photo must come out upright
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (26.0, 53.0, 38.0)  # 衡阳 latitude
    gps[3], gps[4] = "E", (112.0, 34.0, 19.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def post_photo(client, admin_user, data, name="photo.jpg"):
    project = factories.project()
    client.force_login(admin_user)
    return client.post(
        "/admin/relief/projectphoto/add/",
        {"project": project.pk, "caption": "手术后复查", "upload": upload(data, name)},
    )


def test_exif_and_location_are_gone_and_sizes_fixed():
    prepared = prepare_photo(upload(jpeg_with_gps()))
    assert set(prepared) == set(SIZES)
    for name, data in prepared.items():
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert b"Exif" not in data and b"PhoneMaker" not in data
        assert max(image.size) == SIZES[name]
        assert image.size[1] > image.size[0]  # orientation applied: portrait, as the phone meant


def test_a_real_photo_is_stored_through_the_admin(client, admin_user, media):
    response = post_photo(client, admin_user, jpeg_with_gps())
    assert response.status_code == 302
    photo = ProjectPhoto.objects.get()
    assert len(stored_files(media)) == 2
    served = client.get(f"/relief/photos/{photo.pk}/large.jpg")
    data = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg" and b"PhoneMaker" not in data


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 not a photo", "photo.jpg", "文件不是可以识别的图片"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "photo.svg", "文件不是可以识别的图片"),
        (jpeg_with_gps()[:400], "cut.jpg", "文件不是可以识别的图片"),  # truncated
        (b"", "empty.jpg", 'id="id_upload_error"'),  # Django's own check comes first
    ],
)
def test_not_an_image_is_refused_and_nothing_stored(client, admin_user, media, data, name, message):
    response = post_photo(client, admin_user, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ProjectPhoto.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("side", "message"),
    [
        # 400 million pixels in 48 KB: Pillow itself refuses it while reading the header.
        (20000, "图片像素过多（疑似“解压炸弹”文件），未保存"),
        # 64 million: under Pillow's limit, over ours (RELIEF_PHOTO_MAX_PIXELS, 50 million).
        (8000, "图片像素过多（8000×8000），疑似“解压炸弹”文件，未保存"),
    ],
)
def test_a_decompression_bomb_is_refused_before_decoding(client, admin_user, media, side, message):
    bomb = io.BytesIO()
    Image.new("1", (side, side)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 100_000
    response = post_photo(client, admin_user, bomb.getvalue(), "bomb.png")
    assert message in response.content.decode()
    assert ProjectPhoto.objects.count() == 0 and stored_files(media) == []


def test_a_huge_file_is_refused_with_its_size(client, admin_user, media, settings):
    settings.RELIEF_PHOTO_MAX_BYTES = 1024 * 1024
    response = post_photo(client, admin_user, b"\xff\xd8" + b"0" * (2 * 1024 * 1024), "huge.jpg")
    assert "照片文件过大（2.0 MB），上限为 1 MB，未保存" in response.content.decode()
    assert ProjectPhoto.objects.count() == 0 and stored_files(media) == []


def test_prepare_raises_a_message_for_staff():
    with pytest.raises(PhotoError) as info:
        prepare_photo(upload(b"GIF89a garbage"))
    assert info.value.message.endswith("未保存")


# Every place a camera or an editor can hide text in a file, each with its own marker string.
SECRETS = [b"JPEG-COM-SECRET", b"JPEG-EXIF-SECRET", b"XMP-SECRET", b"IPTC-SECRET", b"ICC-SECRET",
           b"PNG-TEXT-SECRET", b"PNG-ITXT-SECRET", b"PNG-EXIF-SECRET"]  # fmt: skip
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def segment(marker, payload):
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def jpeg_with_every_segment(icc):
    exif = Image.Exif()
    exif[0x010F] = "JPEG-EXIF-SECRET"
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (30, 120, 200)).save(
        out, "JPEG", comment=b"JPEG-COM-SECRET", exif=exif, xmp=b"<x:xmpmeta>XMP-SECRET</x:xmpmeta>",
        icc_profile=icc,
    )  # fmt: skip
    data = out.getvalue()
    # Photoshop's IPTC block (APP13): resource 0x0404, dataset 2:120 (caption).
    iptc = b"\x1c\x02\x78" + len(b"IPTC-SECRET").to_bytes(2, "big") + b"IPTC-SECRET"
    resource = b"8BIM\x04\x04\x00\x00" + len(iptc).to_bytes(4, "big") + iptc + b"\x00"
    app13 = segment(0xED, b"Photoshop 3.0\x00" + resource)
    return data[:2] + app13 + data[2:]


def png_with_every_chunk():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "PNG-TEXT-SECRET")
    info.add_itxt("Description", "PNG-ITXT-SECRET")
    exif = Image.Exif()
    exif[0x010F] = "PNG-EXIF-SECRET"
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (30, 120, 200)).save(out, "PNG", pnginfo=info, exif=exif, icc_profile=SRGB)
    return out.getvalue()


def jpeg_markers(data):
    """The marker of every segment of a JPEG, with its payload, in file order (entropy-coded data
    after each SOS is skipped: FF 00 is a stuffed byte, FF D0-D7 a restart marker)."""
    assert data[:2] == b"\xff\xd8"
    found, at = [(0xD8, b"")], 2
    while at < len(data):
        assert data[at] == 0xFF, f"no marker at {at}"
        marker = data[at + 1]
        if marker == 0xD9:
            return [*found, (marker, b"")]
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        found.append((marker, data[at + 4 : at + 2 + length]))
        at += 2 + length
        if marker == 0xDA:
            while not (data[at] == 0xFF and data[at + 1] not in (0x00, *range(0xD0, 0xD8))):
                at += 1
    raise AssertionError("no EOI")


# SOI, EOI, quantisation and Huffman tables, baseline/progressive frame, scans, restart interval.
IMAGE_DATA_MARKERS = {0xD8, 0xD9, 0xDB, 0xC4, 0xC0, 0xC2, 0xDA, 0xDD}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("camera.jpg", jpeg_with_every_segment(SRGB)),
        ("bad-profile.jpg", jpeg_with_every_segment(b"ICC-SECRET" * 20)),
        ("edited.png", png_with_every_chunk()),
    ],
)
def test_no_segment_of_the_upload_survives_but_its_pixels(client, admin_user, media, name, data):
    hidden = [secret for secret in SECRETS if secret in data]
    assert len(hidden) == {"camera.jpg": 4, "bad-profile.jpg": 5, "edited.png": 3}[name]
    response = post_photo(client, admin_user, data, name)
    assert response.status_code == 302
    photo = ProjectPhoto.objects.get()
    for size in SIZES:
        served = client.get(f"/relief/photos/{photo.pk}/{size}.jpg")
        stored = b"".join(served.streaming_content)
        assert not [secret for secret in SECRETS if secret in stored]
        markers = jpeg_markers(stored)
        assert {marker for marker, _ in markers} <= IMAGE_DATA_MARKERS | {0xE0}
        # The one APP0 is Pillow's own JFIF header (version, density), written for every file.
        assert [payload[:5] for marker, payload in markers if marker == 0xE0] == [b"JFIF\x00"]
        assert Image.open(io.BytesIO(stored)).getpixel((10, 10)) == pytest.approx((30, 120, 200), abs=3)
