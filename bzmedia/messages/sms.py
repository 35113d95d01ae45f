"""SMS text in the two forms operators take: unaccented GSM-7 and Vietnamese with diacritics (UCS-2).

GSM 03.38 (checked with the real codec of the ``gsm0338`` package, which writes each character of
the extension table as ESC + char, two septets): 160 septets in one part, 153 per part of a split
message (the user data header takes 7).  UCS-2: 70 characters in one part, 67 per part.  A part
boundary never splits an escape pair or a UTF-16 surrogate pair, as handsets and gateways do.

Pure Python (``validate`` counts parts without any image or sound library).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

import gsm0338  # noqa: F401 (registers the 'gsm03.38' codec)

from bzmedia.text.urls import address_spans

CODEC = "gsm03.38"
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

LOOKALIKES = {
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'",
    "′": "'", "–": "-", "—": "-", "―": "-", "‒": "-", "−": "-", "‐": "-", "‑": "-", "…": "...", "•": "-",
    "·": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " ", "×": "x", "⁄": "/", "÷": ":",
    "±": "+/-", "→": "->", "⇒": "=>", "←": "<-", "↔": "<->", "≥": ">=", "≤": "<=", "≈": "~",
    "©": "(c)", "®": "(R)", "‹": "<", "›": ">",
    # Đ and the look-alikes old converters and fonts put in its place (Latin eth, "ÐĂK LĂK").
    "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ɖ": "D",
    "ł": "l", "Ł": "L", "œ": "oe", "Œ": "OE", "ı": "i",
    # Carriers' own balance messages write amounts "10.000d": the dong sign reads as the đ it is.
    "₫": "d",
}
"""Characters office texts carry (Word's smart quotes, dashes, signs) and their plain GSM-7 stand-ins."""

SIGN_WORDS = {"°": "do", "℃": "do C", "℉": "do F", "‰": "phan nghin", "‱": "phan van", "≠": "khac"}
"""Signs an unaccented SMS writes as words, as they are read: "30 do C" (30 độ C), "3 phan nghin".
Never "%" for "‰" (ten times the value), never "=" for "≠" (NFKD's "=" plus an overlay)."""
_SIGN_WORD = re.compile(r" ?([°℃℉‰‱≠]|(?<=\d)[º˚])")
"""A sign and the space before it; after a number, "º" and "˚" are degree signs too ("30ºC")."""
_AFTER_NUMBER = re.compile(r"(?<=\d)([¼-¾⅐-⅞↉]|[⁰¹²³⁴-⁹]+)")
"""Fractions and powers right after a number, which NFKD would glue to it: "1½" is not "11/2",
"10²" is not "102"."""
_NEGATED = dict.fromkeys(cp for cp in range(0x2000, 0x2B00)
                         if "\u0338" in unicodedata.normalize("NFD", chr(cp)) and chr(cp) not in SIGN_WORDS)
"""Negated signs ("≮", "∉"), left out (and named by validate): NFKD makes them the sign itself
("<") and an overlay that folding drops."""


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
    dropped: str = ""
    """The characters the unaccented form leaves out, having no GSM-7 stand-in (each once)."""


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

    Signs become stand-ins or words (``30°C`` -> ``30 do C``); a web address keeps its meaning in
    ASCII (:func:`ascii_address`).  Every other character the codec cannot encode is dropped
    (emoji, symbols; :func:`dropped_chars` names them), so the result always encodes as GSM-7.
    """
    return _stripped(_pieces(text))


def _stripped(pieces: list[tuple[bool, str]]) -> str:
    return "".join(ascii_address(piece) if address else _fold(piece) for address, piece in pieces)


def dropped_chars(text: str) -> str:
    """The characters of ``text`` its unaccented form leaves out, each once: visible ones (not
    diacritics, joiners or spaces) with no GSM-7 stand-in, such as emoji or letters of other scripts."""
    return _dropped(_pieces(text))


def _dropped(pieces: list[tuple[bool, str]]) -> str:
    found = (char for address, piece in pieces if not address for char in piece if _left_out(char))
    return "".join(dict.fromkeys(found))


@functools.lru_cache(maxsize=4096)
def _left_out(char: str) -> bool:
    """True when ``char`` is visible and its unaccented form is nothing (cached like :func:`_folded`)."""
    return (unicodedata.category(char)[0] not in "MCZ" and not _EMOJI_SKIN_TONE <= char <= "\U0001f3ff"
            and not _fold(char).strip())


_EMOJI_SKIN_TONE = "\U0001f3fb"
"""The first of the five skin-tone modifiers, part of the emoji before them (named once)."""


def _pieces(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into (is a web address, piece)."""
    pieces, end = [], 0
    for start, stop in address_spans(text):
        pieces += [(False, text[end:start]), (True, text[start:stop])]
        end = stop
    return [*pieces, (False, text[end:])]


def _fold(text: str) -> str:
    text = _SIGN_WORD.sub(lambda m: " " + SIGN_WORDS.get(m.group(1), "do") + _space_after(m), text)
    text = _AFTER_NUMBER.sub(lambda m: ("^" if m.group(1)[0] in "⁰¹²³⁴⁵⁶⁷⁸⁹" else " ") + m.group(1), text)
    text = text.translate(_NEGATED)
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


def _space_after(sign: re.Match[str]) -> str:
    """A space between a sign's word and a letter or number right after it ("30°C" -> "30 do C")."""
    following = sign.string[sign.end():sign.end() + 1]
    return " " if following.isalnum() else ""


@functools.lru_cache(maxsize=1024)
def ascii_address(address: str) -> str:
    """``address`` in GSM-7 that opens the same page: the host in punycode (IDNA), the rest
    percent-encoded as UTF-8 (``https://bộ-y-tế.vn/tin-tức`` ->
    ``https://xn--b-y-t-s61b7g.vn/tin-t%E1%BB%A9c``).  Folding it would name another site.
    (Cached: every locality's SMS holds the same address, and IDNA takes a millisecond.)"""
    address = unicodedata.normalize("NFC", address)
    if not address.isascii():
        scheme, authority, rest = re.fullmatch(r"((?:[a-z][a-z0-9+.-]*://)?)([^/?#]*)(.*)", address,
                                               re.IGNORECASE | re.DOTALL).groups()
        user, at, host = authority.rpartition("@")
        host, colon, port = host.partition(":")
        address = (scheme + quote(user, safe=_URL_SAFE) + at + _ascii_host(host) + colon
                   + quote(port, safe="") + quote(rest, safe=_URL_SAFE))
    return "".join(map(_folded, address))  # an ASCII address may still hold "`", outside GSM-7


_URL_SAFE = "/?#[]@!$&'()*+,;=:%~"
"""RFC 3986's reserved characters and "%" (an address already percent-encoded stays as it is)."""


def _ascii_host(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # a label IDNA 2003 refuses: browsers decode a percent-encoded host
        return quote(host, safe=".-")


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
    pieces = _pieces(normalize(text))  # its addresses found once, for both
    plain = " ".join(_stripped(pieces).split())  # a dropped emoji leaves no double space
    return SmsForm("khong-dau", plain, "GSM-7", len(plain), septets(plain), len(gsm_parts(plain)), "",
                   _dropped(pieces))


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
