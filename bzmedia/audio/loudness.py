"""Loudness per ITU-R BS.1770 (pyloudnorm) and a true-peak limiter.

Every spot of a kit is brought to one integrated loudness (default -16 LUFS) so an operator never
touches the volume between spots, and its true peak (the peak between samples, found by 4x
oversampling as BS.1770 Annex 2 describes) stays under a ceiling (default -1.5 dBTP) so FM
transmitters and MP3 decoders do not clip.  Speech has a high peak-to-loudness ratio, so the
gain that reaches -16 LUFS usually pushes peaks over the ceiling: a look-ahead limiter pulls those
few peaks down, and the loop re-measures until both hold.
"""

from __future__ import annotations

import numpy as np

from bzmedia.tts.pcm import Sound

OVERSAMPLE = 4
"""True peak is measured at 4x the sample rate (176.4 kHz for 44.1 kHz audio)."""
SILENCE_LUFS = -70.0
"""What a silent or too-short sound measures as (BS.1770's absolute gate)."""


def integrated_lufs(sound: Sound) -> float:
    """Integrated loudness in LUFS (gated, K-weighted); ``SILENCE_LUFS`` for silence."""
    import pyloudnorm

    if sound.seconds < 0.4 or not np.any(sound.samples):
        return SILENCE_LUFS
    value = pyloudnorm.Meter(sound.rate).integrated_loudness(sound.samples.astype(np.float64))
    return max(float(value), SILENCE_LUFS)


def _oversampled_abs(samples: np.ndarray) -> np.ndarray:
    from scipy.signal import resample_poly

    return np.abs(resample_poly(samples.astype(np.float64), OVERSAMPLE, 1))


def true_peak_db(sound: Sound) -> float:
    """True peak in dBTP (4x oversampled); -inf for silence."""
    if sound.samples.size == 0:
        return float("-inf")
    peak = float(np.max(_oversampled_abs(sound.samples)))
    return float(20 * np.log10(peak)) if peak > 0 else float("-inf")


_CONTEXT = 16
"""Input samples either side that the 4x interpolation filter of ``resample_poly`` reaches."""


def peak_envelope(samples: np.ndarray, floor: float) -> np.ndarray:
    """Per sample, the largest oversampled |value| between it and the next one.

    Interpolating a whole spot at 4x is the slowest step of the chain, and only loud passages can
    reach a ceiling, so only samples whose neighbourhood exceeds ``floor`` are interpolated (all
    in one call: the loud stretches with their context, separated by zeros); elsewhere the sample
    itself stands for its peak.  The final measurement (:func:`true_peak_db`) interpolates all.
    """
    from scipy.ndimage import maximum_filter1d
    from scipy.signal import resample_poly

    envelope = np.abs(samples)
    hot = maximum_filter1d((envelope > floor).astype(np.uint8), 2 * _CONTEXT + 1) > 0
    if not hot.any():
        return envelope
    edges = np.flatnonzero(np.diff(np.concatenate([[0], hot.astype(np.int8), [0]])))
    runs = list(zip(edges[0::2], edges[1::2], strict=True))
    gap = np.zeros(2 * _CONTEXT, dtype=np.float64)
    pieces, offsets, position = [], [], 0
    for start, end in runs:
        lo, hi = max(start - _CONTEXT, 0), min(end + _CONTEXT, samples.size)
        pieces += [samples[lo:hi].astype(np.float64), gap]
        offsets.append(position + (start - lo))
        position += (hi - lo) + gap.size
    upsampled = np.abs(resample_poly(np.concatenate(pieces), OVERSAMPLE, 1))
    for (start, end), offset in zip(runs, offsets, strict=True):
        block = upsampled[offset * OVERSAMPLE:(offset + end - start) * OVERSAMPLE]
        envelope[start:end] = np.maximum(envelope[start:end],
                                         block.reshape(-1, OVERSAMPLE).max(axis=1))
    return envelope


def limit_true_peak(sound: Sound, ceiling_db: float, window_s: float = 0.004) -> Sound:
    """``sound`` with every true peak pulled under ``ceiling_db``, smoothly (unchanged if none is over).

    The gain at each sample is the least any peak within ``window_s`` needs (a running minimum),
    then averaged over the same window: the average of minima that all include this sample's own
    need can never exceed it, so no peak escapes, and the gain has no steps (no clicks).
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_db / 20)
    peaks = peak_envelope(sound.samples, ceiling / 2)
    if peaks.size == 0 or float(peaks.max()) <= ceiling:
        return sound
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    width = max(1, round(window_s * sound.rate)) * 2 + 1
    gain = uniform_filter1d(minimum_filter1d(needed, width, mode="nearest"), width, mode="nearest")
    return Sound((sound.samples * gain).astype(np.float32), sound.rate)


def apply_gain(sound: Sound, decibels: float) -> Sound:
    return Sound((sound.samples * 10 ** (decibels / 20)).astype(np.float32), sound.rate)


def normalize(sound: Sound, target_lufs: float, ceiling_db: float, tolerance: float = 0.05,
              rounds: int = 6) -> Sound:
    """``sound`` at ``target_lufs`` integrated with its true peak at or under ``ceiling_db``.

    Limiting takes back part of any gain (the peaks it pulls down carry loudness too), so the
    gain is found by the secant method on "gain in, loudness out after limiting": two or three
    tries instead of creeping up on the target.
    """
    level = integrated_lufs(sound)
    if level <= SILENCE_LUFS:
        return sound
    gain = target_lufs - level
    result = limit_true_peak(apply_gain(sound, gain), ceiling_db)
    reached = integrated_lufs(result)
    previous: tuple[float, float] | None = None
    for _ in range(rounds):
        error = target_lufs - reached
        if abs(error) < tolerance:
            break
        slope = 1.0
        if previous is not None and gain != previous[0]:
            slope = min(1.0, max(0.1, (reached - previous[1]) / (gain - previous[0])))
        previous = (gain, reached)
        gain += error / slope
        result = limit_true_peak(apply_gain(sound, gain), ceiling_db)
        reached = integrated_lufs(result)
    return result
