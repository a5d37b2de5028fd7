"""export_archive / restore_archive: every row, total, snapshot and audit entry back, identical."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

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
    role groups (README: migrate, then restore_archive)."""
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
    import tarfile

    archive = tmp_path / "charity.tar.gz"
    call_command("export_archive", output=str(archive), stdout=None)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member) if member.isfile() else None
            if member.name == "data.jsonl":
                text = content.read().replace("衡阳市一中".encode(), "改过的名字".encode())
                member.size = len(text)
                import io

                content = io.BytesIO(text)
            target.addfile(member, content)
    new_database()
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore_archive", str(damaged))
    assert not Donation.objects.exists()
