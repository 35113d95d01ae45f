"""The two figures as reportlab graphics ``Drawing``s: a ranking of all localities, one's progress.

Units are whatever the caller draws in: points for a PDF, pixels for a raster (one unit = one
pixel there).  Text is Be Vietnam Pro (the print channel's embedded TrueType), measured with
:mod:`bzmedia.fontmetrics`, whose widths equal reportlab's.  The locality of the kit is set apart
by a dark outline, hatching and bold labels, never by colour alone, so the chart reads in grey
and for colour-blind viewers.  reportlab is imported here: only make-time code imports this.
"""

from __future__ import annotations

from typing import NamedTuple

from reportlab.graphics.shapes import Drawing, Line, Rect, String

from bzmedia.charts.data import ChartData
from bzmedia.charts.fit import (
    BOLD,
    REGULAR,
    ROW,
    ChartDoesNotFit,
    ChartStyle,
    RankingFit,
    fit_progress,
    fit_ranking,
    progress_label,
    width_of,
)
from bzmedia.printing.fonts import face

__all__ = ["Chart", "ChartDoesNotFit", "ChartStyle", "chart_drawing"]

class Chart(NamedTuple):
    """A drawn figure and the label size it settled on (the smallest text it holds)."""

    drawing: Drawing
    label_size: float


def _text(x, y, text, weight, size, color, anchor="start") -> String:
    return String(x, y, text, fontName=face(weight).name, fontSize=size, fillColor=color,
                  textAnchor=anchor)


def new_drawing(width: float, height: float, style: ChartStyle) -> Drawing:
    """An empty drawing whose initial font is Be Vietnam Pro: renderPDF sets the initial font on
    the canvas, and its default (Helvetica) would be named, unembedded, in the PDF."""
    drawing = Drawing(width, height, initialFontName=face(REGULAR).name, initialFontSize=style.size)
    _ground(drawing, style, width, height)
    return drawing


def _ground(drawing: Drawing, style: ChartStyle, width: float, height: float) -> None:
    if style.colors.get("ground") is not None:
        drawing.add(Rect(0, 0, width, height, fillColor=style.colors["ground"], strokeColor=None))


def hatched_bar(drawing: Drawing, x, y, w, h, style: ChartStyle, size: float) -> None:
    """The highlighted bar: filled, hatched with 45-degree lines kept inside it, outlined dark."""
    outline = style.colors["outline"]
    drawing.add(Rect(x, y, w, h, fillColor=style.colors["highlight"], strokeColor=None))
    step = max(size * 0.45, 3.0)
    offset = step
    while offset < w + h:  # lines x - y = const, clipped to the rectangle by hand
        x0, y0 = x + max(0.0, offset - h), y + min(h, offset)
        x1, y1 = x + min(w, offset), y + max(0.0, offset - w)
        drawing.add(Line(x0, y0, x1, y1, strokeColor=outline, strokeWidth=max(size * 0.07, 1.0)))
        offset += step
    drawing.add(Rect(x, y, w, h, fillColor=None, strokeColor=outline,
                     strokeWidth=max(size * 0.12, 1.5)))


# -- ranking -------------------------------------------------------------------------------------
def ranking_drawing(data: ChartData, width: float, height: float, style: ChartStyle) -> Chart:
    """All localities, largest first; the kit's own highlighted; the target as a dashed line."""
    fit = fit_ranking(data, style, width, height)
    size, colors = fit.size, style.colors
    drawing = new_drawing(width, height, style)
    plot_w = width - fit.label_w - fit.value_w
    top = max(data.bars[0].value, data.target or 0.0) if data.measure == "percent" else data.bars[0].value
    scale = plot_w / top if top > 0 else 0.0
    # Rows spread over the room the box gives (up to half as tall again), not bunched at the top.
    room = height - fit.header - size * (1.45 * len(fit.caption_lines) + 0.3)
    row_h = min(room / len(fit.rows), ROW * size * 1.5)
    y_top = height - fit.header
    for index, (bar, label) in enumerate(zip(fit.rows, fit.labels, strict=True)):
        middle = y_top - (index + 0.5) * row_h
        baseline = middle - 0.36 * size
        own = bar is not None and bar.id == data.highlight
        weight = BOLD if own else REGULAR
        drawing.add(_text(fit.label_w - size * 0.4, baseline, label, weight, size, colors["text"], "end"))
        if bar is None:
            continue
        bar_w, bar_h = max(bar.value * scale, 1.0), 0.6 * row_h
        if own:
            hatched_bar(drawing, fit.label_w, middle - bar_h / 2, bar_w, bar_h, style, size)
        else:
            drawing.add(Rect(fit.label_w, middle - bar_h / 2, bar_w, bar_h,
                             fillColor=colors["bar"], strokeColor=None))
        drawing.add(_text(fit.label_w + bar_w + size * 0.3, baseline, bar.shown, weight, size,
                          colors["text"]))
    if fit.header:
        _target_line(drawing, data, fit, scale, y_top, y_top - len(fit.rows) * row_h, style)
    # The caption follows the last row (the room left for it is at least its lines' height).
    y_bottom = y_top - len(fit.rows) * row_h
    for n, caption in enumerate(fit.caption_lines):
        drawing.add(_text(0, y_bottom - size * (1.15 + 1.45 * n), caption, REGULAR, size, colors["text"]))
    return Chart(drawing, size)


def _target_line(drawing, data: ChartData, fit: RankingFit, scale, y_top, y_bottom, style) -> None:
    size, color = fit.size, style.colors["outline"]
    x = fit.label_w + data.target * scale
    drawing.add(Line(x, y_bottom, x, y_top + size * 0.2, strokeColor=color,
                     strokeWidth=max(size * 0.1, 1.5), strokeDashArray=[size * 0.45, size * 0.3]))
    label = data.target_text()
    half = width_of(label, BOLD, size) / 2
    centre = min(max(x, half), drawing.width - half)
    drawing.add(_text(centre, y_top + size * 0.5, label, BOLD, size, style.colors["text"], "middle"))


# -- progress ------------------------------------------------------------------------------------
def progress_drawing(data: ChartData, width: float, height: float, style: ChartStyle) -> Chart:
    """One locality's figure on a track: a share against 0-100 % and the target, or a count
    against the largest count of the area (a count has no target of its own)."""
    own = data.own  # None: a locality without a figure gets an empty track
    leader = data.bars[0]
    size, captions = fit_progress(data, style, width, height)
    drawing = new_drawing(width, height, style)
    percent = data.measure == "percent"
    top = 100.0 if percent else leader.value
    mark, mark_text = ((data.target, data.target_text()) if percent and data.target is not None
                       else (leader.value, f"Cao nhất: {leader.label} {leader.shown}"))
    track_h = min(size * 2.6, height * 0.3)
    block = size * 1.9 + track_h + size * 1.9 + size * 1.45 * len(captions)
    y = (height + block) / 2 - size * 1.9 - track_h  # the track's bottom edge
    scale = width / top if top > 0 else 0.0
    value_x = min(own.value * scale, width) if own is not None else 0.0
    value_size = size * 1.2
    drawing.add(Rect(0, y, width, track_h, fillColor=style.colors.get("ground"),
                     strokeColor=style.colors["outline"], strokeWidth=max(size * 0.06, 1.0)))
    if own is not None:
        hatched_bar(drawing, 0, y, max(value_x, 1.0), track_h, style, size)
    text = progress_label(data)
    anchor_x = min(value_x, width - width_of(text, BOLD, value_size))
    drawing.add(_text(max(anchor_x, 0), y + track_h + size * 0.5, text, BOLD, value_size,
                      style.colors["text"]))
    edge = max(size * 0.12, 1.5)  # the line's width: kept whole inside the box at the right end
    mark_x = min(mark * scale, width - edge / 2)
    drawing.add(Line(mark_x, y - size * 0.4, mark_x, y + track_h,  # below the label over the bar
                     strokeColor=style.colors["outline"], strokeWidth=edge,
                     strokeDashArray=[size * 0.45, size * 0.3]))
    half = width_of(mark_text, REGULAR, size) / 2
    drawing.add(_text(min(max(mark_x, half), width - half), y - size * 1.45, mark_text, REGULAR, size,
                      style.colors["text"], "middle"))
    for n, caption in enumerate(captions):
        drawing.add(_text(0, y - size * (3.1 + 1.45 * n), caption, REGULAR, size, style.colors["text"]))
    return Chart(drawing, size)


def chart_drawing(data: ChartData, width: float, height: float, style: ChartStyle) -> Chart:
    """The figure ``data.kind`` names."""
    make = ranking_drawing if data.kind == "ranking" else progress_drawing
    return make(data, width, height, style)
