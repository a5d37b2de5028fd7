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
