import datetime

import pytest
from django.core.exceptions import ValidationError

from relief.idnumbers import (
    ID_NUMBER_SHAPE,
    age_on,
    check_char,
    id_number_error,
    normalize_id_number,
    staff_hint,
)
from tests.relief import helpers

pytestmark = pytest.mark.django_db

# The example printed in GB 11643-1999 itself, with its X check character.
STANDARD_EXAMPLE = "11010519491231002X"


def test_the_standards_own_example_passes():
    assert check_char(STANDARD_EXAMPLE[:17]) == "X"
    assert id_number_error(STANDARD_EXAMPLE) is None


@pytest.mark.parametrize("last", "0123456789")
def test_every_wrong_check_character_is_refused(last):
    number = STANDARD_EXAMPLE[:17] + last
    assert id_number_error(number) == "身份证号码校验位不正确，请核对后重新输入"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("11010519491231002", "身份证号码应为 18 位，实际为 17 位"),
        ("1101051949123100AX", "身份证号码前 17 位应为数字，最后一位为数字或 X"),
        ("110105194913310020", "身份证号码中的出生日期（第 7 至 14 位）不是有效日期"),
        ("110105209912310020", "身份证号码中的出生日期（第 7 至 14 位）不是有效日期"),  # born in the future
    ],
)
def test_malformed_numbers_are_refused_without_repeating_them(number, message):
    assert id_number_error(number) == message
    assert number not in message


def test_what_staff_type_is_normalised():
    assert normalize_id_number(" １１０１０５１９４９１２３１００２ｘ ") == STANDARD_EXAMPLE
    assert normalize_id_number("11010519491231002x") == STANDARD_EXAMPLE


def test_model_validation_refuses_a_bad_check_digit():
    person = helpers.beneficiary()
    person.id_number = STANDARD_EXAMPLE[:17] + "1"
    with pytest.raises(ValidationError) as info:
        person.full_clean()
    assert info.value.message_dict["id_number"] == ["身份证号码校验位不正确，请核对后重新输入"]


def test_the_same_number_twice_is_refused():
    helpers.beneficiary(id_number=STANDARD_EXAMPLE)
    other = helpers.Beneficiary(name="另一人", id_number=STANDARD_EXAMPLE.lower(), district="雁峰区")
    with pytest.raises(ValidationError) as info:
        other.full_clean()
    assert info.value.message_dict["id_number"] == ["该身份证号码已登记为另一位受助人"]


def test_age_from_the_birth_date():
    number = helpers.id_number(born=datetime.date(2010, 6, 1))
    assert age_on(number, datetime.date(2028, 5, 31)) == 17
    assert age_on(number, datetime.date(2028, 6, 1)) == 18


def test_staff_list_shows_only_both_ends():
    assert staff_hint(STANDARD_EXAMPLE) == "1101**********002X"


def test_the_shape_finds_numbers_but_not_longer_digit_runs():
    assert ID_NUMBER_SHAPE.search(f"见{STANDARD_EXAMPLE}号")
    assert ID_NUMBER_SHAPE.search("430405196005170011".lower())
    assert not ID_NUMBER_SHAPE.search("9" + STANDARD_EXAMPLE[:17] + "0")  # 19 digits: something else
    assert not ID_NUMBER_SHAPE.search("金额 18,107,035.00 元，票据号 HY2023-000123")
