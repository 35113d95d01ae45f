"""Be Vietnam Pro for the print channel: metrics for fitting, a reportlab font for drawing.

Fitting measures text with :mod:`bzmedia.fontmetrics` (a pure TrueType reader), so ``bzmedia
validate`` can fit every box without importing reportlab; its widths equal reportlab's
``stringWidth`` exactly, so what validate fits is what the PDF prints.  Only drawing needs the
font registered with reportlab (embedded, subset TrueType): :attr:`Face.name` does that on first
use, importing reportlab then.
"""

from __future__ import annotations

import zlib
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
            _compress_once(font.face)
            _quick_widths(font)
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


class _KeptFlate:
    """reportlab's Flate filter (``pdfdoc.PDFZCompress``: ``zlib.compress`` at its default
    level) for embedded font programs, keeping what it compressed: the subsets recur (the same
    bytes from :func:`_remember_subsets`), and compressing them again for every PDF was 40 % of
    writing one."""

    pdfname = "FlateDecode"

    def __init__(self) -> None:
        self.kept: dict[bytes, bytes] = {}

    def encode(self, data: bytes) -> bytes:
        found = self.kept.get(data)
        if found is None:
            found = zlib.compress(data)
            if len(self.kept) >= SUBSETS_KEPT:
                self.kept.pop(next(iter(self.kept)))
            self.kept[data] = found
        return found

    def decode(self, data: bytes) -> bytes:
        return zlib.decompress(data)


_KEPT_FLATE = _KeptFlate()


def _compress_once(font_file) -> None:
    """Embed ``font_file``'s subsets through :data:`_KEPT_FLATE` instead of compressing each anew
    (the same bytes in the PDF; a stream set up otherwise is left as reportlab made it)."""
    from reportlab.pdfbase.pdfdoc import PDFZCompress

    add = font_file.addSubsetObjects

    def adding(doc, fontname, subset):
        reference = add(doc, fontname, subset)
        stream = doc.idToObject.get(f"fontFile:{font_file.filename}({fontname})")
        if stream is not None and getattr(stream, "filters", None) == [PDFZCompress]:
            stream.filters = [_KEPT_FLATE]
        return reference

    font_file.addSubsetObjects = adding


@cache
def widths_array():
    """A ``PDFArray`` for a subset's ``/Widths`` (256 integers) that writes the bytes reportlab's
    ``PDFArray`` writes with one join instead of a codec call per number: 1 ms of Python an
    array, ~2.4 ms of writing each PDF (7 a commune).  A class made on first use: reportlab is
    imported only to draw."""
    from reportlab import rl_config
    from reportlab.pdfbase.pdfdoc import PDFArray

    class Widths(PDFArray):
        def format(self, document, IND=b"\n "):
            numbers = self.sequence
            if rl_config.pdfMultiLine or not all(type(n) is int for n in numbers):
                return super().format(document, IND)
            # PDFArray breaks the line after every 10 numbers; reportlab writes an int as str() does.
            rows = [" ".join(map(str, numbers[i:i + 10])) for i in range(0, len(numbers), 10)]
            return b"[ " + " \n  ".join(rows).encode("ascii") + b" ]"

    return Widths


def _quick_widths(font) -> None:
    """Write ``font``'s subsets' ``/Widths`` with :func:`widths_array` (the same bytes)."""
    from reportlab.pdfbase.pdfdoc import PDFArray

    add_objects = font.addObjects

    def adding(doc) -> None:
        state = font.state.get(doc)  # reportlab forgets it once the objects are added
        names = [f"{state.internalName}+{index}" for index in range(len(state.subsets))] if state else []
        add_objects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for name in names:
            pdf_font = fonts.get(name)
            if pdf_font is not None and type(getattr(pdf_font, "Widths", None)) is PDFArray:
                pdf_font.Widths.__class__ = widths_array()

    font.addObjects = adding


@cache
def face(weight: str) -> Face:
    """The :class:`Face` of a weight (once per process)."""
    return Face(weight)
