import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    # Fails (SystemExit 1) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_unit_uniqueness_index_survives_all_migrations():
    # Django's own AlterField for Donor.name once dropped this partial unique index on PostgreSQL.
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "donations_donor")
    assert constraints["donor_unique_unit_name"]["unique"]
    assert "donations_donor_name_41ed21fb" not in constraints
