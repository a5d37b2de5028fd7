"""Staff sessions end when the browser closes and after a working day without a request; the end
moves with use, written at most once per SESSION_REFRESH_SECONDS (charity/sessions.py)."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charity.sessions import REFRESHED_KEY

pytestmark = pytest.mark.django_db


def login(client):
    answer = client.post(
        reverse("admin:login"), {"username": "admin", "password": "pw-admin-123", "next": "/admin/"}
    )
    assert answer.status_code == 302
    return answer


def stored(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_a_working_day_and_the_browser_close(settings):
    assert 8 * 3600 <= settings.SESSION_COOKIE_AGE <= 10 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # the cheaper sliding refresh instead


def test_the_session_cookie_ends_with_the_browser(client, admin_user, settings):
    cookie = login(client).cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]
    # On the server the session lasts SESSION_COOKIE_AGE from its last save.
    left = (stored(client).expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < left <= settings.SESSION_COOKIE_AGE


def test_an_idle_session_is_over(client, admin_user):
    login(client)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    answer = client.get("/admin/")
    assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")


def test_use_moves_the_end_at_most_once_per_refresh_period(client, admin_user, settings):
    login(client)
    soon = timezone.now() + timedelta(hours=1)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=soon)

    # Within the refresh period (the login has just saved it): no write.
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert stored(client).expire_date == soon

    # The last save is older than the period: this request saves it, a working day from now.
    session = client.session
    session[REFRESHED_KEY] = int(time.time()) - settings.SESSION_REFRESH_SECONDS - 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=soon)
    assert client.get("/admin/").status_code == 200
    left = (stored(client).expire_date - timezone.now()).total_seconds()
    assert left > settings.SESSION_COOKIE_AGE - 60


def test_public_visitors_get_no_session(client, settings):
    answer = client.get("/")
    assert settings.SESSION_COOKIE_NAME not in answer.cookies
    assert not Session.objects.exists()
