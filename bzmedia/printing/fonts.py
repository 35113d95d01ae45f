"""Be Vietnam Pro for the print channel: metrics for fitting, a reportlab font for drawing.

Fitting measures text with :mod:`bzmedia.fontmetrics` (a pure TrueType reader), so ``bzmedia
validate`` can fit every box without importing reportlab; its widths equal reportlab's
``stringWidth`` exactly, so what validate fits is what the PDF prints.  Only drawing needs the
font registered with reportlab (embedded, subset TrueType): :attr:`Face.name` does that on first
use, importing reportlab then.
"""

from __future__ import annotations

from functools import cache

from bzmedia.fontmetrics import FontMetrics, font_metrics
from bzmedia.resources import font_path

FAMILY = "BeVietnamPro"


class Face:
    """One weight: widths and real glyph bounds for fitting; its reportlab name for drawing."""

    def __init__(self, weight: str) -> None:
        self.weight = weight
        self.metrics: FontMetrics = font_metrics(weight)
        self.ascent = self.metrics.ascent
        self.descent = self.metrics.descent
        self._registered = False

    @property
    def name(self) -> str:
        """The reportlab font name, registered (embedded, subset) on first use."""
        name = f"{FAMILY}-{self.weight}"
        if not self._registered:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            font = TTFont(name, str(font_path(self.weight)))
            _remember_subsets(font.face)
            pdfmetrics.registerFont(font)
            self._registered = True
        return name

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` at ``size`` pt, in points (equal to reportlab's stringWidth)."""
        return self.metrics.width(text, size)

    def char_bounds(self, char: str) -> tuple[float, float]:
        """(lowest, highest) point of ``char``'s glyph in em (descenders negative)."""
        return self.metrics.char_bounds(char)

    def extent(self, text: str) -> tuple[float, float]:
        """How far the glyphs of ``text`` really reach below and above the baseline, in em."""
        return self.metrics.extent(text)

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` the font has no glyph for (they would print as boxes)."""
        return self.metrics.missing(text)


def _remember_subsets(font_file) -> None:
    """Keep the last subsets ``font_file`` made: a print item's shop PDF and office sheet embed
    the same characters, and so do most items of every commune (only names and hotlines
    differ).  reportlab builds a subset from the glyph table each time, 2-4 ms a face."""
    make = font_file.makeSubset
    made: dict[tuple[int, ...], bytes] = {}

    def remembered(subset) -> bytes:
        key = tuple(subset)
        if key not in made:
            if len(made) >= SUBSETS_KEPT:
                made.pop(next(iter(made)))
            made[key] = make(subset)
        return made[key]

    font_file.makeSubset = remembered


SUBSETS_KEPT = 64
"""Subsets kept per face (a few KB each)."""


@cache
def face(weight: str) -> Face:
    """The :class:`Face` of a weight (once per process)."""
    return Face(weight)
