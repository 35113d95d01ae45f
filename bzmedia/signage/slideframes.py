"""Slide pictures a worker keeps already converted for the encoder (raw yuv420p frames).

Every encode run decodes each of its slides from PNG and converts it to the encoder's colours:
~200 M instructions (~45 ms) a 1080p slide, where reading the converted frame from a file costs
next to nothing.  A worker making one commune after another meets the same shared slides in
every run (the slides just before and after the commune's own, into and out of which it fades),
so it keeps the frames of the slides its runs converted, the most recently used first, and
later runs read those instead of the PNGs.  A piece's bytes do not change: the frame is the very
one the conversion gives (a test checks the pieces are the same bytes).

Frames are kept in memory (3.1 MB a 1080p slide, :data:`KEPT_BYTES` at most), not in the store:
most slides of a kit name their commune and are met once, and the store would keep them for good.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

KEPT_BYTES = 26_000_000
"""What a worker's kept frames may take: eight 1080p slides (the shared neighbours of both sizes
of a kit and the newest others), two at 4K."""

_FRAMES: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()


def frame_size(width: int, height: int) -> int:
    """Bytes of one yuv420p frame (even sizes: a full luma plane, two quarter chroma planes)."""
    return width * height * 3 // 2


def kept_frame(digest: str, width: int, height: int) -> bytes | None:
    """The kept frame of the slide whose PNG has sha256 ``digest`` at that size, or None."""
    key = (digest, width, height)
    found = _FRAMES.get(key)
    if found is not None:
        _FRAMES.move_to_end(key)
    return found


def keep_frame(digest: str, width: int, height: int, path: Path) -> None:
    """Keep the frame an encode run wrote to ``path`` (ignored unless it is exactly one frame)."""
    try:
        data = path.read_bytes()
    except OSError:
        return
    if len(data) != frame_size(width, height):
        return
    _FRAMES[(digest, width, height)] = data
    _FRAMES.move_to_end((digest, width, height))
    while sum(len(frame) for frame in _FRAMES.values()) > KEPT_BYTES:
        _FRAMES.popitem(last=False)


def forget_frames() -> None:
    """Drop every kept frame (tests; a worker never needs to)."""
    _FRAMES.clear()
