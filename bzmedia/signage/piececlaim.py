"""Claims on loop pieces, so two workers that miss the same piece at once encode it once.

Workers share the store.  When a shared slide changes, every commune's loop of a size needs the
same new crossfades, and the two workers of a build, each making a commune of that size, missed
them at the same moment and each encoded them (measured: one word changed in a 6-commune kit of
one size, 48 x264 frames instead of 24; a cold build encoded 5 of its first 23 pieces twice).

A worker about to encode pieces first *claims* each one: it creates ``.<entry>.claim`` beside the
piece's store entry, exclusively, naming itself (pid, the process's start time and the host, as
the kit's build lock does, :mod:`bzmedia.kitlock`, so it works on Windows too).  It encodes what
it claimed, files it and removes its claims; the pieces another live worker claimed it waits for
and reads from the store.  A claim never blocks a build:

- a claim whose process is gone (killed mid-encode) is stale: taken over, or no longer waited on;
- a claimer that lives but does not file its pieces within the bound its own encode run of them
  has (the ``bound`` given to :func:`encode_once`: past it, ffmpeg is killed anyway) is stopped or
  stuck: it is waited on no longer, and the waiter encodes the pieces itself, which gives the same
  bytes (a piece's bytes depend only on its key);
- a claim that cannot be made (a read-only or odd cache) means encoding the piece unclaimed.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bzmedia.kitlock import holder_running, host_name, read_holder, write_holder

if TYPE_CHECKING:
    from bzmedia.cache import Store
    from bzmedia.signage.video import Piece

Encoder = Callable[[list["Piece"]], tuple[int, dict[str, Path]]]
"""Encodes pieces and files them in the store: (ffmpeg runs, stored file by key)."""
Bound = Callable[[list["Piece"]], float]
"""Seconds an encode run of these pieces may take before it is killed."""

POLL_SECONDS = 0.05
"""How often a waiter looks for the pieces it waits on (a stat each): a claimed piece takes
about a second to encode at 1080p, so this adds at most a few percent to the wait."""


def claim_path(entry: Path) -> Path:
    """Where the claim on the store entry ``entry`` lives (beside it, hidden like its lock)."""
    return entry.with_name(f".{entry.name}.claim")


def claim(path: Path) -> bool | None:
    """Claim the entry whose claim file is ``path``: True claimed (release it with
    :func:`release`), False a live process holds it, None no claim can be made (encode anyway)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    for _attempt in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if held_by_another(path):
                return False
            with contextlib.suppress(OSError):
                path.unlink()  # stale: its process died (or it is this process's own leftover)
            continue
        except OSError:
            return None
        try:
            write_holder(fd)
        except OSError:
            release(path)
            return None
        return True
    return None


def release(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def held_by_another(path: Path) -> bool:
    """Whether the claim ``path`` exists and belongs to another live process.

    A claim is written just after it is created: one still empty and younger than
    :data:`~bzmedia.kitlock.FRESH_SECONDS` is being written, so it counts as held.
    """
    holder = read_holder(path)
    if holder is None:
        return True  # being written by its claimer
    if holder.get("pid") == os.getpid() and holder.get("host") == host_name():
        return False  # left by an earlier job of this very process (it cannot be waiting on itself)
    return holder_running(holder)


def wait_for(waiting: dict[str, Path], filed: Callable[[str], Path | None],
             seconds: float) -> tuple[dict[str, Path], list[str]]:
    """Wait until each key of ``waiting`` (key -> its claim file) is filed (``filed(key)`` gives
    its stored path) or its claim is released or stale, at most ``seconds``; the pieces found
    by key, and the keys to encode here (released unfiled, stale, or waited on too long).

    Each round looks at each pending key once: its stored file, and only if it has none, its
    claim (a read, a stat and a process check).  A key whose claim is gone or stale and which
    is still not filed leaves the wait for good: nobody is making it.
    """
    found: dict[str, Path] = {}
    pending = dict(waiting)
    deadline = time.monotonic() + seconds
    while pending:
        for key, path in list(pending.items()):
            stored = filed(key)
            if stored is None:
                if held_by_another(path):
                    continue  # still being made
                stored = filed(key)  # filed just before the claim was released
            if stored is not None:
                found[key] = stored
            del pending[key]  # found, or released unfiled (a failed run) or stale: encoded here
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(POLL_SECONDS)
    return found, [key for key in waiting if key not in found]


def encode_once(missing: list[Piece], store: Store, encode: Encoder,
                bound: Bound) -> tuple[int, dict[str, Path], int]:
    """Encode (with ``encode``) the ``missing`` pieces no other worker is encoding right now, and
    wait for those another one is, at most ``bound(their pieces)`` seconds (what the claimer's own
    run of them may take); the ffmpeg runs, the stored file of each piece by key, and how many
    pieces this process encoded."""
    claims = {piece.key: claim_path(store.path_for(piece.key, ".h264")) for piece in missing}
    taken = {key: claim(path) for key, path in claims.items()}
    mine = [piece for piece in missing if taken[piece.key] is not False]
    theirs = [piece for piece in missing if taken[piece.key] is False]
    runs, filed = 0, {}
    try:
        if mine:
            runs, filed = encode(mine)
    finally:
        for key, held in taken.items():
            if held:
                release(claims[key])
    if not theirs:
        return runs, filed, len(mine)
    found, left = wait_for({piece.key: claims[piece.key] for piece in theirs},
                           lambda key: store.get(key, ".h264"),
                           bound(theirs))
    filed.update(found)
    rest = [piece for piece in theirs if piece.key in left]  # its claimer died, failed or stalled
    if rest:
        more_runs, more = encode(rest)
        runs += more_runs
        filed.update(more)
    return runs, filed, len(mine) + len(rest)
