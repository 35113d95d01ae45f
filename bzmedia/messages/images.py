"""Social images, web banners and step images, drawn as one-slide signage decks.

No second text fitter: each image is a slide of the signage channel (same fitting on real glyph
metrics, same safe margins, minimum text size, QR card and quiet zone), laid out by this channel's
own layout files (``layouts/social.yaml``, ``layouts/banner.yaml`` beside this module) and drawn
and stored by :func:`bzmedia.signage.slidestore.stored_slides`, so an image that does not mention
the commune is drawn once for every commune.  Planning only reads the layouts (no Pillow).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from bzmedia.campaign.signage_layout import SlideLayout, load_layout
from bzmedia.errors import BuildError
from bzmedia.signage.deck import SlideContent, SlideDeck

SOCIAL_SIZES = ((1200, 630), (1080, 1080), (1080, 1920))
"""Link preview (Facebook/Zalo), square post, story."""
BANNER_SIZES = ((728, 90), (300, 250), (320, 100))
"""Leaderboard, medium rectangle, mobile banner: what portals and web pages place."""
STEP_SIZE = (1200, 675)
"""Step images of the article (16:9, shown at half size in the text)."""
PALETTE_ROLES = ("primary", "accent", "background", "text", "on_primary")
LAYOUT_DIR = Path(__file__).with_name("layouts")


@functools.cache
def messages_layout(name: str) -> SlideLayout:
    """One of this channel's layouts (read once per process)."""
    layout, problems = load_layout(LAYOUT_DIR / f"{name}.yaml")
    if layout is None:  # an install problem, not the user's: say which file
        raise BuildError([str(p) for p in problems] or [f"cannot read layout {name}.yaml"])
    return layout


@dataclass(frozen=True)
class ImageText:
    """What the images of one locality show (filled texts)."""

    title: str
    url: str
    issuer: str
    steps: tuple[str, ...]
    locality: str
    locality_name: str
    palette: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ImagePlan:
    """The decks of one locality's images and the file each slide becomes."""

    decks: tuple[tuple[SlideDeck, tuple[str, ...], str], ...]
    """(deck, file name per slide, kind of file)."""


def display_url(url: str) -> str:
    """The address as people type it on a phone: no scheme, no ``www.``, no trailing slash."""
    for prefix in ("https://", "http://", "www."):
        url = url.removeprefix(prefix)
    return url.rstrip("/")


def image_plan(text: ImageText, social: bool, steps: bool) -> ImagePlan:
    """Every image of one locality: social sizes (QR), banners (no QR: a banner is a link), steps."""
    decks = []

    def deck(width: int, height: int, layout: str, slides: tuple[SlideContent, ...]) -> SlideDeck:
        return SlideDeck(locality=text.locality, locality_name=text.locality_name, width=width,
                         height=height, slides=slides, palette=dict(text.palette), issuer=text.issuer,
                         logo=None, layout=messages_layout(layout))

    short_url = display_url(text.url)
    if social:
        for width, height in SOCIAL_SIZES:
            slide = SlideContent("mang-xa-hoi", "cta", text.title, short_url, (), 8.0, text.url)
            decks.append((deck(width, height, "social", (slide,)),
                          (f"mang-xa-hoi-{width}x{height}.png",), "social-image"))
        for width, height in BANNER_SIZES:
            slide = SlideContent("banner", "title", text.title, short_url, (), 8.0, text.url)
            decks.append((deck(width, height, "banner", (slide,)), (f"banner-{width}x{height}.png",),
                          "banner"))
    if steps and text.steps:
        slides = tuple(SlideContent(f"buoc-{n}", "points", f"Bước {n}", None, (step,), 8.0, text.url)
                       for n, step in enumerate(text.steps, 1))
        decks.append((deck(*STEP_SIZE, "social", slides), tuple(f"{s.id}.png" for s in slides),
                      "step-image"))
    return ImagePlan(tuple(decks))
