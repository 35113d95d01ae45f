"""Vietnamese number words: the rules for mươi/mốt/lăm/linh/tư, big numbers and dialects."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bzmedia.text import numbers
from bzmedia.text.speech import normalize_for_speech


@pytest.mark.parametrize(("value", "spoken"), [
    (0, "không"), (1, "một"), (4, "bốn"), (5, "năm"), (10, "mười"), (11, "mười một"),
    (14, "mười bốn"), (15, "mười lăm"), (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi tư"),
    (25, "hai mươi lăm"), (101, "một trăm linh một"), (105, "một trăm linh năm"),
    (111, "một trăm mười một"), (115, "một trăm mười lăm"), (1000, "một nghìn"),
    (2020, "hai nghìn không trăm hai mươi"), (2005, "hai nghìn không trăm linh năm"),
    (10_000, "mười nghìn"), (57_511, "năm mươi bảy nghìn năm trăm mười một"),
    (1_000_000, "một triệu"), (1_000_005, "một triệu không trăm linh năm"),
    (1_050_000, "một triệu không trăm năm mươi nghìn"),
    (1_000_000_000, "một tỷ"), (2_500_000_000, "hai tỷ năm trăm triệu"),
    (1_000_000_000_000, "một nghìn tỷ"), (1_000_000_010, "một tỷ không trăm mười"),
])
def test_integer_words_north(value: int, spoken: str) -> None:
    assert numbers.integer_words(value) == spoken


@pytest.mark.parametrize(("value", "spoken"), [
    (105, "một trăm lẻ năm"), (2020, "hai ngàn không trăm hai mươi"),
    (2_500_000, "hai triệu năm trăm ngàn"),
])
def test_integer_words_south(value: int, spoken: str) -> None:
    assert numbers.integer_words(value, "south") == spoken


def test_central_dialect_uses_broadcast_words() -> None:
    assert numbers.integer_words(1005, "central") == "một nghìn không trăm linh năm"


def test_dialect_reaches_the_whole_sentence() -> None:
    assert normalize_for_speech("có 105 hộ, 2.000 người", dialect="south") == \
        "có một trăm lẻ năm hộ, hai ngàn người"
    assert normalize_for_speech("có 105 hộ", dialect="klingon") == "có một trăm linh năm hộ"


@pytest.mark.parametrize(("integer", "fraction", "spoken"), [
    ("8", "82", "tám phẩy tám mươi hai"), ("0", "5", "không phẩy năm"),
    ("37", "5", "ba mươi bảy phẩy năm"), ("1", "05", "một phẩy không năm"),
    ("3", "14159", "ba phẩy một bốn một năm chín"),
])
def test_decimal_words(integer: str, fraction: str, spoken: str) -> None:
    assert numbers.decimal_words(integer, fraction) == spoken


def test_codes_and_padded_values() -> None:
    assert numbers.number_words("05") == "năm"
    assert numbers.number_words("007") == "không không bảy"
    assert numbers.number_words("1" * 20) == " ".join(["một"] * 20)
    assert numbers.ordinal_words("1") == "nhất" and numbers.ordinal_words("4") == "tư"
    assert numbers.month_words("04") == "tư" and numbers.month_words("1") == "một"


_UNITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
          "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}


def _parse_group(tokens: list[str]) -> int:
    """0..999 from words: [X trăm] [linh] [X mươi | mười] [unit]."""
    value = 0
    if "trăm" in tokens:
        at = tokens.index("trăm")
        value += _UNITS[tokens[at - 1]] * 100
        tokens = tokens[at + 1:]
    tokens = [t for t in tokens if t != "linh"]
    if tokens and tokens[0] == "mười":
        value, tokens = value + 10, tokens[1:]
    elif len(tokens) >= 2 and tokens[1] == "mươi":
        value, tokens = value + _UNITS[tokens[0]] * 10, tokens[2:]
    return value + (_UNITS[tokens[0]] if tokens else 0)


def _parse(tokens: list[str]) -> int:
    """The inverse of integer_words, written independently of it."""
    if "tỷ" in tokens:
        at = len(tokens) - 1 - tokens[::-1].index("tỷ")
        return _parse(tokens[:at]) * 1_000_000_000 + _parse(tokens[at + 1:])
    for word, scale in (("triệu", 1_000_000), ("nghìn", 1000)):
        if word in tokens:
            at = tokens.index(word)
            return _parse_group(tokens[:at]) * scale + _parse(tokens[at + 1:])
    return _parse_group(tokens)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_integer_words_read_back_to_the_same_value(value: int) -> None:
    assert _parse(numbers.integer_words(value).split()) == value
