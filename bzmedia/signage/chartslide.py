"""A ``chart`` slide's content: the figure's data and, unless the script gives one, its text line.

Kept out of ``builder.py`` (planning imports it for every slide; it stays pure data, no drawing).
"""

from __future__ import annotations

import dataclasses

from bzmedia.charts.data import chart_data
from bzmedia.signage.deck import SlideContent


def chart_content(resolved, locality, slide: SlideContent) -> SlideContent:
    """``slide`` with its chart data (and the locality's own figure as its text when it has
    none); any other kind of slide unchanged."""
    if slide.kind != "chart":
        return slide
    source = next((s for s in resolved.signage.slides if s.id == slide.id), None)
    kind = (source.chart if source is not None else None) or "ranking"
    data = chart_data(resolved, locality.id, kind)
    if data is None:  # validation refuses chart slides without stats:
        return slide
    text = slide.text if slide.text else data.figure_line(locality.name)
    return dataclasses.replace(slide, chart=data, text=text)
