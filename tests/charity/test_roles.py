"""The staff roles exist as groups in every migrated database, and `sync_roles` restores them."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from charity.roles import ROLES

pytestmark = pytest.mark.django_db


def test_a_migrated_database_has_every_role_group_with_its_permissions():
    for name, permissions in ROLES.items():
        group = Group.objects.get(name=name)
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert held == set(permissions), name


def test_sync_roles_puts_back_what_was_changed_by_hand(capsys):
    clerk = Group.objects.get(name="录入员")
    clerk.permissions.clear()
    Group.objects.get(name="领导").delete()
    call_command("sync_roles")
    assert clerk.permissions.count() == len(ROLES["录入员"])
    assert Group.objects.filter(name="领导").exists()
    assert "录入员：28 项权限" in capsys.readouterr().out
