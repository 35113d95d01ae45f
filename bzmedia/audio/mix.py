"""Mixing helpers: level matching, the ducked music bed and the horn-speaker high-pass."""

from __future__ import annotations

import numpy as np

from bzmedia.audio import iir
from bzmedia.audio.loudness import SILENCE_LUFS, apply_gain, integrated_lufs, windowed
from bzmedia.audio.truepeak import running_mean, running_min
from bzmedia.tts.pcm import Sound

FILTER_CHUNK = 1 << 18
"""Samples filtered at a time."""
DUCK_OPEN_DB = 10.0
"""How much louder the music is where nobody speaks (intro, outro, long pauses)."""
DUCK_HOLD_S = 0.6
"""Pauses shorter than twice this keep the music ducked (no pumping between sentences)."""
DUCK_RAMP_S = 0.35
"""Time the music takes to go down or come back up."""


def match_loudness(sound: Sound, reference_lufs: float, offset_db: float = 0.0,
                   level: float | None = None) -> Sound:
    """``sound`` scaled so its loudness is ``reference_lufs + offset_db`` (silence unchanged).

    ``level`` is the sound's own loudness when the caller already measured it.
    """
    if level is None:
        level = integrated_lufs(sound)
    if level <= SILENCE_LUFS or reference_lufs <= SILENCE_LUFS:
        return sound
    return apply_gain(sound, reference_lufs + offset_db - level)


def highpass(sound: Sound, cutoff_hz: float) -> Sound:
    """Remove bass below ``cutoff_hz`` (4th-order Butterworth): horns cannot play it anyway, and
    the energy they waste on it distorts the voice."""
    if cutoff_hz <= 0:
        return sound
    sos = iir.butter_highpass(cutoff_hz, sound.rate)
    out = np.empty(sound.samples.size, np.float32)
    state = np.zeros((sos.shape[0], 2))
    for start in range(0, out.size, FILTER_CHUNK):  # chunks: no float64 copy of a whole spot
        out[start:start + FILTER_CHUNK], state = iir.sosfilt(
            sos, sound.samples[start:start + FILTER_CHUNK], state)
    return Sound(out, sound.rate)


def running_max(values: np.ndarray, width: int) -> np.ndarray:
    """``scipy.ndimage.maximum_filter1d(values, width, mode="nearest")``, exactly: the running
    minimum of the negated values (negation is exact)."""
    return -running_min(-values, width)


def _smooth(values: np.ndarray, seconds: float, rate: int) -> np.ndarray:
    return windowed(running_mean, values, max(1, round(seconds * rate)))


def duck_curve(speech_mask: np.ndarray, rate: int, ducked_db: float) -> np.ndarray:
    """Linear gain per sample for the music: ``ducked_db`` under speech, louder elsewhere."""
    held = windowed(running_max, speech_mask.astype(np.float32),
                    max(1, round(2 * DUCK_HOLD_S * rate)))
    open_db = min(ducked_db + DUCK_OPEN_DB, -3.0)
    decibels = np.where(held > 0.5, ducked_db, open_db).astype(np.float32)
    return 10 ** (_smooth(decibels, DUCK_RAMP_S, rate) / 20)


def add_music_bed(mix: Sound, speech_mask: np.ndarray, music: Sound, music_db: float,
                  speech_lufs: float) -> Sound:
    """``mix`` with ``music`` looped under it: ``music_db`` below the speech while someone speaks,
    rising in the gaps, faded in at the start and out at the end."""
    length = mix.samples.size
    repeats = -(-length // max(music.samples.size, 1))
    bed = np.tile(music.samples, repeats)[:length]
    bed = match_loudness(Sound(bed, mix.rate), speech_lufs).samples
    bed = bed * duck_curve(speech_mask, mix.rate, music_db)
    fade_in, fade_out = min(round(0.5 * mix.rate), length), min(round(1.5 * mix.rate), length)
    bed[:fade_in] *= np.linspace(0.0, 1.0, fade_in)
    bed[length - fade_out:] *= np.linspace(1.0, 0.0, fade_out)
    return Sound((mix.samples + bed).astype(np.float32), mix.rate)
