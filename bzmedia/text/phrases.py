"""Cut spoken text into paragraphs, sentences and engine-sized phrases.

Online engines limit a request (gTTS: 100 characters), and every engine phrases better when a
piece ends where a speaker would breathe.  These functions work on text that is already
normalized (no abbreviation dots, no decimal commas), and never drop or reorder a word: joining
the pieces with spaces gives back the same words.
"""

from __future__ import annotations

import re

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A sentence ends after . ! ? … (possibly repeated, possibly followed by closing quotes or
# brackets) when whitespace follows; a line break inside a paragraph also ends one.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]»]*\s+|\s*\n\s*")
_STRONG_PAUSE = re.compile(r"(?<=[;:])\s+")
_WEAK_PAUSE = re.compile(r"(?<=,)\s+")
_DASH_PAUSE = re.compile(r"(?<=\s[-–—])\s+")
_WORD_GAP = re.compile(r"\s+")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by a blank line, stripped, empty ones left out."""
    return [part.strip() for part in _PARAGRAPH_BREAK.split(text) if part.strip()]


def _split_keeping(pattern: re.Pattern[str], text: str) -> list[str]:
    """Split at ``pattern``; the closing quote a sentence-end match swallowed stays on the left."""
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        kept = match.group(0).rstrip()
        pieces.append(text[last:match.start()] + kept.strip() if kept.strip() else
                      text[last:match.start()])
        last = match.end()
    pieces.append(text[last:])
    return [piece.strip() for piece in pieces if piece.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences: cut after . ! ? … followed by a space, and at line breaks."""
    return _split_keeping(_SENTENCE_END, text)


def _pack(parts: list[str], max_chars: int) -> list[str]:
    """Join neighbouring parts with a space while the result stays within ``max_chars``."""
    packed: list[str] = []
    for part in parts:
        if packed and len(packed[-1]) + 1 + len(part) <= max_chars:
            packed[-1] = f"{packed[-1]} {part}"
        else:
            packed.append(part)
    return packed


def _hard_cut(word: str, max_chars: int) -> list[str]:
    """A single word longer than the limit: the only case where a word is cut."""
    return [word[i:i + max_chars] for i in range(0, len(word), max_chars)]


_LEVELS = (_STRONG_PAUSE, _WEAK_PAUSE, _DASH_PAUSE, _WORD_GAP)


def _fit(text: str, max_chars: int, level: int) -> list[str]:
    """Pieces of ``text`` within ``max_chars``, cutting at the weakest needed pause level."""
    if len(text) <= max_chars:
        return [text]
    if level >= len(_LEVELS):
        return _hard_cut(text, max_chars)
    parts = _split_keeping(_LEVELS[level], text)
    if len(parts) <= 1:
        return _fit(text, max_chars, level + 1)
    pieces: list[str] = []
    for piece in _pack(parts, max_chars):
        pieces.extend(_fit(piece, max_chars, level + 1))
    return pieces


def split_phrases(text: str, max_chars: int) -> list[str]:
    """Pieces of at most ``max_chars`` characters, cut at the most natural pause available.

    Each sentence starts a new piece; a sentence too long for one piece is cut at ; and :,
    then at commas, then at dashes, then between words.  Only a single word longer than
    ``max_chars`` (a long URL read letter by letter) is cut inside.
    """
    max_chars = max(1, int(max_chars))
    pieces: list[str] = []
    for sentence in split_sentences(text):
        pieces.extend(_fit(sentence, max_chars, 0))
    return pieces
