"""Abbreviations from the data table, document numbers, and acronyms spelled letter by letter.

The table (``data/abbreviations.tsv``) holds what an announcer says for the abbreviations of
Vietnamese administration (UBND, HĐND, TT&TT, V/v ...).  An all-capital token that is not in the
table and cannot be said as a Vietnamese syllable is spelled with Vietnamese letter names
(CDC xê dê xê); letters glued to digits are spelled and the digits read (G7 giê bảy).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from bzmedia.text import numbers
from bzmedia.text.reading import Reading

LETTER_NAMES = {
    "a": "a", "ă": "á", "â": "ớ", "b": "bê", "c": "xê", "d": "dê", "đ": "đê", "e": "e", "ê": "ê",
    "f": "ép", "g": "giê", "h": "hát", "i": "i", "j": "giê", "k": "ca", "l": "e-lờ", "m": "em-mờ",
    "n": "en-nờ", "o": "o", "ô": "ô", "ơ": "ơ", "p": "pê", "q": "quy", "r": "e-rờ", "s": "ét",
    "t": "tê", "u": "u", "ư": "ư", "v": "vê", "w": "đúp-lê-vê", "x": "ích", "y": "i dài", "z": "dét",
}


@dataclass(frozen=True)
class Entry:
    written: str
    spoken: str
    ignore_case: bool
    document_only: bool


@lru_cache(maxsize=1)
def table() -> tuple[Entry, ...]:
    """The abbreviation table shipped in the package (written, spoken, flags)."""
    text = resources.files("bzmedia.text").joinpath("data/abbreviations.tsv").read_text("utf-8")
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = [unicodedata.normalize("NFC", part.strip()) for part in line.split("\t")]
        flags = fields[2].split(",") if len(fields) > 2 else []
        entries.append(Entry(fields[0], fields[1], "i" in flags, "doc" in flags))
    return tuple(entries)


def _key_pattern(written: str) -> str:
    """A key as a regex: "-" and "&" may carry spaces, a hyphen may be left out (Covid19)."""
    out = []
    for char in written:
        if char == "-":
            out.append(r"\s*[-–]?\s*")
        elif char in "&/":
            out.append(rf"\s*{re.escape(char)}\s*")
        else:
            out.append(re.escape(char))
    before = r"(?<![\w&])" if written[0].isalnum() else ""
    after = r"(?![\w&])" if written[-1].isalnum() else ""
    return before + "".join(out) + after


def _compile(entries: list[Entry], flags: int) -> re.Pattern[str] | None:
    if not entries:
        return None
    ordered = sorted(entries, key=lambda e: len(e.written), reverse=True)
    return re.compile("|".join(f"(?:{_key_pattern(e.written)})" for e in ordered), flags)


@lru_cache(maxsize=1)
def _matchers() -> tuple[dict[str, str], dict[str, str], re.Pattern[str] | None, re.Pattern[str] | None]:
    general = [e for e in table() if not e.document_only]
    exact = {e.written: e.spoken for e in general if not e.ignore_case}
    folded = {_fold(e.written): e.spoken for e in general if e.ignore_case}
    return (exact, folded, _compile([e for e in general if not e.ignore_case], 0),
            _compile([e for e in general if e.ignore_case], re.IGNORECASE))


def _fold(written: str) -> str:
    """A table key with the optional spacing and hyphens of the text taken out, in capitals."""
    return re.sub(r"[\s\-–]", "", written).upper()


@lru_cache(maxsize=1)
def _document_parts() -> dict[str, str]:
    """Readings used inside a document number (CT chỉ thị there, chủ tịch elsewhere)."""
    parts = {e.written: e.spoken for e in table() if not e.ignore_case}
    parts.update({e.written: e.spoken for e in table() if e.document_only})
    return parts


@lru_cache(maxsize=1)
def _document_kinds() -> frozenset[str]:
    """QĐ, CT, NQ ...: the table's readings that hold only inside a document number."""
    return frozenset(e.written for e in table() if e.document_only)


@lru_cache(maxsize=1)
def _compact_exact() -> dict[str, str]:
    exact, _, _, _ = _matchers()
    return {re.sub(r"[\s\-–]", "", key): spoken for key, spoken in exact.items()}


def lookup(written: str) -> str | None:
    """The table's reading of ``written`` (spacing and hyphens as the text has them)."""
    exact, folded, _, _ = _matchers()
    if written in exact:
        return exact[written]
    compact = re.sub(r"[\s\-–]", "", written)
    return _compact_exact().get(compact) or folded.get(compact.upper())


# Academic and honorary titles before a name.  Written one after another with dots between
# ("TS.BS", "PGS.TS", "BS.CKII"), which the table's "TS." alone would leave glued.
TITLES = {
    "GS": "Giáo sư", "PGS": "Phó Giáo sư", "TS": "Tiến sĩ", "TSKH": "Tiến sĩ khoa học",
    "ThS": "Thạc sĩ", "Ths": "Thạc sĩ", "BS": "Bác sĩ", "BSCKI": "Bác sĩ chuyên khoa một",
    "BSCKII": "Bác sĩ chuyên khoa hai", "CKI": "chuyên khoa một", "CKII": "chuyên khoa hai",
    "DS": "Dược sĩ", "KS": "Kỹ sư", "NCS": "Nghiên cứu sinh", "ĐD": "Điều dưỡng",
    "NSND": "Nghệ sĩ Nhân dân", "NSƯT": "Nghệ sĩ Ưu tú", "NGND": "Nhà giáo Nhân dân",
    "NGƯT": "Nhà giáo Ưu tú", "TTND": "Thầy thuốc Nhân dân", "TTƯT": "Thầy thuốc Ưu tú",
}
# Said before a name even without a dot ("BS Nguyễn Văn A"); DS, KS, ĐD are too often other things.
_TITLES_ALONE = ("GS", "PGS", "TS", "TSKH", "ThS", "Ths", "BS", "BSCKI", "BSCKII", "NSND", "NSƯT",
                 "NGND", "NGƯT", "TTND", "TTƯT")
_TITLE = "|".join(sorted(TITLES, key=len, reverse=True))
_CAPITALS = "".join(chr(c) for c in range(0x41, 0x1EFA) if chr(c).isupper() and chr(c).isalpha())
_NAME_AHEAD = rf"(?=\s+[{_CAPITALS}])"  # a capitalised word follows: the person's name
_TITLE_CHAIN = re.compile(
    rf"(?<![\w&.])(?:{_TITLE})(?:\.\s?(?:{_TITLE}))+(?:\.{_NAME_AHEAD})?(?![\w&])"
    rf"|(?<![\w&.])(?:{'|'.join(_TITLES_ALONE)}){_NAME_AHEAD}")


def title_words(chain: str) -> str:
    """"PGS.TS" -> "Phó Giáo sư, Tiến sĩ"; a specialty level joins its degree (Bác sĩ chuyên khoa hai)."""
    spoken = ""
    for title in re.split(r"\.\s?", chain.rstrip(".")):
        words = TITLES[title]
        spoken += (" " if title.startswith("CK") else ", ") + words if spoken else words
    return spoken


def read_table_entries(text: str, reading: Reading) -> str:
    """Titles before names, then every table abbreviation: exact-case entries, then case-free ones."""
    text = reading.frozen.sub(_TITLE_CHAIN, lambda m: title_words(m.group(0)), text, "abbr")
    _, _, exact_pattern, folded_pattern = _matchers()

    def entry(match: re.Match[str]) -> str:
        # Keys such as "&ĐT" may take the spaces around them; give those back.
        written = match.group(0)
        spoken = lookup(written.strip())
        if spoken is None:
            return written
        lead, trail = written[:len(written) - len(written.lstrip())], written[len(written.rstrip()):]
        following = text[match.end():match.end() + 1]
        if written.endswith(".") and following in ("", "\n", "\r"):
            trail = "." + trail  # "v.v." closing a line also closes the sentence
        elif following.isalpha():
            trail += " "  # "TP.Việt Trì": the reading and the next word are two words
        return lead + reading.frozen.freeze(spoken, "abbr") + trail

    for pattern in (exact_pattern, folded_pattern):
        if pattern is not None:
            text = pattern.sub(entry, text)
    return text


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
    r"(?:[aăâeêioôơuưy]{1,3})(?:ng|nh|ch|[cmnpt])?")
_VOWEL_GROUP = re.compile(r"[aăâeêioôơuưy]+")


def _base_letters(word: str) -> str:
    """Lowercase ``word`` without tone marks (but with ă â ê ô ơ ư, which are letters)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


def is_vietnamese_syllable(word: str) -> bool:
    return bool(_SYLLABLE.fullmatch(_base_letters(word)))


def sayable_as_word(word: str) -> bool:
    """Whether an engine can say ``word`` as a word: a syllable, or a long word with vowels."""
    base = _base_letters(word)
    if is_vietnamese_syllable(word):
        return True
    return len(base) >= 4 and len(_VOWEL_GROUP.findall(base)) >= 2 and not re.search(r"[^aeiouy]{4}", base)


def spell(letters: str) -> str:
    """Letter by letter with Vietnamese names: "CDC" -> "xê dê xê"."""
    return " ".join(LETTER_NAMES.get(_base_letters(ch), ch) for ch in letters if not ch.isspace())


_ACRONYM = re.compile(r"(?<![\w&])[^\W\d_]{2,}(?![\w&])")


def _in_capitals_heading(text: str, start: int, end: int) -> bool:
    """Whether the words around a token are capitals too (a heading such as "SỐ LƯỢT TRUY CẬP")."""
    before = re.findall(r"[^\W\d_]+", text[max(0, start - 30):start])[-1:]
    after = re.findall(r"[^\W\d_]+", text[end:end + 30])[:1]
    neighbours = before + after
    return bool(neighbours) and all(w.isupper() and len(w) > 1 for w in neighbours)


def read_acronyms(text: str, reading: Reading) -> str:
    """All-capital tokens not in the table: spelled, unless they are a word in capitals.

    Two ASCII capitals are an abbreviation (YT, VT) unless a heading in capitals surrounds
    them; longer tokens are spelled when they cannot be said as a syllable or word.
    """
    def acronym(match: re.Match[str]) -> str | None:
        token = match.group(0)
        if not token.isupper():
            return None
        if any(not ch.isascii() and ch not in "Đđ" for ch in token):
            return None  # "CẬP", "GỬI": Vietnamese written in capitals
        if len(token) == 2 and not _in_capitals_heading(text, match.start(), match.end()):
            return spell(token)
        if sayable_as_word(token):
            return None
        return spell(token)

    return reading.frozen.sub(_ACRONYM, acronym, text, "abbr")


_LETTERS_AND_DIGITS = re.compile(r"(?<![\w.,])(?=[^\W_]*\d)(?=[^\W_]*[^\W\d_])[^\W_]+(?![\w]|[.,]\d)")


def read_letters_with_digits(text: str, reading: Reading) -> str:
    """Tokens such as G7, F0, 4G, H5N1: letters spelled, digits read as numbers."""
    def mixed(match: re.Match[str]) -> str:
        spoken = []
        for run in re.findall(r"[0-9]+|[^\W\d_]+", match.group(0)):
            if numbers.is_ascii_number(run):
                spoken.append(reading.number(run))
            elif len(run) <= 4 or run.isupper():
                spoken.append(lookup(run) or spell(run))
            else:
                spoken.append(run)
        return " ".join(spoken)

    return reading.frozen.sub(_LETTERS_AND_DIGITS, mixed, text, "abbr")


_DOC_PART = r"[A-ZĐ][A-Za-zĐđ&]*\d*(?:\.(?=\w))?"  # a final "." ends the sentence
# The issuing office starts with two capitals (UBND, QĐ, TTg), so "19/Covid" is not one.
_DOC_PARTS = rf"[A-ZĐ]{_DOC_PART}(?:\s?[-–]\s?{_DOC_PART})*"
_DOCUMENT_NUMBER = re.compile(
    rf"(?<![\w/.,\-–])(\d+)((?:/\d{{2,4}})?)\s?/\s?({_DOC_PARTS})(?![\w])")
# The Party's form puts the kind of document after the number: "05-CT/TW" (Chỉ thị of the
# Central Committee), "12-NQ/TU"; only a known kind (a "doc" table entry) makes it one.
_PARTY_DOCUMENT_NUMBER = re.compile(
    rf"(?<![\w/.,\-–])(\d+)[-–]([A-ZĐ][A-Za-zĐđ]+)\s?/\s?({_DOC_PARTS})(?![\w])")
_BLANK_DOCUMENT_NUMBER = re.compile(rf"(?<=[Ss]ố:)(\s*)/({_DOC_PARTS})(?![\w])")


def document_part_words(parts: str) -> str:
    """"UBND-KGVX" -> "Ủy ban nhân dân khoa giáo văn xã" (table readings, else spelled)."""
    spoken = []
    for part in re.split(r"\s?[-–]\s?", parts):
        part = part.rstrip(".")
        letters, digits = re.fullmatch(r"(.*?)(\d*)", part).groups()  # QH13: Quốc hội mười ba
        known = _document_parts().get(letters) or lookup(letters)
        spoken.append(known or (letters if sayable_as_word(letters) and not letters.isupper()
                                else spell(letters)))
        if digits:
            spoken.append(numbers.number_words(digits))
    return " ".join(spoken)


def read_document_numbers(text: str, reading: Reading) -> str:
    """"số 3384/UBND-KGVX": the number, then the issuing office's abbreviations; no slashes."""
    def document(match: re.Match[str]) -> str:
        spoken = [reading.number(match.group(1))]
        if match.group(2):
            spoken.append("năm " + reading.number(match.group(2).lstrip("/")))
        spoken.append(document_part_words(match.group(3)))
        return " ".join(spoken)

    def party_document(match: re.Match[str]) -> str | None:
        number, kind, issuer = match.groups()
        if kind not in _document_kinds():
            return None
        return f"{reading.number(number)} {document_part_words(f'{kind}-{issuer}')}"

    text = reading.frozen.sub(_DOCUMENT_NUMBER, document, text, "code")
    text = reading.frozen.sub(_PARTY_DOCUMENT_NUMBER, party_document, text, "code")
    return reading.frozen.sub(
        _BLANK_DOCUMENT_NUMBER, lambda m: m.group(1) + document_part_words(m.group(2)), text, "code")

