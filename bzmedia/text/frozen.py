"""Placeholders for text that is already spoken, so later rules cannot read it twice.

Each normalizer rule turns a written form into words (``03/8/2020`` -> ``ba tháng tám năm ...``).
If the words went straight back into the text, a later rule could rewrite them again, or a rule
could match across the boundary of an earlier replacement.  Instead each result is parked in a
:class:`Frozen` store and the text gets a short placeholder made of private-use characters: not
letters, not digits, not spaces, so ``\\b``, ``\\w`` and ``\\d`` in later patterns treat it as an
opaque symbol.  ``restore`` puts the words back at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable

OPEN, CLOSE = "\ue000", "\ue001"
_KIND_BASE = 0xE002  # one private-use character names the kind of a frozen span
_INDEX_BASE, _INDEX_SPAN = 0xE100, 0xF8FF - 0xE100  # index digits, base ~6000

KINDS = ("word", "number", "time", "date", "phone", "code", "unit", "url", "abbr")
NUMERIC_KINDS = frozenset({"number", "time", "date", "unit"})

PLACEHOLDER = re.compile(f"{OPEN}([\ue002-\ue0ff])([\ue100-\uf8ff]+){CLOSE}")



def _encode_index(index: int) -> str:
    chars = []
    while True:
        index, rest = divmod(index, _INDEX_SPAN)
        chars.append(chr(_INDEX_BASE + rest))
        if index == 0:
            return "".join(reversed(chars))


def _decode_index(chars: str) -> int:
    value = 0
    for char in chars:
        value = value * _INDEX_SPAN + (ord(char) - _INDEX_BASE)
    return value


def strip_markers(text: str) -> str:
    """Remove our two marker characters from input text so they can never be misread."""
    return text.replace(OPEN, " ").replace(CLOSE, " ")


class Frozen:
    """The spoken forms found so far, addressed by placeholders in the working text."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, str]] = []

    def freeze(self, spoken: str, kind: str = "word") -> str:
        """Park ``spoken`` and return the placeholder that stands for it."""
        self.spans.append((kind, spoken))
        kind_char = chr(_KIND_BASE + KINDS.index(kind))
        return f"{OPEN}{kind_char}{_encode_index(len(self.spans) - 1)}{CLOSE}"

    def pattern(self, kinds: frozenset[str] | set[str]) -> str:
        """A regex fragment matching one placeholder of the given kinds."""
        chars = "".join(re.escape(chr(_KIND_BASE + KINDS.index(kind))) for kind in sorted(kinds))
        return f"{OPEN}[{chars}][\ue100-\uf8ff]+{CLOSE}"

    def spoken(self, placeholder: str) -> str:
        """The words behind one placeholder (text of an unknown placeholder is returned as is)."""
        match = PLACEHOLDER.fullmatch(placeholder)
        if not match:
            return placeholder
        index = _decode_index(match.group(2))
        return self.spans[index][1] if index < len(self.spans) else ""

    def sub(self, pattern: re.Pattern[str], reader: Callable[[re.Match[str]], str | None],
            text: str, kind: str) -> str:
        """Replace every match of ``pattern`` by the frozen result of ``reader``.

        ``reader`` returns None to leave a match alone (the rule decided it does not apply).
        """
        def replace(match: re.Match[str]) -> str:
            spoken = reader(match)
            return match.group(0) if spoken is None else self.freeze(spoken, kind)

        return pattern.sub(replace, text)

    def restore(self, text: str) -> str:
        """Put the spoken words back, capitalising those that begin a sentence.

        Restoring repeats because a frozen span may itself hold placeholders (a range
        made of two frozen numbers).
        """
        for _ in range(4):
            if OPEN not in text:
                break
            text = self._restore_once(text)
        return text

    def _restore_once(self, text: str) -> str:
        out: list[str] = []
        last = 0
        for match in PLACEHOLDER.finditer(text):
            out.append(text[last:match.start()])
            spoken = self.spoken(match.group(0))
            if spoken and spoken[0].islower() and starts_sentence(text, match.start()):
                spoken = spoken[0].upper() + spoken[1:]
            out.append(spoken)
            last = match.end()
        out.append(text[last:])
        return "".join(out)


def starts_sentence(text: str, pos: int) -> bool:
    """True when ``pos`` is the first word of a sentence: text start, line start, or after . ! ?"""
    window = text[max(0, pos - 16):pos]
    head = window.rstrip(" \t\"'“‘([-–•*")
    gap = window[len(head):]
    if not head:
        return pos <= 16 or "\n" in gap
    return head.endswith("\n") or (head[-1] in ".!?…" and any(c.isspace() for c in gap))
