"""What a spot says, in order: the job's inputs, and the running order of chime, speech and pauses.

A spot plays as: lead-in, intro chime, station ident, the text (sentences with short pauses,
paragraphs with longer ones), each repeat introduced by "Xin nhắc lại", the closing phrase, tail.
Text is normalized for speech (numbers, dates, abbreviations, the campaign's pronunciations) one
paragraph at a time, then cut into sentences; an engine with a request limit (gTTS) gets phrases
within that limit.  The same running order gives the transcript operators read from.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # planning imports this module: keep the engines' sound modules out of it
    from bzmedia.tts.base import VoiceSettings

REPEAT_INTRO = "Xin nhắc lại."
"""Said before each repeat of a spot's text."""
LEAD_IN_S = 0.3
"""Silence before the first sound, so players that start late cut nothing."""
TAIL_S = 0.8
"""Silence after the last word."""
PHRASE_GAP_S = 0.12
"""Between the pieces of a sentence cut for an engine's request limit (a breath, not a pause)."""


@dataclass(frozen=True)
class SpotInputs:
    """Everything one spot of one locality is made from (the job's inputs, hashed into its key)."""

    locality_id: str
    locality_name: str
    order: int
    """1-based play order; the file is ``NN-<spot>``."""
    total: int
    spot_id: str
    title: str
    text: str
    """The spot's text with variables filled, as written."""
    ident: str | None
    """Station ident to say first, or ``None``."""
    closing: str | None
    """Closing phrase to say last, or ``None``."""
    repeat: int
    intro: str | Path
    """``chime``, ``none`` or a sound file."""
    voice: VoiceSettings
    fallback: tuple[VoiceSettings, ...] | VoiceSettings | None
    """The voices tried in order when ``voice`` cannot speak the spot."""
    pronunciations: dict[str, str]
    pause_sentence: float
    pause_paragraph: float
    highpass_hz: int
    music_bed: Path | None
    music_db: float
    target_lufs: float
    ceiling_db: float
    format: str
    bitrate: int
    sample_rate: int
    album: str
    artist: str
    year: str | None
    recording: Path | None = None
    """An announcer's recording played where the text would be spoken (the text is its transcript)."""

    @property
    def stem(self) -> str:
        return f"{self.order:02d}-{self.spot_id}"


@dataclass
class Part:
    """One step of a spot's running order."""

    kind: Literal["chime", "pause", "speech", "recording"]
    seconds: float = 0.0
    """Length of a pause."""
    phrases: list[str] = field(default_factory=list)
    """A sentence as the engine gets it (one piece, or several under a request limit)."""
    section: str = ""
    """``ident``, ``text``, ``repeat``, ``closing``: for the transcript and messages."""


@dataclass
class Block:
    """A piece of the spot as written (for the transcript), with its spoken form."""

    section: str
    written: str
    spoken: list[list[str]]
    """Paragraphs of sentences, normalized."""


def spoken_paragraphs(text: str, dialect: str, pronunciations: dict[str, str]) -> list[list[str]]:
    """``text`` normalized for speech, as paragraphs of sentences."""
    # The same text is normalized again and again (a repeated text, the transcript after the
    # sound, the ident and closing of every spot a worker makes): a fifth of a spot's CPU.
    return [list(paragraph) for paragraph in
            _spoken_paragraphs(text, dialect, tuple(pronunciations.items()))]


@functools.lru_cache(maxsize=512)
def _spoken_paragraphs(text: str, dialect: str, pronunciations: tuple[tuple[str, str], ...]
                       ) -> tuple[tuple[str, ...], ...]:
    from bzmedia.text.phrases import split_paragraphs

    spoken = (_spoken_paragraph(paragraph, dialect, pronunciations) for paragraph in split_paragraphs(text))
    return tuple(sentences for sentences in spoken if sentences)


@functools.lru_cache(maxsize=2048)
def _spoken_paragraph(paragraph: str, dialect: str, pronunciations: tuple[tuple[str, str], ...]
                      ) -> tuple[str, ...]:
    """One paragraph's sentences, normalized: kept by paragraph too, since a commune's text differs
    from the last commune's only in the paragraphs that name it."""
    from bzmedia.text.phrases import split_sentences
    from bzmedia.text.speech import normalize_for_speech

    spoken = normalize_for_speech(paragraph, dialect=dialect, pronunciations=dict(pronunciations))
    # A "sentence" of only punctuation (a stray dash, an ellipsis) has nothing to say.
    return tuple(s for s in split_sentences(spoken) if any(c.isalnum() for c in s))


def said_in_order(ident: str | None, text: str, repeat: int, closing: str | None
                  ) -> list[tuple[str, str]]:
    """(section, written text) as a spot says them: ident, text, each repeat ("Xin nhắc lại" and
    the text again), closing.  The sound, its transcript and the printed live-read script all
    follow this order."""
    said = [("ident", ident)] if ident else []
    said.append(("text", text))
    for _ in range(repeat - 1):
        said += [("repeat", REPEAT_INTRO), ("text", text)]
    if closing:
        said.append(("closing", closing))
    return said


def blocks(inputs: SpotInputs, dialect: str) -> list[Block]:
    """The spot as said, block by block: ident, text, each repeat, closing."""
    return [Block(section, written, spoken_paragraphs(written, dialect, inputs.pronunciations))
            for section, written in said_in_order(inputs.ident, inputs.text, inputs.repeat,
                                                  inputs.closing)]


def _phrases(sentence: str, limit: int | None) -> list[str]:
    if limit is None or len(sentence) <= limit:
        return [sentence]
    from bzmedia.text.phrases import split_phrases

    return split_phrases(sentence, limit)


def running_order(inputs: SpotInputs, dialect: str, phrase_limit: int | None) -> list[Part]:
    """Chime, speech and pauses in the order they play."""
    parts = [Part("pause", LEAD_IN_S)]
    if inputs.intro != "none":
        parts += [Part("chime"), Part("pause", inputs.pause_paragraph)]
    for index, item in enumerate(blocks(inputs, dialect)):
        if index:
            # "Xin nhắc lại" leads straight into what it announces.
            gap = inputs.pause_sentence if parts[-1].section == "repeat" else inputs.pause_paragraph
            parts.append(Part("pause", gap))
        if item.section == "text" and inputs.recording is not None:
            # The announcer says the text: its sentences are kept to count what is said.
            parts.append(Part("recording", phrases=[s for p in item.spoken for s in p], section="text"))
            continue
        for p_index, paragraph in enumerate(item.spoken):
            if p_index:
                parts.append(Part("pause", inputs.pause_paragraph))
            for s_index, sentence in enumerate(paragraph):
                if s_index:
                    parts.append(Part("pause", inputs.pause_sentence))
                parts.append(Part("speech", phrases=_phrases(sentence, phrase_limit),
                                  section=item.section))
    parts.append(Part("pause", TAIL_S))
    return parts


def syllables(parts: list[Part]) -> int:
    """Vietnamese syllables spoken (each written word is one syllable)."""
    return sum(len(phrase.split()) for part in parts if part.kind in ("speech", "recording")
               for phrase in part.phrases)
