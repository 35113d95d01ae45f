"""True peak (ITU-R BS.1770 Annex 2: 4x oversampling) and the look-ahead limiter, in numpy alone.

The interpolation filter is ``scipy.signal.resample_poly``'s own 4x filter (a Kaiser-windowed sinc,
81 taps), designed here with numpy so a worker making spots never imports scipy (about a second of
CPU per process).  Each of its 4 phases is a 21-tap filter, so the value at oversampled point
``4n + p`` is a dot product of 21 input samples around ``n`` with phase ``p``'s taps.

Only samples that can matter are interpolated: no phase can give more than ``reach`` (the largest
sum of absolute taps of a phase, 2.24) times the largest input sample within the filter's reach, so
a stretch of 16 samples whose neighbourhood is quieter than ``floor / reach`` cannot hold a value
over ``floor``.  Speech normalized for broadcast leaves about one group in seven to interpolate,
each group by one matrix product (:func:`group_peaks`).

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


GROUP = 16
"""Samples that share one bound (more than the filter's reach, so a group's neighbours hold all
the samples any of its values are made from).  A group is also what is interpolated at once."""
_ROW = GROUP + 2 * HALF_TAPS
"""Input samples a group's values are made from: its own and the filter's reach either side."""
_GROUP_BATCH = 112
"""Groups interpolated in one product: OpenBLAS runs a product of up to 262,144 multiply-adds
(112 x 36 x 64 here) on the calling thread; above that it starts threads that spin on a busy
machine (1,024 groups a product took 40 times the CPU)."""


def group_maxima(magnitudes: np.ndarray) -> np.ndarray:
    """The largest of ``magnitudes`` in each group of ``GROUP`` samples (the last may be partial)."""
    whole = magnitudes.size // GROUP
    # The whole groups as a view, the last partial one apart: no padded copy of a whole spot.
    largest = np.empty(-(-magnitudes.size // GROUP), np.float32)
    # ``initial``: a quarter faster than the plain small-axis maximum, the same numbers.
    largest[:whole] = magnitudes[:whole * GROUP].reshape(whole, GROUP).max(axis=1, initial=0.0)
    if largest.size > whole:
        largest[whole] = magnitudes[whole * GROUP:].max()
    return largest


def group_bounds(magnitudes: np.ndarray, largest: np.ndarray | None = None) -> np.ndarray:
    """Per group of ``GROUP`` samples, a bound on any oversampled value between its samples: the
    filter's ``reach`` times the largest magnitude in the group and its two neighbours
    (``largest``: the groups' maxima, when the caller has them)."""
    _, reach = _interpolator()
    largest = group_maxima(magnitudes) if largest is None else largest
    around = largest.copy()
    np.maximum(around[1:], largest[:-1], out=around[1:])
    np.maximum(around[:-1], largest[1:], out=around[:-1])
    return around * np.float32(reach)


@functools.cache
def _group_matrix() -> np.ndarray:
    """(36, 64) float32: a row of a group's 36 input samples (10 before it, its 16, 10 after)
    times this gives the 4 oversampled values after each of its samples, sample-major: column
    ``4 i + p`` is phase ``p`` after sample ``i``.  One product per group instead of one 21-sample
    window copied per sample: a ninth of the memory traffic, a fifth of the time."""
    matrix, _ = _interpolator()
    toeplitz = np.zeros((_ROW, GROUP * OVERSAMPLE), np.float32)
    for sample in range(GROUP):
        toeplitz[sample:sample + _SPAN, OVERSAMPLE * sample:OVERSAMPLE * (sample + 1)] = matrix
    return toeplitz


def _edge_rows(samples: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The input rows of ``groups`` whose row reaches past the signal's ends, zeros there."""
    rows = np.zeros((groups.size, _ROW), np.float32)
    for row, group in zip(rows, groups.tolist(), strict=True):
        first = group * GROUP - HALF_TAPS
        lo, hi = max(first, 0), min(first + _ROW, samples.size)
        row[lo - first:hi - first] = samples[lo:hi]
    return rows


def _row_peaks(rows: np.ndarray) -> np.ndarray:
    """(groups, 16): per sample of each row's group, the largest |value| of its 4 phases."""
    values = rows @ _group_matrix()
    np.abs(values, out=values)
    # Phase by phase: ``max(axis=...)`` over 4 values runs numpy's slow small-axis reduction.
    peaks = np.maximum(values[:, 0::OVERSAMPLE], values[:, 1::OVERSAMPLE])
    for phase in range(2, OVERSAMPLE):
        np.maximum(peaks, values[:, phase::OVERSAMPLE], out=peaks)
    return peaks


def group_peaks(samples: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """(``groups.size``, 16) float32: for each sample of the sorted ``groups``, the largest |value|
    of its 4 oversampled points, as interpolating the whole signal (zeros past its ends) gives
    them (to float32 rounding); columns past the signal's end are 0."""
    samples = samples.astype(np.float32, copy=False)
    out = np.zeros((groups.size, GROUP), np.float32)
    # Rows wholly inside the signal are a strided view of it (row r starts at 16 (r + 1) - 10),
    # so only the first group and the last two or three need zeros past the ends.
    inside = (groups >= 1) & (groups * GROUP + GROUP + HALF_TAPS <= samples.size)
    if samples.size >= _ROW + GROUP - HALF_TAPS:
        rows = np.lib.stride_tricks.sliding_window_view(samples[GROUP - HALF_TAPS:], _ROW)[::GROUP]
        at = np.flatnonzero(inside)
        for start in range(0, at.size, _GROUP_BATCH):
            chosen = at[start:start + _GROUP_BATCH]
            out[chosen] = _row_peaks(rows[groups[chosen] - 1])
    else:
        inside[:] = False
    edges = np.flatnonzero(~inside)
    if edges.size:
        out[edges] = _row_peaks(_edge_rows(samples, groups[edges]))
    past_end = groups.size and groups[-1] * GROUP + GROUP - samples.size
    if past_end > 0:  # the last group is partial: its columns past the end are no samples
        out[-1, GROUP - past_end:] = 0.0
    return out


def true_peak_db(samples: np.ndarray) -> float:
    """True peak in dBTP (4x oversampled); -inf for silence.

    The samples themselves (phase 0 is the sample times 1.0006) give a floor; only groups of
    samples whose neighbourhood could interpolate to more than it are interpolated: exact, not
    guessed.
    """
    if samples.size == 0:
        return float("-inf")
    matrix, _ = _interpolator()
    magnitudes = np.abs(samples.astype(np.float32, copy=False))
    largest = group_maxima(magnitudes)
    peak = float(largest.max()) * float(matrix[HALF_TAPS, 0])
    if peak <= 0:
        return float("-inf")
    candidates = np.flatnonzero(group_bounds(magnitudes, largest) > peak)
    if candidates.size:
        peak = max(peak, float(group_peaks(samples, candidates).max()))
    return float(20 * np.log10(peak))


class Envelope:
    """A sound's true-peak envelope, made exact where asked: per sample, the largest oversampled
    |value| between it and the next one (float32); elsewhere the sample's own magnitude."""

    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples
        self.values = np.abs(samples.astype(np.float32, copy=False))
        self.sample_maxima = group_maxima(self.values)
        """Per group, its largest sample magnitude (a coarse envelope: none of it interpolated)."""
        self.bound = group_bounds(self.values, self.sample_maxima)
        """Per group of samples, a bound on any value its interpolation can give."""
        self.done = np.zeros(self.bound.size, bool)
        """Per group, whether its samples' values are exact."""

    def over(self, floor: float) -> np.ndarray:
        """The envelope, exact wherever it can exceed ``floor``."""
        groups = np.flatnonzero((self.bound > floor) & ~self.done)
        if groups.size:
            peaks = group_peaks(self.samples, groups)
            whole = self.values.size // GROUP
            grid = self.values[:whole * GROUP].reshape(whole, GROUP)
            full = groups[groups < whole]
            # Values made exact are never below the samples' magnitudes: still an upper bound.
            grid[full] = np.maximum(grid[full], peaks[:full.size])
            if full.size < groups.size:  # the last, partial group
                tail = self.values[whole * GROUP:]
                np.maximum(tail, peaks[-1, :tail.size], out=tail)
            self.done[groups] = True
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
    are computed, laid end to end.  No context is needed around them: a stretch begins and ends
    with ``2 half`` samples that need no limiting (1), so a window that reads past its end into
    the next stretch's first ``half`` samples reads 1s, as it would in the whole signal (the
    running minimum is 1 more than ``half`` samples from a peak); only the signal's own ends are
    padded, as the whole signal's are.
    """
    scale32, ceiling32 = np.float32(scale), np.float32(ceiling)
    over = _over(peaks, scale32, ceiling32)
    if over.size == 0:
        return None
    reach = 2 * half
    # Peaks closer than that share one stretch, so no sample's gain is counted twice and stretches
    # are far enough apart for the 1s at their ends to stand for what lies between them.
    breaks = np.flatnonzero(np.diff(over) > 2 * reach) + 1
    firsts = np.maximum(over[np.concatenate([[0], breaks])] - reach, 0)
    ends = np.minimum(over[np.concatenate([breaks - 1, [over.size - 1]])] + reach + 1, peaks.size)
    positions = _ranges(firsts, ends)
    needed = peaks[positions] * scale32
    np.maximum(needed, np.float32(1e-12), out=needed)
    np.divide(ceiling32, needed, out=needed)
    np.minimum(needed, np.float32(1.0), out=needed)
    return LimiterCurve(peaks.size, positions, running_mean(running_min(needed, 2 * half + 1), 2 * half + 1))
