"""``signage:`` — looped slides for elevator and lobby screens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bzmedia.campaign.schema import Located, pattern_check, spec

SLIDE_ID = pattern_check(r"[a-z0-9][a-z0-9-]{0,62}", "a valid id (lowercase a-z, digits, '-')")
PIXELS = pattern_check(r"[1-9]\d{2,4}x[1-9]\d{2,4}", "a screen size in pixels WxH (e.g. 1920x1080)")


@dataclass(kw_only=True)
class Slide(Located):
    """One entry of ``signage.slides:``, in loop order."""

    id: str = field(metadata=spec(check=SLIDE_ID))
    """File name, e.g. ``cai-dat`` gives ``02-cai-dat.png``."""
    kind: Literal["title", "points", "steps", "cta", "logo"]
    """``title`` (big message), ``points`` (key points), ``steps`` (numbered), ``cta`` (call to
    action with QR code and URL), ``logo`` (logo and issuer band)."""
    title: str | None = None
    """The slide's heading."""
    text: str | None = None
    """A line or two under the heading."""
    points: list[str] = field(default_factory=list)
    """Bullet points (``points``) or steps (``steps``)."""
    seconds: float | None = field(default=None, metadata=spec(min=2.0, max=60.0))
    """How long the slide shows; defaults to ``signage.seconds``."""


@dataclass(kw_only=True)
class SignageSpec(Located):
    """``signage:`` — slides for screens, every size for every locality."""

    sizes: list[str] = field(default_factory=lambda: ["1920x1080", "1080x1920"])
    """Screen sizes in pixels (WxH)."""
    seconds: float = field(default=8.0, metadata=spec(min=2.0, max=60.0))
    """Default time each slide shows."""
    crossfade: float = field(default=0.5, metadata=spec(min=0.0, max=3.0))
    """Crossfade between slides in the MP4, in seconds (0: hard cut)."""
    layout: str = "slides"
    """A built-in slide layout name or a layout ``.yaml`` inside the campaign folder."""
    jpeg: bool = False
    """Also write baseline JPEG copies for players that take nothing else."""
    video: bool = True
    """Write ``loop.mp4``."""
    audio_track: bool = False
    """Give the MP4 a silent AAC track (some players refuse video without sound)."""
    rotate_portrait: bool = False
    """Also write portrait loops rotated into a landscape frame, for TVs mounted sideways."""
    slides: list[Slide] = field(metadata=spec(min_items=1))
    """The slides, in loop order."""

    def check(self, ctx) -> None:
        """Every size must be WxH (checked here so each bad entry is reported)."""
        for i, size in enumerate(self.sizes):
            message = PIXELS(size)
            if message:
                ctx.error(self, "sizes", f"entry {i + 1}: {message}")
