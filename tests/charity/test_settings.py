import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(*options, **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' (tests/browser/conftest.py), not production's.
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
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
        SITE_URL="https://charity.example.org",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:////tmp/charity-prod-check.sqlite3"),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_unsafe_values():
    result = run_check(CHARITY_ENV="production")
    assert result.returncode != 0
    assert "生产环境配置不安全" in result.stderr
    for problem in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"):
        assert problem in result.stderr


def test_production_refuses_to_start_without_its_public_address():
    """Without SITE_URL every QR code and verification link in a PDF pointed at 127.0.0.1."""
    safe = {
        "CHARITY_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "charity.example.org",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/charity-prod-check.sqlite3"),
    }
    for site_url in (None, "", "charity.example.org"):
        result = run_check(**safe, **({} if site_url is None else {"SITE_URL": site_url}))
        assert result.returncode != 0
        assert "生产环境配置不安全" in result.stderr and "SITE_URL 必须设置为网站的公开地址" in result.stderr
    assert run_check(**safe, SITE_URL="https://charity.example.org/").returncode == 0


def test_production_with_safe_values_starts():
    result = run_check(
        CHARITY_ENV="production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="charity.example.org",
        SITE_URL="https://charity.example.org",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:////tmp/charity-prod-check.sqlite3"),
    )
    assert result.returncode == 0, result.stderr


def test_development_defaults(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGES == [("zh-hans", "简体中文")]


def test_secrets_can_come_from_files(tmp_path):
    """SECRET_KEY_FILE, DATABASE_URL_FILE …: the secret need not be in the environment itself."""
    import secrets

    key = tmp_path / "secret_key"
    key.write_text(secrets.token_urlsafe(50) + "\n")
    database = tmp_path / "database_url"
    database.write_text(os.environ.get("DATABASE_URL", "sqlite:////tmp/charity-prod-check.sqlite3"))
    unset = {"DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='charity.settings'; django.setup();"
            "from django.conf import settings; print(len(settings.SECRET_KEY))",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in env.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
            "CHARITY_ENV": "production",
            "ALLOWED_HOSTS": "charity.example.org",
            "SITE_URL": "https://charity.example.org",
            "SECRET_KEY_FILE": str(key),
            "DATABASE_URL_FILE": str(database),
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == str(len(key.read_text().strip()))
    missing = run_check(CHARITY_ENV="production", SECRET_KEY_FILE=str(tmp_path / "nope"))
    assert missing.returncode != 0 and "无法读取 SECRET_KEY_FILE" in missing.stderr


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client, settings, db):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.generic("POST", "/admin/login/", b"x" * 2000, content_type="application/octet-stream")
    assert response.status_code == 413 and "上传的内容过大" in response.content.decode()
    assert client.post("/admin/login/", {"username": "a"}).status_code != 413
