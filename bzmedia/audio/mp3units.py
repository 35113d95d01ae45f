"""An MP3 spot joined from stretches encoded one at a time, so what communes say alike is encoded once.

Communes' spots differ in a few sentences (the commune's name, its station, its hotline); the
rest are the same samples: the same sentences, the same gain (on a 0.2 dB grid,
:data:`bzmedia.audio.loudness.GAIN_STEP_DB`), limited stretch by stretch
(:func:`bzmedia.audio.loudness.limit_stretches`).  LAME took half of a commune's audio CPU,
so the spot is cut into *units* where the sound starts again after a pause (at least
:data:`UNIT_GAP_S` of digital silence), each unit is encoded by a LAME of its own, and a unit
whose samples this worker encoded before (another commune's, or the same sentence said again
when a spot repeats its text) is not encoded again: its frames are kept.  A unit that a second
spot needed is also filed in the cache, so the next build (a commune added) finds what every
commune says already encoded; a commune's own units, needed by one spot, are not filed.

Joining needs no decoder tricks.  A unit's first frame has no bits in the reservoir to borrow
(LAME starts a stream that way), so the frames concatenate; a unit of ``m`` samples becomes
``F = ceil((m + 1152) / 1152)`` frames: 576 samples of encoder delay, the unit, then padding.
In the joined stream that delay and padding fall into the unit's own trailing silence: each unit
but the last is cut to ``F * 1152 - 1152`` samples with ``F`` its length in frames rounded to
the nearest, so after it the next unit starts within half a frame (13 ms at 44.1 kHz) of where it stood,
and its pause is that much longer or shorter.  Only the first delay and the last padding are
left for players to drop (the Info tag says them), so the file decodes to exactly
:attr:`Spliced.length` samples.  The cut depends on the unit's own samples only, so a unit said
by every commune is cut, encoded and kept the same way everywhere: a kit's bytes never depend on
which commune a worker made first.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bzmedia.cache import Store
from bzmedia.errors import BuildError
from bzmedia.lru import keep_within, recent
from bzmedia.tts.pcm import stretches

FRAME_SAMPLES = 1152
"""Samples in one MPEG-1 layer III frame."""
UNIT_GAP_S = 0.1
"""Digital silence after which a new unit starts: far more than the 1,728 samples a cut needs
(encoder delay 576, least padding 576, rounding up to 576), far less than the script's pauses
(0.5 s after a sentence, 1.2 s after a paragraph), so every sentence is a unit of its own."""
KEPT_BYTES = 8 << 20
"""Encoded units a worker keeps: 8 MB, about eight minutes of speech at 128 kb/s; a worker makes
the same spot for one commune after another, so the shared units are always recent."""
_kept: OrderedDict[str, tuple[bytes, int]] = OrderedDict()
"""Encoded units by key, and the spot of this process they were made for (or :data:`FILED`)."""
hits = 0
"""Units this process took from :data:`_kept` instead of encoding (the tests read it)."""


@dataclass(frozen=True)
class Unit:
    start: int
    """First sample of the unit in the spot."""
    size: int
    """Samples encoded (the unit cut to whole frames, its trailing silence shortened)."""
    frames: int | None
    """Frames it must give; ``None`` for the last unit (LAME pads it as it likes)."""


@dataclass(frozen=True)
class Spliced:
    frames: bytes
    length: int
    """Samples the joined stream decodes to, once the first delay and the last padding are dropped."""
    units: int
    reused: int


def units(pcm: np.ndarray, rate: int) -> list[Unit]:
    """The spot ``pcm`` (16-bit) cut where sound starts again after :data:`UNIT_GAP_S` of zeros."""
    gap = max(round(UNIT_GAP_S * rate), 2 * FRAME_SAMPLES)
    starts, _ = stretches(pcm != 0, gap)
    cuts = [0, *starts[1:].tolist(), pcm.size]
    found = []
    for start, end in itertools.pairwise(cuts[:-1]):
        frames = max(2, round((end - start) / FRAME_SAMPLES))
        # At least ``gap`` zeros end the unit, and the cut takes at most 1,728 of them.
        found.append(Unit(start, frames * FRAME_SAMPLES - FRAME_SAMPLES, frames))
    found.append(Unit(cuts[-2], cuts[-1] - cuts[-2], None))
    return found


def encode_spliced(pcm: np.ndarray, rate: int, settings: tuple,
                   encode: Callable[[np.ndarray, int | None], bytes], count: Callable[[bytes], int],
                   store: Store | None = None) -> Spliced:
    """``pcm`` as MP3 frames joined from its :func:`units`: ``encode(samples, frames)`` makes a
    unit's frames (a LAME of its own, flushed; it raises if they are not ``frames``, when given),
    ``count`` counts a stored unit's; ``settings`` (bitrate, quality, encoder) key the units
    with their samples.  A unit is taken from what this worker kept, else from ``store``."""
    global hits
    joined, length, reused = [], 0, 0
    spot = next(_spots)
    pieces = units(pcm, rate)
    for unit in pieces:
        part = pcm[unit.start:unit.start + unit.size]
        key = unit_key(part, rate, settings, last=unit.frames is None)
        kept = recent(_kept, key)
        if kept is not None:
            frames, made_for = kept
            if made_for not in (spot, FILED):
                _file(store, key, frames)  # said in two spots: worth keeping for the next build
            hits += 1
            reused += 1
        else:
            frames = _stored(store, key, unit.frames, count)
            reused += frames is not None
            made_for = FILED if frames is not None else spot
            if frames is None:
                frames = encode(part, unit.frames)
            keep_within(_kept, key, (frames, made_for), KEPT_BYTES, lambda kept: len(kept[0]))
        joined.append(frames)
        length += unit.size if unit.frames is None else unit.frames * FRAME_SAMPLES
    return Spliced(b"".join(joined), length, len(pieces), reused)


def unit_key(part: np.ndarray, rate: int, settings: tuple, last: bool) -> str:
    """What makes a unit's frames: its samples, their rate, the encoder's settings, and whether
    it ends the spot (LAME pads the last unit as it likes)."""
    digest = hashlib.sha256(repr((settings, rate, part.size, last)).encode())
    digest.update(np.ascontiguousarray(part))  # the samples themselves, not a bytes copy
    return digest.hexdigest()


FILED = -1
"""A kept unit that is in the store already (made for no spot of this process)."""
_spots = itertools.count()


def _file(store: Store | None, key: str, frames: bytes) -> None:
    """File a unit that a second spot needed, and remember it is filed (or tried).  Only a speed-up
    for the next build: a cache that cannot take it (read-only, moved to a temporary folder, a
    full disk) is not asked, or not moved, and never fails this build."""
    if store is not None and store.root == store.configured and os.access(store.root, os.W_OK):
        with contextlib.suppress(OSError, BuildError), store.put(key, SUFFIX) as temp:
            temp.write_bytes(frames)
    _kept[key] = (frames, FILED)


def _stored(store: Store | None, key: str, frames: int | None,
            count: Callable[[bytes], int]) -> bytes | None:
    """The unit filed under ``key``, or ``None`` (also when it is not the frames it must be: dropped)."""
    path = store.get(key, SUFFIX) if store is not None else None
    if path is None:
        return None
    try:
        data = path.read_bytes()
        if frames is None or count(data) == frames:
            return data
    except (OSError, ValueError, RuntimeError):  # RuntimeError: not whole frames
        pass
    store.drop(key, SUFFIX)
    return None


SUFFIX = ".mp3unit"
