"""PostgreSQL's per-row foreign-key triggers replaced by per-column checks during an import."""

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from donations.importing import ImportFailed, import_file, integrity
from donations.models import Donation, Donor, ImportBatch, RemittanceLine
from tests import factories

from .import_helpers import person_row, unit_row, xlsx

pytestmark = pytest.mark.postgres


def setting(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def remittance_file(project_name=None):
    extra = {"定向项目": project_name} if project_name else {}
    return xlsx(
        [
            unit_row("衡阳市教育局", "300", 票据号="R-1", **extra),
            person_row("王小明", "100", 汇款票据号="R-1"),
            person_row("李小红", "200", 汇款票据号="R-1"),
        ]
    )


@pytest.mark.django_db
def test_import_turns_row_triggers_back_on_and_writes_every_reference(campaign, admin_user):
    assert integrity.set_based_checks_possible()  # CI connects as a superuser
    batch = import_file(remittance_file(), campaign=campaign, user=admin_user)
    assert setting("session_replication_role") == "origin"
    remittance = Donation.objects.get(batch=batch)
    assert remittance.donor.source_batch == batch
    names = RemittanceLine.objects.filter(remittance=remittance).values_list("donor__name", flat=True)
    assert sorted(names) == ["李小红", "王小明"]


@pytest.mark.django_db
def test_verify_refuses_a_reference_to_a_missing_row(campaign):
    references = integrity.References()
    donor = factories.unit()
    # A donation written by the import pointing to its own new donor, a real campaign, and a
    # sector that does not exist.
    references.record(Donor, ("kind",), [("unit",)], [10_000_001], {})
    references.record(
        Donation,
        ("donor_id", "campaign_id", "sector_id"),
        [(10_000_001, campaign.pk, 999_999), (donor.pk, campaign.pk, None)],
        [1, 2],
        {"batch_id": None},
    )
    with pytest.raises(IntegrityError, match="计入版块.*1 条已不存在的版块"):
        references.verify()


@pytest.mark.django_db
def test_verify_accepts_what_exists_or_was_created_here(campaign):
    references = integrity.References()
    donor = factories.unit()
    references.record(Donor, ("kind",), [("unit",)], [10_000_001], {})
    references.record(
        Donation,
        ("donor_id", "campaign_id"),
        [(10_000_001, campaign.pk), (donor.pk, campaign.pk)],
        [1, 2],
        {},
    )
    references.verify()
    assert references.referenced[Donation._meta.get_field("donor")] == {10_000_001, donor.pk}


@pytest.mark.django_db
def test_an_import_fails_whole_when_a_referenced_row_is_gone(campaign, admin_user, monkeypatch):
    """A project deleted between the checks and the write: the import fails and writes nothing."""
    from donations.importing import validation

    real = validation.resolve_projects

    def project_gone(rows, log):
        real(rows, log)
        rows.project_ids = [999_999 if pk else pk for pk in rows.project_ids]

    monkeypatch.setattr(validation, "resolve_projects", project_gone)
    project = factories.project()
    with pytest.raises(ImportFailed) as failure:
        import_file(remittance_file(project.name), campaign=campaign, user=admin_user)
    (error,) = failure.value.errors
    assert "“定向项目”引用了 1 条已不存在的救助项目记录" in error.message
    assert "未写入任何数据" in error.message
    assert not Donation.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_role_without_the_right_keeps_the_triggers(campaign, admin_user, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE charity_import_test_limited NOSUPERUSER")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO charity_import_test_limited")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO charity_import_test_limited")
        cursor.execute("SET LOCAL ROLE charity_import_test_limited")
    assert not integrity.set_based_checks_possible()

    def not_expected(self):
        raise AssertionError("triggers stayed on: nothing to verify")

    monkeypatch.setattr(integrity.References, "verify", not_expected)
    batch = import_file(remittance_file(), campaign=campaign, user=admin_user)
    assert batch.donations.count() == 1 and batch.lines.count() == 2


@pytest.mark.django_db
def test_the_setting_turns_the_fast_path_off(settings):
    settings.IMPORT_SET_BASED_FK_CHECKS = False
    assert not integrity.set_based_checks_possible()


@pytest.mark.django_db
def test_a_failed_import_leaves_the_triggers_on(campaign, admin_user):
    factories.donation(receipt_no="R-1", campaign_=campaign)
    with pytest.raises(ImportFailed):
        import_file(remittance_file(), campaign=campaign, user=admin_user)
    assert setting("session_replication_role") == "origin"


@pytest.mark.django_db(transaction=True)
def test_referenced_rows_stay_locked_until_the_import_commits(report_sectors, campaign, admin_user):
    """A project deleted by someone else while the import runs must wait, as with the triggers."""
    project = factories.project()
    database = connection.settings_dict
    with transaction.atomic():
        import_file(remittance_file(project.name), campaign=campaign, user=admin_user)
        with psycopg.connect(
            host=database["HOST"], port=database["PORT"], user=database["USER"], dbname=database["NAME"]
        ) as other:
            other.execute("SET lock_timeout = '300ms'")
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("DELETE FROM relief_reliefproject WHERE id = %s", [project.pk])
