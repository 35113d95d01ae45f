"""Turn a spot's running order into sound: speak (via the segment cache), join, mix, normalize.

The first voice that can speak the whole spot wins: the script's ``voice``, then each of its
``fallback`` voices in order.  A spot is never spoken half by one voice and half by another.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from bzmedia.audio import chime as chimes
from bzmedia.audio import filtered
from bzmedia.audio.filtered import Filtered, filtered_mix
from bzmedia.audio.loudness import LimitedLoudness, integrated_lufs, normalize
from bzmedia.audio.mix import add_music_bed, highpass, match_loudness
from bzmedia.audio.script import PHRASE_GAP_S, Part, SpotInputs, running_order, syllables
from bzmedia.cache import Store
from bzmedia.campaign.audio_spec import MAX_SPOT_MINUTES, too_long_message
from bzmedia.i18n import _
from bzmedia.lru import keep_within, recent
from bzmedia.tts import Engine, EngineError, VoiceSettings, make_engine, voice_chain
from bzmedia.tts.pcm import Sound, concatenate, decode, resample, trim_silence
from bzmedia.tts.segments import SegmentCache, segment_key

CHIME_OFFSET_DB = -3.0
"""The chime sits a little below the voice (as it plays: with its pauses, high-passed)."""
INTRO_TAIL_S = 0.25
"""Silence after the intro in which the filters' response to it dies out (to far below 1e-9)."""
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
        super().__init__(_(
            "this spot cannot be made as loud as {target} LUFS with its true peak under {ceiling} dBTP "
            "(the limiter reaches {reached} LUFS; more would distort the voice); lower "
            "audio.loudness.target_lufs or raise true_peak_db").format(
            target=f"{target:g}", ceiling=f"{ceiling:g}", reached=f"{reached:.1f}"))
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


def speak_sentence(engine: Engine, cache: SegmentCache, phrases: list[str], rate: int,
                   ready: dict[str, Sound] | None = None) -> Sound:
    """One sentence: its phrases spoken, trimmed of the engine's padding, at ``rate``.

    ``ready`` keeps phrases already made for this spot (a repeated text says every sentence
    again): each is read, trimmed and resampled once.
    """
    ready = {} if ready is None else ready
    pieces: list[Sound] = []
    for index, phrase in enumerate(phrases):
        if index:
            pieces.append(Sound.silence(PHRASE_GAP_S, rate))
        if phrase not in ready:
            ready[phrase] = _prepared(engine, cache, phrase, rate)
        pieces.append(ready[phrase])
    return concatenate(pieces, rate)


PREPARED_BYTES = 16 << 20
"""Phrases a worker keeps ready (trimmed, at the export rate) for its next spots: 16 MB, about a
minute and a half of speech.  Most phrases of a campaign are said in every commune, but a sentence
said by every commune is not even built from its phrases once its filtered responses are kept
(:mod:`bzmedia.audio.filtered`, 16 MB): these phrases serve the sentences that name the commune.
(32 MB before the responses were kept; the worker's peak memory stays as it was.)"""
_prepared_phrases: OrderedDict[tuple[str, str, int], Sound] = OrderedDict()


def _prepared(engine: Engine, cache: SegmentCache, phrase: str, rate: int) -> Sound:
    """``phrase`` trimmed and at ``rate``: kept from an earlier spot of this process, else read
    (or synthesized) and resampled.  Keyed like the segment cache (engine identity and phrase)
    and by the cache's folder, so it holds the very samples that cache would give."""
    key = _phrase_key(engine, cache, phrase, rate)
    sound = recent(_prepared_phrases, key)
    if sound is not None:
        cache.hits += 1
        return sound
    sound = resample(trim_silence(cache.speak(engine, phrase)), rate)
    keep_within(_prepared_phrases, key, sound, PREPARED_BYTES, lambda kept: kept.samples.nbytes)
    return sound


def _phrase_key(engine: Engine, cache: SegmentCache, phrase: str, rate: int) -> tuple[str, str, int]:
    return (str(cache.store.root) if cache.store is not None else "", segment_key(engine, phrase), rate)


def sentence_key(engine: Engine, cache: SegmentCache, phrases: list[str], rate: int) -> tuple:
    """What makes the samples :func:`speak_sentence` gives: its phrases' keys in order, the gap."""
    return (tuple(_phrase_key(engine, cache, phrase, rate) for phrase in phrases), PHRASE_GAP_S)


def _speak_all(inputs: SpotInputs, voice: VoiceSettings, cache: SegmentCache):
    """(parts, sound per speech or recording part, key per speech part (:func:`sentence_key`))
    for ``voice``; raises EngineError."""
    engine = make_engine(voice, cache.store.root if cache.store is not None else None)
    parts = running_order(inputs, voice.dialect, engine.phrase_limit)
    ready: dict[str, Sound] = {}
    recording = _recording(inputs) if any(p.kind == "recording" for p in parts) else None
    keys = [sentence_key(engine, cache, part.phrases, inputs.sample_rate) if part.kind == "speech" else None
            for part in parts]
    spoken = [_sentence(engine, cache, part.phrases, key, inputs, ready)
              if part.kind == "speech" else recording if part.kind == "recording" else None
              for part, key in zip(parts, keys, strict=True)]
    return parts, spoken, keys


def _sentence(engine: Engine, cache: SegmentCache, phrases: list[str], key: tuple, inputs: SpotInputs,
              ready: dict[str, Sound]) -> Sound | Filtered:
    """A sentence's sound; or, when this worker keeps its filter responses and nothing needs its
    samples (a music bed is laid under the raw voice), only those: its phrases are not read."""
    if inputs.music_bed is None:
        found = filtered.kept(key, inputs.highpass_hz, inputs.sample_rate)
        if found is not None:
            cache.hits += len(phrases)  # served from what the cache gave before, as ready phrases are
            return found
    return speak_sentence(engine, cache, phrases, inputs.sample_rate, ready)


def _recording(inputs: SpotInputs) -> Sound:
    """The announcer's recording at the export rate, its leading and trailing silence trimmed
    (the spot's own pauses frame it, as they frame synthesized speech)."""
    try:
        sound = decode(inputs.recording, inputs.sample_rate, longest_s=LONGEST_READ_S)
    except Exception as exc:
        raise SoundFileError("recording", _("cannot read the recording {file}: {reason}").format(
            file=inputs.recording.name, reason=exc)) from exc
    trimmed = trim_silence(sound)
    if not trimmed.samples.size:
        raise SoundFileError("recording", _("the recording {file} is silent").format(
            file=inputs.recording.name))
    return trimmed


LONGEST_READ_S = MAX_SPOT_MINUTES * 60 + 1
"""No sound file is decoded past this: a spot cannot last longer (a bed longer than its spot is
cut to it), and a file of hours would fill the memory."""


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
        sound = decode(inputs.intro, inputs.sample_rate, longest_s=LONGEST_READ_S)
    except Exception as exc:
        raise SoundFileError("intro", _("cannot read the intro sound {file}: {reason}").format(
            file=inputs.intro.name, reason=exc)) from exc
    # A file cut hard at either end clicks; 5 ms ramps are inaudible otherwise.
    ramp = min(round(0.005 * sound.rate), sound.samples.size // 2)
    samples = sound.samples.copy()
    if ramp:
        samples[:ramp] *= np.linspace(0.0, 1.0, ramp, dtype=np.float32)
        samples[-ramp:] *= np.linspace(1.0, 0.0, ramp, dtype=np.float32)
    return Sound(samples, sound.rate), None


def lay_out(inputs: SpotInputs, parts: list[Part], spoken: list[Sound | None],
            intro: Sound | None) -> tuple[Sound, np.ndarray, int | None]:
    """(sound, speech mask, first sample of the intro): the parts end to end at the export rate,
    each where :func:`placements` puts it."""
    placed, length, intro_at = placements(inputs, parts, spoken, [None] * len(parts), intro)
    samples, mask = np.zeros(length, np.float32), np.zeros(length, bool)
    for at, sound, _key in placed:
        samples[at:at + sound.samples.size] = sound.samples
        mask[at:at + sound.samples.size] = True
    if intro is not None and intro_at is not None:
        samples[intro_at:intro_at + intro.samples.size] = intro.samples
    return Sound(samples, inputs.sample_rate), mask, intro_at


def placements(inputs: SpotInputs, parts: list[Part], spoken: list[Sound | Filtered | None], keys: list,
               intro: Sound | None) -> tuple[list[tuple[int, Sound, object]], int, int | None]:
    """((first sample, sound, key) of every spoken or recorded part, the spot's length, the
    intro's first sample), without laying out the silence."""
    rate = inputs.sample_rate
    placed, position, intro_at = [], 0, None
    for part, sound, key in zip(parts, spoken, keys, strict=True):
        if part.kind == "pause":
            size = Sound.silence(part.seconds, rate).samples.size
        elif part.kind == "chime":
            size, intro_at = (0 if intro is None else intro.samples.size), position
        else:
            placed.append((position, sound, key))
            size = sound.size if isinstance(sound, Filtered) else sound.samples.size
        position += size
    return placed, position, intro_at


def _finish(inputs: SpotInputs, parts: list[Part], spoken: list[Sound | None], keys: list,
            intro: Sound | None, intro_lufs: float | None) -> tuple[Sound, float]:
    """The spot normalized and limited, its loudness measured once.

    The voice (with its pauses, high-passed as it will play) is measured; the intro is then set
    ``CHIME_OFFSET_DB`` under it and mixed into the sound and into the measurement alike
    (:meth:`LimitedLoudness.add`), so the whole spot is not measured a second time.  The voice is
    high-passed and K-weighted sentence by sentence (:mod:`bzmedia.audio.filtered`): a sentence
    said in an earlier spot of this worker is not filtered again.
    """
    rate = inputs.sample_rate
    placed, length, intro_at = placements(inputs, parts, spoken, keys, intro)
    spoken.clear()
    mix, weighted = filtered_mix(placed, length, inputs.highpass_hz, rate)  # consumes placed
    model = LimitedLoudness(mix, inputs.ceiling_db - MP3_MARGIN_DB, weighted)
    del mix, weighted  # the model holds them
    if intro is not None and intro_at is not None:
        sound = match_loudness(intro, model.level, CHIME_OFFSET_DB, level=intro_lufs)
        # Its high-pass and K-weighting ring on after it ends: let them die out inside the piece.
        tail = Sound.silence(INTRO_TAIL_S, rate)
        model.add(highpass(concatenate([sound, tail], rate), inputs.highpass_hz), intro_at)
    return model.normalize(inputs.target_lufs, in_place=True)  # the mix was made for it


def _finish_with_music(inputs: SpotInputs, parts: list[Part], spoken: list[Sound | None], keys: list,
                       intro: Sound | None, intro_lufs: float | None) -> tuple[Sound, float]:
    """Like :func:`_finish`, with a music bed ducked under the voice: the bed's level follows the
    voice alone (measured on its own), then the whole mix is measured."""
    rate = inputs.sample_rate
    speech_lufs = integrated_lufs(concatenate([s for s in spoken if s is not None], rate))
    if intro is not None:
        intro = match_loudness(intro, speech_lufs, CHIME_OFFSET_DB, level=intro_lufs)
    mix, mask, _ = lay_out(inputs, parts, spoken, intro)
    spoken.clear()
    mix = add_music_bed(mix, mask, _music(inputs), inputs.music_db, speech_lufs)
    del mask
    return normalize(highpass(mix, inputs.highpass_hz), inputs.target_lufs,
                     inputs.ceiling_db - MP3_MARGIN_DB)


def _music(inputs: SpotInputs) -> Sound:
    try:
        return decode(inputs.music_bed, inputs.sample_rate, longest_s=LONGEST_READ_S)
    except Exception as exc:
        raise SoundFileError("music_bed", _("cannot read the music bed {file}: {reason}").format(
            file=inputs.music_bed.name, reason=exc)) from exc


def _refuse_too_long(inputs: SpotInputs, parts: list[Part], spoken: list, intro: Sound | None) -> None:
    """Stop a spot longer than a spot may be before it is mixed and measured (each minute costs
    about 50 MB there): a slow voice, a long recording said several times, a long intro."""
    _placed, length, _intro_at = placements(inputs, parts, spoken, [None] * len(parts), intro)
    if length > MAX_SPOT_MINUTES * 60 * inputs.sample_rate:
        field_name = "recording" if inputs.recording else "text"
        if intro is not None and intro.samples.size > length / 2:
            field_name = "intro"
        raise SoundFileError(field_name, too_long_message(inputs.spot_id))


def render(inputs: SpotInputs, store: Store | None) -> Rendered:
    """The spot as finished sound (normalized, peak-limited with room for MP3 encoding)."""
    cache = SegmentCache(store)
    failures: list[tuple[VoiceSettings, EngineError]] = []
    for voice in voice_chain(inputs.voice, inputs.fallback):
        try:
            parts, spoken, keys = _speak_all(inputs, voice, cache)
        except EngineError as exc:
            failures.append((voice, exc))
            continue
        intro, intro_lufs = _intro(inputs) if any(p.kind == "chime" for p in parts) else (None, None)
        _refuse_too_long(inputs, parts, spoken, intro)
        finish = _finish if inputs.music_bed is None else _finish_with_music
        finished, reached = finish(inputs, parts, spoken, keys, intro, intro_lufs)  # consumes spoken
        if abs(reached - inputs.target_lufs) > LOUDNESS_REACH_LU:
            raise LoudnessUnreachable(reached, inputs.target_lufs, inputs.ceiling_db)
        return Rendered(finished, voice, parts, syllables(parts), failures,
                        synthesized=cache.misses, cached=cache.hits)
    raise SpotFailed(failures)
