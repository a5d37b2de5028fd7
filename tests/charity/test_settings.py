import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(*options, **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' (tests/browser/conftest.py), not production's.
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *options], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_settings_pass_the_deployment_check_without_a_warning():
    import secrets

    result = run_check(
        "--deploy",
        "--fail-level",
        "WARNING",
        CHARITY_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="charity.example.org",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:////tmp/charity-prod-check.sqlite3"),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_unsafe_values():
    result = run_check(CHARITY_ENV="production")
    assert result.returncode != 0
    assert "生产环境配置不安全" in result.stderr
    for problem in ("SECRET_KEY", "ALLOWED_HOSTS"):
        assert problem in result.stderr


def test_production_with_safe_values_starts():
    result = run_check(
        CHARITY_ENV="production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="charity.example.org",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:////tmp/charity-prod-check.sqlite3"),
    )
    assert result.returncode == 0, result.stderr


def test_development_defaults(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGES == [("zh-hans", "简体中文")]
