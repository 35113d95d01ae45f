"""The kit page's numbers are written as Babel writes them for ``vi`` (Babel is the reference
here; the product formats them itself, 8x faster, because the page writes thousands)."""

from __future__ import annotations

import random

import pytest
from babel.numbers import format_decimal

from bzmedia.kit.fmt import number_vi, size_vi

TIES = [0.5, 1.5, 2.5, -2.5, 2.675, 1.005, 0.125, 0.045, 1234.5, 999.95, 9.995]
ODD = [0, -0.0, -0.04, -0.4, 1e-7, -1e-7, 1e20, 123456789.125, 2**60, 10**24]


def babel(value, decimals: int) -> str:
    text = format_decimal(value, format="#,##0." + "0" * decimals if decimals else "#,##0", locale="vi")
    return text.lstrip("-") if text.startswith("-") and not text.strip("-0,.") else text


def test_every_kind_of_number_reads_as_babel_writes_it():
    rng = random.Random(11)
    values = TIES + ODD + [k / 8 for k in range(-100, 100)]
    values += [rng.uniform(-1e7, 1e7) for _ in range(500)] + [rng.randint(-10**9, 10**9) for _ in range(300)]
    values += [round(rng.uniform(0, 100), 2) for _ in range(500)]
    values += [rng.random() * 10 ** rng.randint(-8, 20) for _ in range(500)]
    for value in values:
        for decimals in (0, 1, 2):
            assert number_vi(value, decimals) == babel(value, decimals), (value, decimals)
    assert number_vi(1234.5, 1) == "1.234,5" and number_vi(-0.04, 1) == "0,0"
    assert size_vi(1_288_490) == "1,2 MB"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_what_is_not_a_finite_number_is_left_to_babel(value):
    assert number_vi(value, 1) == format_decimal(value, format="#,##0.0", locale="vi")
