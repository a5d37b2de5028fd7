"""export_archive / restore_archive: every row, total, snapshot and audit entry back, identical."""

import datetime
import gzip
import io
import os
import re
import stat
import tarfile

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from campaigns import services as campaign_services
from campaigns.models import HonorRollIssue, RankingEdition
from charity.backup import archived_models
from charity.snapshots import fingerprint
from donations import review
from donations.importing import import_file
from donations.models import BranchLiaison, Donation, Donor, Sector
from donations.sectors import REPORT_2023_SECTORS
from donations.services import finalize_batch
from relief.models import Beneficiary, Disclosure
from tests import factories
from tests.campaigns.conftest import new_edition
from tests.conftest import staff_with_role
from tests.donations.import_helpers import person_row, unit_row, xlsx
from tests.relief import helpers as relief

pytestmark = pytest.mark.django_db(transaction=True)


def everything():
    """Every row of every archived model, content types by name (their ids are the database's)."""
    types = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
    state = {}
    for model in archived_models():
        fields = [f for f in model._meta.concrete_fields]
        rows = []
        for row in model._base_manager.order_by("pk").values(*[f.attname for f in fields]):
            for f in fields:
                if f.is_relation and f.related_model is ContentType and row[f.attname] is not None:
                    row[f.attname] = types[row[f.attname]]
            rows.append(row)
        state[model._meta.label] = rows
    return state


@pytest.fixture
def data(report_sectors, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "relief").mkdir(parents=True)
    (settings.MEDIA_ROOT / "relief" / "光明行.jpg").write_bytes(b"\xff\xd8photo")
    admin = django_user_model.objects.create_superuser("admin", "a@example.org", "pw-admin-123")
    campaign = factories.campaign()
    factories.donation(factories.person("匿名者", display=Donor.Display.ANONYMOUS), campaign, "500.00")
    rows = [unit_row("衡阳市一中", "1000", 票据号="R-1"), person_row("王小明", "300", 汇款票据号="R-1")]
    batch = import_file(xlsx(rows), campaign=campaign, user=admin)
    finalize_batch(batch, admin)
    # A reversed gift, published snapshots with errata, a beneficiary's encrypted identity number,
    # a branch liaison and a role: everything a restore must give back exactly.
    wrong = factories.donation(factories.unit("录错单位"), campaign, "88.00")
    review.confirm_donations([wrong.pk], admin)
    review.reverse_donation(wrong, "重复录入", admin)
    issue = campaign_services.publish_honor_roll(
        HonorRollIssue.objects.create(campaign=campaign, number=1, cut_off=datetime.date(2023, 9, 30)), admin
    )
    campaign_services.publish_honor_roll_erratum(issue, "第一期更正：票据号补录。", admin)
    campaign_services.publish_ranking(new_edition(), admin)
    project = factories.project()
    relief.published_disclosure(project, people=[relief.beneficiary("受助人甲")])
    clerk = staff_with_role("clerk", "录入员")
    BranchLiaison.objects.create(user=clerk, branch=factories.branch("市直工委慈善分会", "市直工委慈善分会"))
    return campaign


def new_database():
    """What a new database holds after `migrate` and nothing else: the seeded sectors and the
    role groups (docs/deploy.md: migrate, then restore_archive)."""
    call_command("flush", interactive=False, verbosity=0)  # post_migrate brings the role groups back
    Sector.objects.bulk_create(
        [Sector(name=name, order=order) for order, name in enumerate(REPORT_2023_SECTORS, start=1)]
    )
    assert Group.objects.filter(name="录入员").exists()


def test_round_trip_into_an_empty_database(data, tmp_path, settings):
    before = everything()
    identity = Beneficiary.objects.get(name="受助人甲").id_number
    totals = list(Donation.objects.for_campaign(data).totals_by_sector())
    archive = tmp_path / "charity.tar.gz"
    call_command("export_archive", output=str(archive), stdout=None)

    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("restore_archive", str(archive))

    new_database()
    (settings.MEDIA_ROOT / "relief" / "光明行.jpg").unlink()
    call_command("restore_archive", str(archive), stdout=None)

    assert everything() == before
    assert list(Donation.objects.for_campaign(data).totals_by_sector()) == totals
    # Published snapshots still match the fingerprint they were published with.
    for snapshot in [*HonorRollIssue.objects.all(), *RankingEdition.objects.all(), *Disclosure.objects.all()]:
        assert snapshot.is_published and snapshot.content_sha256 == fingerprint(snapshot.content)
    assert Beneficiary.objects.get(name="受助人甲").id_number == identity
    assert Group.objects.get(name="录入员").user_set.get().username == "clerk"
    assert (settings.MEDIA_ROOT / "relief" / "光明行.jpg").read_bytes() == b"\xff\xd8photo"
    # The sequences go on after the restored ids.
    assert factories.donation(campaign_=data).pk > max(row["id"] for row in before["donations.Donation"])


def test_a_damaged_archive_is_refused_and_nothing_is_written(data, tmp_path):
    archive = tmp_path / "charity.tar.gz"
    call_command("export_archive", output=str(archive), stdout=None)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member) if member.isfile() else None
            if member.name == "data.jsonl":
                text = content.read().replace("衡阳市一中".encode(), "改过的名字".encode())
                member.size = len(text)
                content = io.BytesIO(text)
            target.addfile(member, content)
    new_database()
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore_archive", str(damaged))
    assert not Donation.objects.exists()


# The shape of a Chinese resident identity number (GB 11643): region, birth date, sequence,
# check digit; not inside a longer run of letters or digits (a digest or a base64 token).
ID_NUMBER = re.compile(
    rb"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
KEY_AT_EXPORT = Fernet.generate_key().decode()


@pytest.fixture
def id_key(settings):
    """The key the identity numbers are encrypted with from the start (before `data` makes them)."""
    settings.RELIEF_ID_KEY = KEY_AT_EXPORT
    return KEY_AT_EXPORT


def stored_id_numbers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM relief_beneficiary ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_identity_numbers_stay_encrypted_in_the_archive(id_key, data, tmp_path):
    identity = Beneficiary.objects.get(name="受助人甲").id_number
    assert ID_NUMBER.fullmatch(identity.encode())  # the pattern finds a real one
    archive = tmp_path / "charity.tar.gz"
    call_command("export_archive", output=str(archive), stdout=None)
    content = gzip.decompress(archive.read_bytes())
    assert ID_NUMBER.findall(content) == []
    assert identity.encode() not in content
    # The ciphertext exactly as the database holds it.
    assert all(token.encode() in content for token in stored_id_numbers())


def test_the_archive_is_readable_by_its_owner_only(data, tmp_path):
    archive = tmp_path / "charity.tar.gz"
    archive.write_bytes(b"an older archive, world-readable")
    archive.chmod(0o644)
    old_umask = os.umask(0o022)
    try:
        call_command("export_archive", output=str(archive), stdout=None)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert tarfile.is_tarfile(archive)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["charity.tar.gz", "media"]  # no partial file


@pytest.mark.parametrize(
    ("key_at_restore", "message"),
    [
        (Fernet.generate_key().decode(), "当前的 RELIEF_ID_KEY 与导出时的不同"),
        ("", "当前没有设置 RELIEF_ID_KEY"),
    ],
)
def test_a_restore_with_another_key_is_refused_before_writing(
    id_key, data, tmp_path, settings, key_at_restore, message
):
    archive = tmp_path / "charity.tar.gz"
    call_command("export_archive", output=str(archive), stdout=None)
    new_database()
    photo = settings.MEDIA_ROOT / "relief" / "光明行.jpg"
    photo.unlink()
    settings.RELIEF_ID_KEY = key_at_restore
    with pytest.raises(CommandError) as refusal:
        call_command("restore_archive", str(archive))
    assert message in str(refusal.value) and "未写入任何数据" in str(refusal.value)
    assert not Donation.objects.exists() and not Beneficiary.objects.exists() and not photo.exists()


def test_the_right_key_restores_the_same_numbers_and_ciphertext(id_key, data, tmp_path):
    identities = sorted(Beneficiary.objects.values_list("id_number", flat=True))
    ciphertext = stored_id_numbers()
    archive = tmp_path / "charity.tar.gz"
    call_command("export_archive", output=str(archive), stdout=None)
    new_database()
    call_command("restore_archive", str(archive), stdout=None)
    assert sorted(Beneficiary.objects.values_list("id_number", flat=True)) == identities
    assert stored_id_numbers() == ciphertext


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("../outside.txt", tarfile.REGTYPE, "条目名称不安全"),
        ("/etc/charity-evil", tarfile.REGTYPE, "条目名称不安全"),
        ("media/link", tarfile.SYMTYPE, "不允许的条目"),
        ("media/hard", tarfile.LNKTYPE, "不允许的条目"),
    ],
)
def test_an_archive_with_unsafe_members_is_refused(data, tmp_path, name, kind, message):
    archive = tmp_path / "hostile.tar.gz"
    with tarfile.open(archive, "w:gz") as target:
        member = tarfile.TarInfo(name)
        member.type = kind
        member.linkname = "/etc/passwd" if kind != tarfile.REGTYPE else ""
        target.addfile(member, io.BytesIO(b"") if kind == tarfile.REGTYPE else None)
    new_database()
    with pytest.raises(CommandError, match=message):
        call_command("restore_archive", str(archive))
    assert not (tmp_path.parent / "outside.txt").exists()
