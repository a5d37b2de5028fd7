import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection

from tests import factories
from tests.crawl import demo_site  # noqa: F401 (the loaded demo, for the tests that crawl it)

# The admin modules register their pages when the URLconf loads, not at start-up
# (charity/admin_site.py); tests that walk admin.site's registry while collected find them all.
admin.autodiscover()


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


# The staff roles by test name: the groups of charity/roles.py, written out so a renamed group fails.
ROLES = {
    "clerk": "录入员",
    "reviewer": "审核员",
    "publisher": "发布员",
    "leader": "领导",
    "liaison": "分会联络员",
    "relief": "救助专员",
}


def staff_with_role(username, *roles):
    """A staff account in the named role groups (charity/roles.py), as the administrator makes one."""
    from django.contrib.auth import get_user_model

    from charity.roles import sync_roles

    sync_roles()  # a transactional test's flush leaves the groups as post_migrate made them; cheap
    user = get_user_model().objects.create_user(username, f"{username}@example.org", f"pw-{username}-123")
    user.is_staff = True
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


@pytest.fixture
def clerk(db):
    """录入员: enters and imports donations; edits only those not yet confirmed."""
    return staff_with_role("clerk", "录入员")


@pytest.fixture
def reviewer(db):
    """审核员: confirms gifts and batches, reverses confirmed gifts."""
    return staff_with_role("reviewer", "审核员")


@pytest.fixture
def publisher(db):
    """发布员: publishes honor rolls, rankings, disclosures and the annual summary."""
    return staff_with_role("publisher", "发布员")


@pytest.fixture
def leader(db):
    """领导: the dashboard and the PDF summaries, read only."""
    return staff_with_role("leader", "领导")


@pytest.fixture
def relief_officer(db):
    """救助专员: relief projects, spending, beneficiaries, draft disclosures."""
    return staff_with_role("relief", "救助专员")


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


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reviewed_gifts():
    """Gifts made by tests.factories.donation are confirmed unless a test asks for a pending one:
    what tests of public surfaces need, since the public counts only confirmed gifts. (Not through
    monkeypatch, whose undo() a test may call for its own patches.)"""
    before, factories.default_status = factories.default_status, "confirmed"
    yield
    factories.default_status = before


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings, tmp_path):
    """Background jobs run inside the request that starts them, so most tests read the outcome
    at once; tests of the worker itself use the real database backend (tests/charity/test_jobs.py).
    Files jobs make go to the test's own folder."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.JOB_FILES_DIR = tmp_path / "job-files"


@pytest.fixture
def database_tasks(settings):
    """The production queue: tasks wait in the database until a worker (db_worker) runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts from an empty cache, with whole public pages cached as in production
    (charity/page_cache.py; off by default without Redis): every test that changes data and reads
    a page again checks that the change reaches the page. The version of the public data is read
    on every request, so a page kept in memory by an earlier test is never taken for this one's."""
    from django.core.cache import cache

    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    settings.PUBLIC_PAGE_CACHE_CHECK_SECONDS = 0
    # The test process's memory cache stands for Redis; the version kept in the database instead
    # (the embedded default) is tested in tests/charity/test_page_cache_embedded.py.
    settings.PUBLIC_PAGE_CACHE_SHARED = True
    cache.clear()


@pytest.fixture
def site_identity_cached(db):
    """The site identity read into the cache, as it stays once a first page read it (charity/
    identity.py): query counts of pages are then their own."""
    from charity import identity

    return identity.current()


# --- nothing personal in the logs --------------------------------------------------------------
# Every log record of the whole run is checked: a resident identity number (GB 11643: region,
# a real birth date, sequence, check character) or a mainland mobile number in any message fails
# the run, whichever test caused it. Units' credit codes do not look like birth dates.
import logging  # noqa: E402
import re  # noqa: E402

PERSONAL_DATA = re.compile(
    r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
    r"|(?<!\d)1[3-9]\d{9}(?!\d)"
)


class PersonalDataInLogs(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.found = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += " " + str(record.exc_info[1])
        if PERSONAL_DATA.search(text):
            self.found.append(f"{record.name}: {text[:300]}")


def pytest_configure(config):
    config._personal_data_handler = PersonalDataInLogs()
    logging.getLogger().addHandler(config._personal_data_handler)


def pytest_sessionfinish(session, exitstatus):
    handler = getattr(session.config, "_personal_data_handler", None)
    if handler is not None and handler.found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line("身份证号或手机号写进了日志：", red=True)
        for line in handler.found[:20]:
            reporter.write_line("  " + line, red=True)
        session.exitstatus = 1
