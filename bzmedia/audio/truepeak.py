"""True peak (ITU-R BS.1770 Annex 2: 4x oversampling) and the look-ahead limiter, in numpy alone.

The interpolation filter is ``scipy.signal.resample_poly``'s own 4x filter (a Kaiser-windowed sinc,
81 taps), designed here with numpy so a worker making spots never imports scipy (about a second of
CPU per process).  Each of its 4 phases is a 21-tap filter, so the value at oversampled point
``4n + p`` is a dot product of 21 input samples around ``n`` with phase ``p``'s taps.

Only samples that can matter are interpolated: no phase can give more than ``reach`` (the largest
sum of absolute taps of a phase, 2.24) times the largest input sample within the filter's reach, so
a stretch of 16 samples whose neighbourhood is quieter than ``floor / reach`` cannot hold a value
over ``floor``.  Speech normalized for broadcast leaves about one sample in ten to interpolate.

The limiter's gain differs from 1 only near the few peaks it pulls down, so it is computed and
applied only there (:class:`LimiterCurve`): exactly the values a running minimum and mean over the
whole signal give.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from bzmedia.tts.pcm import kaiser_lowpass

OVERSAMPLE = 4
"""True peak is measured at 4x the sample rate (176.4 kHz for 44.1 kHz audio)."""
HALF_TAPS = 10
"""Input samples either side that each phase of the interpolation filter reaches."""
_SPAN = 2 * HALF_TAPS + 1
_BATCH = 2048
"""Samples interpolated in one product: small enough that OpenBLAS does it on the calling thread
(at 65,536 it starts threads that spin on a busy machine: 3 to 10 times the CPU)."""


def phase_matrix(up: int) -> np.ndarray:
    """(21, ``up``) float64: column ``p`` holds phase ``p``'s taps in the order of a window of
    input samples ``n - 10 .. n + 10``, so ``window @ matrix`` gives the values at ``n + p / up``."""
    taps = kaiser_lowpass(up)
    matrix = np.zeros((_SPAN, up))
    for phase in range(up):
        weights = taps[phase::up]
        matrix[_SPAN - weights.size:, phase] = weights[::-1]
    return matrix


@functools.cache
def _interpolator() -> tuple[np.ndarray, float]:
    """(the 4x phase matrix in float32, the largest sum of absolute taps of any phase)."""
    matrix = phase_matrix(OVERSAMPLE)
    return matrix.astype(np.float32), float(np.abs(matrix).sum(axis=0).max())


_GROUP = 16
"""Samples that share one bound (more than the filter's reach, so a group's neighbours hold all
the samples any of its values are made from)."""


def group_bounds(magnitudes: np.ndarray) -> np.ndarray:
    """Per group of ``_GROUP`` samples, a bound on any oversampled value between its samples: the
    filter's ``reach`` times the largest magnitude in the group and its two neighbours."""
    _, reach = _interpolator()
    whole = magnitudes.size // _GROUP
    # The whole groups as a view, the last partial one apart: no padded copy of a whole spot.
    largest = np.empty(-(-magnitudes.size // _GROUP), np.float32)
    largest[:whole] = magnitudes[:whole * _GROUP].reshape(whole, _GROUP).max(axis=1)
    if largest.size > whole:
        largest[whole] = magnitudes[whole * _GROUP:].max()
    around = largest.copy()
    np.maximum(around[1:], largest[:-1], out=around[1:])
    np.maximum(around[:-1], largest[1:], out=around[:-1])
    return around * np.float32(reach)


def group_samples(groups: np.ndarray, size: int) -> np.ndarray:
    """The sample indices of ``groups`` (sorted), within a sound of ``size`` samples."""
    index = (groups[:, None] * _GROUP + np.arange(_GROUP)).ravel()
    return index[index < size]


@functools.cache
def _split_reach() -> tuple[float, float]:
    """(the largest weight any phase gives the two samples it lies between, the largest sum of
    absolute weights it gives all the others), with a little room for float32 rounding."""
    weights = np.abs(phase_matrix(OVERSAMPLE))
    between = weights[HALF_TAPS] + weights[HALF_TAPS + 1]
    return float(between.max()) * 1.0001, float((weights.sum(axis=0) - between).max()) * 1.0001


def sample_bounds(magnitudes: np.ndarray, bounds: np.ndarray, index: np.ndarray) -> np.ndarray:
    """A bound per sample in ``index`` on the oversampled values after it, tighter than its group's:
    the two samples it lies between weigh at most ``between``, all others at most ``rest`` times
    the largest magnitude around the group.  About a third fewer samples to interpolate."""
    _, reach = _interpolator()
    between, rest = _split_reach()
    nearest = np.maximum(magnitudes[index], magnitudes[np.minimum(index + 1, magnitudes.size - 1)])
    return nearest * np.float32(between) + bounds[index // _GROUP] * np.float32(rest / reach)


def interpolated_peaks(samples: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Per sample in ``index``, the largest |value| of its 4 oversampled points (float32), as
    interpolating the whole signal (zeros past its ends) gives them."""
    samples = samples.astype(np.float32, copy=False)
    window = np.lib.stride_tricks.sliding_window_view
    if samples.size < 4 * _SPAN:
        padded = np.concatenate([np.zeros(HALF_TAPS, np.float32), samples, np.zeros(HALF_TAPS, np.float32)])
        return _window_peaks(window(padded, _SPAN), index)
    # The signal itself holds every window that lies inside it; only the first and last
    # HALF_TAPS samples need zeros past the ends, from a short padded copy of each end (a padded
    # copy of a whole two-minute spot, made for each of a dozen calls, cost a tenth of a second).
    out = np.empty(index.size, np.float32)
    head, tail = index < HALF_TAPS, index >= samples.size - HALF_TAPS
    inside = ~(head | tail)
    out[inside] = _window_peaks(window(samples, _SPAN), index[inside] - HALF_TAPS)
    if head.any():
        start = np.concatenate([np.zeros(HALF_TAPS, np.float32), samples[:2 * HALF_TAPS]])
        out[head] = _window_peaks(window(start, _SPAN), index[head])
    if tail.any():
        first = samples.size - 3 * HALF_TAPS
        end = np.concatenate([samples[first:], np.zeros(HALF_TAPS, np.float32)])
        out[tail] = _window_peaks(window(end, _SPAN), index[tail] - HALF_TAPS - first)
    return out


def _window_peaks(windows: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The largest |value| of the 4 phases for each of ``rows`` of ``windows`` (21 samples each)."""
    matrix, _ = _interpolator()
    out = np.empty(rows.size, np.float32)
    for start in range(0, rows.size, _BATCH):
        # Picking rows of the sliding view copies each window once, with no (batch x 21) index
        # array built first (40 % less time than fancy indexing, the same numbers).
        values = windows[rows[start:start + _BATCH]] @ matrix
        np.abs(values, out=values)
        # Column by column: ``values.max(axis=1)`` over rows of 4 ran numpy's slow small-axis
        # reduction, half of this function's time; the maximum is the same number either way.
        peaks = out[start:start + values.shape[0]]
        np.maximum(values[:, 0], values[:, 1], out=peaks)
        for phase in range(2, values.shape[1]):
            np.maximum(peaks, values[:, phase], out=peaks)
    return out


def true_peak_db(samples: np.ndarray) -> float:
    """True peak in dBTP (4x oversampled); -inf for silence.

    The samples themselves (phase 0 is the sample times 1.0006) give a floor; only samples whose
    neighbourhood could interpolate to more than it are interpolated: exact, not guessed.
    """
    if samples.size == 0:
        return float("-inf")
    matrix, _ = _interpolator()
    magnitudes = np.abs(samples.astype(np.float32, copy=False))
    peak = float(magnitudes.max()) * float(matrix[HALF_TAPS, 0])
    if peak <= 0:
        return float("-inf")
    bounds = group_bounds(magnitudes)
    candidates = group_samples(np.flatnonzero(bounds > peak), samples.size)
    candidates = candidates[sample_bounds(magnitudes, bounds, candidates) > peak]
    if candidates.size:
        peak = max(peak, float(interpolated_peaks(samples, candidates).max()))
    return float(20 * np.log10(peak))


class Envelope:
    """A sound's true-peak envelope, made exact where asked: per sample, the largest oversampled
    |value| between it and the next one (float32); elsewhere the sample's own magnitude."""

    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples
        self.values = np.abs(samples.astype(np.float32, copy=False))
        self.bound = group_bounds(self.values)
        """Per group of samples, a bound on any value its interpolation can give."""
        self.floor = np.full(self.bound.size, np.inf, np.float32)
        """Per group, the lowest floor its samples were made exact for."""
        self.done = np.zeros(samples.size, bool)

    def over(self, floor: float) -> np.ndarray:
        """The envelope, exact wherever it can exceed ``floor``."""
        groups = np.flatnonzero((self.bound > floor) & (self.floor > floor))
        if groups.size:
            index = group_samples(groups, self.samples.size)
            # Values made exact are never below the samples' magnitudes: still an upper bound.
            index = index[~self.done[index] & (sample_bounds(self.values, self.bound, index) > floor)]
            self.values[index] = np.maximum(self.values[index], interpolated_peaks(self.samples, index))
            self.done[index] = True
            self.floor[groups] = floor
        return self.values


def running_min(values: np.ndarray, width: int) -> np.ndarray:
    """``scipy.ndimage.minimum_filter1d(values, width, mode="nearest")``, exactly: van Herk/Gil-
    Werman, a prefix and a suffix minimum per window-long block, so the cost does not grow with the
    width.  A window of ``i`` spans ``width // 2`` before it and the rest after, as scipy's."""
    before, size = width // 2, values.size
    blocks = -(-(size + width - 1) // width)
    padded = np.empty(blocks * width, values.dtype)
    padded[:before] = values[0]
    padded[before:before + size] = values
    padded[before + size:] = values[-1]
    rows = padded.reshape(blocks, width)
    prefix = np.minimum.accumulate(rows, axis=1).ravel()
    suffix = np.empty_like(rows)  # written backwards in place: no reversed copy to ravel
    np.minimum.accumulate(rows[:, ::-1], axis=1, out=suffix[:, ::-1])
    suffix = suffix.ravel()
    return np.minimum(suffix[:size], prefix[width - 1:width - 1 + size])


def running_mean(values: np.ndarray, width: int) -> np.ndarray:
    """``scipy.ndimage.uniform_filter1d(values, width, mode="nearest")`` (sums in float64)."""
    before, size = width // 2, values.size
    # Running sums straight after a leading zero, and the differences made in place: no copies of
    # the float64 sums (a million samples of limiter gain are 8 MB each).
    sums = np.empty(size + width, np.float64)
    sums[0] = 0.0
    sums[1:before + 1] = np.arange(1, before + 1) * np.float64(values[0])
    np.cumsum(values, dtype=np.float64, out=sums[before + 1:before + 1 + size])
    sums[before + 1:before + 1 + size] += sums[before]
    sums[before + 1 + size:] = sums[before + size] + np.arange(1, width - before) * np.float64(values[-1])
    out = sums[width:]
    out -= sums[:size]
    out /= width
    return out.astype(values.dtype)


@dataclass
class LimiterCurve:
    """A limiter's gain: ``gains`` at the sorted sample indices ``positions``, 1 everywhere else."""

    size: int
    positions: np.ndarray
    gains: np.ndarray

    def dense(self) -> np.ndarray:
        """The gain of every sample (float32)."""
        curve = np.ones(self.size, np.float32)
        curve[self.positions] = self.gains
        return curve

    def apply(self, samples: np.ndarray) -> None:
        """Multiply ``samples`` (in place) by the curve."""
        samples[self.positions] *= self.gains


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The sample indices of every ``[start, end)``, one after another."""
    lengths = ends - starts
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return np.arange(int(lengths.sum())) + offsets


def _over(peaks: np.ndarray, scale: np.float32, ceiling: np.float32) -> np.ndarray:
    """Indices where ``peaks * scale > ceiling`` (in float32): a comparison with a threshold a
    little under ``ceiling / scale`` finds every one without multiplying the whole envelope
    (a third of the time), then the product itself decides, so the result is the same."""
    if scale <= 0:
        return np.flatnonzero(peaks * scale > ceiling)
    near = np.flatnonzero(peaks > np.float32(float(ceiling) / float(scale) * (1 - 1e-5)))
    return near[peaks[near] * scale > ceiling]


def limiter_curve(peaks: np.ndarray, scale: float, ceiling: float, half: int) -> LimiterCurve | None:
    """The gain that pulls every peak of ``peaks * scale`` under ``ceiling``, smoothly; ``None``
    when no peak is over.

    Each sample's gain is the least any peak within ``half`` samples needs (a running minimum), then
    averaged over the same window: the average of minima that all include this sample's own need
    can never exceed it, so no peak escapes, and the gain has no steps (no clicks).  It differs
    from 1 only within ``2 half`` samples of a sample over the ceiling, so only those stretches
    are computed, each with ``2 half`` samples of context either side: laid end to end, one
    stretch's results never read past its own context (only the signal's own ends are padded).
    """
    scale32, ceiling32 = np.float32(scale), np.float32(ceiling)
    over = _over(peaks, scale32, ceiling32)
    if over.size == 0:
        return None
    reach = 2 * half
    # Peaks closer than that share one stretch, so no sample's gain is counted twice.
    breaks = np.flatnonzero(np.diff(over) > 2 * reach) + 1
    firsts = np.maximum(over[np.concatenate([[0], breaks])] - reach, 0)
    ends = np.minimum(over[np.concatenate([breaks - 1, [over.size - 1]])] + reach + 1, peaks.size)
    los, his = np.maximum(firsts - reach, 0), np.minimum(ends + reach, peaks.size)
    needed = peaks[_ranges(los, his)] * scale32
    np.maximum(needed, np.float32(1e-12), out=needed)
    np.divide(ceiling32, needed, out=needed)
    np.minimum(needed, np.float32(1.0), out=needed)
    gains = running_mean(running_min(needed, 2 * half + 1), 2 * half + 1)
    starts = np.concatenate([[0], np.cumsum(his - los)[:-1]])  # each stretch in the row laid out
    inside = _ranges(starts + firsts - los, starts + ends - los)
    return LimiterCurve(peaks.size, _ranges(firsts, ends), gains[inside])
