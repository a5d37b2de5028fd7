"""The two commands of the README: what they print."""

import os
import socket
import subprocess
import time
import urllib.request
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


def test_serve_runs_the_task_worker_beside_the_server_and_stops_both(tmp_path):
    """A fresh clone's `./scripts/serve` does background jobs (the admin's imports need them)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "CHARITY_DATA_DIR": str(tmp_path), "PORT": str(port)}
    env.pop("DATABASE_URL", None)  # the newcomer's SQLite, in tmp_path
    serve = subprocess.Popen(
        ["./scripts/serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/healthz"), serve)
        # A job queued now (as the admin's download of a summary would) is run by the worker.
        queue = (
            "from django.contrib.auth import get_user_model; from campaigns import services; "
            "print(services.enqueue_annual_summary(2023, get_user_model().objects.get(username='admin')).pk)"
        )
        job = manage(env, "shell", "-c", queue)
        status = (
            f"from charity.models import BackgroundJob; print(BackgroundJob.objects.get(pk='{job}').status)"
        )
        wait_until(lambda: manage(env, "shell", "-c", status) == "done", serve)
        workers = children_running(serve.pid, "db_worker")
        assert workers
    finally:
        serve.terminate()
        output = serve.communicate(timeout=60)[0].decode()
    assert serve.returncode == 143, output
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert not answers(f"http://127.0.0.1:{port}/healthz")


def manage(env, *args):
    done = subprocess.run(
        [".venv/bin/python", "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]  # after what `shell` says it imported


def answers(url):
    try:
        return urllib.request.urlopen(url, timeout=2).status == 200
    except OSError:
        return False


def wait_until(condition, process, timeout=240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        assert process.poll() is None, process.stdout.read().decode()[-3000:]
        time.sleep(0.5)
    raise AssertionError("timed out")


def children_running(parent, name):
    """Pids of `parent`'s children whose command line names `name`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and name in (proc / "cmdline").read_text():
                if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(int(proc.name))
        except OSError:
            continue
    return found
