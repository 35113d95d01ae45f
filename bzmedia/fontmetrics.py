"""Font metrics read straight from a TrueType file: advances, glyph bounds, the character map.

``bzmedia validate`` fits every text of every locality into its layout box, and must do that
without importing reportlab or Pillow (they cost more to import than the whole check takes).
So the fitting of both the print and the signage channel measures text here, with ``struct``
over the font's own tables, and the build uses the very same numbers: what validate finds is
what the build would find.

Widths follow reportlab's ``stringWidth`` for a TrueType font exactly: the sum of each
character's ``hmtx`` advance, scaled to 1000 units per em, no kerning (reportlab draws none).
Vertical extent comes from each glyph's own bounding box in ``glyf``: stacked Vietnamese capitals
(Ẵ, Ỗ) reach 1.16 em, well above the font's ascent, and a box fitted on the ascent would clip them.
"""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path

from bzmedia.i18n import _


class FontFileError(ValueError):
    """The file is not a TrueType font this reader understands."""


class FontMetrics:
    """The metrics of one TrueType font file (tables parsed once; glyph bounds on demand)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._data = self.path.read_bytes()
        self._tables = self._table_directory()
        head = self._table("head")
        self.units_per_em = struct.unpack_from(">H", head, 18)[0]
        self._long_loca = struct.unpack_from(">h", head, 50)[0] == 1
        self.num_glyphs = struct.unpack_from(">H", self._table("maxp"), 4)[0]
        self._scale_1000 = 1000 / self.units_per_em
        self.ascent, self.descent = self._vertical_extent()
        """The font's typographic ascent and descent in em, both positive (as reportlab reads them)."""
        self._advances = self._read_advances()
        self.cmap = self._read_cmap()
        """Code point -> glyph id, for every character the font has."""
        self._loca = self._read_loca()
        self._glyf = self._tables["glyf"][0]
        self._boxes: dict[int, tuple[int, int, int, int]] = {}
        self._bounds: dict[str, tuple[float, float]] = {}
        self._units: dict[str, float] = {}
        self._extents: dict[str, tuple[float, float]] = {}

    # -- tables ------------------------------------------------------------------------------
    def _table_directory(self) -> dict[str, tuple[int, int]]:
        data = self._data
        if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"true"):
            raise FontFileError(_("{path} is not a TrueType font").format(path=self.path))
        count = struct.unpack_from(">H", data, 4)[0]
        tables = {}
        for i in range(count):
            tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            tables[tag.decode("latin-1")] = (offset, length)
        missing = {"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"} - tables.keys()
        if missing:
            raise FontFileError(_("{path} has no {tables} table").format(
                path=self.path, tables=", ".join(sorted(missing))))
        return tables

    def _table(self, tag: str) -> memoryview:
        offset, length = self._tables[tag]
        return memoryview(self._data)[offset:offset + length]

    def _vertical_extent(self) -> tuple[float, float]:
        if "OS/2" in self._tables:  # reportlab takes sTypoAscender/Descender from OS/2
            ascender, descender = struct.unpack_from(">hh", self._table("OS/2"), 68)
        else:
            ascender, descender = struct.unpack_from(">hh", self._table("hhea"), 4)
        return ascender / self.units_per_em, -descender / self.units_per_em

    def _read_advances(self) -> list[int]:
        long_metrics = struct.unpack_from(">H", self._table("hhea"), 34)[0]
        hmtx = self._table("hmtx")
        advances = [struct.unpack_from(">H", hmtx, 4 * i)[0] for i in range(long_metrics)]
        # Glyphs past numberOfHMetrics share the last advance (monospaced tails).
        advances += [advances[-1]] * (self.num_glyphs - long_metrics)
        return advances

    def _read_loca(self) -> list[int]:
        loca = self._table("loca")
        if self._long_loca:
            return list(struct.unpack_from(f">{self.num_glyphs + 1}I", loca, 0))
        return [2 * v for v in struct.unpack_from(f">{self.num_glyphs + 1}H", loca, 0)]

    def _read_cmap(self) -> dict[int, int]:
        cmap = self._table("cmap")
        count = struct.unpack_from(">H", cmap, 2)[0]
        subtables = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
            subtables[(platform, encoding)] = offset
        # Full Unicode (format 12) first, then the BMP (format 4).
        for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
            if key in subtables:
                offset = subtables[key]
                fmt = struct.unpack_from(">H", cmap, offset)[0]
                if fmt == 12:
                    return _cmap_format_12(cmap, offset)
                if fmt == 4:
                    return _cmap_format_4(cmap, offset)
        raise FontFileError(_("{path} has no Unicode character map of format 4 or 12").format(path=self.path))

    # -- characters --------------------------------------------------------------------------
    def glyph_of(self, char: str) -> int:
        """The glyph id of ``char`` (0, the .notdef box, for a character the font lacks)."""
        glyph = self.cmap.get(ord(char), 0)
        if not glyph and char == "\u00a0":  # reportlab gives a missing no-break space the space's width
            glyph = self.cmap.get(0x20, 0)
        return glyph

    def advance(self, char: str) -> int:
        """Advance width of ``char`` in font units."""
        return self._advances[self.glyph_of(char)]

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` at ``size`` points, exactly as reportlab's ``stringWidth``."""
        units = self._units.get(text)
        if units is None:  # summed in reportlab's order and scale, so the floats are identical
            scale = self._scale_1000
            units = self._units[text] = sum(self._advances[self.glyph_of(c)] * scale for c in text)
        # rl_accel's C stringWidth (a dependency: reportlab uses it when installed) scales the
        # summed widths as ``sum * 0.001 * size``; pure-Python reportlab wrote ``0.001 * size *
        # sum``, which differs in the last bit for some sizes
        return units * 0.001 * size

    def glyph_box(self, char: str) -> tuple[int, int, int, int]:
        """``(xMin, yMin, xMax, yMax)`` of ``char``'s glyph in font units; zeros for an empty one."""
        glyph = self.glyph_of(char)
        box = self._boxes.get(glyph)
        if box is None:
            start, end = self._loca[glyph], self._loca[glyph + 1]
            box = (0, 0, 0, 0) if start >= end else struct.unpack_from(">4h", self._data,
                                                                        self._glyf + start + 2)
            self._boxes[glyph] = box
        return box

    def char_bounds(self, char: str) -> tuple[float, float]:
        """(lowest, highest) point of ``char``'s glyph in em (descenders negative)."""
        bounds = self._bounds.get(char)
        if bounds is None:
            if not self.has(char):
                bounds = (-self.descent, self.ascent)  # unknown character: assume the font's extent
            else:
                _x0, y_min, _x1, y_max = self.glyph_box(char)
                bounds = (y_min / self.units_per_em, y_max / self.units_per_em)
            self._bounds[char] = bounds
        return bounds

    def extent(self, text: str) -> tuple[float, float]:
        """How far the glyphs of ``text`` reach below and above the baseline, in em (both >= 0)."""
        extent = self._extents.get(text)
        if extent is None:
            low, high = 0.0, 0.0
            for char in set(text):
                char_low, char_high = self.char_bounds(char)
                low, high = min(low, char_low), max(high, char_high)
            extent = self._extents[text] = (-low, high)
        return extent

    def ink_span(self, text: str) -> tuple[float, float]:
        """Leftmost and rightmost inked point of ``text`` set from pen position 0, in em."""
        pen, left, right = 0, None, None
        for char in text:
            x_min, y_min, x_max, y_max = self.glyph_box(char)
            if (x_min, y_min, x_max, y_max) != (0, 0, 0, 0):
                left = pen + x_min if left is None else min(left, pen + x_min)
                right = pen + x_max if right is None else max(right, pen + x_max)
            pen += self.advance(char)
        if left is None:
            return 0.0, 0.0
        return left / self.units_per_em, right / self.units_per_em

    def has(self, char: str) -> bool:
        return ord(char) in self.cmap

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` the font has no glyph for (they would print as boxes)."""
        return sorted({c for c in text if not c.isspace() and not self.has(c)})


def no_glyph(characters) -> str:
    """What print, slides and images say of ``characters`` the font lacks (each with its code
    point: an emoji or a look-alike letter is hard to tell from its neighbours in a message)."""
    shown = " ".join(f"{c!r} (U+{ord(c):04X})" for c in characters)
    return _("Be Vietnam Pro has no glyph for {characters}; retype those characters").format(
        characters=shown)


def _cmap_format_4(cmap: memoryview, offset: int) -> dict[int, int]:
    segments = struct.unpack_from(">H", cmap, offset + 6)[0] // 2
    ends_at = offset + 14
    starts_at = ends_at + 2 * segments + 2  # after the reserved pad
    deltas_at = starts_at + 2 * segments
    ranges_at = deltas_at + 2 * segments
    ends = struct.unpack_from(f">{segments}H", cmap, ends_at)
    starts = struct.unpack_from(f">{segments}H", cmap, starts_at)
    deltas = struct.unpack_from(f">{segments}h", cmap, deltas_at)
    range_offsets = struct.unpack_from(f">{segments}H", cmap, ranges_at)
    mapping = {}
    for i in range(segments):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if range_offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                # idRangeOffset counts bytes from its own slot in the array (the spec's pointer trick).
                where = ranges_at + 2 * i + range_offsets[i] + 2 * (code - starts[i])
                glyph = struct.unpack_from(">H", cmap, where)[0]
                if glyph:
                    glyph = (glyph + deltas[i]) & 0xFFFF
            if glyph:
                mapping[code] = glyph
    return mapping


def _cmap_format_12(cmap: memoryview, offset: int) -> dict[int, int]:
    groups = struct.unpack_from(">I", cmap, offset + 12)[0]
    mapping = {}
    for i in range(groups):
        first, last, glyph = struct.unpack_from(">III", cmap, offset + 16 + 12 * i)
        for code in range(first, last + 1):
            mapping[code] = glyph + code - first
    return mapping


@cache
def font_metrics(weight: str = "Regular") -> FontMetrics:
    """The metrics of a Be Vietnam Pro weight, read once per process."""
    from bzmedia.resources import font_path

    return FontMetrics(font_path(weight))
