"""``signage:`` — looped slides for elevator and lobby screens."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bzmedia.campaign.checking import CheckContext
from bzmedia.campaign.patterns import SLUG, URL
from bzmedia.campaign.schema import Located, pattern_check, spec
from bzmedia.campaign.variables import check_not_blank_when_filled
from bzmedia.i18n import N_, _

PIXELS = pattern_check(r"[1-9]\d{2,4}x[1-9]\d{2,4}", N_("a screen size in pixels WxH (e.g. 1920x1080)"))
MIN_SIDE, MAX_SIDE = 320, 4096
"""Screens smaller than 320 px cannot show legible slides; H.264 (level 5.1) stops at 4096."""
LEVEL_40_MACROBLOCKS = 8192
"""H.264 level 4.0 (what cheap players decode) holds frames up to 8192 macroblocks (1920x1088)."""
MAX_WORDS = 20
"""More words than this cannot be read in the seconds a slide shows."""
SYLLABLES_PER_WORD = 1.5
"""Vietnamese is written syllable by syllable ("cài đặt", "điện thoại" are one word each); a
word averages about one and a half syllables, so 20 words are about 30 space-separated tokens."""
NEEDS = {"title": ("title",), "points": ("points",), "steps": ("points",), "cta": (), "logo": (),
         "chart": ("title",)}
"""What each slide kind cannot do without."""


@dataclass(kw_only=True)
class Slide(Located):
    """One entry of ``signage.slides:``, in loop order."""

    id: str = field(metadata=spec(check=SLUG))
    """File name, e.g. ``cai-dat`` gives ``02-cai-dat.png``."""
    kind: Literal["title", "points", "steps", "cta", "logo", "chart"]
    """``title`` (big message), ``points`` (key points), ``steps`` (numbered), ``cta`` (call to
    action with QR code and URL), ``logo`` (logo and issuer band), ``chart`` (a chart of the
    ``stats:`` figures, the locality's own bar highlighted)."""
    title: str | None = None
    """The slide's heading (required on ``title`` slides)."""
    text: str | None = None
    """A line or two under the heading; on ``cta`` slides the line beside the QR code (the
    address without ``https://`` when left out); on ``chart`` slides the locality's own figure
    (``huyện Đắk Mil: 8.713 lượt cài đặt, thứ 2/8`` when left out)."""
    points: list[str] = field(default_factory=list, metadata=spec(max_items=50))
    """Bullet points (``points``) or steps (``steps``)."""
    seconds: float | None = field(default=None, metadata=spec(min=2.0, max=60.0))
    """How long the slide shows; defaults to ``signage.seconds``."""
    url: str | None = field(default=None, metadata=spec(check=URL))
    """For ``cta``: the address in the QR code; defaults to ``campaign.url``.  Not filled with variables."""
    chart: Literal["ranking", "progress"] | None = None
    """For ``chart``: ``ranking`` (every locality's figure, largest first; the default) or
    ``progress`` (the locality's own figure against the target, or against the largest figure
    when the ``stats:`` have no populations)."""


@dataclass(kw_only=True)
class SignageSpec(Located):
    """``signage:`` — slides for screens, every size for every locality."""

    sizes: list[str] = field(default_factory=lambda: ["1920x1080", "1080x1920"],
                             metadata=spec(max_items=20))
    """Screen sizes in pixels (WxH); any size from 320 to 4096 px a side."""
    seconds: float = field(default=8.0, metadata=spec(min=2.0, max=60.0))
    """Default time each slide shows."""
    crossfade: float = field(default=0.5, metadata=spec(min=0.0, max=3.0))
    """Crossfade between slides in the MP4 and the slideshow, in seconds (0: hard cut)."""
    layout: str = "slides"
    """A built-in slide layout name or a layout ``.yaml`` inside the campaign folder."""
    jpeg: bool = False
    """Also write baseline JPEG copies for players that take nothing else."""
    video: bool = True
    """Write ``loop.mp4``."""
    audio_track: bool = False
    """Give the MP4 a silent AAC track (some players refuse video without sound)."""
    rotate_portrait: bool = False
    """Also write portrait loops turned into a landscape frame (``loop-rotated.mp4``), for TVs
    mounted sideways."""
    rotate_direction: Literal["clockwise", "counterclockwise"] = "counterclockwise"
    """Which way ``loop-rotated.mp4`` is turned: counterclockwise suits a TV turned clockwise."""
    slides: list[Slide] = field(metadata=spec(min_items=1, max_items=100))
    """The slides, in loop order."""

    def check(self, ctx: CheckContext) -> None:
        """Sizes, timing, what each slide needs, word counts, the layout and palette contrast."""
        self._check_sizes(ctx)
        shortest = min(s.seconds or self.seconds for s in self.slides)
        if self.crossfade * 2 > shortest:
            ctx.error(self, "crossfade", _("{crossfade} s is more than half the shortest slide "
                                           "({shortest} s); make it at most {most}").format(
                crossfade=f"{self.crossfade:g}", shortest=f"{shortest:g}", most=f"{shortest / 2:g}"))
        for slide in self.slides:
            _check_slide(ctx, slide)
        from bzmedia.campaign.signage_layout import check_layout_and_palette

        check_layout_and_palette(ctx, self)

    def _check_sizes(self, ctx: CheckContext) -> None:
        for i, size in enumerate(self.sizes):
            message = PIXELS(size)
            if message:
                ctx.error(self, "sizes", _("entry {number}: {message}").format(number=i + 1, message=message))
                continue
            width, height = (int(v) for v in size.split("x"))
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                ctx.error(self, "sizes", _("entry {number}: {size}: each side must be between {least} "
                                           "and {most} pixels").format(
                    number=i + 1, size=size, least=MIN_SIDE, most=MAX_SIDE))
            elif self.video and -(-width // 16) * -(-height // 16) > LEVEL_40_MACROBLOCKS:
                ctx.warning(self, "sizes", _("entry {number}: {size} is larger than H.264 level 4.0 "
                                             "allows; loop.mp4 will be level 5.1, which many cheap "
                                             "players cannot play").format(number=i + 1, size=size))
        if len(set(self.sizes)) != len(self.sizes):
            ctx.error(self, "sizes", _("a size is listed twice"))

    def size_pairs(self) -> list[tuple[int, int]]:
        """The sizes as (width, height)."""
        return [tuple(int(v) for v in size.split("x")) for size in self.sizes]


def syllables_of(slide: Slide) -> int:
    """Space-separated tokens a viewer has to read on the slide (a placeholder counts as one)."""
    texts = [slide.title or "", slide.text or "", *slide.points]
    return sum(len(re.findall(r"\w+", text)) for text in texts)


def _check_slide(ctx: CheckContext, slide: Slide) -> None:
    for needed in NEEDS[slide.kind]:
        if not getattr(slide, needed):
            ctx.error(slide, None, _("a {kind} slide needs '{key}'").format(kind=slide.kind, key=needed))
    if "title" in NEEDS[slide.kind] and slide.title:  # elsewhere a title may be left out
        check_not_blank_when_filled(ctx, slide, "title", _("the title"), slide.title)
    if slide.kind not in ("points", "steps") and slide.points:
        ctx.error(slide, "points", _("a {kind} slide shows no points; use kind points or steps, or "
                                     "remove them").format(kind=slide.kind))
    if slide.kind != "cta" and slide.url:
        ctx.error(slide, "url", _("only cta slides show an address; a {kind} slide has no QR "
                                  "code").format(kind=slide.kind))
    _check_chart(ctx, slide)
    count = syllables_of(slide)
    if count > MAX_WORDS * SYLLABLES_PER_WORD:
        ctx.warning(slide, None, _("{count} syllables, about {words} words; a slide read in passing "
                                   "should carry at most about {most} words").format(
            count=count, words=round(count / SYLLABLES_PER_WORD), most=MAX_WORDS))


def _check_chart(ctx: CheckContext, slide: Slide) -> None:
    """A chart draws the ``stats:`` figures: without them there is nothing to draw."""
    if slide.kind != "chart":
        if slide.chart:
            ctx.error(slide, "chart", _("only chart slides draw a chart; use kind chart or remove it"))
        return
    if ctx.campaign.stats is None:
        ctx.error(slide, "kind", _("a chart slide draws the figures of stats:, and this script has "
                                   "no stats: block; add one (see content/dak-nong-2020.yaml) or "
                                   "use another kind"))
