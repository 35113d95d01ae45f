"""What a chart shows, as plain frozen data built while planning (no reportlab, no Pillow).

The figures come from the ``stats:`` block as the loader left them: each locality's count in its
``{installs}`` variable (written ``13.404``) and, when populations are known, its share in
``{percent}`` (``8,82 %``).  With a share for every locality the ranking compares shares and can
draw the target (a share of the population) as a line; with counts alone it compares counts,
and the target, which is a share, is said in words under the chart instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from bzmedia.campaign.stats import count_text, date_text, parse_count, parse_percent, percent_text, ranks

ChartKind = Literal["ranking", "progress"]
LEVEL_PREFIX = re.compile(r"^(thành phố|thị xã|thị trấn|huyện|quận|xã|phường|tỉnh)\s+", re.IGNORECASE)
"""Administrative levels before a name: every bar of a ranking has the same kind of place, so the
chart labels say "Gia Nghĩa", not "thành phố Gia Nghĩa" (the slide's own text keeps the level)."""


@dataclass(frozen=True)
class Bar:
    """One locality in a chart."""

    id: str
    label: str
    """The name without its administrative level (``Đắk Mil``)."""
    value: float
    """The count, or the share in percent."""
    shown: str
    """The value written the Vietnamese way: ``13.404`` or ``8,82 %``."""
    rank: int


@dataclass(frozen=True)
class ChartData:
    """A chart's content: bars largest first, the locality to highlight, the target."""

    kind: ChartKind
    bars: tuple[Bar, ...]
    highlight: str | None
    """The id of the locality whose kit this is (``None``: a campaign-wide chart)."""
    measure: Literal["count", "percent"]
    unit: str
    """What is counted, e.g. ``lượt cài đặt``."""
    date: str
    """When it was counted, ``13/8/2020``."""
    target: float | None
    """The target share in percent (drawn as a line only when ``measure`` is ``percent``)."""
    target_date: str

    def seen_from(self, locality_id: str | None) -> ChartData:
        """This chart with ``locality_id``'s bar highlighted (none if it has no bar)."""
        return replace(self, highlight=locality_id if any(b.id == locality_id for b in self.bars) else None)

    @property
    def own(self) -> Bar | None:
        return next((bar for bar in self.bars if bar.id == self.highlight), None)

    def target_text(self) -> str:
        """``Mục tiêu 60 %``, or ``""`` without a target."""
        if self.target is None:
            return ""
        return f"Mục tiêu {percent_text(self.target)}"

    def caption(self) -> str:
        """One line under a chart: what, when, and the target when the bars cannot show it."""
        what = "Tỷ lệ cài đặt" if self.measure == "percent" else (self.unit or "Số liệu").capitalize()
        line = f"{what}, {self.date}"
        if self.target is not None and self.measure == "count":
            due = f" đến {self.target_date}" if self.target_date else ""
            line += f" · {self.target_text()} dân số{due}"
        return line

    def figure_line(self, name: str) -> str:
        """The locality's own figure as a sentence for a slide: ``huyện Đắk Mil: 8.713 lượt cài
        đặt, thứ 2/8``."""
        bar = self.own
        if bar is None:
            return self.caption()
        unit = f" {self.unit}" if self.unit and self.measure == "count" else ""
        line = f"{name}: {bar.shown}{unit}, thứ {bar.rank}/{len(self.bars)}"
        if self.kind == "progress" and self.target is not None and self.measure == "percent":
            line += f" · mục tiêu {percent_text(self.target)}"
        return line


def short_label(name: str) -> str:
    """``thành phố Gia Nghĩa`` -> ``Gia Nghĩa`` (kept whole when nothing would remain)."""
    stripped = LEVEL_PREFIX.sub("", name.strip())
    return stripped or name.strip()


def chart_data(campaign, locality_id: str | None, kind: ChartKind) -> ChartData | None:
    """The chart of ``campaign``'s figures seen from ``locality_id``; ``None`` without figures."""
    stats = campaign.stats
    if stats is None:
        return None
    rows = tuple((loc.id, loc.name, loc.vars.get(stats.name, ""), loc.vars.get("percent"))
                 for loc in campaign.localities)
    figures = _figures(rows)
    if figures is None:
        return None
    bars, measure = figures
    whole = ChartData(kind=kind, bars=bars, highlight=None, measure=measure, unit=stats.unit,
                      date=date_text(stats.date),
                      target=parse_percent(stats.target) if stats.target is not None else None,
                      target_date=date_text(stats.target_date) if stats.target_date else "")
    return whole.seen_from(locality_id)


@lru_cache(maxsize=8)
def _figures(rows: tuple[tuple[str, str, str, str | None], ...]):
    """The bars of the localities' ``(id, name, count, percent)`` rows, and what they measure.

    Remembered: planning asks for the same figures for every locality's slides and posters (at
    120 communes 360 times, each parsing 120 counts); the bars are then the same objects in every
    job's inputs, so their fingerprint is encoded once.
    """
    counts, shares = {}, {}
    for loc_id, name, raw_count, raw_share in rows:
        count = parse_count(raw_count)
        if count is not None:
            counts[loc_id] = (name, count)
        share = parse_percent(raw_share) if raw_share is not None else None
        if share is not None:
            shares[loc_id] = share
    if not counts:
        return None
    by_share = bool(shares) and set(shares) == set(counts)
    values = {key: (shares[key] if by_share else float(count)) for key, (_, count) in counts.items()}
    ordered = sorted(counts, key=lambda key: (-values[key], counts[key][0]))
    rank_of = ranks(values)  # one sort, not a count per bar
    bars = tuple(Bar(key, short_label(counts[key][0]), values[key],
                     percent_text(values[key]) if by_share else count_text(counts[key][1]), rank_of[key])
                 for key in ordered)
    return bars, "percent" if by_share else "count"
