import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_back_office_is_chinese_even_for_an_english_browser(client, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "工作台" in body and "注销" in body


@pytest.mark.django_db
def test_english_is_an_explicit_choice(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("admin:index")})
    assert response.status_code == 302
    body = client.get(reverse("admin:index")).content.decode()
    assert "Log out" in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "注销" in client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_public_pages_offer_the_switch(client):
    body = client.get(reverse("home")).content.decode()
    assert 'name="language" value="en"' in body and ">English<" in body
