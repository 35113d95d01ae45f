"""Keep a distance between requests to an online service across every worker process of a build.

Each worker of the process pool has its own connection; throttling inside one process would let
N workers send N times as often, which is what gets an IP address rate-limited (HTTP 429).  So the
workers share one small file in the cache folder holding the time the next request may go out:
a request takes the next free slot under a short lock and sleeps until its slot comes.
"""

from __future__ import annotations

import time
from pathlib import Path

from bzmedia.cache import atomic_write, file_mutex

MAX_QUEUE_S = 120.0
"""A free slot further ahead than this is not a queue but a clock that went backwards."""


class SharedPacer:
    """Hands out request times at least ``interval`` seconds apart to every process using ``path``."""

    def __init__(self, path: Path, interval: float) -> None:
        self.path = path
        self.interval = interval
        self._local_next = 0.0

    def claim(self) -> float:
        """Reserve the next free slot; returns its wall-clock time (not before now)."""
        with file_mutex(self.path.with_name(self.path.name + ".lock")):
            now = time.time()
            try:
                next_free = float(self.path.read_text(encoding="ascii"))
            except (OSError, ValueError):
                next_free = 0.0  # no file yet (or garbage): nobody is waiting
            if next_free > now + MAX_QUEUE_S:
                next_free = now  # the clock was set back since that slot was written
            slot = max(now, next_free)
            atomic_write(self.path, f"{slot + self.interval:.6f}")
        return slot

    def wait_turn(self) -> None:
        """Sleep until this caller's slot comes."""
        try:
            slot = self.claim()
        except OSError:  # the cache folder cannot be written: keep the distance in this process
            slot = max(time.time(), self._local_next)
            self._local_next = slot + self.interval
        delay = slot - time.time()
        if delay > 0:
            time.sleep(delay)
