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
    assert result.stdout.strip() == "charity.redis_cache.RedisCache", result.stderr


def test_the_redis_cache_makes_one_client_per_connection_pool():
    # Django's backend built a new client for every call: 0.12 ms each (charity/redis_cache.py).
    from redis import Redis

    from charity.redis_cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/5", {})._cache
    client = backend.get_client("a")
    assert isinstance(client, Redis) and client.connection_pool.connection_kwargs["db"] == 5
    assert backend.get_client("b") is client and backend.get_client("c", write=True) is client
