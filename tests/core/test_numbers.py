"""Numbers as people type them (core/numbers.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from core.numbers import read

LANGUAGES = ["en", "fr", "es", "ar", "ru", "zh"]


@pytest.mark.parametrize(
    ("text", "locale", "value"),
    [
        ("1,022", "en", "1022"),  # the team that lost its attempt typed this for 1022 ± 5
        ("1,022", "zh", "1022"),
        ("1 022", "fr", "1022"),
        ("1\u202f022,5", "fr", "1022.5"),  # as French is printed (narrow no-break space)
        ("1.022,5", "fr", "1022.5"),
        ("1,022", "fr", "1.022"),
        ("1.022", "es", "1022"),
        ("1.022", "en", "1.022"),
        ("1022.0", "en", "1022.0"),
        ("1,022,000", "en", "1022000"),
        ("1.022.000", "fr", "1022000"),
        ("-1,234.5", "en", "-1234.5"),
        ("\u22125", "ru", "-5"),  # a typographic minus
        ("١٠٢٢", "ar", "1022"),  # Arabic-Indic digits
        ("١٬٠٢٢٫٥", "ar", "1022.5"),  # with the Arabic thousands and decimal signs
        ("\u200e-1,022", "ar", "-1022"),  # a left-to-right mark from a word processor
        ("\u2066 1022 \u2069", "ar", "1022"),  # bidi isolates around the number
        ("0,022", "en", "0.022"),  # 0,022 cannot be thousands
        ("1,5", "en", "1.5"),  # nor can 1,5
        (".5", "en", "0.5"),
        ("  42 ", "en", "42"),
    ],
)
def test_numbers_read_as_written(text, locale, value):
    reading = read(text, locale)
    assert reading.ok, reading
    assert reading.value == Decimal(value)


def test_what_the_language_does_not_settle_is_refused_with_both_readings():
    reading = read("1.022", "fr")  # a French reader writes 1 022 or 1,022; a point is either
    assert not reading.ok
    assert set(reading.readings) == {Decimal("1022"), Decimal("1.022")}


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "1e5", "1,,022", "1,022,5", "10 22", "12-3", "5.", "nan", "\x00"]
)
def test_what_is_not_a_number_is_refused(text):
    reading = read(text, "en")
    assert not reading.ok and not reading.readings
    assert reading.problem in ("empty", "not_a_number")


def test_a_very_long_text_is_refused_before_it_is_read():
    assert read("1" * 4000, "en").problem == "too_long"


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=3, allow_nan=False),
    st.sampled_from(LANGUAGES),
)
def test_a_number_as_each_language_prints_it_is_read_back(value, locale):
    printed = format_decimal(value, format="#,##0.###", locale=locale)
    reading = read(printed, locale)
    assert reading.value == value, (printed, reading)
