"""Fit text into a box: word wrap, shrink step by step, place every line by its real glyph bounds.

Text is measured with :mod:`bzmedia.fontmetrics` (the font's own tables, no Pillow), so
``bzmedia validate`` fits every slide of every locality exactly as the build will, without
importing Pillow.  Vietnamese capitals with stacked marks (Ẵ, Ỗ, Ễ) rise well above a font's
nominal ascent, so nothing here trusts the ascent: each line's ink box comes from the glyphs'
own bounding boxes, and lines are spaced so one line's marks never touch the descenders above.

Pillow draws each glyph at the pen position computed here (:func:`pen_positions`), so its
layout cannot drift from the fit; what remains is FreeType's hinting, which moves a glyph's ink
by up to 2-3 px (measured on every Vietnamese letter, all seven weights, 20-400 px):
:func:`hint_pad` keeps that much room around every line.  A text that does not fit at the
smallest size allowed is reported, never clipped.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from bzmedia.campaign.schema import nfc
from bzmedia.errors import BuildError
from bzmedia.fontmetrics import font_metrics, no_glyph
from bzmedia.i18n import _
from bzmedia.text.urls import display_url

SHRINK_STEP = 0.94
"""Each try is 6 % smaller than the last: about 20 tries from the largest to the smallest size."""
MIN_LINE_GAP = 0.08
"""Clear space kept between one line's lowest ink and the next line's highest, times font size."""
HINT_PAD_PX = 2.5
HINT_PAD_EM = 0.01
"""Room kept around every line's computed ink for hinting and anti-aliasing (px + share of size)."""


def hint_pad(size: int) -> float:
    """Pixels of room around a line's ink at ``size`` px (worst drift measured: 2.2 px at 20 px,
    2.8 px at 151 px; this leaves at least a fifth of the room unused at every size)."""
    return HINT_PAD_PX + HINT_PAD_EM * size


@functools.cache
def advance(weight: str, size: int, text: str) -> float:
    """Advance width of ``text`` in pixels at ``size`` px (cached: fitting asks again and again)."""
    return font_metrics(weight).width(text, size)


@functools.cache
def ink(weight: str, size: int, text: str, pad: bool = True) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the glyphs' ink relative to the baseline origin, in pixels
    (y down, as Pillow's ``anchor="ls"``), widened by :func:`hint_pad` unless ``pad`` is False."""
    metrics = font_metrics(weight)
    left, right = metrics.ink_span(text)
    below, above = metrics.extent(text)
    room = hint_pad(size) if pad else 0.0
    return (left * size - room, -above * size - room, right * size + room, below * size + room)


@functools.cache
def missing_glyphs(weight: str, paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """Characters of ``paragraphs`` (composed, as they are drawn) the font has no glyph for:
    Pillow would draw each as a gap or a box, so they are refused, never drawn.  Cached: every
    locality's slides ask about the same texts."""
    metrics = font_metrics(weight)
    return tuple(sorted({c for p in paragraphs for c in metrics.missing(nfc(p))}))


def pen_positions(weight: str, size: int, text: str, x: float) -> list[tuple[str, float]]:
    """Each visible character of ``text`` with the x of its pen position, starting at ``x``."""
    metrics = font_metrics(weight)
    scale = size / metrics.units_per_em
    placed, pen = [], 0
    for char in text:
        if not char.isspace():
            placed.append((char, x + pen * scale))
        pen += metrics.advance(char)
    return placed


@dataclass
class PlacedLine:
    """One line of text with its baseline origin in slide pixels (draw with ``anchor="ls"``)."""

    text: str
    x: float
    baseline: float


@dataclass
class PlacedEntry:
    """One paragraph (a title, or one list entry) and where its marker goes."""

    lines: list[PlacedLine]
    marker_center: tuple[float, float]
    number: int


@dataclass
class FittedText:
    """A text fitted into its box: the size chosen and every line's position."""

    size: int
    weight: str
    entries: list[PlacedEntry]


@dataclass
class _Measured:
    lines: list[str]
    bounds: list[tuple[float, float, float, float]]


@dataclass(frozen=True)
class Font:
    """A weight at a pixel size: what wrapping measures with."""

    weight: str
    size: int

    def advance(self, text: str) -> float:
        return advance(self.weight, self.size, text)

    def ink(self, text: str) -> tuple[float, float, float, float]:
        return ink(self.weight, self.size, text)


def _ink_width(fnt: Font, text: str) -> float:
    left, _, right, _ = fnt.ink(text)
    return right - min(left, 0)


def _greedy(fnt: Font, words: list[str], width: float) -> list[str] | None:
    """Greedy wrap on advance widths (a line = its words plus spaces; cached per word)."""
    space = fnt.advance(" ")
    lines: list[list[str]] = []
    used = 0.0
    for word in words:
        word_advance = fnt.advance(word)
        if word_advance > width:
            return None
        if lines and used + space + word_advance <= width:
            lines[-1].append(word)
            used += space + word_advance
        else:
            lines.append([word])
            used = word_advance
    return [" ".join(line) for line in lines]


def wrap(fnt: Font, text: str, width: float) -> list[str] | None:
    """Greedy word wrap to ``width`` px of *ink*; ``None`` when a word alone is wider than that.

    Wrapping runs on advance widths (fast); each line's real ink is then checked, and where a
    glyph overhangs its advance the wrap is redone that much narrower.
    """
    words = text.split()
    target = width
    for _attempt in range(3):
        lines = _greedy(fnt, words, target)
        if lines is None:
            return None
        excess = max(_ink_width(fnt, line) for line in lines) - width
        if excess <= 0:
            return lines
        target -= excess
    return None


def balanced_wrap(fnt: Font, text: str, width: float) -> list[str] | None:
    """Wrap to the narrowest width that needs no more lines, so a title has no lone last word."""
    lines = wrap(fnt, text, width)
    if lines is None or len(lines) < 2:
        return lines
    words = text.split()
    low, high = width / len(lines), width
    while high - low > 2:  # searched on advance widths; only the result is checked on ink
        middle = (low + high) / 2
        trial = _greedy(fnt, words, middle)
        if trial is not None and len(trial) <= len(lines):
            high = middle
        else:
            low = middle
    balanced = wrap(fnt, text, high)
    if balanced is None or len(balanced) > len(lines):
        balanced = lines
    return _phrase_break(fnt, words, width, balanced) if len(balanced) == 2 else balanced


PHRASE_ENDS = (",", ";", ":", ".", "?", "!", "–", "—", "-")
"""A two-line text breaks after one of these where it can: Vietnamese words span syllables
("khẩu trang"), and a break after punctuation never splits one."""


def _phrase_break(fnt: Font, words: list[str], width: float,
                  balanced: list[str]) -> list[str]:
    """Two lines split after punctuation if both fit (the most even such split), else ``balanced``."""
    best: tuple[float, list[str]] | None = None
    for cut in range(1, len(words)):
        if not words[cut - 1].endswith(PHRASE_ENDS):
            continue
        pair = [" ".join(words[:cut]), " ".join(words[cut:])]
        widths = [_ink_width(fnt, line) for line in pair]
        if max(widths) <= width and (best is None or abs(widths[0] - widths[1]) < best[0]):
            best = (abs(widths[0] - widths[1]), pair)
    return best[1] if best is not None else balanced


class TextStyle:
    """What fitting needs from a layout text box, in pixels."""

    def __init__(self, box_px, weight: str, align: str, valign: str, line_spacing: float,
                 gap: float, marker: str) -> None:
        self.box = box_px
        self.weight, self.align, self.valign = weight, align, valign
        self.line_spacing, self.gap, self.marker = line_spacing, gap, marker

    def indent(self, size: int) -> float:
        """Room the marker takes before the text."""
        return {"none": 0.0, "bullet": 0.75 * size, "number": 1.55 * size}[self.marker]

    def marker_extent(self, size: int) -> tuple[float, float]:
        """How far the marker reaches above and below its line's baseline (plus the pixel the
        disc's centre may move when it is snapped to the pixel grid)."""
        if self.marker == "number":
            return number_disc(size)[0] + 0.36 * size + 1, number_disc(size)[0] - 0.36 * size + 1
        return 0.0, 0.0


def number_disc(size: int) -> tuple[float, int]:
    """Radius of a step's number disc and the digits' font size, for text of ``size`` px."""
    return 0.62 * size, max(8, round(0.78 * size))


def sizes_to_try(start: int, smallest: int) -> list[int]:
    """From ``start`` down to ``smallest`` px, each about 6 % below the last; ends at smallest."""
    sizes = []
    size = float(start)
    while size > smallest:
        sizes.append(round(size))
        size *= SHRINK_STEP
    sizes.append(smallest)
    return sorted(set(sizes), reverse=True)


def fit(paragraphs: list[str], style: TextStyle, start: int, smallest: int) -> FittedText | None:
    """The largest size from ``start`` down to ``smallest`` at which every paragraph fits."""
    paragraphs = [" ".join(nfc(p).split()) for p in paragraphs]
    for size in sizes_to_try(max(start, smallest), smallest):
        placed = _try_size(paragraphs, style, size)
        if placed is not None:
            return FittedText(size, style.weight, placed)
    return None


def _measure(paragraphs: list[str], style: TextStyle, size: int) -> list[_Measured] | None:
    fnt = Font(style.weight, size)
    width = style.box[2] - style.box[0] - style.indent(size)
    measured = []
    room = (style.box[3] - style.box[1]) / (style.line_spacing * size) + 1
    for text in paragraphs:
        lines = balanced_wrap(fnt, text, width)
        if lines is None:
            return None
        room -= len(lines)
        if room < 0:  # more lines than the box can hold at any spacing: skip measuring ink
            return None
        measured.append(_Measured(lines, [fnt.ink(line) for line in lines]))
    return measured


def _try_size(paragraphs: list[str], style: TextStyle, size: int) -> list[PlacedEntry] | None:
    measured = _measure(paragraphs, style, size)
    if measured is None:
        return None
    above, below = style.marker_extent(size)
    baselines: list[list[float]] = []
    y = 0.0  # running baseline, relative to the first line's baseline
    previous_bottom = None
    first_top = None
    for entry in measured:
        rows = []
        for row, (_left, top, _right, bottom) in enumerate(entry.bounds):
            top_ink, bottom_ink = -top, bottom
            if row == 0:
                top_ink, bottom_ink = max(top_ink, above), max(bottom_ink, below)
            if previous_bottom is None:
                first_top = top_ink
            else:
                step = style.line_spacing * size + (style.gap * size if row == 0 else 0.0)
                y += max(step, previous_bottom + top_ink + MIN_LINE_GAP * size)
            rows.append(y)
            previous_bottom = bottom_ink
        baselines.append(rows)
    height = first_top + y + previous_bottom
    top, bottom = style.box[1], style.box[3]
    if height > bottom - top:
        return None
    slack = (bottom - top) - height
    offset = {"top": 0.0, "middle": slack / 2, "bottom": slack}[style.valign]
    origin = top + offset + first_top
    return [_place(entry, rows, origin, style, size, i + 1)
            for i, (entry, rows) in enumerate(zip(measured, baselines, strict=True))]


def _place(entry: _Measured, rows: list[float], origin: float, style: TextStyle, size: int,
           number: int) -> PlacedEntry:
    left, _, right, _ = style.box
    text_left = left + style.indent(size)
    lines = []
    for text, (ink_left, _, ink_right, _), y in zip(entry.lines, entry.bounds, rows, strict=True):
        ink_left = min(ink_left, 0)
        width = ink_right - ink_left
        if style.align == "center" and style.marker == "none":
            x = (text_left + right - width) / 2 - ink_left
        elif style.align == "right" and style.marker == "none":
            x = right - ink_right
        else:
            x = text_left - ink_left
        lines.append(PlacedLine(text, x, origin + y))
    first = lines[0].baseline
    if style.marker == "number":
        radius = number_disc(size)[0]
        center = (left + radius, first - 0.36 * size)
    else:
        center = (left + 0.17 * size, first - 0.3 * size)
    # Snapped to whole pixels; rightwards, so a disc or bullet never reaches left of the box.
    return PlacedEntry(lines, (math.ceil(center[0]), math.floor(center[1])), number)


@functools.lru_cache(maxsize=4096)
def _fit_once(paragraphs: tuple[str, ...], box_px, weight, align, valign, line_spacing, gap, marker,
              start: int, smallest: int) -> FittedText | None:
    # Most slides read the same in every locality: fit each distinct text and box once per
    # process.  The arrangement is only read after this (drawn, never changed).
    style = TextStyle(box_px, weight, align, valign, line_spacing, gap, marker)
    return fit(list(paragraphs), style, start, smallest)


def texts_of(slide, issuer: str) -> dict[str, list[str]]:
    """The paragraphs each text role of the layout shows on this slide (empty roles left out)."""
    text = slide.text
    if slide.kind == "cta" and not text:
        text = display_url(slide.url)
    roles = {"title": [slide.title] if slide.title else [],
             "text": [text] if text else [],
             "points": list(slide.points),
             "issuer": [issuer]}
    return {role: paragraphs for role, paragraphs in roles.items() if paragraphs}


class SlideFitter:
    """Fits the texts of one deck's slides (pure: the build's painter and validate share it)."""

    def __init__(self, deck, where: dict | None = None) -> None:
        self.deck = deck
        self.places = where or {}
        """``file:line:col: key.path`` per slide id and field, for messages (not in the job key)."""
        self.layout = deck.layout
        self.variant = self.layout.variant_for(deck.width, deck.height)
        self.short = min(deck.width, deck.height)
        self.smallest = math.ceil(self.layout.min_text * self.short)

    def box_px(self, box: list[float]) -> tuple[int, int, int, int]:
        w, h = self.deck.width, self.deck.height
        return round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h)

    def where(self, slide, role: str) -> str:
        places = self.places.get(slide.id, {})
        if role == "issuer":
            return self.places.get("(issuer)", "campaign.issuer")
        return places.get(role) or places.get(None) or f"signage.slides ({slide.id})"

    def boxes(self, slide) -> list[tuple[str, list[str], object]]:
        """``(role, paragraphs, layout box)`` of every text the slide shows; raises BuildError for
        a text whose kind of slide has no place for it."""
        kind = getattr(self.variant, slide.kind)
        found = []
        for role, paragraphs in texts_of(slide, self.deck.issuer).items():
            box = getattr(kind, role)
            if box is None and role == "issuer":
                continue  # the layout decides on which kinds the issuer shows
            if box is None:
                raise BuildError([f"{self.where(slide, role)}: " + _(
                    "the layout {layout} has no place for {role} on {kind} slides ({size})").format(
                    layout=self.layout.path.name, role=role, kind=slide.kind, size=self.deck.size)])
            found.append((role, paragraphs, box))
        return found

    def try_fit(self, paragraphs: list[str], box) -> FittedText | None:
        """``paragraphs`` fitted into the layout ``box`` on this deck's screen, or ``None``."""
        return _fit_once(tuple(paragraphs), self.box_px(box.box), box.weight, box.align, box.valign,
                         box.line_spacing, box.gap, box.marker, round(box.size * self.short),
                         self.smallest)

    def too_long(self, slide, role: str, box) -> str:
        """What to tell the user about a ``role`` text of ``slide`` that does not fit ``box``."""
        left, top, right, bottom = self.box_px(box.box)
        message = (_("slide '{slide}' at {size} for {locality} ({name}): the points do not fit its {box} "
                     "px box even at the smallest text size allowed ({smallest} px); shorten the text or "
                     "split the slide") if role == "points" else
                   _("slide '{slide}' at {size} for {locality} ({name}): the {role} does not fit its {box} "
                     "px box even at the smallest text size allowed ({smallest} px); shorten the text or "
                     "split the slide"))
        return message.format(slide=slide.id, size=self.deck.size, locality=self.deck.locality,
                              name=self.deck.locality_name, role=role, box=f"{right - left}x{bottom - top}",
                              smallest=self.smallest)

    def fit(self, slide, role: str, paragraphs: list[str], box) -> FittedText:
        missing = missing_glyphs(box.weight, tuple(paragraphs))
        if missing:  # validate and the build's preflight report it first; never drawn as gaps
            raise BuildError([f"{self.where(slide, role)}: " + _(
                "the {role} of slide '{slide}'").format(role=role, slide=slide.id) + ": "
                + no_glyph(missing)])
        fitted = self.try_fit(paragraphs, box)
        if fitted is None:
            raise BuildError([f"{self.where(slide, role)}: {self.too_long(slide, role, box)}"])
        return fitted
