"""QR codes drawn straight into a slide: reportlab's encoder gives the modules, Pillow the squares.

Modules are whole pixels (no resampling blur) and dark on a light card regardless of the palette:
many phone scanners fail on inverted (light-on-dark) codes.  The card holds the 4-module quiet
zone the QR standard requires.
"""

from __future__ import annotations

from bzmedia.errors import BuildError
from bzmedia.i18n import _

QUIET_ZONE = 4
"""Light modules around the code on every side (ISO/IEC 18004)."""
DARK, LIGHT = (0, 0, 0), (255, 255, 255)
MIN_SHARE_OF_SHORT_SIDE = 0.3
"""The code (with its quiet zone) spans at least this share of the screen's short side: about
16 cm on a 43-inch panel, enough for a phone to read it from two metres."""
QR_DATA_CODEWORDS_M = (16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453,
                       507, 563, 627, 669, 714, 782, 860, 914, 1000, 1062, 1128, 1193, 1267, 1373,
                       1455, 1541, 1631, 1725, 1812, 1914, 1992, 2102, 2216)
"""Data codewords of QR versions 1-39 at error correction M: reportlab's encoder (which both
channels use) tries versions up to 39 only."""
QR_MAX_BYTES = (8 * QR_DATA_CODEWORDS_M[-1] - 4 - 16) // 8
"""The longest address a code holds: version 39's bytes after the mode and length fields."""


def qr_version(url: str) -> int | None:
    """The QR version reportlab picks for ``url`` (byte mode, level M); ``None`` when too long."""
    length = len(url.encode("utf-8"))
    for version, codewords in enumerate(QR_DATA_CODEWORDS_M, 1):
        count_bits = 8 if version < 10 else 16
        if 4 + count_bits + 8 * length <= 8 * codewords:
            return version
    return None


def qr_modules(data: str) -> list[list[bool]]:
    """The module matrix of ``data`` (error correction M: survives screen glare and moiré)."""
    from bzmedia.printing.qrcode import qr_matrix  # the encoder without reportlab's barcode widgets

    return [list(row) for row in qr_matrix(data)]


def draw_qr(draw, data: str, box: tuple[int, int, int, int], align: str, short_side: int,
            where: str) -> tuple[int, int, int]:
    """Draw ``data`` as a QR code in ``box``; returns (left, top, side) of the card drawn.

    Raises :class:`BuildError` when the box cannot hold a code large enough to scan.
    """
    modules = qr_modules(data)
    count = len(modules) + 2 * QUIET_ZONE
    left, top, right, bottom = box
    module = min(right - left, bottom - top) // count
    side = module * count
    if module < 2 or side < MIN_SHARE_OF_SHORT_SIDE * short_side:
        raise BuildError([f"{where}: " + _(
            "the QR code would be only {side} px wide; it needs at least {share} of the screen's short side "
            "to scan from a distance (use a shorter address or a layout with a larger qr box)").format(
            side=side, share=f"{MIN_SHARE_OF_SHORT_SIDE:.0%}")])
    x0 = {"left": left, "center": (left + right - side) // 2, "right": right - side}[align]
    y0 = (top + bottom - side) // 2
    draw.rectangle((x0, y0, x0 + side - 1, y0 + side - 1), fill=LIGHT)
    for row, cells in enumerate(modules):
        for col, dark in enumerate(cells):
            if dark:
                x = x0 + (col + QUIET_ZONE) * module
                y = y0 + (row + QUIET_ZONE) * module
                draw.rectangle((x, y, x + module - 1, y + module - 1), fill=DARK)
    return x0, y0, side
