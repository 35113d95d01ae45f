"""Be Vietnam Pro for reportlab: registered as embedded, subset TrueType, with real glyph bounds.

reportlab embeds and subsets every TrueType font it draws with.  What it does not know is how far
a glyph really reaches: stacked capitals such as Ẵ, Ỗ and Ễ rise to 1.16 em, well above the
font's 1.0 em ascent, so a box fitted on the ascent alone would clip them.  :class:`Face` reads
each glyph's bounding box from the font's ``glyf`` table (every glyph header stores it) so the
fitter can reserve the room the letters actually use.
"""

from __future__ import annotations

import struct
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from bzmedia.resources import font_path

FAMILY = "BeVietnamPro"


def font_name(weight: str) -> str:
    """The reportlab name of a registered Be Vietnam Pro weight (registering it on first use)."""
    return face(weight).name


class Face:
    """One registered weight: its reportlab name, widths, and per-character vertical bounds."""

    def __init__(self, weight: str) -> None:
        self.name = f"{FAMILY}-{weight}"
        self.font = TTFont(self.name, str(font_path(weight)))
        pdfmetrics.registerFont(self.font)
        ttf = self.font.face
        self.ascent = ttf.ascent / 1000.0
        self.descent = -ttf.descent / 1000.0
        self._units = float(ttf.unitsPerEm)
        self._glyf = ttf.get_table_pos("glyf")[0]
        self._ttf = ttf
        self._bounds: dict[str, tuple[float, float]] = {}

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` at ``size`` pt, in points."""
        return pdfmetrics.stringWidth(text, self.name, size)

    def char_bounds(self, char: str) -> tuple[float, float]:
        """(lowest, highest) point of ``char``'s glyph in em (descenders negative)."""
        if char not in self._bounds:
            self._bounds[char] = self._read_bounds(char)
        return self._bounds[char]

    def _read_bounds(self, char: str) -> tuple[float, float]:
        ttf = self._ttf
        glyph = ttf.charToGlyph.get(ord(char))
        if glyph is None or glyph + 1 >= len(ttf.glyphPos):
            return (-self.descent, self.ascent)  # unknown character: assume the font's extent
        start, end = ttf.glyphPos[glyph], ttf.glyphPos[glyph + 1]
        if start == end:
            return (0.0, 0.0)  # empty glyph (space)
        _contours, _x0, y_min, _x1, y_max = struct.unpack(">hhhhh", ttf.get_chunk(self._glyf + start, 10))
        return (y_min / self._units, y_max / self._units)

    def extent(self, text: str) -> tuple[float, float]:
        """How far the glyphs of ``text`` really reach below and above the baseline, in em."""
        low, high = 0.0, 0.0
        for char in set(text):
            char_low, char_high = self.char_bounds(char)
            low, high = min(low, char_low), max(high, char_high)
        return -low, high

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` the font has no glyph for (they would print as boxes)."""
        return sorted({c for c in text if not c.isspace() and ord(c) not in self._ttf.charToGlyph})


@cache
def face(weight: str) -> Face:
    """The registered :class:`Face` of a weight (once per process)."""
    return Face(weight)
