"""Vietnamese number words: integers, decimals, digit strings, ordinals.

The readings follow what a radio announcer says, not a word-for-word transliteration:
``21`` is *hai mươi mốt* (not *một*), ``25`` *hai mươi lăm*, ``24`` *hai mươi tư*, ``105`` *một
trăm linh năm* (south: *lẻ*), ``2020`` *hai nghìn không trăm hai mươi* (south: *ngàn*), and a
zero group inside a large number is skipped (``1.000.005`` *một triệu không trăm linh năm*).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

ASCII_DIGITS = frozenset("0123456789")
DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
Dialect = Literal["north", "central", "south"]
"""The regional readings (and espeak voices): the script's ``audio.voice.dialect``, the CLI's
``--dialect`` and the normalizer's words all take their list from here."""
DIALECTS: tuple[Dialect, ...] = get_args(Dialect)

# Beyond this many digits a number is no longer a quantity anyone says aloud (IDs, serials):
# it is read digit by digit.
MAX_QUANTITY_DIGITS = 15


@dataclass(frozen=True)
class Words:
    """The words that differ between regions."""

    thousand: str
    zero_ten: str  # the word for an empty tens place: 105 một trăm *linh* năm


_WORDS = {
    "north": Words(thousand="nghìn", zero_ten="linh"),
    # Central speakers (Huế, Đà Nẵng) mostly use the northern broadcast forms on air.
    "central": Words(thousand="nghìn", zero_ten="linh"),
    "south": Words(thousand="ngàn", zero_ten="lẻ"),
}


def dialect_words(dialect: str) -> Words:
    """The regional words of ``dialect``; unknown names fall back to the northern set."""
    return _WORDS.get(dialect, _WORDS["north"])


def _tens_and_units(tens: int, units: int, words: Words, *, after_hundreds: bool) -> list[str]:
    """Read 0..99, where ``after_hundreds`` means a hundreds word was (or is implied) before."""
    out: list[str] = []
    if tens == 0:
        if units == 0:
            return out
        if after_hundreds:
            out.append(words.zero_ten)
        out.append(DIGITS[units])
        return out
    if tens == 1:
        out.append("mười")
        if units == 5:
            out.append("lăm")
        elif units:
            out.append(DIGITS[units])
        return out
    out += [DIGITS[tens], "mươi"]
    if units == 1:
        out.append("mốt")
    elif units == 4:
        out.append("tư")
    elif units == 5:
        out.append("lăm")
    elif units:
        out.append(DIGITS[units])
    return out


def _group(value: int, words: Words, *, full: bool) -> list[str]:
    """Read 0..999; ``full`` says "không trăm" for a group that follows a larger one."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    out: list[str] = []
    if hundreds or full:
        out += [DIGITS[hundreds], "trăm"]
    out += _tens_and_units(tens, units, words, after_hundreds=bool(hundreds or full))
    return out


def _below_billion(value: int, words: Words, *, full: bool) -> list[str]:
    """Read 0..999 999 999 as groups of millions, thousands and units."""
    scales = ((1_000_000, "triệu"), (1_000, words.thousand), (1, ""))
    out: list[str] = []
    started = full
    for size, name in scales:
        group, value = divmod(value, size)
        if group == 0:
            continue
        out += _group(group, words, full=started)
        if name:
            out.append(name)
        started = True
    return out


def integer_words(value: int, dialect: str = "north") -> str:
    """``value`` in words: 2020 -> "hai nghìn không trăm hai mươi"."""
    words = dialect_words(dialect)
    if value < 0:
        return "âm " + integer_words(-value, dialect)
    if value == 0:
        return DIGITS[0]
    return " ".join(_integer_parts(value, words, full=False))


def _integer_parts(value: int, words: Words, *, full: bool) -> list[str]:
    """Billions recurse (nghìn tỷ, triệu tỷ ...), the rest is read in groups of three."""
    billions, rest = divmod(value, 1_000_000_000)
    out: list[str] = []
    if billions:
        out += [*_integer_parts(billions, words, full=full), "tỷ"]
        full = True
    if rest:
        out += _below_billion(rest, words, full=full)
    return out


def is_ascii_number(text: str) -> bool:
    """Only 0-9 (str.isdigit() also accepts "²" and other scripts' digits, which int() may not)."""
    return bool(text) and all(ch in ASCII_DIGITS for ch in text)


def digit_words(digits: str) -> str:
    """Read a digit string one digit at a time: "0912" -> "không chín một hai"."""
    return " ".join(DIGITS[int(d)] for d in digits if d in ASCII_DIGITS)


def number_words(digits: str, dialect: str = "north") -> str:
    """Read a run of digits as the quantity a person means.

    Short zero-padded values ("05", "01") are days and counts, read as numbers; longer
    zero-led strings and overlong ones are codes, read digit by digit.
    """
    digits = "".join(d for d in digits if d in ASCII_DIGITS)
    if not digits:
        return ""
    if (digits[0] == "0" and len(digits) > 2) or len(digits) > MAX_QUANTITY_DIGITS:
        return digit_words(digits)
    return integer_words(int(digits), dialect)


def fraction_digits_words(digits: str, dialect: str = "north") -> str:
    """The part after the decimal comma: "82" tám mươi hai, "05" không năm, "1234" digit by digit.

    Announcers read up to three digits as a number, after saying each leading zero.
    """
    zeros = len(digits) - len(digits.lstrip("0"))
    rest = digits[zeros:]
    spoken = [DIGITS[0]] * zeros
    if rest:
        spoken.append(integer_words(int(rest), dialect) if len(rest) <= 3 else digit_words(rest))
    return " ".join(spoken)


def decimal_words(integer_part: str, fraction_part: str, dialect: str = "north") -> str:
    """``8``, ``82`` -> "tám phẩy tám mươi hai"."""
    whole = number_words(integer_part, dialect) or DIGITS[0]
    if not fraction_part:
        return whole
    return f"{whole} phẩy {fraction_digits_words(fraction_part, dialect)}"


def ordinal_words(digits: str, dialect: str = "north") -> str:
    """The number after *thứ*: 1 nhất, 4 tư, everything else as a cardinal (thứ 14 mười bốn)."""
    value = int(digits) if is_ascii_number(digits) and len(digits) <= MAX_QUANTITY_DIGITS else None
    if value == 1:
        return "nhất"
    if value == 4:
        return "tư"
    return number_words(digits, dialect)


def rank_words(digits: str, dialect: str = "north") -> str:
    """The number after *giải*, *hạng*: giải nhất, giải nhì, giải ba, giải tư."""
    if digits.lstrip("0") == "2":
        return "nhì"
    return ordinal_words(digits.lstrip("0") or "0", dialect)


def month_words(digits: str, dialect: str = "north") -> str:
    """The number after *tháng*: tháng 4 is *tháng tư*, tháng 1 *tháng một*."""
    value = int(digits) if is_ascii_number(digits) and len(digits) <= 4 else None
    if value == 4:
        return "tư"
    return number_words(digits.lstrip("0") or "0", dialect)
