"""Social images, web banners and step images, drawn as one-slide signage decks.

No second text fitter: each image is a slide of the signage channel (same fitting on real glyph
metrics, same safe margins, minimum text size, QR card and quiet zone), laid out by this channel's
own layout files (``layouts/social.yaml``, ``layouts/banner.yaml`` beside this module) and drawn
and stored by :func:`bzmedia.signage.slidestore.stored_slides`, so an image that does not mention
the commune is drawn once for every commune.  Planning only reads the layouts (no Pillow).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from bzmedia.builder import OutputKind
from bzmedia.campaign.signage_layout import SlideLayout, load_layout
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.signage.deck import SlideContent, SlideDeck
from bzmedia.text.urls import display_url

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
        raise BuildError([str(p) for p in problems]
                         or [_("cannot read layout {file}").format(file=f"{name}.yaml")])
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
class ImageSet:
    """Slides of one size and layout, and the file each becomes (no layout object inside: a job's
    inputs carry the layout's name and digest, so planning hashes a few bytes, not a layout)."""

    width: int
    height: int
    layout: str
    slides: tuple[SlideContent, ...]
    names: tuple[str, ...]
    kind: OutputKind


@dataclass(frozen=True)
class ImagePlan:
    """Every image of one locality: what they show and the digests of the layouts they use."""

    text: ImageText
    sets: tuple[ImageSet, ...]
    layouts: tuple[tuple[str, str], ...]
    """(name, digest) of each layout file, so editing one redraws its images."""

    def decks(self) -> list[tuple[SlideDeck, ImageSet]]:
        """The signage decks to draw (the layouts read once per process)."""
        text = self.text
        return [(SlideDeck(locality=text.locality, locality_name=text.locality_name,
                           width=s.width, height=s.height, slides=s.slides,
                           palette=dict(text.palette), issuer=text.issuer, logo=None,
                           layout=messages_layout(s.layout)), s) for s in self.sets]


@functools.cache
def layout_digest(name: str) -> str:
    return hashlib.sha256((LAYOUT_DIR / f"{name}.yaml").read_bytes()).hexdigest()


def image_plan(text: ImageText, social: bool, steps: bool) -> ImagePlan:
    """Every image of one locality: social sizes (QR), banners (no QR: a banner is a link), steps."""
    sets = []
    short_url = display_url(text.url)
    if social:
        for width, height in SOCIAL_SIZES:
            slide = SlideContent("mang-xa-hoi", "cta", text.title, short_url, (), 8.0, text.url)
            sets.append(ImageSet(width, height, "social", (slide,),
                                 (f"mang-xa-hoi-{width}x{height}.png",), OutputKind.SOCIAL_IMAGE))
        for width, height in BANNER_SIZES:
            slide = SlideContent("banner", "title", text.title, short_url, (), 8.0, text.url)
            sets.append(ImageSet(width, height, "banner", (slide,), (f"banner-{width}x{height}.png",),
                                 OutputKind.BANNER))
    if steps and text.steps:
        slides = tuple(SlideContent(f"buoc-{n}", "points", f"Bước {n}", None, (step,), 8.0, text.url)
                       for n, step in enumerate(text.steps, 1))
        sets.append(ImageSet(*STEP_SIZE, "social", slides, tuple(f"{s.id}.png" for s in slides),
                             OutputKind.STEP_IMAGE))
    used = sorted({s.layout for s in sets})
    return ImagePlan(text, tuple(sets), tuple((name, layout_digest(name)) for name in used))
