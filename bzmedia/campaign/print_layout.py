"""Print layouts (``layouts/leaflet-a5.yaml`` ..., and campaigns' own): where things go on paper.

A layout is data: a trim size in millimetres (or ``item`` when the print item gives it, as
stickers do), the bleed and safe zone, and for every page coloured panels, text boxes, a QR code
and a logo.  Boxes are placed by any two of ``left``/``width``/``right`` (and of
``top``/``height``/``bottom``), each in millimetres or as a percentage of the trim (``"50%"``);
one given size alone centres the box.  So one ``sticker`` layout serves 210x99 and 300x100 alike.

Layout files are read with the campaign's positioned loader and schema, so their mistakes come
out as ``file:line:col: key.path: message``.  :func:`check_geometry` adds what a print shop
checks: text, QR and logo inside the safe zone, QR codes large enough, text sizes legible.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from bzmedia.campaign.checking import ProblemSink, run_checks
from bzmedia.campaign.layout_files import builtin_layouts, find_layout
from bzmedia.campaign.schema import Located, pattern_check, read_typed, spec
from bzmedia.campaign.variables import placeholder_problems, undefined_variable
from bzmedia.errors import Problem
from bzmedia.i18n import N_, _, language

ColorRole = Literal["primary", "accent", "background", "text", "on_primary", "white", "black"]
"""A colour of ``brand.colors`` (or plain white / black); ``text`` and ``black`` print as 100 % K."""
Weight = Literal["Light", "Regular", "Medium", "SemiBold", "Bold", "ExtraBold", "Black"]
"""A Be Vietnam Pro weight."""
Content = Literal["headline", "subhead", "points", "steps", "steps_title", "body", "footer", "script"]
"""What a text box shows: a field of the print item, or ``script`` (the audio spot, for live reading)."""

LENGTH = pattern_check(r"\d{1,4}(\.\d+)?%?", N_("a length in millimetres (e.g. 12.5) or a percentage "
                                                "of the trim (e.g. 50%)"))
_TRIM_PATTERN = pattern_check(r"item|\d{2,4}(\.\d+)?x\d{2,4}(\.\d+)?",
                              N_("a trim size in millimetres written WxH (e.g. 148x210), or 'item'"))
MIN_TRIM_MM, MAX_TRIM_MM = 20.0, 2000.0
"""Trim sides a print shop can print (and a page renderer can draw): 2 cm to 2 m."""


def check_trim(value: str) -> str | None:
    """``item`` or a ``WxH`` trim whose sides lie between 20 and 2000 mm."""
    message = _TRIM_PATTERN(value)
    if message or value == "item":
        return message
    if not all(MIN_TRIM_MM <= float(side) <= MAX_TRIM_MM for side in value.split("x")):
        return _("'{value}': each side must be between {least} and {most} mm").format(
            value=value, least=f"{MIN_TRIM_MM:g}", most=f"{MAX_TRIM_MM:g}")
    return None
MIN_BODY_PT = 8.0
"""Smallest text a print layout may shrink to: below 8 pt leaflets are hard to read."""
MIN_QR_OUTER_MM = 28.0
"""A QR box this large holds a code of at least 20 mm plus its 4-module quiet zone, for any
code version (version 1 has 21 modules: 28 * 21 / 29 = 20.3 mm)."""
QR_MIN_SYMBOL_MM = 20.0
QR_MIN_MODULE_MM = 0.25
"""The smallest module to print (printers' usual floor, 10 mil), which a phone reads from close
up: a long address needs so many modules (a 2,000-character one: 177 a side) that a 20 mm code
would print 0.11 mm squares."""
QR_QUIET_MODULES = 4


@dataclass(kw_only=True)
class Box(Located):
    """A rectangle on the trimmed page, by any two of start/size/end per axis (or a size alone)."""

    left: str | None = field(default=None, metadata=spec(check=LENGTH))
    """Distance from the left trim edge: millimetres or a percentage of the trim width."""
    width: str | None = field(default=None, metadata=spec(check=LENGTH))
    """Width: millimetres or a percentage of the trim width."""
    right: str | None = field(default=None, metadata=spec(check=LENGTH))
    """Distance from the right trim edge."""
    top: str | None = field(default=None, metadata=spec(check=LENGTH))
    """Distance from the top trim edge: millimetres or a percentage of the trim height."""
    height: str | None = field(default=None, metadata=spec(check=LENGTH))
    """Height: millimetres or a percentage of the trim height."""
    bottom: str | None = field(default=None, metadata=spec(check=LENGTH))
    """Distance from the bottom trim edge."""

    def check(self, ctx: ProblemSink) -> None:
        """At most two of the three values per axis (three could contradict each other)."""
        for names in (("left", "width", "right"), ("top", "height", "bottom")):
            if all(getattr(self, n) is not None for n in names):
                ctx.error(self, names[2], _("give at most two of {keys}").format(keys=", ".join(names)))

    def rect(self, trim_w: float, trim_h: float) -> Rect:
        """Where the box lies on a ``trim_w`` x ``trim_h`` mm page (origin top-left)."""
        x, w = _axis(self.left, self.width, self.right, trim_w)
        y, h = _axis(self.top, self.height, self.bottom, trim_h)
        return Rect(x, y, w, h)


@dataclass(frozen=True)
class Rect:
    """A rectangle in millimetres, origin at the top-left trim corner, y downwards."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def contains(self, other: Rect, tolerance: float = 1e-6) -> bool:
        return (self.x - tolerance <= other.x and self.y - tolerance <= other.y
                and other.right <= self.right + tolerance and other.bottom <= self.bottom + tolerance)

    def overlaps(self, other: Rect) -> bool:
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)


def _length(value: str | None, total: float) -> float | None:
    if value is None:
        return None
    return float(value[:-1]) * total / 100 if value.endswith("%") else float(value)


def _axis(start_s, size_s, end_s, total: float) -> tuple[float, float]:
    start, size, end = (_length(v, total) for v in (start_s, size_s, end_s))
    if size is None:
        start, end = start or 0.0, end or 0.0
        return start, total - start - end
    if start is not None:
        return start, size
    if end is not None:
        return total - end - size, size
    return (total - size) / 2, size  # a size alone: centred


@dataclass(kw_only=True)
class Panel(Box):
    """A coloured rectangle behind the content; an edge on the trim line runs on into the bleed."""

    color: ColorRole
    """Palette role to fill with."""
    tint: float = field(default=1.0, metadata=spec(min=0.05, max=1.0))
    """Share of the colour's ink (0.1 gives a light tint), in CMYK."""
    when: str | None = None
    """Draw only when this variable has a value (e.g. ``hotline``, for the panel behind it)."""


@dataclass(kw_only=True)
class TextBox(Box):
    """Where one text goes and how it looks; shrunk (never clipped) to fit, else a build error."""

    show: Content | None = None
    """A field of the print item to show (``headline``, ``points`` ...); or give ``text``."""
    text: str | None = None
    """A fixed text with variables: ``{locality.name}``, ``{hotline}``, ``{issuer}``, ``{date}``,
    ``{url.short}``, ``{spot.times}`` ...  A part between `` · `` whose variable has no value is
    left out (and the box, when no part is left); a variable no locality has, or anything else in
    braces, is an error.  ``{{`` and ``}}`` print a brace."""
    font: Weight = "Regular"
    """Be Vietnam Pro weight."""
    size: float = field(metadata=spec(min=MIN_BODY_PT, max=400.0))
    """Largest font size in points; the text shrinks from here until it fits."""
    min_size: float = field(default=MIN_BODY_PT, metadata=spec(min=MIN_BODY_PT, max=400.0))
    """Smallest font size in points; text that does not fit even at this size fails the build."""
    leading: float = field(default=1.3, metadata=spec(min=1.1, max=3.0))
    """Baseline distance as a multiple of the size (raised further where tall glyphs need it)."""
    color: ColorRole = "text"
    """Palette role of the letters."""
    align: Literal["left", "center", "right"] = "left"
    """Horizontal alignment of each line."""
    valign: Literal["top", "middle", "bottom"] = "top"
    """Where the text sits in its box when it is shorter than the box."""
    upper: bool = False
    """Print in capitals (issuer lines, labels)."""
    gap: float = field(default=0.6, metadata=spec(min=0.0, max=3.0))
    """Space between list entries and paragraphs, as a multiple of the size."""
    marker_color: ColorRole = "accent"
    """Bullet colour for ``points``, disc colour for ``steps``."""
    marker_text: ColorRole = "text"
    """Colour of the digits on the ``steps`` discs."""
    when: str | None = None
    """Show only when this variable has a value (e.g. a label above ``{hotline}``)."""

    def check(self, ctx: ProblemSink) -> None:
        """Exactly one of ``show`` and ``text``; a minimum no larger than the size."""
        super().check(ctx)
        if (self.show is None) == (self.text is None):
            ctx.error(self, None, _("give either 'show' (an item field) or 'text', not both or neither"))
        if self.min_size > self.size:
            ctx.error(self, "min_size", _("must not exceed size ({size} pt)").format(size=f"{self.size:g}"))


@dataclass(kw_only=True)
class ImageBox(Box):
    """Where the QR code or logo goes: the largest square (QR) or the logo's shape inside the box."""

    align: Literal["left", "center", "right"] = "center"
    """Horizontal placement when the image is narrower than the box."""
    valign: Literal["top", "middle", "bottom"] = "middle"
    """Vertical placement when the image is shorter than the box."""
    ground: ColorRole = "white"
    """QR only: colour of the quiet zone square behind the code (keep it light)."""


@dataclass(kw_only=True)
class ChartBox(Box):
    """Where a chart of the ``stats:`` figures goes (drawn as vectors, see :mod:`bzmedia.charts`)."""

    size: float = field(default=24.0, metadata=spec(min=MIN_BODY_PT, max=200.0))
    """Largest label size in points; labels shrink from here until the chart fits."""
    min_size: float = field(default=MIN_BODY_PT, metadata=spec(min=MIN_BODY_PT, max=200.0))
    """Smallest label size in points (a long ranking then shows its first bars and the
    locality's own)."""
    bar: ColorRole = "primary"
    """Colour of the bars."""
    highlight: ColorRole = "accent"
    """Colour of the locality's own bar (also hatched and outlined, so it reads in grey)."""
    color: ColorRole = "text"
    """Colour of the labels, the outline and the target line."""


@dataclass(kw_only=True)
class PageLayout(Located):
    """One page: ground colour, panels, named text boxes, QR code and logo."""

    background: ColorRole = "background"
    """Palette role of the whole page, bleed included."""
    panels: list[Panel] = field(default_factory=list)
    """Rectangles drawn over the background, in order."""
    boxes: dict[str, TextBox] = field(default_factory=dict)
    """Text boxes by name (the name appears in fitting errors)."""
    qr: ImageBox | None = None
    """The QR code of ``campaign.url`` (when the item has ``qr: true``)."""
    logo: ImageBox | None = None
    """``brand.logo``, when the campaign has one."""
    chart: ChartBox | None = None
    """A chart of the ``stats:`` figures (ranking or progress, as the item says)."""


@dataclass(kw_only=True)
class PrintLayout(Located):
    """A whole print layout file."""

    description: str = ""
    """What the layout is for (for people editing the file)."""
    trim: str = field(metadata=spec(check=check_trim))
    """Finished size in millimetres, ``WxH``; ``item`` takes it from the item's ``size``."""
    bleed: float = field(default=3.0, metadata=spec(min=3.0, max=5.0))
    """Background beyond the trim on every side, in millimetres (print shops ask for 3)."""
    safe: float = field(default=6.0, metadata=spec(min=6.0, max=30.0))
    """Margin inside the trim kept free of text, QR and logo, in millimetres."""
    office: Literal["none", "2-up", "4-up"] = "2-up"
    """Default office A4 sheet: 2 or 4 copies per A4 page, or none."""
    pages: list[PageLayout] = field(metadata=spec(min_items=1))
    """The pages, in order (a leaflet has a front and a back)."""

    name: str = field(default="", init=False, compare=False)
    """The name the campaign used for it (set by :func:`load_layout`)."""
    source: str = field(default="", init=False, compare=False)
    """The file as its messages name it (set by :func:`load_layout`)."""

    def trim_size(self, item_size: str | None) -> tuple[float, float] | None:
        """Trim width and height in mm; ``None`` for an ``item`` layout without a size."""
        text = item_size if self.trim == "item" else self.trim
        if not text:
            return None
        width, height = text.split("x")
        return float(width), float(height)

    def shows(self, content: str) -> bool:
        """True when some page has a box showing this item field."""
        return any(box.show == content for page in self.pages for box in page.boxes.values())

    def has_qr(self) -> bool:
        return any(page.qr is not None for page in self.pages)

    def has_logo(self) -> bool:
        return any(page.logo is not None for page in self.pages)

    def has_chart(self) -> bool:
        return any(page.chart is not None for page in self.pages)


def layout_file(name: str, base_dir: Path) -> tuple[Path | None, str | None]:
    """The print layout file a ``layout:`` value names, or ``(None, why not)``."""
    return find_layout(name, base_dir, "print")


def builtin_print_layouts() -> list[str]:
    """Names of the print layouts shipped in ``layouts/`` (slide layouts share the folder)."""
    return builtin_layouts("print")


def load_layout(path: Path, name: str = "") -> tuple[PrintLayout | None, list[Problem]]:
    """Read and check a print layout file; ``(None, problems)`` when it has errors."""
    stat = path.stat()
    return _load_cached(path.resolve(), stat.st_mtime_ns, stat.st_size, name or path.stem, language())


@cache
def _load_cached(path: Path, _mtime: int, _size: int, name: str, lang: str):
    from bzmedia.loadcache import remembered  # across runs too, when the build asks for it

    # the language is part of both keys: the problems remembered are worded in it
    return remembered("print-layout", path, (name, _shown_name(path), lang),
                      lambda: _load_uncached(path, name))


def _load_uncached(path: Path, name: str):
    shown = _shown_name(path)
    layout, problems, objects = read_typed(path, PrintLayout, shown, _("the layout file is empty"))
    if layout is None:
        return None, problems
    layout.name, layout.source = name, shown
    sink = ProblemSink(shown)
    run_checks(objects, sink)
    problems += sink.problems
    if layout.trim != "item":
        problems += [Problem(shown, *obj.mark(fld), obj.keypath(fld), message)
                     for obj, fld, message in check_geometry(layout, layout.trim_size(None))]
    if any(not p.warning for p in problems):
        return None, problems
    return layout, problems


def _shown_name(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_geometry(layout: PrintLayout, trim: tuple[float, float]):
    """What does not fit the page at this trim: ``(object, field, message)`` triples.

    Text, QR and logo must lie inside the safe zone; a QR box must hold a code of at least
    20 mm plus its quiet zone; no box may be empty or inverted.
    """
    width, height = trim
    safe = Rect(layout.safe, layout.safe, width - 2 * layout.safe, height - 2 * layout.safe)
    found = []
    for page in layout.pages:
        placed = [(_("box '{box}'").format(box=name), box) for name, box in page.boxes.items()]
        placed += [(what, box) for what, box in (("qr", page.qr), ("logo", page.logo),
                                                 ("chart", page.chart)) if box]
        for what, box in placed:
            rect = box.rect(width, height)
            if rect.w <= 0 or rect.h <= 0:
                found.append((box, None, _("{what} has no room on a {page} mm page ({box} mm)").format(
                    what=what, page=f"{width:g}x{height:g}", box=f"{rect.w:.1f} x {rect.h:.1f}")))
            elif not safe.contains(rect):
                found.append((box, None, _("{what} reaches into the {safe} mm safe zone of a {page} mm "
                                           "page").format(what=what, safe=f"{layout.safe:g}",
                                                          page=f"{width:g}x{height:g}")))
        if page.qr:
            rect = page.qr.rect(width, height)
            if 0 < min(rect.w, rect.h) < MIN_QR_OUTER_MM:
                found.append((page.qr, None, _("the QR box is {side} mm; it needs at least {least} mm "
                                               "for a 20 mm code and its quiet zone").format(
                    side=f"{min(rect.w, rect.h):.1f}", least=f"{MIN_QR_OUTER_MM:g}")))
    return found


def check_variables(layout: PrintLayout, known: Collection[str]) -> list[tuple[Located, str, str]]:
    """Every variable a ``text`` or ``when`` names that is not in ``known``, and every brace of a
    text that is no variable: ``(object, field, message)`` triples, as :func:`check_geometry`
    gives.  Without it a typo's part, or box, is left out of every copy without a word."""
    found: list[tuple[Located, str, str]] = []
    for page in layout.pages:
        for shape in [*page.panels, *page.boxes.values()]:
            if shape.when is not None and shape.when not in known:
                found.append((shape, "when", undefined_variable(shape.when, known)))
            if isinstance(shape, TextBox) and shape.text is not None:
                found += [(shape, "text", message) for message in placeholder_problems(shape.text, known)]
    return found
