"""Draw one slide with Pillow from its layout: background, fills, fitted texts, QR code, logo."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from bzmedia.campaign.signage_layout import KindLayout, SlideLayout, TextBox
from bzmedia.errors import BuildError
from bzmedia.signage.deck import SlideContent, SlideDeck
from bzmedia.signage.qr import draw_qr
from bzmedia.signage.textfit import FittedText, TextStyle, fit, font, ink, number_disc

LOGO_UPSCALE_WARNING = 1.5
"""A logo shown this many times larger than its pixels looks blurry on a big screen: warn."""


def display_url(url: str) -> str:
    """An address as people type it: no scheme, no trailing slash."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            url = url[len(scheme):]
    return url.rstrip("/")


def rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def texts_of(slide: SlideContent, issuer: str) -> dict[str, list[str]]:
    """The paragraphs each text role of the layout shows on this slide (empty roles left out)."""
    text = slide.text
    if slide.kind == "cta" and not text:
        text = display_url(slide.url)
    roles = {"title": [slide.title] if slide.title else [],
             "text": [text] if text else [],
             "points": list(slide.points),
             "issuer": [issuer]}
    return {role: paragraphs for role, paragraphs in roles.items() if paragraphs}


class SlidePainter:
    """Draws the slides of one deck; collects warnings for the job context."""

    def __init__(self, deck: SlideDeck, where: dict | None = None) -> None:
        self.deck = deck
        self.places = where or {}
        """``file:line:col: key.path`` per slide id and field, for messages (not in the job key)."""
        self.layout: SlideLayout = deck.layout
        self.variant = self.layout.variant_for(deck.width, deck.height)
        self.short = min(deck.width, deck.height)
        self.smallest = math.ceil(self.layout.min_text * self.short)
        self.warnings: list[str] = []

    def box_px(self, box: list[float]) -> tuple[int, int, int, int]:
        w, h = self.deck.width, self.deck.height
        return round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h)

    def paint(self, slide: SlideContent) -> Image.Image:
        kind: KindLayout = getattr(self.variant, slide.kind)
        palette = self.deck.palette
        image = Image.new("RGB", (self.deck.width, self.deck.height), rgb(palette[kind.background]))
        draw = ImageDraw.Draw(image)
        for fill in kind.fills:
            left, top, right, bottom = self.box_px(fill.box)
            draw.rectangle((left, top, right - 1, bottom - 1), fill=rgb(palette[fill.color]))
        for role, paragraphs in texts_of(slide, self.deck.issuer).items():
            box: TextBox | None = getattr(kind, role)
            if box is None and role == "issuer":
                continue  # the layout decides on which kinds the issuer shows
            if box is None:
                raise BuildError([f"{self.where(slide, role)}: the layout "
                                  f"{self.layout.path.name} has no place for {role} on "
                                  f"{slide.kind} slides ({self.deck.size})"])
            self.draw_text(draw, self.fit(slide, role, paragraphs, box), box)
        if kind.qr is not None:
            draw_qr(draw, slide.url, self.box_px(kind.qr.box), kind.qr.align, self.short,
                    f"{self.where(slide, 'url')}: slide '{slide.id}' at {self.deck.size}")
        if kind.logo is not None and self.deck.logo is not None:
            self.paste_logo(image, kind.logo.box, kind.logo.align)
        return image

    def where(self, slide: SlideContent, role: str) -> str:
        places = self.places.get(slide.id, {})
        if role == "issuer":
            return self.places.get("(issuer)", "campaign.issuer")
        return places.get(role) or places.get(None) or f"signage.slides ({slide.id})"

    def fit(self, slide: SlideContent, role: str, paragraphs: list[str], box: TextBox) -> FittedText:
        box_px = self.box_px(box.box)
        style = TextStyle(box_px, box.weight, box.align, box.valign, box.line_spacing, box.gap,
                          box.marker)
        fitted = fit(paragraphs, style, round(box.size * self.short), self.smallest)
        if fitted is None:
            width, height = box_px[2] - box_px[0], box_px[3] - box_px[1]
            verb = "do" if role == "points" else "does"
            raise BuildError([
                f"{self.where(slide, role)}: slide '{slide.id}' at {self.deck.size} for "
                f"{self.deck.locality} ({self.deck.locality_name}): the {role} {verb} not fit "
                f"its {width}x{height} px box even at the smallest text size allowed "
                f"({self.smallest} px); shorten the text or split the slide"])
        return fitted

    def draw_text(self, draw: ImageDraw.ImageDraw, fitted: FittedText, box: TextBox) -> None:
        palette = self.deck.palette
        color = rgb(palette[box.color])
        fnt = fitted.font
        for entry in fitted.entries:
            if box.marker == "bullet":
                x, y = entry.marker_center
                radius = 0.15 * fitted.size
                draw.ellipse((x - radius, y - radius, x + radius, y + radius),
                             fill=rgb(palette[box.marker_color]))
            elif box.marker == "number":
                self.draw_number(draw, entry.marker_center, entry.number, fitted.size, box)
            for line in entry.lines:
                draw.text((line.x, line.baseline), line.text, font=fnt, fill=color, anchor="ls")

    def draw_number(self, draw, center, number: int, size: int, box: TextBox) -> None:
        radius, digit_size = number_disc(size)
        x, y = center
        draw.ellipse((x - radius, y - radius, x + radius, y + radius),
                     fill=rgb(self.deck.palette[box.marker_color]))
        digits = font("Bold", digit_size)
        left, top, right, bottom = ink(digits, str(number))
        # Centre the digits' ink, not their advance box, so "1" sits in the middle of the disc.
        origin = (x - (left + right) / 2, y - (top + bottom) / 2)
        draw.text(origin, str(number), font=digits, fill=rgb(self.deck.palette[box.marker_text]),
                  anchor="ls")

    def paste_logo(self, image: Image.Image, box: list[float], align: str) -> None:
        left, top, right, bottom = self.box_px(box)
        with Image.open(self.deck.logo) as source:
            logo = source.convert("RGBA")
        scale = min((right - left) / logo.width, (bottom - top) / logo.height)
        size = (max(1, int(logo.width * scale)), max(1, int(logo.height * scale)))
        if scale > LOGO_UPSCALE_WARNING:
            self.warnings.append(f"brand.logo is {logo.width}x{logo.height} px but is shown at "
                                 f"{size[0]}x{size[1]} on {self.deck.size} slides; it will look "
                                 "blurry (use a larger PNG)")
        logo = logo.resize(size, Image.Resampling.LANCZOS)
        x = {"left": left, "center": (left + right - size[0]) // 2, "right": right - size[0]}[align]
        y = (top + bottom - size[1]) // 2
        image.paste(logo, (x, y), logo)
