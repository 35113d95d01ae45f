"""The logo as the PDFs embed it: flattened onto its ground, converted to CMYK and compressed,
made once.

Converting a 1200 px logo for a placed size takes 0.1-0.3 s (resampling, then the CMYK formula
on every pixel), and compressing its 1-4.5 MB of samples for each PDF another 10-35 ms; a worker
needs one per ground colour and size, three for the example.  Each process keeps the compressed
image stream, and the build's content store keeps it across builds, so the workers of the next
build (a commune added) read about 100 KB instead of converting and compressing, and every PDF
embeds the same stream reportlab's ``drawImage`` would have made from the pixels.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from bzmedia.campaign.assets import upright_logo
from bzmedia.printing.colors import Ink

MAX_IMAGE_DPI = 600
"""Logos above this resolution at their placed size are downsampled: no press resolves more."""
LOGO_FORMAT = "3"
"""Part of every stored logo's key: change it when :func:`cmyk_pixels` changes its pixels or
:class:`LogoImage` its stored form.  2: the compressed stream and its name, not the pixels;
3: turned upright as its EXIF orientation says."""
_HEADER = struct.Struct("<II32s")
_MEMO_SIZE = 32
_memo: dict[tuple, LogoImage] = {}


@dataclass(frozen=True)
class LogoImage:
    """A logo as a PDF image XObject holds it: CMYK, 8 bits, Flate-compressed."""

    name: str
    """reportlab's name for these samples (md5 of the pixels and the mask ``None``, as
    ``Canvas.drawImage`` names an image), so a PDF names it as it always did."""
    width: int
    height: int
    stream: bytes
    """The samples compressed as ``zlib.compress`` does for reportlab's image XObjects."""

    def pixels(self) -> bytes:
        return zlib.decompress(self.stream)


def logo_image(path: Path, ground: Ink, width_mm: float, store=None) -> LogoImage:
    """``path`` flattened onto ``ground`` for ``width_mm``, ready to embed."""
    stat = path.stat()
    memo = (str(path), stat.st_mtime_ns, stat.st_size, ground, width_mm)
    if memo not in _memo:
        if len(_memo) >= _MEMO_SIZE:
            _memo.pop(next(iter(_memo)))
        _memo[memo] = _stored(path, ground, width_mm, store)
    return _memo[memo]


def _made(path: Path, ground: Ink, width_mm: float) -> LogoImage:
    image = cmyk_pixels(path, ground, width_mm)
    raw = image.tobytes()
    name = hashlib.md5(raw + b"None", usedforsecurity=False).hexdigest()
    return LogoImage(name, image.width, image.height, zlib.compress(raw))


def _stored(path: Path, ground: Ink, width_mm: float, store) -> LogoImage:
    """The logo from the content store, or made now and filed there."""
    if store is None:
        return _made(path, ground, width_mm)
    import PIL

    from bzmedia.cache import fingerprint

    # The file by content; Pillow's version, because its resampling decides the pixels.
    key = fingerprint("print-logo-cmyk", LOGO_FORMAT, PIL.__version__, path, ground, width_mm)
    found = store.get(key, ".cmykz")
    if found is not None:
        try:
            data = found.read_bytes()
            width, height, name = _HEADER.unpack_from(data)
            return LogoImage(name.decode("ascii"), width, height, data[_HEADER.size:])
        except (OSError, ValueError, struct.error):  # short or garbled: make it again
            store.drop(key, ".cmykz")
    logo = _made(path, ground, width_mm)
    try:
        with store.put(key, ".cmykz") as temp:
            temp.write_bytes(_HEADER.pack(logo.width, logo.height, logo.name.encode("ascii")) + logo.stream)
    except OSError:  # a cache that cannot be written costs time, never the PDF
        pass
    return logo


def embed(canvas, logo: LogoImage, x: float, y: float, width: float, height: float) -> None:
    """Draw ``logo`` at (x, y) scaled to width x height: what ``canvas.drawImage`` does with an
    ``ImageReader`` of the same pixels, the same XObject and the same operators, without
    compressing (and hashing) the samples again for every PDF and every copy."""
    from reportlab.pdfbase.pdfdoc import PDFImageXObject

    doc = canvas._doc
    registered = doc.getXObjectName(logo.name)
    if registered not in doc.idToObject:
        xobject = PDFImageXObject(logo.name)
        xobject.width, xobject.height = logo.width, logo.height
        xobject.bitsPerComponent, xobject.colorSpace = 8, "DeviceCMYK"
        xobject._filters, xobject.mask = ("FlateDecode",), None
        xobject.streamContent = logo.stream
        doc.Reference(xobject, registered)
        doc.addForm(logo.name, xobject)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas.doForm(logo.name)
    canvas.restoreState()


def cmyk_pixels(path: Path, ground: Ink, width_mm: float):
    """The image flattened onto its ground colour and converted to CMYK with the same formula as
    the vector colours, so its background matches the panel under it exactly."""
    import numpy as np
    from PIL import Image

    rgba = upright_logo(path)
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
