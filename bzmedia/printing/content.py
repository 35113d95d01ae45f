"""What a print job prints, from the resolved campaign: the :class:`Piece` of an item and locality.

Pure (no reportlab): the build's planning and ``bzmedia validate`` both make pieces, and
validate fits their text without importing any drawing library.
"""

from __future__ import annotations

from bzmedia.audio.script import REPEAT_INTRO, said_in_order
from bzmedia.campaign.model import Campaign, Locality
from bzmedia.campaign.print_spec import PrintItem
from bzmedia.campaign.variables import locality_variables
from bzmedia.charts.data import chart_data
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.printing.piece import Piece
from bzmedia.text.phrases import split_paragraphs
from bzmedia.text.urls import display_url
from bzmedia.text.written_dates import long_date, short_date

SCRIPT_HEADLINE = "Bản đọc trực tiếp trên loa truyền thanh"
"""Headline of a live-read script that does not give its own."""


def make_piece(campaign: Campaign, locality: Locality, item: PrintItem) -> Piece:
    """Everything one job needs, from the campaign with ``locality``'s variables filled."""
    layout, problems, why = item.load_layout(campaign.base_dir)
    if layout is None:  # the loader reports this first; reached only with an unchecked campaign
        details = why or "; ".join(str(p) for p in problems)
        raise BuildError([f"{item.where(campaign.source, 'layout')}: {details}"])
    trim = layout.trim_size(item.size)
    if trim is None:
        raise BuildError([f"{item.where(campaign.source)}: " + _("layout '{layout}' needs size: WxH").format(
            layout=layout.name)])
    values = template_values(campaign, locality)
    content = item_content(item)
    if layout.shows("script"):
        content["script"], spot_values = spot_script(campaign, item)
        values.update(spot_values)
        content.setdefault("headline", [[SCRIPT_HEADLINE, None]])
    return Piece(
        item=item.id, kind=item.kind, layout=layout, trim=trim,
        office=item.office or layout.office, content=content, values=values,
        colors={role: getattr(campaign.brand.colors, role)
                for role in ("primary", "accent", "background", "text", "on_primary")},
        url=campaign.campaign.url, qr=item.qr,
        logo=campaign.asset(campaign.brand.logo) if campaign.brand.logo else None,
        title=campaign.campaign.title, locality=locality.name,
        chart=chart_data(campaign, locality.id, item.chart or "ranking") if layout.has_chart() else None)


def item_content(item: PrintItem) -> dict[str, list[list[str | None]]]:
    """The item's texts as entries ``[text, marker]``."""
    single = {name: getattr(item, name) for name in ("headline", "subhead", "footer")}
    if item.steps:  # a heading over no steps would promise what the page does not hold
        single["steps_title"] = item.steps_title
    content: dict[str, list[list[str | None]]] = {
        name: [[text, None]] for name, text in single.items() if text}
    content["points"] = [[text, "bullet"] for text in item.points]
    content["steps"] = [[text, str(n)] for n, text in enumerate(item.steps, 1)]
    content["body"] = [[p, None] for p in split_paragraphs(item.body or "")]
    return content


def template_values(campaign: Campaign, locality: Locality) -> dict[str, str]:
    """Variables a layout's fixed texts may use: the locality's, plus dates and the short URL."""
    values = locality_variables(campaign, locality)
    if not campaign.localities:
        values["locality.name"] = ""  # the stand-in locality is the issuer: print it only once
    info = campaign.campaign
    values["url.short"] = display_url(info.url)
    values["campaign.title"] = info.title
    if info.date:
        values["date"] = short_date(info.date)
        values["date.long"] = long_date(info.date)
    return values


SPOT_VARIABLES = ("spot.title", "spot.times", "spot.repeat", "spot.reading", "spot.days")
"""What :func:`spot_script` adds to the variables of a layout that prints an audio spot."""


def layout_variable_names(campaign: Campaign, shows_script: bool) -> frozenset[str]:
    """Every variable a layout's text may name in this campaign: a part whose variable is empty
    for some locality is left out of its copy, a name no locality has is a typo.

    Those of :func:`template_values`, which differ between localities only by their ``vars``;
    ``hotline`` and the dates, which some localities or campaigns leave out; and, on a layout
    that prints a spot, :data:`SPOT_VARIABLES`.
    """
    names = set(template_values(campaign, campaign.kit_localities()[0]))
    names.update(("hotline", "date", "date.long"))
    for locality in campaign.localities:
        names.update(locality.vars)
    if shows_script:
        names.update(SPOT_VARIABLES)
    return frozenset(names)


def spot_script(campaign: Campaign, item: PrintItem):
    """The spot's words as an operator reads them (ident, text, closing) and its facts."""
    audio = campaign.audio
    spot = next((s for s in audio.spots if s.id == item.spot), None) if audio else None
    if spot is None:  # the loader reports this first
        raise BuildError([f"{item.where(campaign.source, 'spot')}: "
                          + _("'{spot}' is not an audio spot").format(spot=item.spot)])
    parts = []
    # Read once as written; the operator repeats it as "spot.reading" says.
    ident, closing = audio.framing(spot)
    for section, written in said_in_order(ident, spot.text, 1, closing):
        # The text by the paragraphs the announcer's audio reads; ident and closing whole.
        parts += split_paragraphs(written) if section == "text" else [written]
    start, end = audio.broadcast_days(campaign.campaign)
    repeat_intro = REPEAT_INTRO.rstrip(".")
    values = {
        "spot.title": spot.title or spot.id,
        "spot.times": " · ".join(audio.times_for(spot)),
        "spot.repeat": str(spot.repeat),
        "spot.reading": ("Đọc 1 lần" if spot.repeat == 1 else
                         f"Đọc {spot.repeat} lần; từ lần thứ hai mở đầu bằng “{repeat_intro}”"),
        "spot.days": f"{short_date(start)} – {short_date(end)}" if start and end else "",
    }
    return [[text, None] for text in parts], values
