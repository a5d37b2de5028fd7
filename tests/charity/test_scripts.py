"""The two commands of the README: what they print."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_test_command_masks_the_database_password():
    # `--version` makes pytest answer at once; everything before it (bootstrap, ruff) runs as usual.
    env = {**os.environ, "DATABASE_URL": "postgres://charity:s3cret-pw@db.example.org:5432/charity"}
    result = subprocess.run(
        ["./scripts/test", "--version"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "==> pytest (postgres://charity:***@db.example.org:5432/charity)" in output
    assert "s3cret-pw" not in output
