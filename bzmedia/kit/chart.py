"""The ranking chart on the kit page: one PNG per locality, its own bar highlighted.

Drawn by :mod:`bzmedia.charts` (the same drawing as the slides and the poster) into
``<locality>/chart/xep-hang.png``, so it travels with the locality's files; the page shows it
with a text alternative that says what it shows (the locality's own place and the first), and the
whole ranking once, as a table (:meth:`KitCharts.page_table`).  Planning builds only plain data here.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from bzmedia.builder import JobContext, Output, OutputKind
from bzmedia.charts.data import Bar, ChartData, chart_data

CHART_FILE = "chart/xep-hang.png"
TABLE_TITLE = "Số liệu xếp hạng"
"""The page's table of the whole ranking (shown once, above the localities)."""
WIDTH = 1000
"""Pixels across: sharp in the page's 1100 px column and on phones (the image scales down)."""
LABEL_PX, MIN_LABEL_PX = 30, 24
"""Label sizes at 1000 px wide: readable when a phone shows the chart about 360 px across."""


@dataclass(frozen=True)
class ChartJob:
    """A ``chart`` job's inputs: the ranking and the campaign's colours it is drawn in."""

    chart: ChartData
    colors: dict[str, str]
    """Colour of each part of the drawing (``bar``, ``highlight``, ``outline``, ``text``)."""
    ground: str
    """The background colour."""


class KitCharts:
    """The chart jobs' inputs of one plan: the ranking is read once and each locality's chart is
    it with that locality highlighted (at 120 communes, reading it per locality was 14,400 rows
    on every build's planning)."""

    def __init__(self, campaign) -> None:
        self.ranking = chart_data(campaign, None, "ranking")
        colors = campaign.brand.colors
        self.colors = {"bar": colors.primary, "highlight": colors.accent,
                       "outline": colors.text, "text": colors.text}
        self.ground = colors.background
        self._bar_of = {bar.id: bar for bar in self.ranking.bars} if self.ranking else {}

    def inputs(self, loc_id: str) -> ChartJob | None:
        """What the chart job of ``loc_id`` draws (as ``chart_data(campaign, loc_id, ...)``)."""
        if self.ranking is None:
            return None
        return ChartJob(self.ranking.seen_from(loc_id), self.colors, self.ground)

    def page_chart(self, loc_id: str) -> dict[str, str]:
        """The locality's chart as the page's renderer sees it."""
        return {"path": f"{loc_id}/{CHART_FILE}", "alt": chart_alt(self.ranking, self._bar_of.get(loc_id))}

    def page_table(self) -> dict | None:
        """The whole ranking, for the page to show once: ``caption`` and ``rows`` of ``[rank,
        label, shown]``; ``None`` without figures."""
        if self.ranking is None:
            return None
        return {"caption": self.ranking.caption(),
                "rows": [[bar.rank, bar.label, bar.shown] for bar in self.ranking.bars]}


def chart_alt(data: ChartData, own: Bar | None) -> str:
    """A locality's chart in words, for screen readers and when images are off: its own place and
    the first, as the picture shows them.  Every figure is in the page's table, once: written into
    every locality's alt text it was 120 copies of 120 figures at 120 communes (358 KB, a seventh
    of the page), read out in full by a screen reader at each commune."""
    first, count = data.bars[0], len(data.bars)
    place = (f"{own.label} đứng thứ {own.rank}/{count} với {own.shown}" if own is not None
             else "địa phương này chưa có số liệu")
    # with a tie at the top, "the first" is whoever the picture puts there, and it leads with others
    top = "" if own is not None and own.rank == first.rank else f"; đứng đầu: {first.label} với {first.shown}"
    return f"Biểu đồ xếp hạng – {data.caption()}: {place}{top}. Số liệu đủ: bảng “{TABLE_TITLE}” ở đầu trang."



def make_chart(loc_id: str, inputs: ChartJob, ctx: JobContext) -> list[Output]:
    from bzmedia.charts.raster import render_png, rgb_style  # reportlab, pdfium: in the worker

    data = inputs.chart
    height = min(1400, 150 + 58 * len(data.bars))
    style = rgb_style(inputs.colors, LABEL_PX, MIN_LABEL_PX, inputs.ground)
    image = render_png(data, WIDTH, height, style)
    relative = f"{loc_id}/{CHART_FILE}"
    with ctx.open_path(relative) as temp:
        chart_png(image, temp)
    return [Output(relative, OutputKind.CHART, {"pixels": f"{WIDTH}x{height}"})]


BAND_ROWS = 64
"""Rows deflated together (:func:`deflate_by_bands`): 64 rows of a 1000 px chart are 192 KB."""
_last_bands: dict[tuple[int, bytes], bytes] = {}
"""(deflate level, sha256 of a band) -> the band deflated, for the bands of the last chart this
process wrote: digests, not the 4 MB of rows (a worker's memory is the build's peak)."""


def chart_png(image, target) -> None:
    """``image`` (RGB) as a PNG written to ``target`` (a path or a binary file): each row
    unfiltered, deflated at level 3 by bands of :data:`BAND_ROWS` rows.

    Every commune's chart is remade when one is added (its rank changes), so this is paid N
    times.  Pillow chooses a filter for every row, which a chart of flat colours does not need:
    for the 1000 x 1400 px chart of 120 communes it took 55 ms at level 3 (57 at level 6, its
    default); unfiltered rows took 24 ms, in 171 KB instead of 192 KB (217 KB at level 6).
    The charts of one ranking differ only in the highlighted bar, so a band the last chart had
    is not deflated again: 20 -> 10 ms a chart, in 176 KB.  The pixels are the same."""
    from bzmedia.pngfile import NONE, png_bytes  # numpy: in the worker

    data = png_bytes(image, 3, NONE, deflate_by_bands)
    if hasattr(target, "write"):
        target.write(data)
    else:
        Path(target).write_bytes(data)


def deflate_by_bands(rows: bytes, level: int, row_bytes: int) -> bytes:
    """The zlib stream of ``rows``: each band of :data:`BAND_ROWS` rows deflated on its own and
    ended by a full flush (so a band's bytes depend on its rows and the level alone, and the file
    on nothing but the pixels), reusing a band the last chart had anywhere if its sha256 is equal."""
    global _last_bands
    step = BAND_ROWS * row_bytes
    pieces, bands = [], {}
    view = memoryview(rows)  # bands without copies
    for start in range(0, len(rows), step):
        band = view[start:start + step]
        key = (level, hashlib.sha256(band).digest())
        deflated = bands.get(key) or _last_bands.get(key)
        if deflated is None:
            compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate: one header below
            deflated = compressor.compress(band) + compressor.flush(zlib.Z_FULL_FLUSH)
        bands[key] = deflated
        pieces.append(deflated)
    _last_bands = bands  # this chart's bands only: the next chart of the ranking shares most
    # zlib's header for this level, the bands, an empty final block, the Adler-32 of the rows
    header = zlib.compress(b"", level)[:2]
    return header + b"".join(pieces) + b"\x03\x00" + struct.pack(">I", zlib.adler32(rows))
