"""PNGs written with one filter for every row: slides ("Up", zlib level 1) and the kit's chart
(no filter, level 3).

Pillow tries the five PNG filters on every row and keeps the best guess: at 1080p that choice
cost ~30 of its ~45 ms a slide (a level-0 save still took 37 ms).  A slide is flat colour and
text, where "Up" (each row minus the one above) does as well: files within 1 % of Pillow's at
the same zlib level, written in ~20 ms with numpy, and cheaper to decode (ffmpeg decodes a 1080p
slide in 125 instead of 154 M instructions; every encode run decodes each of its slides).  A
chart of flat bars needs no filter at all (:func:`bzmedia.kit.chart.chart_png`).

Neither signage nor the kit owns it: both write with it.  numpy is imported inside the function:
this module is only used where pictures are drawn.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from bzmedia.campaign.assets import PNG_SIGNATURE

NONE = 0
"""PNG filter type 0: the row's bytes as they are."""
UP = 2
"""PNG filter type 2: each byte minus the byte above it (the first row has none: type 0)."""


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(image, level: int, row_filter: int = UP, deflate=None) -> bytes:
    """``image`` (Pillow, any mode; written as 8-bit RGB) as PNG bytes at zlib ``level``, every
    row filtered with ``row_filter`` (:data:`UP` or :data:`NONE`); ``deflate(rows, level, row
    bytes)``, if given, makes the zlib stream instead of ``zlib.compress``."""
    import numpy as np

    if row_filter not in (NONE, UP):
        raise ValueError(f"PNG row filter {row_filter!r}: only {NONE} (none) and {UP} (up) are written")
    pixels = np.asarray(image.convert("RGB") if image.mode != "RGB" else image, dtype=np.uint8)
    height, width = pixels.shape[:2]
    rows = pixels.reshape(height, width * 3)
    filtered = np.empty((height, width * 3 + 1), np.uint8)
    filtered[:, 0] = row_filter
    if row_filter == UP:
        filtered[0, 0], filtered[0, 1:] = NONE, rows[0]
        np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # uint8: wraps modulo 256, as PNG's sum
    else:
        filtered[:, 1:] = rows
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (PNG_SIGNATURE + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", (deflate or _whole)(filtered.tobytes(), level, filtered.shape[1]))
            + _chunk(b"IEND", b""))


def _whole(data: bytes, level: int, _row_bytes: int) -> bytes:
    return zlib.compress(data, level)


def write_png(image, path: Path, level: int, row_filter: int = UP) -> None:
    path.write_bytes(png_bytes(image, level, row_filter))
