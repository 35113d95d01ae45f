"""A spot's horn high-pass and K-weighting, sentence by sentence: each sentence filtered once per worker.

Both filters are linear and time-invariant, so a spot's filtered signal is the sum of its pieces'
filtered responses, each started from rest at its place and carried on past the piece's end until
its ringing has died out (:func:`ring_samples`: to far below float32's resolution).  Most sentences
of a campaign are said in every commune (only the ident, the closing and a sentence or two name
the commune), and a worker takes the same spot of one commune after another (longest first), so
the responses of a sentence said by a second spot are kept (:data:`FILTERED_BYTES`, least recently
used out) and a commune pays the two filters only for its own sentences.  A sentence said by one
spot only (the one naming its commune) is not kept: it would only crowd out the shared ones.
The sum is the whole spot filtered in one pass to float32 rounding (the tests hold it to 1e-6 of
full scale).

A kept response is keyed by what makes the sentence's samples (the phrase cache's keys of its
phrases, in order, and the rate: see :func:`bzmedia.audio.render.sentence_key`) and by the
high-pass cutoff; a piece without a key (a recording) is filtered every time.
"""

from __future__ import annotations

import functools
from collections import Counter, OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from bzmedia.audio import iir
from bzmedia.audio.loudness import k_weighted32
from bzmedia.audio.mix import highpass
from bzmedia.lru import keep_within, recent, second_sight
from bzmedia.tts.pcm import Sound

FILTERED_BYTES = 16 << 20
"""Responses a worker keeps: 16 MB (8 bytes a sample: the high-passed and the K-weighted signal),
about 45 s of speech: the shared sentences of the example's longest spot are 30 s."""
SEEN_KEYS = 4096
"""Keys of sentences filtered once and not kept, remembered so their second use keeps them."""
RING_FLOOR = 1e-12
"""A response is cut where the filters' ringing has decayed below this (float32 resolves 6e-8)."""

_kept: OrderedDict[Hashable, tuple[np.ndarray, np.ndarray]] = OrderedDict()
_seen: OrderedDict[Hashable, None] = OrderedDict()
hits = misses = 0
"""Responses found kept and made, in this process (the tests and the benchmark read them)."""


@functools.cache
def ring_samples(cutoff_hz: float, rate: int) -> int:
    """Samples after a piece's end until both filters' response to it is below ``RING_FLOOR``.

    The slowest-decaying pole (largest radius ``r``) sets the tail: a response decays as ``r**n``
    (as ``n r**n`` for the K-weighting high-pass's double pole, hence half as long again)."""
    sections = [*(iir.butter_highpass(cutoff_hz, rate) if cutoff_hz > 0 else []),
                *iir.k_weighting(rate)[0]]
    radius = max(float(np.abs(np.roots([1.0, a1, a2])).max()) for *_, a1, a2 in sections)
    return int(np.ceil(1.5 * np.log(RING_FLOOR) / np.log(radius))) + 64


@dataclass
class Filtered:
    """A sentence whose responses this worker keeps, in place of its samples: its length, and the
    responses themselves (held, so a sentence made later in the same spot cannot push them out)."""

    size: int
    responses: tuple[np.ndarray, np.ndarray]


def kept(key: Hashable, cutoff_hz: float, rate: int) -> Filtered | None:
    """The kept responses of the sentence ``key`` at this cutoff and rate, or ``None``."""
    global hits
    found = recent(_kept, (key, float(cutoff_hz), rate))
    if found is None:
        return None
    hits += 1
    return Filtered(found[0].size - ring_samples(cutoff_hz, rate), found)


def responses(sound: Sound, key: Hashable | None, cutoff_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """(high-passed, K-weighted high-passed) float32 responses to ``sound`` from rest, each
    ``ring_samples`` longer than it; kept under ``key`` (when it has one) from its second use on."""
    global hits, misses
    full_key = None if key is None else (key, float(cutoff_hz), sound.rate)
    found = recent(_kept, full_key) if full_key is not None else None
    if found is not None:
        hits += 1
        return found
    misses += 1
    tail = ring_samples(cutoff_hz, sound.rate)
    padded = np.concatenate([sound.samples.astype(np.float32, copy=False), np.zeros(tail, np.float32)])
    passed = highpass(Sound(padded, sound.rate), cutoff_hz).samples
    made = (passed, k_weighted32(Sound(passed, sound.rate)))
    if full_key is not None and second_sight(_seen, full_key, SEEN_KEYS):
        keep_within(_kept, full_key, made, FILTERED_BYTES, _pair_bytes)
    return made


def _pair_bytes(pair: tuple[np.ndarray, np.ndarray]) -> int:
    return pair[0].nbytes + pair[1].nbytes


def filtered_mix(placed: list[tuple[int, Sound | Filtered, Hashable | None]], length: int, cutoff_hz: float,
                 rate: int) -> tuple[Sound, np.ndarray]:
    """(the pieces laid at their first samples and high-passed, the same K-weighted), both
    ``length`` samples of float32 at ``rate``; ``placed`` holds (first sample, piece, key) and
    may leave out silence; a piece may be its kept responses (:func:`kept`).  ``placed`` is
    emptied as it goes: each piece is let go once it is filtered, so a spot's pieces, its two
    filtered signals and a new sentence's responses are not all held at once."""
    global hits
    mix, weighted = np.zeros(length, np.float32), np.zeros(length, np.float32)
    # A sentence said again later in this spot is filtered once and held only until its last use:
    # holding every keyed sentence to the end would keep a whole spot's responses (40 MB for 2 min).
    uses_left = Counter(key for _, sound, key in placed
                        if key is not None and not isinstance(sound, Filtered))
    this_spot: dict[Hashable, tuple[np.ndarray, np.ndarray]] = {}
    placed.reverse()
    while placed:
        at, sound, key = placed.pop()
        if isinstance(sound, Filtered):
            passed, k_weighted = sound.responses
        elif key is not None and key in this_spot:
            passed, k_weighted = this_spot[key]
            hits += 1
        else:
            passed, k_weighted = responses(sound, key, cutoff_hz)
            if key is not None and uses_left[key] > 1:
                this_spot[key] = (passed, k_weighted)
        if key is not None and not isinstance(sound, Filtered):
            uses_left[key] -= 1
            if uses_left[key] == 0:
                this_spot.pop(key, None)
        del sound
        end = min(at + passed.size, length)
        mix[at:end] += passed[:end - at]
        weighted[at:end] += k_weighted[:end - at]
        del passed, k_weighted
    return Sound(mix, rate), weighted
