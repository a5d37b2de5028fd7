"""The interface is Chinese only: no browser setting, cookie or URL turns it into English.

The project's own text has no English catalogue, so an English switch translated only Django's
part of each page; it was removed rather than leave a half-English interface.
"""

import pytest
from django.urls import NoReverseMatch, reverse

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@pytest.mark.django_db
def test_back_office_is_chinese_even_for_an_english_browser(client, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("admin:index"), **ENGLISH_BROWSER).content.decode()
    assert "工作台" in body and "注销" in body
    assert "Log out" not in body


@pytest.mark.django_db
def test_an_old_english_cookie_changes_nothing(client, admin_user):
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("admin:donations_donation_changelist"), **ENGLISH_BROWSER).content.decode()
    assert "注销" in body and "Log out" not in body
    assert '<html lang="zh-hans"' in body


@pytest.mark.django_db
def test_no_language_switch_anywhere(client, admin_user):
    with pytest.raises(NoReverseMatch):
        reverse("set_language")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 404
    public = client.get(reverse("home"), **ENGLISH_BROWSER).content.decode()
    client.force_login(admin_user)
    admin = client.get(reverse("admin:index")).content.decode()
    for body in (public, admin):
        assert 'name="language"' not in body and "English" not in body
    assert '<html lang="zh-Hans">' in public and "每一笔善款公开透明" in public
