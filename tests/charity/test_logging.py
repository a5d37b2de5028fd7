"""Each log record is printed once (Django's own console handler used to repeat the root's)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A 404 logged by django.request (what runserver printed twice), a message of the project's own,
# and runserver's request line, which has its own handler and must not propagate to the root.
LOGS = """
import logging
from django.test import Client
Client().get("/no-such-page-marker/")
logging.getLogger("donations").warning("project-marker")
logging.getLogger("django.server").info("server-marker")
"""


def test_a_logged_message_is_printed_once():
    env = {**os.environ, "DEBUG": "1", "LOG_LEVEL": "INFO"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", LOGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert output.count("Not Found: /no-such-page-marker/") == 1, output
    assert output.count("project-marker") == 1, output
    assert output.count("server-marker") == 1, output
