import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_manage_py_starts_without_the_collector_and_turns_it_back_on():
    """Start-up objects end frozen, and the collector runs again for the command itself."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "import gc; print(gc.isenabled(), gc.get_freeze_count() > 1000)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["True", "True"]


def test_the_wsgi_application_turns_the_collector_back_on():
    code = "import gc, charity.wsgi; print(gc.isenabled(), gc.get_freeze_count() > 1000)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "True"]


def test_the_wsgi_application_has_its_admin_pages_before_the_first_request():
    code = "import charity.wsgi; from django.contrib import admin; print(len(admin.site._registry) > 30)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True"]


def _run(code):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_a_command_starts_without_the_admin_modules_or_the_spreadsheet_writers():
    """The admin's modules (and django-import-export, which loads openpyxl) are imported when the
    URLconf loads, not at start-up (charity/admin_site.py); nor are the chart and Markdown
    libraries. Start-up is most of a command's time (bench/README.md, Donation import)."""
    code = (
        "import sys; from django.contrib import admin; "
        "print(len(admin.site._registry), *(m in sys.modules for m in "
        "('import_export.admin', 'openpyxl', 'xlsxwriter', 'pygal', 'markdown_it', 'donations.admin')))"
    )
    assert _run(code) == ["0", "False", "False", "False", "False", "False", "False"]


def test_the_urlconf_and_the_system_checks_each_register_every_admin_page():
    from django.contrib import admin

    expected = len(admin.site._registry)  # the test session loaded them (tests/conftest.py)
    assert expected > 30
    url_conf = "import charity.urls; from django.contrib import admin; print(len(admin.site._registry))"
    assert _run(url_conf) == [str(expected)]
    # `manage.py check` runs the admin's checks, whichever order it runs its checks in.
    checks = (
        "from django.core import checks; from django.contrib import admin; "
        "errors = checks.run_checks(tags=['admin']); print(len(admin.site._registry), len(errors))"
    )
    assert _run(checks) == [str(expected), "0"]
