"""Loudness per ITU-R BS.1770 and a true-peak limiter, in small blocks of memory.

Every spot of a kit is brought to one integrated loudness (default -16 LUFS) so an operator never
touches the volume between spots, and its true peak (the peak between samples, found by 4x
oversampling as BS.1770 Annex 2 describes) stays under a ceiling (default -1.5 dBTP) so FM
transmitters and MP3 decoders do not clip.  Speech has a high peak-to-loudness ratio, so the
gain that reaches -16 LUFS usually pushes peaks over the ceiling: a look-ahead limiter pulls those
few peaks down.

Both measurements work block by block so memory stays small whatever a spot's length (a 4x
oversampled float64 copy of a two-minute spot alone was 160 MB):

- loudness uses pyloudnorm's K-weighting filters (the BS.1770 ones, from :mod:`bzmedia.audio.iir`),
  run in chunks with their state carried over, and its gating (400 ms blocks, 75 % overlap,
  -70 LUFS absolute and -10 LU relative gates), vectorized: the same number as
  ``pyloudnorm.Meter.integrated_loudness``;
- true peak interpolates only the samples that could reach the level asked about, each with the
  filter's context on both sides, so the result is the same as interpolating the whole signal
  (:mod:`bzmedia.audio.truepeak`).

Gain is linear, so a sound's loudness after a gain is known without measuring it again
(``lufs(g * x) = lufs(x) + 20 log10 g``): callers measure once and compute the rest.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from bzmedia.audio import iir, truepeak
from bzmedia.audio.truepeak import LimiterCurve, limiter_curve
from bzmedia.tts.pcm import Sound, stretches

SILENCE_LUFS = -70.0
"""What a silent or too-short sound measures as (BS.1770's absolute gate)."""
GATE_BLOCK_S = 0.4
GATE_STEP = 0.25
"""Gating blocks of 400 ms, each starting 100 ms after the previous one (75 % overlap)."""

_FILTER_CHUNK = 1 << 18
"""Samples K-weighted at a time (2 MB of float64)."""

GAIN_STEP_DB = 0.2
"""The normalizer's gain is a multiple of 0.2 dB: at most 0.1 dB from the exact one (the
example's spots measure -16.03 to -15.95 LUFS for -16), and the gains of spots that differ in a
sentence or two fall on the same step."""
MAX_LIMIT_DB = 20.0
"""The normalizer tries no more gain than this past the unlimited gain to the target: a spot that
needs more limiting than that is unreachable (the voice would be crushed)."""

measurements = 0
"""Integrated-loudness measurements made by this process (the benchmark counts them)."""


@functools.cache
def _k_weighting(rate: int) -> tuple[np.ndarray, float]:
    """(second-order sections, gain) of BS.1770's K-weighting at ``rate``, as pyloudnorm has them."""
    return iir.k_weighting(rate)


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
    sos, gain = _k_weighting(sound.rate)
    state = np.zeros((sos.shape[0], 2))
    for start in range(0, sound.samples.size, _FILTER_CHUNK):
        weighted, state = iir.sosfilt(sos, sound.samples[start:start + _FILTER_CHUNK], state)
        yield weighted if gain == 1.0 else gain * weighted  # pyloudnorm's gain is 1: no copy


def k_weighted32(sound: Sound) -> np.ndarray:
    """The whole K-weighted signal as float32 (filtered in float64, chunk by chunk)."""
    out = np.empty(sound.samples.size, np.float32)
    start = 0
    for chunk in _k_weighted(sound):
        out[start:start + chunk.size] = chunk
        start += chunk.size
    return out


def _squares32(weighted: np.ndarray) -> Iterator[np.ndarray]:
    """Squares (float64) of a float32 weighted signal, a chunk at a time."""
    for start in range(0, weighted.size, _FILTER_CHUNK):
        yield np.square(weighted[start:start + _FILTER_CHUNK], dtype=np.float64)


def _edge_sums(squares: Iterable[np.ndarray], edges: np.ndarray) -> np.ndarray:
    """Sum of ``squares`` (given chunk after chunk) before each of ``edges`` (sorted sample indices)."""
    # Sums between consecutive edges (one pass, no running sum per sample), then their running total.
    sums = np.zeros(edges.size)
    start, total = 0, 0.0
    for chunk in squares:
        stop = start + chunk.size
        lo, hi = np.searchsorted(edges, [start, stop], side="right")  # edges in (start, stop]
        cuts = edges[lo:hi] - start
        inner = cuts[cuts < chunk.size]
        pieces = np.add.reduceat(chunk, np.concatenate([[0], inner]), dtype=np.float64)
        running = total + np.cumsum(pieces)
        sums[lo:lo + inner.size] = running[:inner.size]
        total = float(running[-1])
        sums[lo + inner.size:hi] = total  # an edge at the chunk's very end
        start = stop
    return sums


class _Gating:
    """A sound's gating blocks, by the sorted sample indices where blocks start or end."""

    def __init__(self, length: int, rate: int) -> None:
        first, end = gating_blocks(length, rate)
        self.edges = np.union1d(first, end)
        self.at = np.searchsorted(self.edges, np.stack([first, end]))
        self.samples = GATE_BLOCK_S * rate

    def energies(self, sums: np.ndarray) -> np.ndarray:
        """Mean square in every block, from running sums at the edges."""
        return (sums[self.at[1]] - sums[self.at[0]]) / self.samples


def _energies(squares: Iterable[np.ndarray], length: int, rate: int) -> np.ndarray:
    """Mean of ``squares`` (given chunk after chunk) in every gating block of the sound."""
    gating = _Gating(length, rate)
    return gating.energies(_edge_sums(squares, gating.edges))


def _sparse_sums(positions: np.ndarray, values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Sum of ``values`` (at sorted sample ``positions``) before each of ``edges`` (in float64)."""
    if values.size == 0 or edges.size == 0:  # nothing to add, or a sound too short for a block
        return np.zeros(edges.size)
    before = np.searchsorted(positions, edges)  # how many values lie before each edge
    # Sums between the distinct counts, then their running total: a running sum per value (a
    # million of them for a limited two-minute spot) cost three times as much.
    counts = before[np.concatenate([[True], before[1:] != before[:-1]])]  # sorted: edges are
    ends = np.append(counts[(counts > 0) & (counts < values.size)], values.size)
    running = np.cumsum(np.add.reduceat(values, np.concatenate([[0], ends[:-1]]), dtype=np.float64))
    return np.where(before > 0, running[np.searchsorted(ends, before)], 0.0)


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


def true_peak_db(sound: Sound) -> float:
    """True peak in dBTP (4x oversampled); -inf for silence (see :mod:`bzmedia.audio.truepeak`)."""
    return truepeak.true_peak_db(sound.samples)


def windowed(filter1d, values: np.ndarray, width: int, out: np.ndarray | None = None) -> np.ndarray:
    """``filter1d(values, width)`` (a running filter with scipy.ndimage's ``mode="nearest"``
    edges, such as :func:`bzmedia.audio.truepeak.running_mean`), a chunk at a time: its float64
    sums over a whole spot would be 80 MB for two minutes.
    Each chunk takes ``width`` extra samples either side, so the window never leaves it.
    ``out`` (not ``values``) receives the result when given."""
    if out is None:
        out = np.empty_like(values)
    if values.size <= 2 * _FILTER_CHUNK:
        out[:] = filter1d(values, width)
        return out
    for start in range(0, values.size, _FILTER_CHUNK):
        lo, hi = max(start - width, 0), min(start + _FILTER_CHUNK + width, values.size)
        done = filter1d(values[lo:hi], width)
        out[start:start + _FILTER_CHUNK] = done[start - lo:start - lo + _FILTER_CHUNK]
    return out


LIMITER_WINDOW_S = 0.004
"""How far ahead (and behind) the limiter sees a peak coming: 4 ms, no audible pumping."""


def limit_true_peak(sound: Sound, ceiling_db: float, window_s: float = LIMITER_WINDOW_S) -> Sound:
    """``sound`` with every true peak pulled under ``ceiling_db``, smoothly, stretch by stretch as a
    spot's own limiter does (:func:`limit_stretches`); the same object if none is over."""
    samples = sound.samples.astype(np.float32)  # a copy, limited in place
    limited = limit_stretches(samples, sound.rate, np.float32(10 ** (ceiling_db / 20)),
                              max(1, round(window_s * sound.rate)))
    return Sound(samples, sound.rate) if limited else sound


def apply_gain(sound: Sound, decibels: float) -> Sound:
    return Sound((sound.samples * np.float32(10 ** (decibels / 20))).astype(np.float32, copy=False),
                 sound.rate)


START_SLOPE = 0.57
"""Loudness gained per dB of gain, where the secant has no two points yet: speech limited by a
dB or two (0.51-0.62 measured on the example's spots)."""
COARSE_TOLERANCE = 0.002
"""How close the coarse model is solved (it costs little; its own error is about 0.01 LU)."""
_ENERGY_ROWS = 512
"""Groups summed in one matrix-vector product: 512 x 16 multiply-adds stay on the calling thread
(OpenBLAS starts threads from 9,216)."""


def group_energies(weighted: np.ndarray) -> np.ndarray:
    """Sum of the squares of ``weighted`` (float32) in each group of ``truepeak.GROUP`` samples
    (float64; the last group may be partial): a product with a row of ones, a third of the time
    of numpy's small-axis sum."""
    group = truepeak.GROUP
    whole = weighted.size // group
    out = np.empty(-(-weighted.size // group))
    rows, ones = weighted[:whole * group].reshape(whole, group), np.ones(group, np.float32)
    sums = out[:whole]
    for start in range(0, whole, _ENERGY_ROWS):
        sums[start:start + _ENERGY_ROWS] = np.square(rows[start:start + _ENERGY_ROWS]) @ ones
    if out.size > whole:
        out[whole] = np.square(weighted[whole * group:], dtype=np.float64).sum()
    return out


@dataclass
class Coarse:
    """A sound in groups of :data:`truepeak.GROUP` samples: per group its largest sample magnitude
    (the true peak is not interpolated) and the sum of its weighted squares; ``half``: the
    limiter's half window in groups."""

    peaks: np.ndarray
    energies: np.ndarray
    half: int


def secant(predict, target: float, gain: float, slope: float, tolerance: float, rounds: int,
           limit: float) -> tuple[float, float, float]:
    """(gain, ``predict(gain)``, the last slope): the secant on ``predict`` from ``gain`` (first
    step with ``slope``) until within ``tolerance`` of ``target``, ``rounds`` steps at most, no
    gain past ``limit`` (a target out of reach stops there)."""
    reached = predict(gain)
    previous: tuple[float, float] | None = None
    for _ in range(rounds):
        error = target - reached
        if abs(error) < tolerance or (error > 0 and gain >= limit):
            break
        previous = (gain, reached)
        gain = min(gain + error / slope, limit)
        reached = predict(gain)
        if gain != previous[0]:
            slope = min(1.0, max(0.05, (reached - previous[1]) / (gain - previous[0])))
    return gain, reached, slope


class LimitedLoudness:
    """The loudness of ``sound`` after any gain and the true-peak limiter, without measuring again.

    One K-weighting pass (the one measurement) and one peak envelope serve every gain tried.  The
    running sums of the weighted signal's squares at the gating blocks' edges are kept; a gain
    scales them, and the limiter changes them only where it acts, so a prediction adds up those
    few stretches (the limiter's gain curve changes slowly next to the K-weighting filters, so the
    weighted signal times the curve is the weighted limited signal to within a few thousandths of
    a LU: the tests hold it to 0.01 LU against a real measurement).
    """

    def __init__(self, sound: Sound, ceiling_db: float, weighted: np.ndarray | None = None) -> None:
        """``weighted``: the sound already K-weighted (float32), when the caller has it
        (:mod:`bzmedia.audio.filtered`); else it is weighted here."""
        global measurements
        measurements += 1
        self.sound = sound
        self.ceiling = np.float32(10 ** (ceiling_db / 20))
        self.gating = _Gating(sound.samples.size, sound.rate)
        self.weighted = k_weighted32(sound) if weighted is None else weighted
        self.sums = _edge_sums(_squares32(self.weighted), self.gating.edges)
        self.measurable = sound.seconds >= GATE_BLOCK_S and bool(np.any(sound.samples))
        self.level = gated_lufs(self.gating.energies(self.sums)) if self.measurable else SILENCE_LUFS
        self._peaks: truepeak.Envelope | None = None
        self._last_curve: tuple[tuple[float, int], LimiterCurve | None] | None = None

    def add(self, piece: Sound, at: int) -> None:
        """Mix ``piece`` into the sound (in place) from sample ``at`` on, and into its measurement.

        K-weighting is linear and time-invariant, so the weighted sum is the sum of the weighted
        parts: only the short piece is weighted (from rest, as the piece is silent before ``at``;
        it should end in silence so nothing of its filter tail is cut), and only the running sums
        past ``at`` change: the whole is not measured again.
        """
        end = min(at + piece.samples.size, self.sound.samples.size)
        part = Sound(piece.samples[:end - at], piece.rate)
        self.sound.samples[at:end] += part.samples
        before = np.square(self.weighted[at:end], dtype=np.float64)
        offset = at
        for chunk in _k_weighted(part):
            self.weighted[offset:offset + chunk.size] += chunk.astype(np.float32)
            offset += chunk.size
        change = np.square(self.weighted[at:end], dtype=np.float64) - before
        self.sums = self.sums + _sparse_sums(np.arange(at, end), change, self.gating.edges)
        self.measurable = self.sound.seconds >= GATE_BLOCK_S and bool(np.any(self.sound.samples))
        self.level = gated_lufs(self.gating.energies(self.sums)) if self.measurable else SILENCE_LUFS
        self._peaks = None
        self._last_curve = None

    def peaks(self, gain_db: float) -> np.ndarray:
        """The true-peak envelope at unit gain, exact wherever ``gain_db`` could take it over the
        ceiling.  Samples are interpolated once, when a gain first needs them; one left out stays
        under the ceiling at this gain either way, so the limiter does not depend on the order
        gains were tried in."""
        if self._peaks is None:
            self._peaks = truepeak.Envelope(self.sound.samples)
        return self._peaks.over(float(self.ceiling) / 10 ** (gain_db / 20))

    def limiter(self, gain_db: float, window_s: float = LIMITER_WINDOW_S) -> LimiterCurve | None:
        """The limiter's gain curve over the whole sound after ``gain_db`` (see
        :func:`bzmedia.audio.truepeak.limiter_curve`), or ``None`` when no peak is over.

        The last curve is kept: the secant may ask for the same gain again."""
        half = max(1, round(window_s * self.sound.rate))
        if self._last_curve is not None and self._last_curve[0] == (gain_db, half):
            return self._last_curve[1]
        self._last_curve = None  # let the last curve go before the next one is made (12 MB for 2 min)
        curve = limiter_curve(self.peaks(gain_db), 10 ** (gain_db / 20), float(self.ceiling), half)
        self._last_curve = ((gain_db, half), curve)
        return curve

    def predict(self, gain_db: float) -> float:
        """Loudness of the sound after ``gain_db`` and limiting."""
        curve = self.limiter(gain_db)
        if curve is None:
            return self.level + gain_db
        # In float32 (each term to 1e-7, summed in float64): no float64 copies of a million samples.
        change = np.square(self.weighted[curve.positions])
        change *= np.square(curve.gains) - np.float32(1.0)
        return self._changed_lufs(curve.positions, change, gain_db)

    def _changed_lufs(self, positions: np.ndarray, change: np.ndarray, gain_db: float) -> float:
        """Loudness after ``gain_db`` when the limiter changes the weighted squares by ``change``
        at the sorted sample ``positions``."""
        sums = self.sums + _sparse_sums(positions, change, self.gating.edges)
        return gated_lufs(self.gating.energies(sums) * 10 ** (gain_db / 10))

    def coarse_predict(self, coarse: Coarse, gain_db: float) -> float:
        """:meth:`predict` on 16-sample groups and sample peaks (:class:`Coarse`): a few
        hundredths of a LU off, for a twentieth of the work."""
        curve = limiter_curve(coarse.peaks, 10 ** (gain_db / 20), float(self.ceiling), coarse.half)
        if curve is None:
            return self.level + gain_db
        change = coarse.energies[curve.positions] * (np.square(curve.gains, dtype=np.float64) - 1.0)
        # Each group's change counted at its middle sample: the gating blocks' edges are 1,764
        # samples apart, so few groups straddle one.
        middles = curve.positions * truepeak.GROUP + truepeak.GROUP // 2
        return self._changed_lufs(np.minimum(middles, self.sound.samples.size - 1), change, gain_db)

    def normalize(self, target_lufs: float, tolerance: float = 0.01, rounds: int = 8,
                  in_place: bool = False) -> tuple[Sound, float]:
        """(the sound at ``target_lufs`` with its true peak under the ceiling, its loudness);
        ``in_place``: the model's own sound is scaled and limited, not a copy (see :meth:`apply`).

        Gain is linear, so the measured level gives the exact gain to the target; limiting then
        takes back part of it (the peaks it pulls down carry loudness too), so the secant on "gain
        in, loudness out after limiting" finds the gain, on predictions, not measurements.  It is
        found first on the coarse model (:meth:`coarse_predict`), then on exact predictions from
        there: the example's spots took 1.5 exact predictions each instead of 3.
        """
        if self.level <= SILENCE_LUFS:
            return self.sound, self.level
        first = target_lufs - self.level
        limit = first + MAX_LIMIT_DB
        start, _, slope = secant(functools.partial(self.coarse_predict, self.coarse()), target_lufs,
                                 first, START_SLOPE, COARSE_TOLERANCE, rounds, limit)
        gain, reached, slope = secant(self.predict, target_lufs, start, slope, tolerance, rounds, limit)
        # On a grid, so spots that differ in a sentence or two (communes) get the very same gain,
        # and the sentences they share the same samples (:mod:`bzmedia.audio.mp3units`).  What
        # the step changes is told by the secant's slope (exact where nothing is limited), not by
        # another prediction: the exported file is measured anyway.
        on_grid = round(gain / GAIN_STEP_DB) * GAIN_STEP_DB
        if on_grid != gain:
            unlimited = self.limiter(gain) is None  # the last prediction's curve, kept
            reached += (on_grid - gain) * (1.0 if unlimited else slope)
            gain = on_grid
        return self.apply(gain, in_place), reached

    def coarse(self) -> Coarse:
        """The sound in groups of 16 samples, for :meth:`coarse_predict`."""
        if self._peaks is None:
            self._peaks = truepeak.Envelope(self.sound.samples)
        half = max(1, round(LIMITER_WINDOW_S * self.sound.rate / truepeak.GROUP))
        return Coarse(self._peaks.sample_maxima, group_energies(self.weighted), half)

    def apply(self, gain_db: float, in_place: bool = False) -> Sound:
        """The sound after ``gain_db`` and limiting.  ``in_place`` when the caller made the sound
        for this model and wants it no more (a spot's mix): a fresh copy of a two-minute spot
        cost a hundredth of a second in page faults alone; the model is spent afterwards.

        The limiter is applied stretch by stretch (:func:`limit_stretches`): the same gains as the
        curve of the whole sound that :meth:`predict` used, to float rounding."""
        self._last_curve = None  # the predictions' curve: not used here (12 MB for two minutes)
        gain = np.float32(10 ** (gain_db / 20))
        if in_place and self.sound.samples.dtype == np.float32:
            gained = self.sound.samples
            gained *= gain  # the same float32 products as the copy's
        else:
            gained = (self.sound.samples * gain).astype(np.float32, copy=False)
        rate = self.sound.rate
        limit_stretches(gained, rate, self.ceiling, max(1, round(LIMITER_WINDOW_S * rate)))
        return Sound(gained, self.sound.rate)


def limit_stretches(samples: np.ndarray, rate: int, ceiling: np.float32, half: int) -> bool:
    """Pull every true peak of ``samples`` under ``ceiling`` (in place), each stretch of sound
    between two pauses on its own, as if it stood alone; whether any was over.

    The limiter's gain differs from 1 only within ``2 half`` samples of a peak, so a stretch
    with that much quiet (and the interpolation filter's reach) either side is limited exactly
    as the whole sound would be; but the whole sound's sums and 16-sample groups start at its
    first sample, so the same sentence said a little later came out a bit different in a few
    samples.  Alone, a stretch comes out the same wherever it stands: a sentence that every
    commune says is the same samples in every commune's spot.  Quiet is under a 16-bit step
    (:data:`QUIET`), so every pause that leaves 16-bit zeros (where :mod:`bzmedia.audio.mp3units`
    cuts) parts two stretches too, and so does any shorter one down to :data:`STRETCH_GAP_S`."""
    margin = 2 * half + 2 * truepeak.HALF_TAPS
    loud = samples >= QUIET
    loud |= samples <= -QUIET
    firsts, ends = stretches(loud, max(2 * margin, round(STRETCH_GAP_S * rate)))
    del loud
    limited = False
    for first, end in zip(firsts.tolist(), ends.tolist(), strict=True):
        stretch = samples[max(first - margin, 0):end + margin]
        curve = limiter_curve(truepeak.Envelope(stretch).over(float(ceiling)), 1.0, float(ceiling), half)
        if curve is not None:
            curve.apply(stretch)
            limited = True
    return limited


STRETCH_GAP_S = 0.05
"""Quiet that parts two stretches: the pauses between sentences (0.5 s and more), not the gaps
between words (a stretch costs its own envelope and curve: 238 of them in a two-minute spot
with 17 ms took 0.17 s)."""
QUIET = np.float32(2.0 ** -15)
"""What :func:`limit_stretches` counts as quiet: under one 16-bit step, far under any ceiling."""


def normalize(sound: Sound, target_lufs: float, ceiling_db: float) -> tuple[Sound, float]:
    """(``sound`` at ``target_lufs`` with its true peak under ``ceiling_db``, its loudness).

    Measured once (see :meth:`LimitedLoudness.normalize`); the exported file is measured again.
    """
    return LimitedLoudness(sound, ceiling_db).normalize(target_lufs)
