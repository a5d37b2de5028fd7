"""Properties of the importer's cell parsers: any cell a file can hold comes back as a typed value
or a CellError with a Chinese message, never another exception (a 500 on the import page).

Hypothesis, derandomized so CI sees the same examples on every run.
"""

import datetime
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from charity.text import normalize_name, normalize_names
from donations.importing.errors import CellError
from donations.importing.parsing import (
    MAX_AMOUNT,
    cell_text,
    fold,
    fold_all,
    parse_amount,
    parse_channel,
    parse_column,
    parse_credit_code,
    parse_date,
    parse_head_count,
    parse_kind,
    parse_yes_no,
    text_column,
)

QUICK = settings(max_examples=300, deadline=None, derandomize=True)

# What a reader hands a parser: text from a CSV, numbers, dates and booleans from a workbook.
number_texts = st.builds(
    lambda sign, digits, point, places, suffix: f"{sign}{digits}{point}{places}{suffix}",
    st.sampled_from(["", "-", "+", "¥", "－"]),
    st.text("0123456789,０１２３４５６７８９٣፩²", min_size=1, max_size=20),
    st.sampled_from(["", ".", "．"]),
    st.text("0123456789", max_size=30),
    st.sampled_from(["", "元", "万", "万元", "\n万", " ", "e5", "E+999"]),
)
cells = st.one_of(
    st.text(),
    number_texts,
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["NaN", "sNaN", "Infinity", "-inf", "1e999", "0", "0.001", "1,2345", "２０２３年９月１"]),
)


def parses_or_refuses(parser, raw):
    try:
        return parser(raw)
    except CellError as error:
        assert str(error)
        return None


@QUICK
@given(cells)
@example(float("nan"))
@example(float("inf"))
@example(1e300)
@example("12\n万")
def test_an_amount_is_exact_fen_in_range_or_refused(raw):
    amount = parses_or_refuses(parse_amount, raw)
    if amount is not None:
        assert isinstance(amount, Decimal) and amount.as_tuple().exponent == -2
        assert Decimal("0.01") <= amount <= MAX_AMOUNT


@pytest.mark.parametrize(
    "raw",
    [
        float("nan"),  # InvalidOperation before
        float("inf"),
        1e300,  # InvalidOperation: too many digits to quantize
        1e-171,  # read as 0.00 and accepted
        10**400,
        "12\n万",  # "$" matched before the newline
        "1.0000000000000000000000000001万",  # rounded to 10000.00 by 28-digit precision
    ],
)
def test_what_the_properties_found_is_refused(raw):
    with pytest.raises(CellError):
        parse_amount(raw)


@QUICK
@given(st.decimals(min_value=Decimal("0.01"), max_value=MAX_AMOUNT, places=2))
def test_every_amount_the_ledger_holds_reads_back_from_its_text(amount):
    assert parse_amount(f"{amount:.2f}") == amount
    assert parse_amount(f"{amount:,.2f}元") == amount


@QUICK
@given(cells)
@example(10**400)
@example(20230917.5)
def test_a_date_is_a_date_or_refused(raw):
    day = parses_or_refuses(parse_date, raw)
    assert day is None or isinstance(day, datetime.date)


@QUICK
@given(cells)
@example("፩")  # ETHIOPIC DIGIT ONE: str.isdigit() says yes, int() says no
def test_the_small_parsers_answer_or_refuse(raw):
    for parser in (parse_kind, parse_channel, parse_yes_no, parse_head_count, parse_credit_code):
        parses_or_refuses(parser, raw)
    assert isinstance(cell_text(raw), str)


@QUICK
@given(st.lists(cells, max_size=30))
def test_a_column_never_raises(values):
    for parser in (parse_amount, parse_date, parse_head_count):
        parsed, errors = parse_column(values, parser)
        assert len(parsed) == len(values)
        assert all(parsed[i] is None for i in errors)


# Receipt numbers and names: the importer folds a column in one pass (charity.text.in_one_pass);
# it must give what folding each cell alone gives.


@QUICK
@given(st.lists(st.text(), max_size=20))
def test_receipt_numbers_fold_in_one_pass_as_one_by_one(texts):
    assert fold_all(texts) == [fold(t) for t in texts]
    out, _ = text_column(texts, fold_all, limit=50)
    assert out == [fold(cell_text(t)) for t in texts]


@QUICK
@given(st.lists(st.text(), max_size=20))
def test_names_normalise_in_one_pass_as_one_by_one(texts):
    assert normalize_names(texts) == [normalize_name(t) for t in texts]


@QUICK
@given(st.text())
def test_a_normalised_name_is_its_own_normal_form(text):
    once = normalize_name(text)
    assert normalize_name(once) == once
