"""SMS text in the two forms operators take: unaccented GSM-7 and Vietnamese with diacritics (UCS-2).

GSM 03.38 (checked with the real codec of the ``gsm0338`` package, which writes each character of
the extension table as ESC + char, two septets): 160 septets in one part, 153 per part of a split
message (the user data header takes 7).  UCS-2: 70 characters in one part, 67 per part.  A part
boundary never splits an escape pair or a UTF-16 surrogate pair, as handsets and gateways do.

Pure Python (``validate`` counts parts without any image or sound library).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import gsm0338  # noqa: F401 (registers the 'gsm03.38' codec)

CODEC = "gsm03.38"
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

LOOKALIKES = {
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "′": "'",
    "–": "-", "—": "-", "‒": "-", "−": "-", "‐": "-", "‑": "-", "…": "...", "•": "-", "·": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " ", "×": "x", "⁄": "/", "‰": "%",
}
"""Characters office texts carry (Word's smart quotes, dashes) and their plain GSM-7 stand-ins."""


@dataclass(frozen=True)
class SmsForm:
    """One form of a message with what a bulk-SMS gateway will bill."""

    form: str
    """``khong-dau`` (GSM-7, no diacritics) or ``co-dau`` (Unicode)."""
    text: str
    encoding: str
    """``GSM-7`` or ``UCS-2``."""
    chars: int
    """Characters a person sees."""
    units: int
    """What the parts are counted in: septets (GSM-7) or UTF-16 code units (UCS-2)."""
    parts: int
    forcing: str
    """The characters outside GSM-7 that made the message UCS-2 (each once, in text order)."""


@functools.lru_cache(maxsize=4096)
def is_gsm(char: str) -> bool:
    """True when the codec encodes ``char`` (cached: validate asks for every letter of every
    locality's text)."""
    try:
        char.encode(CODEC)
    except UnicodeEncodeError:
        return False
    return True


def strip_diacritics(text: str) -> str:
    """Vietnamese without diacritics, in the GSM-7 alphabet: ``Đắk Lắk`` -> ``Dak Lak``.

    Every character the codec cannot encode after folding is replaced by a plain stand-in or
    dropped (emoji, symbols), so the result always encodes as GSM-7.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(map(_folded, unicodedata.normalize("NFKD", text)))


@functools.lru_cache(maxsize=4096)
def _folded(char: str) -> str:
    """What one character of NFKD text becomes in the unaccented form (cached: a locality's
    texts repeat the same few dozen letters)."""
    if unicodedata.combining(char) or char == "\r":
        return ""
    char = LOOKALIKES.get(char, char)
    if all(is_gsm(c) for c in char):
        return char
    return " " if unicodedata.category(char).startswith("Z") else ""


def septets(text: str) -> int:
    """Septets of ``text`` in GSM 03.38 (extension characters count two)."""
    return len(text.encode(CODEC))


@functools.lru_cache(maxsize=4096)
def _char_septets(char: str) -> int:
    return len(char.encode(CODEC))


def _char_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def gsm_parts(text: str) -> list[str]:
    """``text`` cut into SMS parts as a gateway cuts it (an escape pair stays in one part)."""
    if septets(text) <= GSM_SINGLE:
        return [text]
    return _cut(text, GSM_PART, _char_septets)


def ucs2_units(text: str) -> int:
    return len(text.encode("utf-16-be")) // 2


def ucs2_parts(text: str) -> list[str]:
    """``text`` cut into UCS-2 parts (a character outside the BMP, two units, stays whole)."""
    if ucs2_units(text) <= UCS2_SINGLE:
        return [text]
    return _cut(text, UCS2_PART, _char_units)


def _cut(text: str, size: int, units) -> list[str]:
    parts, current, used = [], [], 0
    for char in text:
        cost = units(char)
        if used + cost > size:
            parts.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += cost
    if current:
        parts.append("".join(current))
    return parts


def forcing_chars(text: str) -> str:
    """The characters of ``text`` outside GSM-7, each once."""
    return "".join(dict.fromkeys(c for c in text if not is_gsm(c)))


def plain_form(text: str) -> SmsForm:
    """The unaccented GSM-7 form of ``text``."""
    plain = " ".join(strip_diacritics(normalize(text)).split())  # a dropped emoji leaves no double space
    return SmsForm("khong-dau", plain, "GSM-7", len(plain), septets(plain), len(gsm_parts(plain)), "")


def unicode_form(text: str) -> SmsForm:
    """The form with diacritics: UCS-2 unless every character is in GSM-7."""
    text = normalize(text)
    forcing = forcing_chars(text)
    if not forcing:
        return SmsForm("co-dau", text, "GSM-7", len(text), septets(text), len(gsm_parts(text)), "")
    return SmsForm("co-dau", text, "UCS-2", len(text), ucs2_units(text), len(ucs2_parts(text)), forcing)


def normalize(text: str) -> str:
    """One line of NFC text: an SMS has no paragraphs worth paying a part for."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def both_forms(text: str) -> tuple[SmsForm, SmsForm]:
    return plain_form(text), unicode_form(text)
