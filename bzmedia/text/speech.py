"""Written Vietnamese to speakable Vietnamese: the text every speech engine gets.

``normalize_for_speech`` runs a fixed sequence of rules.  Each rule reads one kind of written
form (a URL, a phone number, a date, an abbreviation ...) and parks its spoken words behind a
placeholder (see :mod:`bzmedia.text.frozen`), so the order below is the order of precedence:
the campaign's own pronunciations first, then the most specific patterns, plain numbers last,
and finally a safety net that reads any digit still left.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from bzmedia.text import abbreviations, dates, measures, numbers, phones, urls
from bzmedia.text.frozen import strip_markers
from bzmedia.text.reading import Reading, Rule


def _ascii_digits(text: str) -> str:
    """Other scripts' decimal digits (Arabic-Indic, full-width ...) become 0-9 so rules see them."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
                   for ch in text)


# A lowercase letter glued to a capitalised word, as copy-paste from web pages leaves it
# ("thông báoBlueZone", "Bản inLiên kết"); split only where a Vietnamese letter on either side
# shows it is two words, so "iPhone" and "BlueZone" stay whole.
_LETTER_RUN = re.compile(r"[^\W\d_]{3,}")


def _unglue_word(word: str) -> str:
    if word.isascii():
        return word
    segments, start = [], 0
    for i in range(1, len(word)):
        if word[i - 1].islower() and word[i].isupper():
            segments.append(word[start:i])
            start = i
    segments.append(word[start:])
    out = segments[0]
    for left, right in itertools.pairwise(segments):
        out += (" " if not (left.isascii() and right.isascii()) else "") + right
    return out


def _unglue(text: str) -> str:
    return _LETTER_RUN.sub(lambda m: _unglue_word(m.group(0)), text)


# Emoji and pictographs (📢, 👉, ✅, 🇻🇳) decorate a post; espeak would name each one aloud ("loa phát
# thanh", "ngón trỏ chỉ sang phải").  Symbols a rule reads (38°C, 38℃) stay, and so does U+FFFD,
# the mark of an undecodable byte, which shows the user a file with the wrong encoding.
_SYMBOLS_KEPT = frozenset("°℃\ufffd")
# What holds emoji together or styles them: joiner, variation selectors, keycap, skin tones, tags.
_EMOJI_PARTS = re.compile("[\u200d\ufe00-\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")


def _drop_decoration(text: str) -> str:
    text = _EMOJI_PARTS.sub("", text)
    return "".join(" " if unicodedata.category(ch) == "So" and ch not in _SYMBOLS_KEPT else ch
                   for ch in text)


def prepare(text: str, reading: Reading) -> str:
    """NFC, no marker characters, digits as ASCII, end-of-letter ``./.`` as a plain full stop."""
    text = unicodedata.normalize("NFC", strip_markers(text))
    text = _drop_decoration(_ascii_digits(text))
    text = re.sub("[\u00a0\u2007\u2009\u202f]", " ", text).replace("\u200b", "")  # Word's no-break spaces
    text = re.sub(r"\.\s*/\s*\.", ".", text)
    return _unglue(text)


def spoken_pronunciations(pronunciations: Mapping[str, str] | None, dialect: str) -> Mapping[str, str]:
    """The campaign's words (NFC) -> their spoken forms, normalized in turn because they may hold
    digits or abbreviations (without the map, so an entry cannot loop into itself)."""
    return _spoken(tuple((str(k), str(v)) for k, v in (pronunciations or {}).items()), dialect)


@functools.lru_cache(maxsize=8)
def _spoken(entries: tuple[tuple[str, str], ...], dialect: str) -> Mapping[str, str]:
    # Remembered: every paragraph of every locality's spots asks with the same campaign's words
    # (1,000 of them cost 0.25 s a paragraph to normalize again each time).
    return MappingProxyType({unicodedata.normalize("NFC", k): normalize_for_speech(
        unicodedata.normalize("NFC", v), dialect=dialect) for k, v in entries if k.strip()})


@functools.lru_cache(maxsize=8)
def _words_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """The campaign's words as one pattern, longest first, whole words only."""
    ordered = sorted(keys, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in ordered) + r")(?!\w)")


def apply_pronunciations(text: str, reading: Reading) -> str:
    """The campaign's own words, case-sensitive, whole words only, longest first."""
    spoken = reading.pronunciations  # already spoken forms: see run_rules
    if not spoken:
        return text
    pattern = _words_pattern(tuple(spoken))
    # A key inside an address ("bluezone" in hotro@bluezone.gov.vn) is left to the address
    # reader, which says each label with the campaign's words; only a whole address is taken.
    addresses = urls.spoken_address_spans(text)

    def entry(match: re.Match[str]) -> str | None:
        inside = any(start <= match.start() and match.end() <= end and (start, end) != match.span()
                     for start, end in addresses)
        return None if inside else spoken[match.group(0)]

    return reading.frozen.sub(pattern, entry, text, "word")


_DOTTED = re.compile(r"(?<![\w.,])\d+(?:\.\d+)+(?![\w]|[.,]\d)")
_PLAIN_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\w]|[.,]\d)")
_ANY_DIGITS = re.compile(r"\d+")


def read_plain_numbers(text: str, reading: Reading) -> str:
    """Quantities: 57.511, 8,82, 2020; then dotted section numbers: 1.2.3 một chấm hai chấm ba."""
    text = reading.frozen.sub(
        _PLAIN_NUMBER, lambda m: numbers.decimal_words(m.group(1), m.group(2) or "", reading.dialect),
        text, "number")
    return reading.frozen.sub(
        _DOTTED, lambda m: " chấm ".join(reading.number(p) for p in m.group(0).split(".")),
        text, "number")


def read_leftover_digits(text: str, reading: Reading) -> str:
    """The safety net: any digit no rule claimed is still read, never passed to an engine."""
    return reading.frozen.sub(_ANY_DIGITS, lambda m: f" {reading.number(m.group(0))} ", text, "number")


RULES: tuple[Rule, ...] = (
    prepare,
    apply_pronunciations,
    urls.read_urls_and_emails,
    abbreviations.read_document_numbers,
    abbreviations.read_table_entries,
    phones.read_phone_numbers,
    measures.read_foreign_separators,  # 1 500 000, 1,000,000 as 1.500.000; 0.5 mg as 0,5 mg
    dates.read_roman_numerals,
    dates.read_dates_and_times,
    measures.read_measures,
    measures.read_per_unit,  # đồng/m2 before "m2" is spelled as letters and digits
    measures.read_ratios,
    dates.read_ordinals_and_months,
    abbreviations.read_letters_with_digits,
    read_plain_numbers,
    measures.read_minus_signs,  # after every number is read, so "5 -7" is seen as a range
    measures.read_ranges,
    measures.read_per_unit,  # again, now that plain numbers are read: 3 lần/ngày
    abbreviations.read_acronyms,
    read_leftover_digits,
    measures.read_symbols,
)


def _tidy(text: str) -> str:
    """One space between words, none before closing punctuation; line breaks kept."""
    text = re.sub(r"[ \t\f\v]+", " ", text)
    text = re.sub(r" +([,.;:!?…)\]”])", r"\1", text)
    text = re.sub(r"([(\[“]) +", r"\1", text)
    text = re.sub(r" ?\(\)| ?\[\]", "", text)  # brackets emptied of decoration, e.g. "(*)"
    return "\n".join(line.strip() for line in text.split("\n"))


def _fallback(text: str) -> str:
    """Used only if a rule fails on some input: plain digit reading, still speakable."""
    text = unicodedata.normalize("NFC", strip_markers(str(text)))
    text = re.sub(r"\d", lambda m: f" {numbers.DIGITS[int(m.group(0))]} ", _ascii_digits(text))
    return _tidy(text)


def normalize_for_speech(text: str, *, dialect: str = "north",
                         pronunciations: Mapping[str, str] | None = None) -> str:
    """``text`` as a Vietnamese announcer would read it aloud: no digit, no abbreviation left.

    NFC in, NFC out; never raises (odd input falls back to a digit-by-digit reading).
    ``pronunciations`` is the campaign's word -> spoken-form map, applied case-sensitively on
    word boundaries before the built-in abbreviation table.
    """
    try:
        return run_rules(text, dialect=dialect, pronunciations=pronunciations)
    except Exception:  # the contract: speech never stops on a strange sentence
        return _fallback(text)


def run_rules(text: str, *, dialect: str = "north",
              pronunciations: Mapping[str, str] | None = None) -> str:
    """The rules without the safety net (tests call this to see a rule fail)."""
    dialect = dialect if dialect in numbers.DIALECTS else "north"
    # Spoken once here, so the address reader says a campaign word in a host name as fully.
    reading = Reading(dialect=dialect, pronunciations=spoken_pronunciations(pronunciations, dialect))
    work = str(text)
    for rule in RULES:
        work = rule(work, reading)
    return unicodedata.normalize("NFC", _tidy(reading.frozen.restore(work)))
