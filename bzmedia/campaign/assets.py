"""Asset files a script names (logo, chime, music bed, voice model): checked before any build.

``validate`` opens every image's structure here, without Pillow (``bzmedia validate`` must not
import it): a truncated PNG, a text file named ``.png`` or a header claiming 60000x60000 pixels
would otherwise surface as a Pillow traceback in the middle of a build.  PNG is walked chunk by
chunk (lengths, CRC-32 of every chunk, IHDR, IEND, and the image data inflated to the exact size
IHDR promises); JPEG segment by segment (SOI, a frame header with the size, scan data, EOI).
Sounds and voice models are checked for kind and size only; ffmpeg and piper read their insides
(and the build names the key when they cannot).
"""

from __future__ import annotations

import zlib
from pathlib import Path

from bzmedia.campaign.yamlsource import file_kind_problem, read_bytes_capped
from bzmedia.i18n import _, number

MAX_IMAGE_PIXELS = 40_000_000
"""A logo of 40 megapixels is already ten times what an A3 poster needs at 300 dpi; above it,
decoding costs gigabytes (Pillow calls 89 megapixels a decompression bomb)."""
MAX_IMAGE_BYTES = 50_000_000
MAX_SOUND_BYTES = 200_000_000
"""Ten minutes of 48 kHz stereo WAV is 115 MB; a chime or music bed is far less."""
MAX_MODEL_BYTES = 2_000_000_000
"""The largest piper voices are about 120 MB; a file of gigabytes is not a voice."""
LIMITS = {"image": MAX_IMAGE_BYTES, "sound": MAX_SOUND_BYTES, "voice": MAX_MODEL_BYTES}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


EXIF_ORIENTATION = 0x0112
_TURNED = {5, 6, 7, 8}
"""EXIF orientations that show the picture a quarter turn from how it is stored."""


def upright_logo(path: Path):
    """The logo's pixels (RGBA) as it is meant to be seen: a phone's JPEG is often stored on its
    side with a tag saying how to turn it, and drawn as stored it came out sideways."""
    from PIL import Image, ImageOps

    with Image.open(path) as source:
        return ImageOps.exif_transpose(source).convert("RGBA")


def upright_size(path: Path) -> tuple[int, int]:
    """The width and height of :func:`upright_logo`, without decoding the pixels."""
    from PIL import Image

    with Image.open(path) as source:
        width, height = source.size
        return (height, width) if source.getexif().get(EXIF_ORIENTATION) in _TURNED else (width, height)


def asset_problem(base_dir: Path, value: str, kind: str = "file") -> str | None:
    """Why ``value`` is not a usable asset of ``kind`` under ``base_dir``, or ``None``.

    ``kind`` is ``image`` (PNG or JPEG), ``sound``, ``voice`` or ``file``.
    """
    shown = value if len(value) <= 80 else value[:80] + "..."
    try:
        candidate = Path(value)
        resolved = (base_dir / candidate).resolve()
    except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        return _("'{file}' is not a usable file name ({error})").format(file=shown, error=exc)
    if candidate.is_absolute() or not resolved.is_relative_to(base_dir):
        return _("'{file}' points outside the campaign folder; copy the file into {folder}/ and name it "
                 "relative to the script").format(file=shown, folder=base_dir.name)
    why = file_kind_problem(resolved, LIMITS.get(kind, MAX_SOUND_BYTES))
    if why == "does not exist":
        return _("file '{file}' not found (looked for {path})").format(file=shown, path=resolved)
    if why:
        return f"'{shown}' {_(why)}"
    if kind == "image":
        data, why = read_bytes_capped(resolved, MAX_IMAGE_BYTES)
        why = why or image_problem(data)
    # A sound's inside is ffmpeg's to judge: the build names the key when it cannot decode it.
    return f"'{shown}' {why}" if why else None


def image_problem(data: bytes) -> str | None:
    """Why ``data`` is not a whole PNG or JPEG image of a sane size, or ``None``."""
    if data.startswith(PNG_SIGNATURE):
        return png_problem(data)
    if data.startswith(b"\xff\xd8\xff"):
        return jpeg_problem(data)
    return _("is not a PNG or JPEG image (its first bytes say otherwise); save it as PNG")


def _size_problem(width: int, height: int) -> str | None:
    if width <= 0 or height <= 0:
        return _("claims a size of {size} pixels; the image is damaged").format(size=f"{width}x{height}")
    if width * height > MAX_IMAGE_PIXELS:
        return _("is {size} pixels ({megapixels} megapixels); at most {most} are allowed: scale it "
                 "down").format(size=f"{width}x{height}", megapixels=f"{width * height / 1e6:.0f}",
                                most=MAX_IMAGE_PIXELS // 1_000_000)
    return None


def png_problem(data: bytes) -> str | None:
    """Walk the chunks of a PNG: lengths, CRCs, IHDR first, IDAT, IEND, then the pixel data."""
    pos, header, idat, palette = len(PNG_SIGNATURE), None, [], False
    while True:
        if pos + 12 > len(data):
            return _("is cut short (a truncated PNG: it ends before its IEND chunk)")
        length = int.from_bytes(data[pos:pos + 4], "big")
        ctype = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if length > 0x7FFFFFFF or not ctype.isalpha():
            return _("is damaged (a broken chunk at byte {position})").format(position=pos)
        if end > len(data):
            return _("is cut short (a truncated PNG: its last chunk is incomplete)")
        body = data[pos + 8:pos + 8 + length]
        if zlib.crc32(ctype + body) != int.from_bytes(data[end - 4:end], "big"):
            return _("is damaged (the checksum of its {chunk} chunk at byte {position} is wrong)").format(
                chunk=ctype.decode(), position=pos)
        if header is None:
            if ctype != b"IHDR" or length != 13:
                return _("is damaged (a PNG must start with its IHDR header chunk)")
            header = body
            why = _png_header_problem(header)
            if why:
                return why
        elif ctype == b"PLTE":
            palette = True
        elif ctype == b"IDAT":
            idat.append(body)
        elif ctype == b"IEND":
            break
        pos = end
    if not idat:
        return _("holds no image data (no IDAT chunk)")
    if header[9] == 3 and not palette:
        return _("is damaged (a palette image without its PLTE chunk)")
    return _png_data_problem(header, b"".join(idat))


def _png_header_problem(header: bytes) -> str | None:
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, color, compression, filtering, interlace = header[8:13]
    if color not in _PNG_DEPTHS or depth not in _PNG_DEPTHS[color]:
        return _("is damaged (bit depth {depth} with colour type {color} is not a PNG)").format(
            depth=depth, color=color)
    if compression != 0 or filtering != 0 or interlace not in (0, 1):
        return _("is damaged (unknown compression, filter or interlace method)")
    return _size_problem(width, height)


def _png_data_problem(header: bytes, compressed: bytes) -> str | None:
    """Inflate the image data (discarding it, a megabyte at a time) and compare its size."""
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, color, interlace = header[8], header[9], header[12]
    bits = _PNG_CHANNELS[color] * depth

    def rows(w: int, h: int) -> int:
        return h * (1 + (w * bits + 7) // 8) if w and h else 0

    if interlace:
        expected = sum(rows(max(0, (width - x + dx - 1) // dx), max(0, (height - y + dy - 1) // dy))
                       for x, y, dx, dy in _ADAM7)
    else:
        expected = rows(width, height)
    inflater, pending, total = zlib.decompressobj(), compressed, 0
    try:
        while total <= expected:
            out = inflater.decompress(pending, 1 << 20)
            total += len(out)
            pending = inflater.unconsumed_tail
            if inflater.eof or (not pending and not out):
                break
    except zlib.error:
        return _("is damaged (its compressed image data cannot be read)")
    if total < expected:
        return _("is cut short (its image data holds {total} of the {expected} bytes its size needs; a "
                 "truncated PNG)").format(total=number(total), expected=number(expected))
    return None


def jpeg_problem(data: bytes) -> str | None:
    """Walk the segments of a JPEG: a frame header with a sane size, scan data, then EOI."""
    pos, size = 2, None
    while pos + 2 <= len(data):
        if data[pos] != 0xFF:
            return _("is damaged (no JPEG marker at byte {position})").format(position=pos)
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:
            return None if size else _("is damaged (no frame header before its end)")
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        if pos + 4 > len(data):
            break
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if length < 2 or pos + 2 + length > len(data):
            break
        if marker in _JPEG_FRAMES:
            if length < 8:
                return _("is damaged (a frame header too short to hold the size)")
            size = (int.from_bytes(data[pos + 7:pos + 9], "big"),
                    int.from_bytes(data[pos + 5:pos + 7], "big"))
            why = _size_problem(*size)
            if why:
                return why
        pos += 2 + length
        if marker == 0xDA:
            if size is None:
                return _("is damaged (image data before its frame header)")
            pos = _end_of_scan(data, pos)
    return _("is cut short (a truncated JPEG: it ends before its end-of-image marker)")


def _end_of_scan(data: bytes, pos: int) -> int:
    """Index of the first marker after entropy-coded data (skipping FF00 and restart markers)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            pos += 1 if following == 0xFF else 2
            continue
        return pos
