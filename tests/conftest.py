import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection

from tests import factories


def pytest_collection_modifyitems(config, items):
    # PostgreSQL-only behaviour (COPY, row locks) is marked; it runs wherever CI's database is.
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="需要 PostgreSQL (设置 DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-admin-123")


@pytest.fixture
def clerk(django_user_model):
    """A 慈善办 clerk: staff who may view, add and change donations, donors and campaigns."""
    group, _ = Group.objects.get_or_create(name="慈善办")
    perms = Permission.objects.filter(
        content_type__app_label__in=["donations", "campaigns", "relief"],
        codename__regex=r"^(view|add|change)_",
    )
    group.permissions.set(perms)
    user = django_user_model.objects.create_user("clerk", "clerk@example.org", "pw-clerk-123", is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("outsider", "outsider@example.org", "pw-out-123")


@pytest.fixture
def campaign(db):
    return factories.campaign()


@pytest.fixture
def report_sectors(transactional_db):
    """The 23 sectors the data migration seeds, for transactional tests.

    A transactional test ends by flushing every table, migration data included, so the next one
    cannot rely on the seeded sectors; this puts them back (idempotent).
    """
    from donations.models import Sector
    from donations.sectors import REPORT_2023_SECTORS

    for order, name in enumerate(REPORT_2023_SECTORS, start=1):
        Sector.objects.get_or_create(name=name, defaults={"order": order})


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Public figures are cached for a few minutes; each test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
