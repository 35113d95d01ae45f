"""Where a chart's labels go and how large they can be, measured without drawing anything.

Pure (the font's own tables through :mod:`bzmedia.fontmetrics`, no reportlab), so ``bzmedia
validate`` can tell that a ranking's names do not fit a chart box before a build starts, by the
same arithmetic the drawing uses.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

from bzmedia.charts.data import Bar, ChartData
from bzmedia.fontmetrics import font_metrics
from bzmedia.i18n import _

SHRINK = 0.94
"""Each try is 6 % smaller, as the text fitting of slides and pages shrinks."""
ROW = 1.6
"""Row height of a ranking, as a multiple of the label size (the bar takes 60 % of it)."""
REGULAR, BOLD = "Medium", "Bold"


class ChartDoesNotFit(ValueError):
    """The chart's labels cannot be set at the smallest size allowed in the room given."""


@dataclass(frozen=True)
class ChartStyle:
    """Colours (reportlab colour objects by role) and label sizes of one chart."""

    colors: dict[str, Any]
    """``bar``, ``highlight``, ``outline`` (the dark edge and hatching), ``text``; ``ground``
    optional (filled behind the chart: raster output needs it, a PDF page has its own)."""
    size: float
    """Largest label size."""
    min_size: float
    """Smallest label size (the slide's or page's legibility floor)."""


def missing_glyphs(data: ChartData) -> dict[str | None, tuple[str, ...]]:
    """Characters the font lacks in each bar's label (by locality id) and, under ``None``, in the
    caption: pdfium would draw each as a gap or a box."""
    caption = data.caption()
    last_bars, last_caption, answer = _LAST_CHART
    if data.bars is last_bars and caption == last_caption:  # every commune's chart, the same bars
        return answer
    answer = {}
    if _missing("".join(bar.label for bar in data.bars) + caption):
        found = {bar.id: _missing(bar.label) for bar in data.bars}
        found[None] = _missing(caption)
        answer = {key: chars for key, chars in found.items() if chars}
    _LAST_CHART[:] = [data.bars, caption, answer]
    return answer


_LAST_CHART: list = [None, None, {}]
"""The bars (held, so compared by identity), caption and answer of the last chart asked about:
validate asks of each commune's chart slide at each size, and all show the same bars."""


@functools.cache
def _missing(text: str) -> tuple[str, ...]:
    # Labels are set in both weights (the kit's own locality in bold): either may lack a character.
    return tuple(sorted({*font_metrics(REGULAR).missing(text), *font_metrics(BOLD).missing(text)}))


def width_of(text: str, weight: str, size: float) -> float:
    return font_metrics(weight).width(text, size)


def sizes(style: ChartStyle) -> list[float]:
    found, size = [], style.size
    while size > style.min_size:
        found.append(size)
        size *= SHRINK
    return [*found, style.min_size]


# -- ranking fit----------------------------------------------------------------------------------
@dataclass
class RankingFit:
    size: float
    rows: list[Bar | None]
    """Bars shown top to bottom; ``None`` marks rows left out of a long ranking."""
    labels: list[str]
    label_w: float
    value_w: float
    header: float
    caption_lines: list[str]


def _window(data: ChartData, rows: int) -> list[Bar | None]:
    """All bars, or the first ones and the kit's own locality when they are too many to show."""
    bars = list(data.bars)
    if len(bars) <= rows:
        return bars
    own = data.own
    if own is None or own in bars[:rows] or rows < 3:  # under 3 rows: no room for the gap row
        return bars[:rows]
    return [*bars[:rows - 2], None, own]


def _caption_lines(caption: str, size: float, width: float) -> list[str]:
    if width_of(caption, REGULAR, size) <= width or " · " not in caption:
        return [caption]
    return caption.split(" · ", 1)


def fit_ranking(data: ChartData, style: ChartStyle, width: float, height: float) -> RankingFit:
    line = data.measure == "percent" and data.target is not None
    # A short ranking may set its labels up to a third larger than the box's size says.
    tries = sizes(ChartStyle(style.colors, style.size * 1.3, style.min_size))
    for size in tries:
        header = size * 1.7 if line else 0.0
        caption = _caption_lines(data.caption(), size, width)
        room = height - header - size * 1.45 * len(caption) - size * 0.3
        rows = _window(data, max(0, math.floor(room / (ROW * size))))
        # Shrink before leaving bars out; at the smallest size show what fits (at least 3).
        if len(rows) < len(data.bars) and (size != tries[-1] or len(rows) < 3):
            continue
        windowed = len(rows) < len(data.bars)
        labels = ["…" if bar is None else (f"{bar.rank}. {bar.label}" if windowed else bar.label)
                  for bar in rows]
        label_w = max(width_of(t, BOLD, size) for t in labels) + size * 0.6
        value_w = max(width_of(b.shown, BOLD, size) for b in rows if b) + size * 0.5
        widest_caption = max(width_of(c, REGULAR, size) for c in caption)
        if width - label_w - value_w >= 0.3 * width and widest_caption <= width:
            return RankingFit(size, rows, labels, label_w, value_w, header, caption)
    raise ChartDoesNotFit(_("the locality names do not fit a {size} chart even at the smallest label "
                            "size, {smallest} (the longest: “{longest}”)").format(
        size=f"{width:.0f} x {height:.0f}", smallest=f"{style.min_size:g}",
        longest=max((b.label for b in data.bars), key=len)))



# -- progress fit --------------------------------------------------------------------------------
def progress_label(data: ChartData) -> str:
    """The line over a progress bar: ``Đắk Mil: 8.713`` (or that the locality has no figure)."""
    own = data.own
    return f"{own.label}: {own.shown}" if own is not None else "Chưa có số liệu"


def _progress_fits(data, leader: Bar, size: float, width: float, height: float,
                   captions: list[str]) -> bool:
    texts = [(progress_label(data), BOLD, size * 1.2),
             (data.target_text() or f"Cao nhất: {leader.label} {leader.shown}", REGULAR, size),
             *((caption, REGULAR, size) for caption in captions)]
    needed = size * 1.9 + min(size * 2.6, height * 0.3) + size * 1.9 + size * 1.45 * len(captions)
    return needed <= height and all(width_of(t, w, s) <= width for t, w, s in texts)


def fit_progress(data: ChartData, style: ChartStyle, width: float, height: float) -> tuple[float, list[str]]:
    """The label size of a progress figure and its caption lines; raises :class:`ChartDoesNotFit`."""
    leader = data.bars[0]
    # One bar and three lines of text: larger type than a ranking's eight rows.
    for size in sizes(ChartStyle(style.colors, style.size * 1.4, style.min_size)):
        captions = _caption_lines(data.caption(), size, width)
        if _progress_fits(data, leader, size, width, height, captions):
            return size, captions
    raise ChartDoesNotFit(_("the progress figure does not fit a {size} box").format(
        size=f"{width:.0f} x {height:.0f}"))


def fit_chart(data: ChartData, style: ChartStyle, width: float, height: float) -> float:
    """The label size the chart of ``data.kind`` takes; raises :class:`ChartDoesNotFit`."""
    if data.kind == "ranking":
        return fit_ranking(data, style, width, height).size
    return fit_progress(data, style, width, height)[0]
