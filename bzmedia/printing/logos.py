"""The logo as the PDFs embed it: flattened onto its ground and converted to CMYK, made once.

Converting a 1200 px logo for a placed size takes 0.1-0.2 s (resampling, then the CMYK formula
on every pixel), and a worker needs one per ground colour and size, three for the example.
Each process keeps what it converted, and the build's content store keeps the pixels across
builds, so the workers of the next build (a commune added) read 2 MB instead of converting.
"""

from __future__ import annotations

import struct
from pathlib import Path

from bzmedia.printing.colors import Ink

MAX_IMAGE_DPI = 600
"""Logos above this resolution at their placed size are downsampled: no press resolves more."""
LOGO_FORMAT = "1"
"""Part of every stored logo's key: change it when :func:`cmyk_pixels` changes its pixels."""
_HEADER = struct.Struct("<II")
_MEMO_SIZE = 32
_memo: dict[tuple, object] = {}


def logo_reader(path: Path, ground: Ink, width_mm: float, store=None):
    """A reportlab ``ImageReader`` of ``path`` flattened onto ``ground`` for ``width_mm``."""
    from reportlab.lib.utils import ImageReader

    stat = path.stat()
    memo = (str(path), stat.st_mtime_ns, stat.st_size, ground, width_mm)
    if memo not in _memo:
        if len(_memo) >= _MEMO_SIZE:
            _memo.pop(next(iter(_memo)))
        _memo[memo] = ImageReader(_stored(path, ground, width_mm, store))
    return _memo[memo]


def _stored(path: Path, ground: Ink, width_mm: float, store):
    """The converted image from the content store, or converted now and filed there."""
    import PIL
    from PIL import Image

    if store is None:
        return cmyk_pixels(path, ground, width_mm)
    from bzmedia.cache import fingerprint

    # The file by content; Pillow's version, because its resampling decides the pixels.
    key = fingerprint("print-logo-cmyk", LOGO_FORMAT, PIL.__version__, path, ground, width_mm)
    found = store.get(key, ".cmyk")
    if found is not None:
        try:
            data = found.read_bytes()
            width, height = _HEADER.unpack_from(data)
            return Image.frombytes("CMYK", (width, height), data[_HEADER.size:])
        except (OSError, ValueError, struct.error):  # short or garbled: make it again
            store.drop(key, ".cmyk")
    image = cmyk_pixels(path, ground, width_mm)
    try:
        with store.put(key, ".cmyk") as temp:
            temp.write_bytes(_HEADER.pack(*image.size) + image.tobytes())
    except OSError:  # a cache that cannot be written costs time, never the PDF
        pass
    return image


def cmyk_pixels(path: Path, ground: Ink, width_mm: float):
    """The image flattened onto its ground colour and converted to CMYK with the same formula as
    the vector colours, so its background matches the panel under it exactly."""
    import numpy as np
    from PIL import Image

    with Image.open(path) as source:
        rgba = source.convert("RGBA")
    max_px = int(width_mm / 25.4 * MAX_IMAGE_DPI)
    if rgba.width > max_px:
        rgba = rgba.resize((max_px, max(1, round(rgba.height * max_px / rgba.width))),
                           Image.Resampling.LANCZOS)
    pixels = np.asarray(rgba, dtype=np.float64) / 255.0
    alpha = pixels[..., 3:]
    rgb = pixels[..., :3] * alpha + np.array(ground.rgb()) * (1 - alpha)
    k = 1 - rgb.max(axis=2)
    room = np.where(k < 1, 1 - k, 1)
    cmy = (1 - rgb - k[..., None]) / room[..., None]
    cmyk = np.dstack([cmy, k])
    return Image.fromarray(np.clip(cmyk * 255 + 0.5, 0, 255).astype(np.uint8), "CMYK")
