"""A spot whose sound is the same in every commune (a text that names none) is made once per worker.

A spot's file, apart from its ID3 tags, comes from its inputs minus the few that only go into the
tags (the commune, its play order, titles): the pipeline gives the same bytes for the same inputs
whatever ran before it (a kit's bytes never depend on its cache history), so the encoded file and
its measurement (the decoded file, measured: it is those very bytes) are kept and the next commune
only writes them under its own tags.  A worker takes the same spot of one commune after another
(longest first across communes), so a few entries are enough.

Only spots made from the script's text alone are kept: a spot with a sound file of the user's
(intro, music bed, recording) is keyed by its path, whose contents could change between two
builds in one process.  A spot spoken by a fallback voice is not kept either: the next commune
tries the first voice again, as it would without this.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import OrderedDict
from pathlib import Path

from bzmedia.audio.export import Measured
from bzmedia.audio.script import SpotInputs
from bzmedia.lru import keep_within, recent
from bzmedia.tts.base import VoiceSettings

MADE_BYTES = 8 << 20
"""Encoded spots a worker keeps: 8 MB, four two-minute MP3s at 128 kb/s."""
_made: OrderedDict[str, Made] = OrderedDict()
hits = 0
"""Spots this process wrote from a kept file (the tests read it)."""


@dataclasses.dataclass(frozen=True)
class Made:
    """A spot's exported file before its tags, what it measured, who spoke it."""

    untagged: bytes
    measured: Measured
    voice: VoiceSettings
    syllables: int


def sound_key(inputs: SpotInputs, store_root: str) -> str | None:
    """What makes a spot's file apart from its tags (and the phrase cache it was spoken from), or
    ``None`` when a file of the user's goes into it."""
    if isinstance(inputs.intro, Path) or inputs.music_bed is not None or inputs.recording is not None:
        return None
    # Every field but those that only tag the file: one added later is in the key by default.
    sound_only = dataclasses.replace(inputs, locality_id="", locality_name="", order=0, total=0,
                                     spot_id="", title="", album="", artist="", year=None)
    return hashlib.sha256(repr((sound_only, store_root)).encode()).hexdigest()


def made(key: str | None) -> Made | None:
    """The kept file for ``key``, or ``None``."""
    global hits
    found = recent(_made, key) if key is not None else None
    hits += found is not None
    return found


def keep(key: str | None, spot: Made) -> None:
    if key is not None:
        keep_within(_made, key, spot, MADE_BYTES, lambda kept: len(kept.untagged))
