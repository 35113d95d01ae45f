"""What a signage job draws: plain data, no Pillow, so planning a build stays light.

``SignageBuilder.jobs()`` builds these for every locality and size while planning (also for a
no-op build); drawing them (``render.py``) and encoding them (``video.py``) happen in workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bzmedia.campaign.signage_layout import SlideLayout
from bzmedia.charts.data import ChartData

FPS = 25
"""Frames a second of every loop (and the unit slide times are rounded to)."""


def frames(seconds: float) -> int:
    """Whole frames for ``seconds`` at 25 fps (the same rounding for every size)."""
    return max(1, round(seconds * FPS))


@dataclass(frozen=True)
class SlideContent:
    """One slide with its variables filled, as the worker sees it."""

    id: str
    kind: str
    title: str | None
    text: str | None
    points: tuple[str, ...]
    seconds: float
    url: str
    chart: ChartData | None = None
    """The figure of a ``chart`` slide (all localities' values, this one's highlighted)."""


@dataclass(frozen=True)
class SlideDeck:
    """Everything needed to draw one locality's slides at one size (a job's inputs)."""

    locality: str
    locality_name: str
    width: int
    height: int
    slides: tuple[SlideContent, ...]
    palette: dict[str, str]
    issuer: str
    logo: Path | None
    layout: SlideLayout

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"
