"""``print:`` — leaflets, posters, stickers and live-read scripts, each from a layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bzmedia.campaign.checking import CheckContext
from bzmedia.campaign.patterns import file_id_check
from bzmedia.campaign.print_layout import PrintLayout, check_geometry, layout_file, load_layout
from bzmedia.campaign.schema import Located, pattern_check, spec
from bzmedia.i18n import N_, _

_SIZE_PATTERN = pattern_check(r"\d{2,4}x\d{2,4}", N_("a size in millimetres written WxH (e.g. 210x99)"))
MIN_SIDE_MM, MAX_SIDE_MM = 20, 2000
"""Below 2 cm nothing legible fits inside the safe zone; above 2 m no print shop prints a sheet."""


def check_size_mm(value: str) -> str | None:
    """A ``WxH`` size in millimetres whose sides a print shop can print."""
    message = _SIZE_PATTERN(value)
    if message:
        return message
    if not all(MIN_SIDE_MM <= int(side) <= MAX_SIDE_MM for side in value.split("x")):
        return _("'{value}': each side must be between {least} and {most} mm").format(
            value=value, least=MIN_SIDE_MM, most=MAX_SIDE_MM)
    return None

DEFAULT_LAYOUT = {"leaflet": "leaflet-a5", "poster": "poster-a3", "sticker": "sticker",
                  "script": "script-a4", "chart": "chart-a3"}
"""The built-in layout each kind uses when ``layout`` is not given."""
ITEM_ID = file_id_check("ban-in-")
"""An item's id is the stem of its PDFs (``<item>.pdf``, ``<item>-office-a4.pdf``)."""


@dataclass(kw_only=True)
class PrintItem(Located):
    """One entry of ``print:`` — a printed piece, built for every locality."""

    id: str = field(metadata=spec(check=ITEM_ID))
    """File name, e.g. ``to-roi`` gives ``print/to-roi.pdf`` and ``to-roi-office-a4.pdf``."""
    kind: Literal["leaflet", "poster", "sticker", "script", "chart"]
    """What it is; picks the default layout (``chart``: a poster of the ``stats:`` figures,
    ``chart-a3``; ``chart-a4`` is the A4 one)."""
    layout: str | None = None
    """A built-in layout name or a layout ``.yaml`` inside the campaign folder; by default
    ``leaflet-a5``, ``poster-a3``, ``sticker`` (``sticker-portrait`` when ``size`` is taller
    than wide), ``script-a4`` or ``chart-a3``, after ``kind``."""
    headline: str | None = None
    """The big line at the top (required except for ``script``, which defaults to
    "Bản đọc trực tiếp trên loa truyền thanh")."""
    subhead: str | None = None
    """A line under the headline."""
    points: list[str] = field(default_factory=list, metadata=spec(max_items=50))
    """Key points, as short bullet lines."""
    steps: list[str] = field(default_factory=list, metadata=spec(max_items=50))
    """Numbered steps (how to install, what to do)."""
    steps_title: str = "Các bước thực hiện"
    """The heading above the numbered steps, e.g. "Cài đặt trong 4 bước"."""
    body: str | None = None
    """Running text, where the layout has room for it."""
    footer: str | None = None
    """Small print at the bottom (issuer, date, hotline are added by the layout)."""
    size: str | None = field(default=None, metadata=spec(check=check_size_mm))
    """Trim size in millimetres (WxH) for layouts without a fixed size, such as ``sticker``."""
    spot: str | None = None
    """For ``script``: the id of the audio spot to print for live reading."""
    office: Literal["none", "2-up", "4-up"] | None = None
    """Office A4 sheet: 2 or 4 copies per A4 page; default from the layout."""
    qr: bool = True
    """Print ``campaign.url`` as a QR code where the layout has a place for it."""
    chart: Literal["ranking", "progress"] | None = None
    """Where the layout has a chart: ``ranking`` (every locality, largest first, this one
    highlighted; the default) or ``progress`` (this locality's figure against the target)."""

    @property
    def layout_name(self) -> str:
        """The layout asked for, or the default of the item's kind (an upright sticker gets the
        portrait sticker layout)."""
        if self.layout:
            return self.layout
        if self.kind == "sticker" and self.size and check_size_mm(self.size) is None:
            width, height = (int(v) for v in self.size.split("x"))
            if height > width:
                return "sticker-portrait"
        return DEFAULT_LAYOUT[self.kind]

    def load_layout(self, base_dir: Path):
        """``(layout or None, problems, why not)`` for this item's layout."""
        path, why = layout_file(self.layout_name, base_dir)
        if path is None:
            return None, [], why
        layout, problems = load_layout(path, self.layout_name)
        return layout, problems, None

    def check(self, ctx: CheckContext) -> None:
        """Rules the script alone decides: the layout exists and is valid, it fits the item's
        size, the item has what the layout needs and the layout shows what the item says."""
        if self.headline is None and self.kind != "script":
            ctx.error(self, None, _("a {kind} needs a 'headline'").format(kind=self.kind))
        layout, problems, why = self.load_layout(ctx.base_dir)
        # Items sharing a broken layout file report its problems once.
        ctx.problems.extend(p for p in problems if p not in ctx.problems)
        if why:
            ctx.error(self, "layout" if self.layout else "kind", why)
        if layout is None:
            return
        self._check_size(ctx, layout)
        self._check_spot(ctx, layout)
        self._check_chart(ctx, layout)
        for content in ("subhead", "points", "steps", "body", "footer"):
            if getattr(self, content) and not layout.shows(content):
                ctx.warning(self, content, _("layout '{layout}' has no place for {key}; it is not "
                                             "printed").format(layout=self.layout_name, key=content))
        for content in ("points", "steps"):
            if layout.shows(content) and not getattr(self, content):
                ctx.warning(self, None, _("layout '{layout}' has room for {key} and this item gives "
                                          "none; that part of the page stays empty").format(
                    layout=self.layout_name, key=content))

    def _check_size(self, ctx: CheckContext, layout: PrintLayout) -> None:
        if layout.trim != "item":
            if self.size:
                ctx.warning(self, "size", _("layout '{layout}' has a fixed size ({trim} mm); size is "
                                            "ignored").format(layout=self.layout_name, trim=layout.trim))
            return
        if not self.size:
            ctx.error(self, None, _("layout '{layout}' takes its size from the item: add size: WxH "
                                    "in millimetres (e.g. 210x99)").format(layout=self.layout_name))
            return
        found = check_geometry(layout, layout.trim_size(self.size))
        if found:
            more = ""
            if len(found) > 1:
                more = _(" (and {count} more at this size)").format(count=len(found) - 1)
            ctx.error(self, "size", _("{size} mm is too small for layout '{layout}': {reason}{more}").format(
                size=self.size, layout=self.layout_name, reason=found[-1][2], more=more))

    def _check_spot(self, ctx: CheckContext, layout: PrintLayout) -> None:
        if not layout.shows("script"):
            if self.spot:
                ctx.warning(self, "spot", _("layout '{layout}' prints no spot text; spot is "
                                            "ignored").format(layout=self.layout_name))
            return
        spots = [s.id for s in ctx.campaign.audio.spots] if ctx.campaign.audio else []
        if not self.spot:
            ctx.error(self, None, _("layout '{layout}' prints an audio spot for live reading: add "
                                    "spot: <id of an audio spot>").format(layout=self.layout_name))
        elif self.spot not in spots:
            known = ", ".join(spots) if spots else _("none (the script has no audio: section)")
            ctx.error(self, "spot", _("'{spot}' is not the id of an audio spot; spots: {known}").format(
                spot=self.spot, known=known))

    def _check_chart(self, ctx: CheckContext, layout: PrintLayout) -> None:
        if not layout.has_chart():
            if self.chart:
                ctx.warning(self, "chart", _("layout '{layout}' has no chart; chart is ignored").format(
                    layout=self.layout_name))
            return
        if ctx.campaign.stats is None:
            ctx.error(self, "layout" if self.layout else "kind",
                      _("layout '{layout}' draws a chart of the figures of stats:, and this script "
                        "has no stats: block; add one (see content/dak-nong-2020.yaml) or use another "
                        "layout").format(layout=self.layout_name))
            return
        self._check_chart_fits(ctx, layout)

    def _check_chart_fits(self, ctx: CheckContext, layout: PrintLayout) -> None:
        """The chart's names fit its box at the layout's smallest label size (as the build draws)."""
        from bzmedia.charts.data import chart_data
        from bzmedia.charts.fit import ChartDoesNotFit, ChartStyle, fit_chart
        from bzmedia.printing.textfit import PT_PER_MM

        data, trim = chart_data(ctx.campaign, None, self.chart or "ranking"), layout.trim_size(self.size)
        if data is None or trim is None:
            return
        for page in layout.pages:
            if page.chart is None:
                continue
            rect = page.chart.rect(*trim)
            try:
                fit_chart(data, ChartStyle({}, page.chart.size, page.chart.min_size),
                          rect.w * PT_PER_MM, rect.h * PT_PER_MM)
            except ChartDoesNotFit as exc:
                ctx.error(self, "layout" if self.layout else "kind", _(
                    "layout '{layout}': {reason}; use a larger layout or shorter locality names").format(
                    layout=self.layout_name, reason=exc))
