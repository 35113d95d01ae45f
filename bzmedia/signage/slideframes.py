"""Slide pictures a worker keeps already converted for the encoder (raw yuv420p frames).

Every encode run decodes each of its slides from PNG and converts it to the encoder's colours:
~200 M instructions (~45 ms) a 1080p slide, where reading the converted frame from a file costs
next to nothing.  A worker making one commune after another meets the same shared slides in
every run (the slides just before and after the commune's own, into and out of which it fades),
so it keeps the frame of a slide its runs convert a second time, the most recently used first,
and later runs read those instead of the PNGs.  A slide met once (a commune's own) is only noted
(:func:`seen_before`): keeping it would cost a 3-12 MB write and read-back a slide and push out
the shared neighbours (at 4K the bound holds two frames).  A piece's bytes do not change: the
frame is the very one the conversion gives (a test checks the pieces are the same bytes).

Frames are kept in memory (3.1 MB a 1080p slide, :data:`KEPT_BYTES` at most), not in the store:
most slides of a kit name their commune and are met once, and the store would keep them for good.

A slide the worker has just drawn (a commune's own, met once) for a job that makes a loop is held
as its picture until the job's encode run, which reads its RGB pixels from a raw file instead of
decoding its PNG (:func:`drawn_picture`): ~20 ms of ffmpeg's CPU a 1080p slide for ~8 ms of
Python's.  The job lets go of it once its loop is encoded.  The PNG decoder gives the very same
RGB pixels, so the pieces are the same bytes (a test checks it).
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from bzmedia.lru import keep_within, recent, second_sight

KEPT_BYTES = 26_000_000
"""What a worker's kept frames may take: eight 1080p slides (the shared neighbours of both sizes
of a kit and the newest others), two at 4K."""

SEEN_SLIDES = 4096
"""Slides converted once and not kept, remembered so their second conversion keeps them."""

DRAWN_BYTES = 40_000_000
"""What the pictures held between drawing and encoding may take (Pillow keeps 4 bytes a pixel):
the two own slides of a 1080p job (8.3 MB each); a 4K slide alone would be over and is not held."""

_FRAMES: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
_SEEN: OrderedDict[tuple[str, int, int], None] = OrderedDict()
_DRAWN: OrderedDict[str, object] = OrderedDict()


def frame_size(width: int, height: int) -> int:
    """Bytes of one yuv420p frame (even sizes: a full luma plane, two quarter chroma planes)."""
    return width * height * 3 // 2


def kept_frame(digest: str, width: int, height: int) -> bytes | None:
    """The kept frame of the slide whose PNG has sha256 ``digest`` at that size, or None."""
    return recent(_FRAMES, (digest, width, height))


def seen_before(digest: str, width: int, height: int) -> bool:
    """Whether a run of this worker converted this slide at that size before (so a run about to
    convert it again should keep its frame); notes this sight either way."""
    return second_sight(_SEEN, (digest, width, height), SEEN_SLIDES)


def keep_frame(digest: str, width: int, height: int, path: Path) -> None:
    """Keep the frame an encode run wrote to ``path`` (ignored unless it is exactly one frame)."""
    try:
        data = path.read_bytes()
    except OSError:
        return
    if len(data) != frame_size(width, height):
        return
    keep_within(_FRAMES, (digest, width, height), data, KEPT_BYTES, len, keep_newest=False)


def hold_drawn(digest: str, picture) -> None:
    """Hold ``picture`` (an RGB Pillow image, not changed afterwards), just drawn and filed as the
    PNG whose sha256 is ``digest``, for this job's encode run."""
    if picture.mode == "RGB":
        keep_within(_DRAWN, digest, picture, DRAWN_BYTES, _picture_bytes, keep_newest=False)


def drawn_picture(digest: str):
    """The held picture of the slide whose PNG has sha256 ``digest``, or None."""
    return recent(_DRAWN, digest)


def forget_drawn() -> None:
    """Let go of every held picture (a job's loop is encoded, or a job starts: what an earlier,
    failed one drew is not its own)."""
    _DRAWN.clear()


def _picture_bytes(picture) -> int:
    return picture.width * picture.height * 4


def forget_frames() -> None:
    """Drop every kept frame and every slide noted as seen (tests; a worker never needs to)."""
    _FRAMES.clear()
    _SEEN.clear()
    forget_drawn()
