"""Repeated wrong passwords lock a username out from that address, even for the right password."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pw-admin-123"


def attempt(client, password, address="192.0.2.10", username="admin"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def test_five_failures_lock_out_the_right_password_too(client, admin_user, settings):
    answers = [attempt(client, "wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    # The form again after each failure; the failure that reaches the limit already locks.
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = attempt(client, PASSWORD)
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    assert not logged_in(client)


def test_the_lockout_is_keyed_on_username_and_address(client, admin_user, django_user_model, settings):
    django_user_model.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    # The same user from another address, and another user from the same address, still get in.
    assert attempt(client, PASSWORD, address="198.51.100.7").status_code == 302
    client.logout()
    assert attempt(client, PASSWORD, username="clerk").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
