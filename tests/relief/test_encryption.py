"""Identity numbers are encrypted at rest: a database dump alone does not reveal them."""

import pytest
from django.db import connection
from django.test import override_settings

from charity.models import AuditEntry
from relief import crypto
from relief.models import Beneficiary
from tests.relief import helpers

pytestmark = pytest.mark.django_db


def raw_row(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM relief_beneficiary WHERE id = %s", [pk])
        return " ".join(str(value) for value in cursor.fetchone())


def test_the_stored_column_holds_no_digit_of_the_number_in_clear():
    number = helpers.id_number()
    person = helpers.beneficiary(name="甲乙丙", id_number=number)
    row = raw_row(person.pk)
    assert number not in row
    assert number[-6:] not in row and number[6:14] not in row
    assert "fernet:" in row
    assert Beneficiary.objects.get(pk=person.pk).id_number == number


def test_two_people_with_equal_prefixes_get_unrelated_ciphertexts():
    first = helpers.beneficiary(id_number=helpers.id_number(seq=11))
    second = helpers.beneficiary(id_number=helpers.id_number(seq=12))
    assert raw_row(first.pk).split("fernet:")[1][:40] != raw_row(second.pk).split("fernet:")[1][:40]


def test_another_key_cannot_read_it():
    person = helpers.beneficiary()
    with override_settings(RELIEF_ID_KEY="x" * 43 + "="), pytest.raises(ValueError, match="无法解密"):
        Beneficiary.objects.get(pk=person.pk)


def test_the_audit_trail_records_a_change_but_not_the_number():
    number = helpers.id_number(seq=21)
    person = helpers.beneficiary(id_number=number)
    person.id_number = helpers.id_number(seq=22)
    person.save()
    entries = AuditEntry.objects.filter(object_id=str(person.pk), action__startswith="relief.beneficiary")
    assert entries.count() == 2
    text = str(list(entries.values_list("changes", "data", "object_repr")))
    assert number not in text and person.id_number not in text
    assert "（保密，不记录内容）" in text


def test_the_digest_is_keyed():
    number = helpers.id_number()
    with override_settings(RELIEF_ID_KEY=""):
        first = crypto.digest(number)
    with override_settings(SECRET_KEY="another-secret-" * 4, RELIEF_ID_KEY=""):
        assert crypto.digest(number) != first


def test_the_admin_list_shows_both_ends_of_the_number_only(client, admin_user):
    number = helpers.id_number(seq=31)
    helpers.beneficiary(name="丁戊己", id_number=number)
    client.force_login(admin_user)
    page = client.get("/admin/relief/beneficiary/", {"q": "丁戊己"}).content.decode()
    assert "丁戊己" in page
    assert number not in page
    assert number[:4] + "**********" + number[-4:] in page


def test_names_are_not_written_into_the_audit_trail():
    person = helpers.beneficiary(name="甲乙丙")
    person.name = "甲乙丁"
    person.save()
    person.delete()
    entries = AuditEntry.objects.filter(action__startswith="relief.beneficiary")
    assert entries.count() == 3
    text = str(list(entries.values_list("changes", "object_repr")))
    assert "甲乙丙" not in text and "甲乙丁" not in text
    assert "甲*丙" in text  # the entry says whose record it was, masked
