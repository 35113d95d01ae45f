"""Speed shortcuts in the true-peak and limiter code give the very numbers of the plain way."""

from __future__ import annotations

import numpy as np
import pytest

from bzmedia.audio import truepeak
from bzmedia.tts.pcm import Sound, kaiser_lowpass, resample


@pytest.mark.parametrize("scale", [1.0, 2.4, 0.37, 1e-3])
def test_samples_over_the_ceiling_are_the_products_verdict(scale):
    """``_over`` compares with a threshold first: values right at it (one float32 step either
    side of ``ceiling / scale``) get the product's own answer."""
    rng = np.random.default_rng(7)
    ceiling = np.float32(0.79)
    at = np.float32(ceiling / np.float32(scale))
    near = np.array([np.nextafter(at, np.float32(0)), at, np.nextafter(at, np.float32(9))] * 50,
                    np.float32)
    peaks = np.concatenate([rng.random(20_000, dtype=np.float32) * 2 * at, near])
    rng.shuffle(peaks)
    plain = np.flatnonzero(peaks * np.float32(scale) > ceiling)
    assert np.array_equal(truepeak._over(peaks, np.float32(scale), ceiling), plain)


@pytest.mark.parametrize("size", [1, 20, 41, 42, 58, 83, 84, 85, 9_000, 9_001])
def test_group_peaks_are_the_largest_of_the_four_phases(size):
    """Whole-signal zero padding, every phase, the maximum (to float32 rounding: one product per
    group sums in another order than one per sample): also for the first and last groups (their
    rows reach past the ends), a partial last group and sounds shorter than a row."""
    samples = (0.5 * np.random.default_rng(size).standard_normal(size)).astype(np.float32)
    matrix, _ = truepeak._interpolator()
    padded = np.concatenate([np.zeros(10, np.float32), samples, np.zeros(10, np.float32)])
    plain = np.abs(padded[np.arange(size)[:, None] + np.arange(21)] @ matrix).max(axis=1)
    count = -(-size // 16)
    for groups in (np.arange(count), np.sort(np.random.default_rng(4).choice(count, count // 2 + 1,
                                                                             replace=False))):
        peaks = truepeak.group_peaks(samples, groups)
        for row, group in zip(peaks, groups, strict=True):
            own = plain[group * 16:group * 16 + 16]
            assert np.allclose(row[:own.size], own, rtol=0, atol=1e-6)
            assert not row[own.size:].any()  # past the signal's end


def test_doubling_the_rate_copies_phase_zero_with_the_convolutions_numbers():
    """Phase 0 of the 2x sinc filter is a single tap (the others are ~1e-17): the scaled copy
    gives the samples the full 21-tap convolution gives, bit for bit in float32."""
    samples = (0.3 * np.random.default_rng(11).standard_normal(44_100)).astype(np.float32)
    taps = kaiser_lowpass(2)
    plain = np.empty(samples.size * 2)
    for phase in range(2):
        plain[phase::2] = np.convolve(samples, taps[phase::2])[10:10 + samples.size]
    assert np.array_equal(resample(Sound(samples, 22050), 44100).samples, plain.astype(np.float32))
