"""Slide layouts (``layouts/slides.yaml`` and campaigns' own): where things go on a screen.

A layout is data: boxes as fractions of the screen's width and height, font sizes as shares of
the screen's short side, colours as *roles* of the campaign palette (``primary``, ``on_primary``
...).  One layout holds variants (landscape, portrait ...) chosen by the screen's aspect ratio,
so any WxH gets a proportional slide.  Layout files are read with the same positioned loader and
schema as campaign scripts, so their mistakes come out as ``file:line:col: key.path: message``.

Besides the shape, :func:`check_layout` enforces what makes a slide legible: every text, QR and
logo box inside the safe margin, every text box on one ground colour (so its contrast can be
checked from the palette alone, see :func:`text_grounds`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from bzmedia.campaign.checking import CheckContext, ProblemSink
from bzmedia.campaign.layout_files import find_layout
from bzmedia.campaign.schema import Located, read_typed, spec
from bzmedia.contrast import MIN_CONTRAST, hex_contrast
from bzmedia.errors import Problem
from bzmedia.i18n import N_, _, language

ColorRole = Literal["primary", "accent", "background", "text", "on_primary"]
"""A colour of ``brand.colors``; layouts never name raw colours, so a palette restyles them."""
Weight = Literal["Regular", "Medium", "SemiBold", "Bold", "ExtraBold", "Black"]
KINDS = ("title", "points", "steps", "cta", "logo", "chart")
TEXT_ROLES = ("title", "text", "points", "issuer")
MIN_TEXT_FLOOR = 0.03
"""No layout may allow text smaller than 3 % of the short side (32 px at 1080p; about 1.6 cm on
a 43-inch panel, 0.8 cm on a 21-inch elevator screen): below that, text is unreadable from the
metre or two people stand from such screens."""


def _box_check(value: list[float]) -> str | None:
    if len(value) != 4:
        return _("a box is [left, top, right, bottom], 4 numbers; got {count}").format(count=len(value))
    left, top, right, bottom = value
    if not all(0.0 <= v <= 1.0 for v in value):
        return _("box values are fractions of the screen, between 0 and 1")
    if right <= left or bottom <= top:
        return _("a box needs right > left and bottom > top")
    return None


@dataclass(kw_only=True)
class Fill(Located):
    """A coloured rectangle drawn behind the texts (a headline band, a footer strip)."""

    box: list[float] = field(metadata=spec(check=_box_check))
    """[left, top, right, bottom] as fractions of width and height; may reach the screen edge."""
    color: ColorRole
    """Palette role to fill with."""


@dataclass(kw_only=True)
class TextBox(Located):
    """Where one text goes and how it looks; it is shrunk (never clipped) to fit its box."""

    box: list[float] = field(metadata=spec(check=_box_check))
    """[left, top, right, bottom] as fractions of width and height, inside the safe margin."""
    size: float = field(metadata=spec(min=0.03, max=0.5))
    """Starting font size as a share of the screen's short side; shrunk down to ``min_text``."""
    weight: Weight = "Medium"
    """Be Vietnam Pro weight."""
    color: ColorRole = "text"
    """Palette role of the letters; checked for contrast against what lies under the box."""
    align: Literal["left", "center", "right"] = "left"
    """Horizontal alignment of each line."""
    valign: Literal["top", "middle", "bottom"] = "top"
    """Where the text block sits in its box when it is shorter than the box."""
    line_spacing: float = field(default=1.2, metadata=spec(min=1.0, max=2.5))
    """Baseline distance as a multiple of the font size (raised further where glyphs need it)."""
    gap: float = field(default=0.5, metadata=spec(min=0.0, max=3.0))
    """Extra space between list entries, as a multiple of the font size."""
    marker: Literal["none", "bullet", "number"] = "none"
    """For lists: a dot (``points``) or a numbered disc (``steps``) before each entry."""
    marker_color: ColorRole = "accent"
    """Palette role of the bullet or number disc."""
    marker_text: ColorRole = "text"
    """Palette role of the digits on a number disc (checked against ``marker_color``)."""


@dataclass(kw_only=True)
class ImageBox(Located):
    """Where the QR code or the logo goes; the image keeps its proportions inside the box."""

    box: list[float] = field(metadata=spec(check=_box_check))
    """[left, top, right, bottom] as fractions of width and height, inside the safe margin."""
    align: Literal["left", "center", "right"] = "center"
    """Horizontal placement when the image is narrower than the box."""


@dataclass(kw_only=True)
class ChartBox(Located):
    """Where a chart slide's figure goes (:mod:`bzmedia.charts`); labels shrink, never clip."""

    box: list[float] = field(metadata=spec(check=_box_check))
    """[left, top, right, bottom] as fractions of width and height, inside the safe margin."""
    size: float = field(default=0.045, metadata=spec(min=0.03, max=0.2))
    """Largest label size as a share of the screen's short side; shrunk down to ``min_text``
    (a long ranking then shows its first bars and the locality's own)."""
    bar: ColorRole = "primary"
    """Palette role of the bars."""
    highlight: ColorRole = "accent"
    """Palette role of the locality's own bar (also hatched and outlined, so it reads in grey)."""
    color: ColorRole = "text"
    """Palette role of the labels, the outline and the target line."""


@dataclass(kw_only=True)
class KindLayout(Located):
    """How one slide kind looks: ground colour, fills, and a box per thing it shows."""

    background: ColorRole = "background"
    """Palette role of the whole slide."""
    fills: list[Fill] = field(default_factory=list)
    """Rectangles drawn over the background, in order."""
    title: TextBox | None = None
    """The slide's ``title``."""
    text: TextBox | None = None
    """The slide's ``text`` (on ``cta`` slides: the address when no text is given)."""
    points: TextBox | None = None
    """The slide's ``points`` (a list: use ``marker``)."""
    issuer: TextBox | None = None
    """The campaign's issuer (``campaign.issuer``), e.g. on the logo band."""
    qr: ImageBox | None = None
    """The QR code of the address (``cta`` slides)."""
    logo: ImageBox | None = None
    """``brand.logo``, when the campaign has one."""
    chart: ChartBox | None = None
    """The chart (``chart`` slides)."""


@dataclass(kw_only=True)
class Variant(Located):
    """The layout of every kind for one range of aspect ratios."""

    min_aspect: float = field(metadata=spec(min=0.0, max=10.0))
    """Used for screens whose width / height is at least this (the largest match wins)."""
    title: KindLayout
    """``title`` slides: the big message."""
    points: KindLayout
    """``points`` slides: key points."""
    steps: KindLayout
    """``steps`` slides: numbered steps."""
    cta: KindLayout
    """``cta`` slides: call to action with QR code and address."""
    logo: KindLayout
    """``logo`` slides: logo and issuer band."""
    chart: KindLayout | None = None
    """``chart`` slides: a chart of the ``stats:`` figures and the locality's own figure."""


@dataclass(kw_only=True)
class SlideLayout(Located):
    """A whole slide layout file."""

    description: str = ""
    """What the layout is for (shown to nobody; for people editing the file)."""
    safe_margin: float = field(default=0.05, metadata=spec(min=0.05, max=0.2))
    """Share of width and height kept free of text, QR and logo on every side (at least 5 %)."""
    min_text: float = field(default=0.035, metadata=spec(min=MIN_TEXT_FLOOR, max=0.2))
    """Smallest font size text may shrink to, as a share of the screen's short side."""
    variants: dict[str, Variant] = field(metadata=spec(min_items=1))
    """Named variants, e.g. ``landscape`` and ``portrait``; one needs ``min_aspect: 0``."""

    path: Path = field(default=Path("slides.yaml"), init=False, repr=False, compare=False)
    """The file it was read from (set by :func:`load_layout`)."""

    def variant_for(self, width: int, height: int) -> Variant:
        """The variant for a ``width`` x ``height`` screen: the largest ``min_aspect`` it reaches."""
        aspect = width / height
        fitting = [v for v in self.variants.values() if v.min_aspect <= aspect]
        return max(fitting, key=lambda v: v.min_aspect)

    def variant_name(self, variant: Variant) -> str:
        return next(name for name, v in self.variants.items() if v is variant)


def layout_file(name: str, base_dir: Path) -> tuple[Path | None, str | None]:
    """The slide layout file a ``layout:`` value names, or ``(None, why not)``."""
    return find_layout(name, base_dir, "slide")


def load_layout(path: Path, shown_name: str | None = None) -> tuple[SlideLayout | None, list[Problem]]:
    """Read and check a slide layout file; ``(None, problems)`` when it has errors.

    Remembered per process by path, modification time and size, as print layouts are: validation,
    planning and the messages' images each ask for the same layout (4 reads of one file before).
    """
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return _load_uncached(path, shown_name or str(path))
    layout, problems = _load_cached(path, stat.st_mtime_ns, stat.st_size, shown_name or str(path), language())
    return layout, list(problems)


@cache
def _load_cached(path: Path, _mtime: int, _size: int, shown: str, lang: str):
    from bzmedia.loadcache import remembered  # across runs too, when the build asks for it

    # the language is part of both keys: the problems remembered are worded in it
    return remembered("slide-layout", path, (shown, lang), lambda: _load_uncached(path, shown))


def _load_uncached(path: Path, shown: str) -> tuple[SlideLayout | None, list[Problem]]:
    layout, problems, _objects = read_typed(path, SlideLayout, shown, _("the layout file is empty"))
    if layout is None:
        return None, problems
    layout.path = path
    problems += check_layout(layout, shown)
    if any(not p.warning for p in problems):
        return None, problems
    return layout, problems


def check_layout(layout: SlideLayout, shown_name: str) -> list[Problem]:
    """Rules across fields: a fallback variant, boxes in the safe margin, one ground per text."""
    sink = ProblemSink(shown_name)
    error = sink.error
    if not any(v.min_aspect == 0 for v in layout.variants.values()):
        error(layout, "variants", _("one variant needs min_aspect: 0, so every screen has a layout"))
    seen: dict[float, str] = {}
    for name, variant in layout.variants.items():
        # Two variants with one min_aspect: which serves a screen would hang on their order in
        # the file, which the kit's keys do not see (a reordered file would keep the old slides).
        if variant.min_aspect in seen:
            error(variant, "min_aspect", _("the same as variant {other}'s ({value:g}): one of the two "
                                           "would never be used").format(other=seen[variant.min_aspect],
                                                                         value=variant.min_aspect))
        seen.setdefault(variant.min_aspect, name)
    lo, hi = layout.safe_margin, 1.0 - layout.safe_margin
    for variant in layout.variants.values():
        for kind in KINDS:
            kind_layout: KindLayout | None = getattr(variant, kind)
            if kind_layout is None:  # only chart may be left out (a layout older than charts)
                continue
            for role in (*TEXT_ROLES, "qr", "logo", "chart"):
                box = getattr(kind_layout, role)
                if box is not None and not all(lo - 1e-9 <= v <= hi + 1e-9 for v in box.box):
                    error(box, "box", _("must lie inside the {margin} safe margin (every value between "
                                        "{least} and {most})").format(
                        margin=f"{layout.safe_margin:.0%}", least=f"{lo:g}", most=f"{hi:g}"))
            for role in (*TEXT_ROLES, "chart"):
                box = getattr(kind_layout, role)
                if box is not None and ground_of(kind_layout, box.box) is None:
                    error(box, "box", _("the text box straddles the edge of a fill; a text must sit "
                                        "on one colour so its contrast can be checked"))
    return sink.problems


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (outer[0] <= inner[0] and outer[1] <= inner[1]
            and inner[2] <= outer[2] and inner[3] <= outer[3])


def _overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def ground_of(kind_layout: KindLayout, box: list[float]) -> str | None:
    """The palette role under ``box``: the topmost fill that holds it, else the background.

    ``None`` when a fill covers only part of the box (the text would sit on two colours).
    """
    for fill in reversed(kind_layout.fills):
        if _inside(box, fill.box):
            return fill.color
        if _overlaps(box, fill.box):
            return None
    return kind_layout.background


def text_grounds(layout: SlideLayout, kinds: set[str]) -> list[tuple[str, str, TextBox]]:
    """Every (letters, ground, box) colour-role pair the layout uses for these slide kinds."""
    pairs = []
    for variant in layout.variants.values():
        for kind in KINDS:
            if kind not in kinds:
                continue
            kind_layout: KindLayout | None = getattr(variant, kind)
            if kind_layout is None:
                continue
            for role in (*TEXT_ROLES, "chart"):
                box = getattr(kind_layout, role)
                if box is None:
                    continue
                ground = ground_of(kind_layout, box.box)
                if ground is not None:
                    pairs.append((box.color, ground, box))
                if getattr(box, "marker", None) == "number":  # a chart box has no marker
                    pairs.append((box.marker_text, box.marker_color, box))
    return pairs


ROLE_FIELDS = {"title": "title", "text": "text", "points": "points"}
"""Slide fields and the layout text box that shows each."""


def check_layout_and_palette(ctx: CheckContext, signage) -> None:
    """``signage.layout`` must load, hold every slide's content, and keep text legible.

    Layout-file problems are reported in the layout file; missing places and low contrast in the
    script, where the user can act on them.
    """
    path, why = layout_file(signage.layout, ctx.base_dir)
    if path is None:
        ctx.error(signage, "layout", why)
        return
    shown = str(path)
    if path.is_relative_to(ctx.base_dir.resolve()):
        shown = str(Path(ctx.shown_name).parent / path.relative_to(ctx.base_dir.resolve()))
    layout, problems = load_layout(path, shown)
    ctx.problems.extend(problems)
    if layout is None:
        return
    for slide in signage.slides:
        _check_places(ctx, layout, slide)
        _check_chart_fits(ctx, layout, signage, slide)
    kinds = {slide.kind for slide in signage.slides}
    report_low_contrast(ctx, text_grounds(layout, kinds), "slides", set())


CONTRAST_SUBJECTS = (N_("slides"), N_("message images"))
"""What ``report_low_contrast``'s callers pass as ``what`` (translated there, listed here for the
catalog)."""


def report_low_contrast(ctx: CheckContext, grounds, what: str, reported: set) -> None:
    """An error at the brand colour for each text/ground pair of ``grounds`` below WCAG AA;
    ``reported`` holds the pairs already told (one message per pair, however many boxes)."""
    colors = ctx.campaign.brand.colors
    for fg, bg, _box in grounds:
        fg_hex, bg_hex = getattr(colors, fg), getattr(colors, bg)
        ratio = hex_contrast(fg_hex, bg_hex)
        if ratio < MIN_CONTRAST and (fg, bg) not in reported:
            reported.add((fg, bg))
            ctx.error(colors, fg, _("{what} draw {fg} {fg_hex} on {bg} {bg_hex}: contrast {ratio}:1, "
                                    "below the {least}:1 text needs (WCAG AA); darken or lighten one of "
                                    "them").format(what=_(what), fg=fg, fg_hex=fg_hex, bg=bg, bg_hex=bg_hex,
                                                   ratio=f"{ratio:.2f}", least=MIN_CONTRAST))


def _check_chart_fits(ctx: CheckContext, layout: SlideLayout, signage, slide) -> None:
    """A chart's names must fit its box at every screen size (measured as the build draws them)."""
    from bzmedia.charts.data import chart_data
    from bzmedia.charts.fit import ChartDoesNotFit, ChartStyle, fit_chart

    data = chart_data(ctx.campaign, None, slide.chart or "ranking") if slide.kind == "chart" else None
    if data is None:
        return
    for width, height in signage.size_pairs():
        kind_layout = getattr(layout.variant_for(width, height), "chart", None)
        if kind_layout is None or kind_layout.chart is None:
            continue
        box, short = kind_layout.chart.box, min(width, height)
        smallest = math.ceil(layout.min_text * short)
        style = ChartStyle({}, max(round(kind_layout.chart.size * short), smallest), smallest)
        try:
            fit_chart(data, style, round(box[2] * width) - round(box[0] * width),
                      round(box[3] * height) - round(box[1] * height))
        except ChartDoesNotFit as exc:
            ctx.error(slide, "chart" if slide.chart else "kind", _(
                "at {size}: {reason}; use a layout with a larger chart box or shorter locality "
                "names").format(size=f"{width}x{height}", reason=exc))
            return


def _check_places(ctx: CheckContext, layout: SlideLayout, slide) -> None:
    for name, variant in layout.variants.items():
        kind_layout: KindLayout | None = getattr(variant, slide.kind)
        if kind_layout is None:
            ctx.error(slide, "kind", _("layout '{layout}' has no {kind} slides ({variant} variant); add "
                                       "them (see the built-in slides.yaml)").format(
                layout=layout.path.name, kind=slide.kind, variant=name))
            continue
        wanted = [role for role, attr in ROLE_FIELDS.items() if getattr(slide, attr)]
        if slide.kind == "cta":
            wanted += ["text", "qr"]
        if slide.kind == "logo":
            wanted.append("logo")
        if slide.kind == "chart":
            wanted.append("chart")
        for role in dict.fromkeys(wanted):
            if getattr(kind_layout, role) is None:
                field_name = role if role in ROLE_FIELDS else None
                ctx.error(slide, field_name, _("layout '{layout}' has no place for {role} on {kind} "
                                               "slides ({variant} variant)").format(
                    layout=layout.path.name, role=role, kind=slide.kind, variant=name))
    if slide.kind == "logo" and not ctx.campaign.brand.logo:
        ctx.error(slide, "kind", _("a logo slide shows brand.logo; add brand.logo (a PNG) or use "
                                   "kind title"))
