"""``bzmedia say``: hear one sentence (the voices list is :mod:`bzmedia.tts.voices`).

``say`` runs a text through the same normalizer, engine, loudness and export as a spot (without
chime or schedule), so what you hear is what the loudspeakers will play.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bzmedia.audio.export import Tags, export
from bzmedia.audio.loudness import normalize
from bzmedia.audio.render import MP3_MARGIN_DB, speak_sentence
from bzmedia.audio.script import spoken_paragraphs
from bzmedia.cache import atomic_path
from bzmedia.tts import EngineError, VoiceSettings, make_engine
from bzmedia.tts.pcm import Sound, concatenate
from bzmedia.tts.segments import SegmentCache

SAY_RATE = 44100
SENTENCE_PAUSE_S = 0.5
PARAGRAPH_PAUSE_S = 1.2


@dataclass
class Said:
    """What ``say`` made."""

    path: Path
    spoken: str
    """The text as the engine read it (after normalization)."""
    seconds: float
    lufs: float
    true_peak_db: float


def default_file_name(text: str, suffix: str = ".mp3") -> str:
    """A file name from the first words, without diacritics: ``xin-chao-ba-con.mp3``."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].rstrip("-")
    return f"{slug or 'bzmedia-say'}{suffix}"


def say(text: str, output: Path, voice: VoiceSettings, pronunciations: dict[str, str] | None = None,
        target_lufs: float = -16.0, ceiling_db: float = -1.5) -> Said:
    """Speak ``text`` into ``output`` (``.mp3`` or ``.wav``); raises EngineError."""
    engine = make_engine(voice)
    cache = SegmentCache(None)
    paragraphs = spoken_paragraphs(text, voice.dialect, pronunciations or {})
    if not paragraphs:
        raise EngineError("there is nothing to say: the text has no words")
    pieces: list[Sound] = []
    for p_index, paragraph in enumerate(paragraphs):
        for s_index, sentence in enumerate(paragraph):
            if p_index or s_index:
                pause = SENTENCE_PAUSE_S if s_index else PARAGRAPH_PAUSE_S
                pieces.append(Sound.silence(pause, SAY_RATE))
            phrases = [sentence]
            if engine.phrase_limit and len(sentence) > engine.phrase_limit:
                from bzmedia.text.phrases import split_phrases

                phrases = split_phrases(sentence, engine.phrase_limit)
            pieces.append(speak_sentence(engine, cache, phrases, SAY_RATE))
    lead = Sound.silence(0.2, SAY_RATE)
    sound, _ = normalize(concatenate([lead, *pieces, lead], SAY_RATE), target_lufs,
                         ceiling_db - MP3_MARGIN_DB)
    fmt = "wav" if output.suffix.lower() == ".wav" else "mp3"
    tags = Tags(text[:80], "bzmedia say", "bzmedia say", None, 1, 1)
    with atomic_path(output) as temp:
        measured = export(sound, temp, fmt=fmt, bitrate_kbps=128, target_lufs=target_lufs,
                          ceiling_db=ceiling_db, tags=tags)
    spoken = " ".join(" ".join(paragraph) for paragraph in paragraphs)
    return Said(output, spoken, measured.seconds, measured.lufs, measured.true_peak_db)


def say_settings(campaign, engine: str | None, dialect: str | None, rate: float | None,
                 model: Path | None, speaker: str | None = None) -> tuple[VoiceSettings, dict[str, str]]:
    """The voice for ``say``: command-line options over the campaign's voice over defaults."""
    from bzmedia.cache import sha256_file
    from bzmedia.tts.voices import resolve_model

    voice = campaign.audio.voice if campaign is not None and campaign.audio else None
    model_path = model.resolve() if model else (
        resolve_model(campaign.base_dir, voice.model) if voice is not None and voice.model else None)
    settings = VoiceSettings(
        engine=engine or (voice.engine if voice else "espeak"),
        dialect=dialect or (voice.dialect if voice else "north"),
        rate=rate if rate is not None else (voice.rate if voice else 1.0),
        pitch=voice.pitch if voice else 50,
        model=str(model_path) if model_path else None,
        model_sha256=sha256_file(model_path) if model_path and model_path.is_file() else None,
        speaker=speaker or (voice.speaker if voice else None))
    pronunciations = dict(campaign.pronunciations) if campaign is not None else {}
    return settings, pronunciations
