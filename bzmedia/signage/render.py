"""Draw one slide with Pillow from its layout: background, fills, fitted texts, QR code, logo."""

from __future__ import annotations

import functools

from PIL import Image, ImageDraw, ImageFont

from bzmedia.campaign.assets import upright_logo
from bzmedia.campaign.signage_layout import KindLayout, TextBox
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.resources import font_path
from bzmedia.signage.deck import SlideContent, SlideDeck
from bzmedia.signage.qr import draw_qr
from bzmedia.signage.textfit import (  # noqa: F401 (display_url, texts_of: this module's old API)
    FittedText,
    SlideFitter,
    display_url,
    ink,
    number_disc,
    pen_positions,
    texts_of,
)

LOGO_UPSCALE_WARNING = 1.5
"""A logo shown this many times larger than its pixels looks blurry on a big screen: warn."""


def rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@functools.cache
def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    """Be Vietnam Pro at ``size`` pixels for drawing single glyphs (cached per process).

    The basic layout draws each character as the font's own glyph, no shaping: positions come
    from the fit (:func:`~bzmedia.signage.textfit.pen_positions`), the same with or without raqm.
    """
    return ImageFont.truetype(str(font_path(weight)), size, layout_engine=ImageFont.Layout.BASIC)


def draw_glyphs(draw: ImageDraw.ImageDraw, weight: str, size: int, text: str, x: float,
                baseline: float, fill) -> None:
    """``text`` drawn glyph by glyph at the pen positions the fit measured."""
    fnt = font(weight, size)
    for char, pen in pen_positions(weight, size, text, x):
        draw.text((pen, baseline), char, font=fnt, fill=fill, anchor="ls")


class SlidePainter(SlideFitter):
    """Draws the slides of one deck; collects warnings for the job context."""

    def __init__(self, deck: SlideDeck, where: dict | None = None) -> None:
        super().__init__(deck, where)
        self.warnings: list[str] = []

    def paint(self, slide: SlideContent) -> Image.Image:
        kind: KindLayout = getattr(self.variant, slide.kind)
        palette = self.deck.palette
        image = Image.new("RGB", (self.deck.width, self.deck.height), rgb(palette[kind.background]))
        draw = ImageDraw.Draw(image)
        for fill in kind.fills:
            left, top, right, bottom = self.box_px(fill.box)
            draw.rectangle((left, top, right - 1, bottom - 1), fill=rgb(palette[fill.color]))
        for role, paragraphs, box in self.boxes(slide):
            self.draw_text(draw, self.fit(slide, role, paragraphs, box), box)
        if kind.qr is not None:
            draw_qr(draw, slide.url, self.box_px(kind.qr.box), kind.qr.align, self.short,
                    f"{self.where(slide, 'url')}: slide '{slide.id}' at {self.deck.size}")
        if kind.logo is not None and self.deck.logo is not None:
            self.paste_logo(image, kind.logo.box, kind.logo.align)
        if slide.kind == "chart":
            self.paste_chart(image, slide, kind)
        return image

    def paste_chart(self, image: Image.Image, slide: SlideContent, kind: KindLayout) -> None:
        """The slide's chart, drawn by :mod:`bzmedia.charts` at the box's exact pixel size on
        the colour under it; labels from the box's size down to the layout's smallest text."""
        from bzmedia.campaign.signage_layout import ground_of
        from bzmedia.charts.draw import ChartDoesNotFit
        from bzmedia.charts.raster import render_png, rgb_style

        box = kind.chart
        if box is None or slide.chart is None:
            why = (_("chart slide '{slide}': the layout has no chart box") if box is None
                   else _("chart slide '{slide}': the script has no stats: figures"))
            raise BuildError([f"{self.where(slide, None)}: " + why.format(slide=slide.id)])
        palette = self.deck.palette
        colors = {"bar": palette[box.bar], "highlight": palette[box.highlight],
                  "outline": palette[box.color], "text": palette[box.color]}
        ground = palette[ground_of(kind, box.box) or kind.background]
        left, top, right, bottom = self.box_px(box.box)
        style = rgb_style(colors, max(round(box.size * self.short), self.smallest), self.smallest,
                          ground)
        try:
            chart = render_png(slide.chart, right - left, bottom - top, style)
        except ChartDoesNotFit as exc:
            raise BuildError([f"{self.where(slide, None)}: " + _(
                "slide '{slide}' at {size}: {reason}; use a larger chart box or shorter names").format(
                slide=slide.id, size=self.deck.size, reason=exc)]) from None
        image.paste(chart, (left, top))

    def draw_text(self, draw: ImageDraw.ImageDraw, fitted: FittedText, box: TextBox) -> None:
        palette = self.deck.palette
        color = rgb(palette[box.color])
        for entry in fitted.entries:
            if box.marker == "bullet":
                x, y = entry.marker_center
                radius = 0.15 * fitted.size
                draw.ellipse((x - radius, y - radius, x + radius, y + radius),
                             fill=rgb(palette[box.marker_color]))
            elif box.marker == "number":
                self.draw_number(draw, entry.marker_center, entry.number, fitted.size, box)
            for line in entry.lines:
                draw_glyphs(draw, fitted.weight, fitted.size, line.text, line.x, line.baseline, color)

    def draw_number(self, draw, center, number: int, size: int, box: TextBox) -> None:
        radius, digit_size = number_disc(size)
        x, y = center
        draw.ellipse((x - radius, y - radius, x + radius, y + radius),
                     fill=rgb(self.deck.palette[box.marker_color]))
        left, top, right, bottom = ink("Bold", digit_size, str(number), pad=False)
        # Centre the digits' ink, not their advance box, so "1" sits in the middle of the disc.
        draw_glyphs(draw, "Bold", digit_size, str(number), x - (left + right) / 2,
                    y - (top + bottom) / 2, rgb(self.deck.palette[box.marker_text]))

    def paste_logo(self, image: Image.Image, box: list[float], align: str) -> None:
        left, top, right, bottom = self.box_px(box)
        logo, original, scale = _fitted_logo(self.deck.logo, right - left, bottom - top)
        size = logo.size
        if scale > LOGO_UPSCALE_WARNING:
            self.warnings.append(_(
                "brand.logo is {width}x{height} px but is shown at {shown} on {size} slides; it will look "
                "blurry (use a larger PNG)").format(width=original[0], height=original[1],
                                                    shown=f"{size[0]}x{size[1]}", size=self.deck.size))
        x = {"left": left, "center": (left + right - size[0]) // 2, "right": right - size[0]}[align]
        y = (top + bottom - size[1]) // 2
        image.paste(logo, (x, y), logo)


def _fitted_logo(path, width: int, height: int) -> tuple[Image.Image, tuple[int, int], float]:
    """The logo scaled into a ``width`` x ``height`` box (RGBA), its own size in pixels and the
    scale.

    Every commune's logo slide shows the same logo in the same box: decoding and resampling a
    1200x1200 logo cost ~70 ms per slide, so a worker keeps the result (keyed by the file's
    size and modification time, so an edited logo is read again).
    """
    seen = path.stat()
    key = (str(path), seen.st_size, seen.st_mtime_ns, width, height)
    found = _LOGOS.get(key)
    if found is None:
        logo = upright_logo(path)
        scale = min(width / logo.width, height / logo.height)
        size = (max(1, int(logo.width * scale)), max(1, int(logo.height * scale)))
        found = (logo.resize(size, Image.Resampling.LANCZOS), logo.size, scale)
        if len(_LOGOS) >= 8:  # a few sizes of one logo; never a growing pile of images
            _LOGOS.clear()
        _LOGOS[key] = found
    return found


_LOGOS: dict[tuple, tuple[Image.Image, tuple[int, int], float]] = {}
