"""Loudness per ITU-R BS.1770 and a true-peak limiter, in small blocks of memory.

Every spot of a kit is brought to one integrated loudness (default -16 LUFS) so an operator never
touches the volume between spots, and its true peak (the peak between samples, found by 4x
oversampling as BS.1770 Annex 2 describes) stays under a ceiling (default -1.5 dBTP) so FM
transmitters and MP3 decoders do not clip.  Speech has a high peak-to-loudness ratio, so the
gain that reaches -16 LUFS usually pushes peaks over the ceiling: a look-ahead limiter pulls those
few peaks down.

Both measurements work block by block so memory stays small whatever a spot's length (a 4x
oversampled float64 copy of a two-minute spot alone was 160 MB):

- loudness uses pyloudnorm's K-weighting filters (the BS.1770 ones), run in chunks with their
  state carried over, and its gating (400 ms blocks, 75 % overlap, -70 LUFS absolute and -10 LU
  relative gates), vectorized: the same number as ``pyloudnorm.Meter.integrated_loudness``;
- true peak interpolates float32 blocks of 1,024 samples (with the filter's context on both sides,
  so the result is the same as interpolating the whole signal), many blocks per call.

Gain is linear, so a sound's loudness after a gain is known without measuring it again
(``lufs(g * x) = lufs(x) + 20 log10 g``): callers measure once and compute the rest.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

import numpy as np

from bzmedia.tts.pcm import Sound

OVERSAMPLE = 4
"""True peak is measured at 4x the sample rate (176.4 kHz for 44.1 kHz audio)."""
SILENCE_LUFS = -70.0
"""What a silent or too-short sound measures as (BS.1770's absolute gate)."""
GATE_BLOCK_S = 0.4
GATE_STEP = 0.25
"""Gating blocks of 400 ms, each starting 100 ms after the previous one (75 % overlap)."""

_FILTER_CHUNK = 1 << 18
"""Samples K-weighted at a time (2 MB of float64)."""
_BLOCK = 1024
"""Samples a true-peak block interpolates (small, so quiet stretches are skipped finely)."""
_CONTEXT = 16
"""Input samples either side that the 4x interpolation filter reaches (it reaches 10)."""
_BATCH = 128
"""Blocks interpolated in one call (about 2 MB of float32 output)."""

MAX_LIMIT_DB = 20.0
"""The normalizer tries no more gain than this past the unlimited gain to the target: a spot that
needs more limiting than that is unreachable (the voice would be crushed)."""

measurements = 0
"""Integrated-loudness measurements made by this process (the benchmark counts them)."""


@functools.cache
def _k_weighting(rate: int) -> tuple[np.ndarray, float]:
    """(second-order sections, gain) of BS.1770's K-weighting at ``rate``, as pyloudnorm has them."""
    import pyloudnorm

    meter = pyloudnorm.Meter(rate)
    stages = [meter._filters["high_shelf"], meter._filters["high_pass"]]
    sos = np.array([np.concatenate([stage.b / stage.a[0], stage.a / stage.a[0]]) for stage in stages])
    return sos, float(np.prod([stage.passband_gain for stage in stages]))


def gating_blocks(length: int, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """(first, end) sample of every gating block of a ``length``-sample sound (pyloudnorm's bounds)."""
    seconds = length / rate
    count = int(np.round((seconds - GATE_BLOCK_S) / (GATE_BLOCK_S * GATE_STEP))) + 1
    index = np.arange(count, dtype=np.float64)
    first = (GATE_BLOCK_S * (index * GATE_STEP) * rate).astype(np.int64)
    end = (GATE_BLOCK_S * (index * GATE_STEP + 1) * rate).astype(np.int64)
    return first, np.minimum(end, length)


def _k_weighted(sound: Sound) -> Iterator[np.ndarray]:
    """The K-weighted signal (float64), chunk after chunk, the filters' state carried over."""
    from scipy.signal import sosfilt

    sos, gain = _k_weighting(sound.rate)
    state = np.zeros((sos.shape[0], 2))
    for start in range(0, sound.samples.size, _FILTER_CHUNK):
        weighted, state = sosfilt(sos, sound.samples[start:start + _FILTER_CHUNK].astype(np.float64),
                                  zi=state)
        yield gain * weighted


def _energies(squares: Iterable[np.ndarray], length: int, rate: int) -> np.ndarray:
    """Mean of ``squares`` (given chunk after chunk) in every gating block of the sound."""
    first, end = gating_blocks(length, rate)
    # Running sums are needed only at block edges: keep those, not a running sum per sample.
    edges = np.union1d(first, end)
    sums = np.zeros(edges.size)
    start, total = 0, 0.0
    for chunk in squares:
        running = np.cumsum(chunk, dtype=np.float64) + total
        inside = (edges > start) & (edges <= start + chunk.size)
        sums[inside] = running[edges[inside] - start - 1]
        start, total = start + chunk.size, float(running[-1])
    at = np.searchsorted(edges, np.stack([first, end]))
    return (sums[at[1]] - sums[at[0]]) / (GATE_BLOCK_S * rate)


def block_energies(sound: Sound) -> np.ndarray:
    """Mean square of the K-weighted signal in every gating block (BS.1770 eq. 1)."""
    global measurements
    measurements += 1
    return _energies((np.square(chunk) for chunk in _k_weighted(sound)), sound.samples.size,
                     sound.rate)


def gated_lufs(energies: np.ndarray) -> float:
    """Integrated loudness from block energies: absolute gate, then relative gate (eq. 2-7)."""
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(energies)
    above = levels >= SILENCE_LUFS
    if not above.any():
        return SILENCE_LUFS
    relative = -0.691 + 10 * np.log10(np.mean(energies[above])) - 10.0
    kept = (levels > relative) & (levels > SILENCE_LUFS)
    if not kept.any():
        return SILENCE_LUFS
    return max(float(-0.691 + 10 * np.log10(np.mean(energies[kept]))), SILENCE_LUFS)


def integrated_lufs(sound: Sound) -> float:
    """Integrated loudness in LUFS (gated, K-weighted); ``SILENCE_LUFS`` for silence."""
    if sound.seconds < GATE_BLOCK_S or not np.any(sound.samples):
        return SILENCE_LUFS
    return gated_lufs(block_energies(sound))


@functools.cache
def _interpolator() -> tuple[np.ndarray, float]:
    """The 4x interpolation filter of ``scipy.signal.resample_poly`` (float32), and the largest
    sum of absolute taps of any of its phases: no interpolated value can exceed that many times
    the largest input sample it is made from."""
    from scipy.signal import firwin

    half_len = 10 * OVERSAMPLE
    taps = firwin(2 * half_len + 1, 1.0 / OVERSAMPLE, window=("kaiser", 5.0)) * OVERSAMPLE
    reach = max(float(np.abs(taps[phase::OVERSAMPLE]).sum()) for phase in range(OVERSAMPLE))
    return taps.astype(np.float32), reach


def _block_peaks(samples: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """Per sample of each block, the largest |value| of its 4 oversampled points.

    Each block is interpolated with ``_CONTEXT`` samples of the signal on either side (zeros
    past its ends), so a block's values are the ones interpolating the whole signal gives.
    """
    from scipy.signal import upfirdn

    taps, _ = _interpolator()
    index = blocks[:, None] * _BLOCK + np.arange(-_CONTEXT, _BLOCK + _CONTEXT)
    outside = (index < 0) | (index >= samples.size)
    windows = samples[np.clip(index, 0, samples.size - 1)].astype(np.float32, copy=False)
    windows[outside] = 0.0
    upsampled = upfirdn(taps, windows, up=OVERSAMPLE, axis=1)
    skip = OVERSAMPLE * _CONTEXT + (taps.size - 1) // 2  # the filter's delay, then the context
    upsampled = np.abs(upsampled[:, skip:skip + OVERSAMPLE * _BLOCK])
    return upsampled.reshape(blocks.size, _BLOCK, OVERSAMPLE).max(axis=2)


def _block_maxima(samples: np.ndarray) -> np.ndarray:
    """Largest |sample| of each block and its neighbours (the context reaches into them)."""
    whole = samples.size // _BLOCK
    rows = samples[:whole * _BLOCK].reshape(whole, _BLOCK)
    maxima = np.maximum(rows.max(axis=1, initial=0.0), -rows.min(axis=1, initial=0.0))
    if samples.size > whole * _BLOCK:
        maxima = np.append(maxima, np.abs(samples[whole * _BLOCK:]).max())
    around = maxima.astype(np.float32)
    around[1:] = np.maximum(around[1:], maxima[:-1])
    around[:-1] = np.maximum(around[:-1], maxima[1:])
    return around


def true_peak_db(sound: Sound) -> float:
    """True peak in dBTP (4x oversampled); -inf for silence.

    Blocks are interpolated loudest first; once no remaining block can reach the peak found so far
    (the filter's gain bounds what its samples can make), the rest are skipped: exact, not guessed.
    """
    samples = sound.samples
    if samples.size == 0:
        return float("-inf")
    _, reach = _interpolator()
    maxima = _block_maxima(samples)
    order = np.argsort(-maxima, kind="stable")
    peak = 0.0
    for start in range(0, order.size, _BATCH):
        batch = order[start:start + _BATCH]
        if maxima[batch[0]] * reach <= peak:
            break
        peak = max(peak, float(_block_peaks(samples, batch).max()))
    return float(20 * np.log10(peak)) if peak > 0 else float("-inf")


class _Envelope:
    """A sound's true-peak envelope, interpolated block by block as the floors asked for go down."""

    def __init__(self, samples: np.ndarray) -> None:
        _, reach = _interpolator()
        self.samples = samples
        count = -(-samples.size // _BLOCK)
        self.values = np.zeros(count * _BLOCK, np.float32)  # whole blocks; cut to size when read
        np.abs(samples, out=self.values[:samples.size])
        self.reach = _block_maxima(samples) * reach
        """Per block, a bound on any value its interpolation can give."""
        self.done = np.zeros(count, bool)

    def over(self, floor: float) -> np.ndarray:
        """The envelope, exact wherever it can exceed ``floor``."""
        todo = np.flatnonzero(~self.done & (self.reach > floor))
        blocks = self.values.reshape(self.done.size, _BLOCK)
        for start in range(0, todo.size, _BATCH):
            batch = todo[start:start + _BATCH]
            blocks[batch] = np.maximum(blocks[batch], _block_peaks(self.samples, batch))
        self.done[todo] = True
        return self.values[:self.samples.size]


def peak_envelope(samples: np.ndarray, floor: float) -> np.ndarray:
    """Per sample, the largest oversampled |value| between it and the next one (float32).

    Only loud passages can reach a ceiling, so only blocks whose samples could make a value over
    ``floor`` are interpolated; elsewhere the sample itself stands for its peak (it cannot be
    more than ``floor`` there anyway).
    """
    return _Envelope(samples).over(floor)


def windowed(filter1d, values: np.ndarray, width: int, out: np.ndarray | None = None) -> np.ndarray:
    """``filter1d(values, width, mode="nearest")`` (a scipy.ndimage running filter), a chunk at a
    time: over a whole spot at once scipy keeps float64 copies of it (80 MB for two minutes).
    Each chunk takes ``width`` extra samples either side, so the window never leaves it.
    ``out`` (not ``values``) receives the result when given."""
    if out is None:
        out = np.empty_like(values)
    if values.size <= 2 * _FILTER_CHUNK:
        out[:] = filter1d(values, width, mode="nearest")
        return out
    for start in range(0, values.size, _FILTER_CHUNK):
        lo, hi = max(start - width, 0), min(start + _FILTER_CHUNK + width, values.size)
        done = filter1d(values[lo:hi], width, mode="nearest")
        out[start:start + _FILTER_CHUNK] = done[start - lo:start - lo + _FILTER_CHUNK]
    return out


def limiter_gain(sound: Sound, ceiling_db: float, window_s: float = 0.004) -> np.ndarray | None:
    """Per-sample gain that pulls every true peak of ``sound`` under ``ceiling_db``, smoothly;
    ``None`` when no peak is over.

    The gain at each sample is the least any peak within ``window_s`` needs (a running minimum),
    then averaged over the same window: the average of minima that all include this sample's own
    need can never exceed it, so no peak escapes, and the gain has no steps (no clicks).
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = np.float32(10 ** (ceiling_db / 20))
    peaks = peak_envelope(sound.samples, float(ceiling))
    if peaks.size == 0 or float(peaks.max()) <= ceiling:
        return None
    needed = np.minimum(np.float32(1.0), ceiling / np.maximum(peaks, np.float32(1e-12)))
    del peaks
    width = max(1, round(window_s * sound.rate)) * 2 + 1
    return windowed(uniform_filter1d, windowed(minimum_filter1d, needed, width), width)


def limit_true_peak(sound: Sound, ceiling_db: float, window_s: float = 0.004) -> Sound:
    """``sound`` with every true peak pulled under ``ceiling_db`` (the same object if none is over)."""
    gain = limiter_gain(sound, ceiling_db, window_s)
    if gain is None:
        return sound
    return Sound((sound.samples * gain).astype(np.float32), sound.rate)


def apply_gain(sound: Sound, decibels: float) -> Sound:
    return Sound((sound.samples * np.float32(10 ** (decibels / 20))).astype(np.float32), sound.rate)


class LimitedLoudness:
    """The loudness of ``sound`` after any gain and the true-peak limiter, without measuring again.

    One K-weighting pass (the one measurement) and one peak envelope serve every gain tried: the
    limiter's gain curve changes slowly next to the K-weighting filters, so the weighted signal
    times the curve is the weighted limited signal to within a few thousandths of a LU (the tests
    hold it to 0.01 LU against a real measurement).
    """

    def __init__(self, sound: Sound, ceiling_db: float) -> None:
        global measurements
        measurements += 1
        self.sound = sound
        self.ceiling = np.float32(10 ** (ceiling_db / 20))
        self.weighted = np.zeros(sound.samples.size, np.float32)

        def squares() -> Iterator[np.ndarray]:
            start = 0
            for chunk in _k_weighted(sound):
                self.weighted[start:start + chunk.size] = chunk
                start += chunk.size
                yield np.square(chunk)

        self.level = SILENCE_LUFS
        if sound.seconds >= GATE_BLOCK_S and np.any(sound.samples):
            self.level = gated_lufs(_energies(squares(), sound.samples.size, sound.rate))
        self._peaks: _Envelope | None = None

    def add(self, piece: Sound, at: int) -> None:
        """Mix ``piece`` into the sound (in place) from sample ``at`` on, and into its measurement.

        K-weighting is linear and time-invariant, so the weighted sum is the sum of the weighted
        parts: only the short piece is weighted (from rest, as the piece is silent before ``at``;
        it should end in silence so nothing of its filter tail is cut), the whole is not
        measured again.
        """
        end = min(at + piece.samples.size, self.sound.samples.size)
        part = Sound(piece.samples[:end - at], piece.rate)
        self.sound.samples[at:end] += part.samples
        offset = at
        for chunk in _k_weighted(part):
            self.weighted[offset:offset + chunk.size] += chunk.astype(np.float32)
            offset += chunk.size
        squares = (np.square(self.weighted[i:i + _FILTER_CHUNK], dtype=np.float64)
                   for i in range(0, self.weighted.size, _FILTER_CHUNK))
        self.level = gated_lufs(_energies(squares, self.weighted.size, self.sound.rate))
        self._peaks = None

    def peaks(self, gain_db: float) -> np.ndarray:
        """The true-peak envelope at unit gain, exact wherever ``gain_db`` could take it over the
        ceiling.  Blocks are interpolated once, when a gain first needs them; a block left out
        stays under the ceiling at this gain either way, so the limiter does not depend on the
        order gains were tried in."""
        if self._peaks is None:
            self._peaks = _Envelope(self.sound.samples)
        return self._peaks.over(float(self.ceiling) / 10 ** (gain_db / 20))

    def limiter(self, gain_db: float, window_s: float = 0.004) -> np.ndarray | None:
        """The limiter's gain curve after ``gain_db`` (as :func:`limiter_gain`), or ``None``."""
        from scipy.ndimage import minimum_filter1d, uniform_filter1d

        peaks = self.peaks(gain_db)
        scale = np.float32(10 ** (gain_db / 20))
        if peaks.size == 0 or float(peaks.max()) * scale <= self.ceiling:
            return None
        # In place: the same values as limiter_gain(gained sound), fewer arrays of its length.
        needed = np.multiply(peaks, scale)
        np.maximum(needed, np.float32(1e-12), out=needed)
        np.divide(self.ceiling, needed, out=needed)
        np.minimum(needed, np.float32(1.0), out=needed)
        width = max(1, round(window_s * self.sound.rate)) * 2 + 1
        held = windowed(minimum_filter1d, needed, width)
        return windowed(uniform_filter1d, held, width, out=needed)

    def predict(self, gain_db: float) -> float:
        """Loudness of the sound after ``gain_db`` and limiting."""
        curve = self.limiter(gain_db)
        if curve is None:
            return self.level + gain_db
        scale = np.float32(10 ** (gain_db / 20))
        squares = (np.square(self.weighted[i:i + _FILTER_CHUNK] * curve[i:i + _FILTER_CHUNK] * scale)
                   for i in range(0, curve.size, _FILTER_CHUNK))
        return gated_lufs(_energies(squares, curve.size, self.sound.rate))

    def normalize(self, target_lufs: float, tolerance: float = 0.01,
                  rounds: int = 8) -> tuple[Sound, float]:
        """(the sound at ``target_lufs`` with its true peak under the ceiling, its loudness).

        Gain is linear, so the measured level gives the exact gain to the target; limiting then
        takes back part of it (the peaks it pulls down carry loudness too), so the secant on "gain
        in, loudness out after limiting" finds the gain, on predictions, not measurements.
        """
        if self.level <= SILENCE_LUFS:
            return self.sound, self.level
        first = gain = target_lufs - self.level
        reached = self.predict(gain)
        previous: tuple[float, float] | None = None
        slope = 0.5  # speech limited by a dB or two: about half its energy is in the peaks pulled
        for _ in range(rounds):
            error = target_lufs - reached
            if abs(error) < tolerance or (error > 0 and gain >= first + MAX_LIMIT_DB):
                break
            if previous is not None and gain != previous[0]:
                slope = min(1.0, max(0.05, (reached - previous[1]) / (gain - previous[0])))
            previous = (gain, reached)
            gain = min(gain + error / slope, first + MAX_LIMIT_DB)
            reached = self.predict(gain)
        return self.apply(gain), reached

    def apply(self, gain_db: float) -> Sound:
        """The sound after ``gain_db`` and limiting."""
        curve = self.limiter(gain_db)
        gained = self.sound.samples * np.float32(10 ** (gain_db / 20))
        if curve is not None:
            np.multiply(gained, curve, out=gained)
        return Sound(gained.astype(np.float32, copy=False), self.sound.rate)


def normalize(sound: Sound, target_lufs: float, ceiling_db: float) -> tuple[Sound, float]:
    """(``sound`` at ``target_lufs`` with its true peak under ``ceiling_db``, its loudness).

    Measured once (see :meth:`LimitedLoudness.normalize`); the exported file is measured again.
    """
    return LimitedLoudness(sound, ceiling_db).normalize(target_lufs)
