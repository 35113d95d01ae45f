"""Vietnamese display of numbers, sizes, durations and dates (``1,2 MB``, ``1 phút 5 giây``).

Numbers and time units come from Babel's ``vi`` locale (CLDR): a decimal comma, thousands
grouped with dots (1.234,5), ``giây``/``phút``/``tiếng`` for lengths of time.  Babel is imported
on first use, not with this module.  Dates keep the official documents' rule (05/8/2020, see
:mod:`bzmedia.text.written_dates`): CLDR's ``vi`` short date is 05/08/2020, and Babel has no
pattern for a month without its leading zero next to a day with one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from bzmedia.text.written_dates import short_date

LOCALE = "vi"
_SIZE_UNITS = ("KB", "MB", "GB")
"""Windows Explorer's units (1 KB = 1024 bytes), which offices read; CLDR's ``kB`` means 1000."""


_SWAP_SEPARATORS = str.maketrans(",.", ".,")


def number_vi(value: float, decimals: int = 0) -> str:
    """``value`` with Vietnamese separators: ``number_vi(1234.5, 1) == "1.234,5"``.

    What Babel's ``format_decimal`` gives for the ``vi`` locale and the pattern ``#,##0.0…``
    (the decimal of ``str(value)``, rounded half to even), made here: the kit page writes about
    60 numbers per commune and Babel took 80 µs for each, half of the page's time at 120
    communes.  Anything unusual (not finite, beyond the decimal context) is left to Babel.
    """
    try:
        exact = Decimal(str(value))
        if not exact.is_finite():
            raise ValueError(value)
        rounded = abs(exact).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    except (InvalidOperation, ValueError, TypeError):
        return _babel_number(value, decimals)
    text = f"{rounded:,f}".translate(_SWAP_SEPARATORS)
    return "-" + text if exact.is_signed() and rounded else text  # no "-0,0"


def _babel_number(value: float, decimals: int) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    text = format_decimal(value, format=pattern, locale=LOCALE)
    return text.lstrip("-") if text.startswith("-") and not text.strip("-0,.") else text


def size_vi(size: int) -> str:
    """A file size the way Windows Explorer counts it (1 KB = 1024 bytes): ``850 KB``, ``1,2 MB``."""
    if size < 1024:
        return f"{number_vi(size)} B"
    value = float(size)
    for unit in _SIZE_UNITS:
        value /= 1024
        if value < 1024 or unit == _SIZE_UNITS[-1]:
            break
    return f"{number_vi(value, 1 if value < 10 else 0)} {unit}"


def duration_vi(seconds: float) -> str:
    """A playing time in words: ``45 giây``, ``1 phút 5 giây``, ``1 tiếng 2 phút``."""
    return _duration_words(round(seconds))


@lru_cache(maxsize=1024)
def _duration_words(total: int) -> str:
    # Every commune's spots last about as long: the page asks for the same few lengths
    # hundreds of times, and Babel takes 0.2 ms for each.
    from babel.lists import format_list
    from babel.units import format_unit

    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        parts = [(hours, "hour"), (minutes, "minute")]
    elif minutes:
        parts = [(minutes, "minute"), (secs, "second")]
    else:
        parts = [(secs, "second")]
    shown = [format_unit(amount, f"duration-{unit}", length="long", locale=LOCALE)
             for index, (amount, unit) in enumerate(parts) if amount or index == 0]
    return format_list(shown, style="unit-narrow", locale=LOCALE)


def date_vi(iso: str | None) -> str | None:
    """``2020-08-05`` as ``05/8/2020``: the official documents' rule, kept in one place."""
    return short_date(iso) if iso else None
