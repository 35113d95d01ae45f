"""Turn a spot's running order into sound: speak (via the segment cache), join, mix, normalize.

The first voice that can speak the whole spot wins: the script's ``voice``, then its ``fallback``
if it has one.  A spot is never spoken half by one voice and half by another.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from bzmedia.audio import chime as chimes
from bzmedia.audio.loudness import SILENCE_LUFS, integrated_lufs, normalize
from bzmedia.audio.mix import add_music_bed, highpass, match_loudness
from bzmedia.audio.script import PHRASE_GAP_S, Part, SpotInputs, running_order, syllables
from bzmedia.cache import Store
from bzmedia.tts import Engine, EngineError, VoiceSettings, make_engine
from bzmedia.tts.pcm import Sound, concatenate, decode, resample, trim_silence
from bzmedia.tts.segments import SegmentCache

CHIME_OFFSET_DB = -3.0
"""The chime sits a little below the voice."""
MP3_MARGIN_DB = 0.5
"""Room left under the true-peak ceiling for what MP3 encoding adds (verified after encoding)."""
LOUDNESS_REACH_LU = 0.5
"""How close normalization must come to the target (the export then corrects the rest)."""


class SoundFileError(Exception):
    """A user's sound file (intro, music bed) cannot be read."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name


class LoudnessUnreachable(Exception):
    """The target loudness cannot be reached under the true-peak ceiling without distortion."""

    def __init__(self, reached: float, target: float, ceiling: float) -> None:
        super().__init__(
            f"this spot cannot be made as loud as {target:g} LUFS with its true peak under "
            f"{ceiling:g} dBTP (the limiter reaches {reached:.1f} LUFS; more would distort the "
            f"voice); lower audio.loudness.target_lufs or raise true_peak_db")
        self.reached = reached


class SpotFailed(Exception):
    """No voice could speak the spot: one (voice, error) per voice tried."""

    def __init__(self, failures: list[tuple[VoiceSettings, EngineError]]) -> None:
        super().__init__("; ".join(f"{v.describe()}: {e}" for v, e in failures))
        self.failures = failures


@dataclass
class Rendered:
    """A finished spot before export, and how it was made."""

    sound: Sound
    voice: VoiceSettings
    parts: list[Part]
    syllables: int
    fell_back: list[tuple[VoiceSettings, EngineError]] = field(default_factory=list)
    synthesized: int = 0
    cached: int = 0


def speak_sentence(engine: Engine, cache: SegmentCache, phrases: list[str], rate: int) -> Sound:
    """One sentence: its phrases spoken, trimmed of the engine's padding, at ``rate``."""
    pieces: list[Sound] = []
    for index, phrase in enumerate(phrases):
        if index:
            pieces.append(Sound.silence(PHRASE_GAP_S, rate))
        pieces.append(resample(trim_silence(cache.speak(engine, phrase)), rate))
    return concatenate(pieces, rate)


def _speak_all(inputs: SpotInputs, voice: VoiceSettings, cache: SegmentCache):
    """(parts, spoken sound per speech part) for ``voice``; raises EngineError."""
    engine = make_engine(voice, cache.store.root if cache.store is not None else None)
    parts = running_order(inputs, voice.dialect, engine.phrase_limit)
    spoken = [speak_sentence(engine, cache, part.phrases, inputs.sample_rate)
              if part.kind == "speech" else None for part in parts]
    return parts, spoken


@functools.cache
def _chime(rate: int) -> tuple[Sound, float]:
    """The built-in chime at ``rate`` and its loudness: the same for every spot, so made and
    measured once per process."""
    sound = chimes.chime(rate)
    return sound, integrated_lufs(sound)


def _intro(inputs: SpotInputs) -> tuple[Sound, float | None]:
    """The intro sound and its loudness when it is already known."""
    if inputs.intro == "chime":
        return _chime(inputs.sample_rate)
    try:
        sound = decode(inputs.intro, inputs.sample_rate)
    except Exception as exc:
        raise SoundFileError("intro", f"cannot read the intro sound {inputs.intro.name}: {exc}") from exc
    # A file cut hard at either end clicks; 5 ms ramps are inaudible otherwise.
    ramp = min(round(0.005 * sound.rate), sound.samples.size // 2)
    samples = sound.samples.copy()
    if ramp:
        samples[:ramp] *= np.linspace(0.0, 1.0, ramp, dtype=np.float32)
        samples[-ramp:] *= np.linspace(1.0, 0.0, ramp, dtype=np.float32)
    return Sound(samples, sound.rate), None


def assemble(inputs: SpotInputs, parts: list[Part], spoken: list[Sound | None]):
    """(mix, speech mask, speech loudness): the parts laid end to end at the export rate.

    The speech's own loudness sets the level of the chime and of a music bed; a spot with
    neither does not need it (``SILENCE_LUFS`` stands in), which saves measuring it.
    """
    rate = inputs.sample_rate
    chime = any(p.kind == "chime" for p in parts)
    speech_lufs = SILENCE_LUFS
    if chime or inputs.music_bed is not None:
        speech_lufs = integrated_lufs(concatenate([s for s in spoken if s is not None], rate))
    intro = None
    if chime:
        sound, level = _intro(inputs)
        intro = match_loudness(sound, speech_lufs, CHIME_OFFSET_DB, level=level)
    pieces, mask = [], []
    for part, sound in zip(parts, spoken, strict=True):
        if part.kind == "pause":
            sound = Sound.silence(part.seconds, rate)
        elif part.kind == "chime":
            sound = intro
        pieces.append(sound)
        mask.append(np.full(sound.samples.size, part.kind == "speech"))
    return concatenate(pieces, rate), np.concatenate(mask), speech_lufs


def _music(inputs: SpotInputs) -> Sound:
    try:
        return decode(inputs.music_bed, inputs.sample_rate)
    except Exception as exc:
        raise SoundFileError("music_bed", f"cannot read the music bed {inputs.music_bed.name}: "
                             f"{exc}") from exc


def render(inputs: SpotInputs, store: Store | None) -> Rendered:
    """The spot as finished sound (normalized, peak-limited with room for MP3 encoding)."""
    cache = SegmentCache(store)
    failures: list[tuple[VoiceSettings, EngineError]] = []
    for voice in [inputs.voice] + ([inputs.fallback] if inputs.fallback else []):
        try:
            parts, spoken = _speak_all(inputs, voice, cache)
        except EngineError as exc:
            failures.append((voice, exc))
            continue
        mix, mask, speech_lufs = assemble(inputs, parts, spoken)
        del spoken  # a spot is held once at a time: memory stays flat whatever its length
        if inputs.music_bed is not None:
            mix = add_music_bed(mix, mask, _music(inputs), inputs.music_db, speech_lufs)
        del mask
        mix = highpass(mix, inputs.highpass_hz)
        finished, reached = normalize(mix, inputs.target_lufs, inputs.ceiling_db - MP3_MARGIN_DB)
        if abs(reached - inputs.target_lufs) > LOUDNESS_REACH_LU:
            raise LoudnessUnreachable(reached, inputs.target_lufs, inputs.ceiling_db)
        return Rendered(finished, voice, parts, syllables(parts), failures,
                        synthesized=cache.misses, cached=cache.hits)
    raise SpotFailed(failures)
