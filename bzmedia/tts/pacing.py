"""Keep a distance between requests to an online service across every worker process of a build.

Each worker of the process pool has its own connection; throttling inside one process would let
N workers send N times as often, which is what gets an IP address rate-limited (HTTP 429).  So the
workers share one small file in the cache folder holding the time the next request may go out:
a request takes the next free slot under a short lock and sleeps until its slot comes.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from bzmedia.cache import atomic_write

MAX_QUEUE_S = 120.0
"""A free slot further ahead than this is not a queue but a clock that went backwards."""
STALE_LOCK_S = 5.0
"""A lock older than this was left by a process that died holding it (it is held microseconds)."""


@contextlib.contextmanager
def file_mutex(path: Path) -> Iterator[None]:
    """Exclusive across processes and threads: whoever creates ``path`` holds the lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            with contextlib.suppress(FileNotFoundError):
                if time.time() - path.stat().st_mtime > STALE_LOCK_S:
                    path.unlink()
            time.sleep(0.002)
            continue
        os.close(fd)
        break
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


class SharedPacer:
    """Hands out request times at least ``interval`` seconds apart to every process using ``path``."""

    def __init__(self, path: Path, interval: float) -> None:
        self.path = path
        self.interval = interval

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
        delay = self.claim() - time.time()
        if delay > 0:
            time.sleep(delay)
