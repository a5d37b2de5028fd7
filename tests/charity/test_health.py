"""The health endpoint answers for the database and the cache; the cache is Redis when configured."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthy(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_cache_that_does_not_answer_makes_it_unhealthy(client):
    with mock.patch("charity.views.cache.set", side_effect=ConnectionError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["cache"] == "error: ConnectionError"


def test_redis_url_selects_the_shared_cache():
    env = dict(os.environ, REDIS_URL="redis://127.0.0.1:6379/5")
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    command = [sys.executable, "manage.py", "shell", "--no-imports", "-c", code]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr
