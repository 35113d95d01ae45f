"""What one print job needs (:class:`Piece`) and its text prepared for the page (:func:`prepare`).

A :class:`Piece` is everything ``make`` may use, built in the main process from the resolved
campaign: the layout, the trim, the item's texts with the locality's variables already filled,
the palette, the URL and the logo file.  It is hashed into the job key, so a changed word, colour
or logo rebuilds exactly the files that show it.

:func:`prepare` fits every text box of every page once; the same fitted text is then drawn on the
print-shop page and, scaled, on the office sheet.  All box problems of a piece are collected
and raised together as one :class:`~bzmedia.errors.BuildError`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bzmedia.campaign.print_layout import PageLayout, PrintLayout, Rect, TextBox
from bzmedia.campaign.variables import PLACEHOLDER, fill
from bzmedia.charts.data import ChartData
from bzmedia.errors import BuildError
from bzmedia.fontmetrics import no_glyph
from bzmedia.i18n import _
from bzmedia.printing.fonts import face
from bzmedia.printing.textfit import PT_PER_MM, DoesNotFit, Entry, Fitted, fit


@dataclass
class Piece:
    """One print item for one locality: the inputs of its job."""

    item: str
    """The item id (file name)."""
    kind: str
    """leaflet, poster, sticker or script."""
    layout: PrintLayout
    """The layout, already loaded and checked."""
    trim: tuple[float, float]
    """Trim width and height in millimetres."""
    office: str
    """``none``, ``2-up`` or ``4-up``."""
    content: dict[str, list[list[str | None]]]
    """Item fields as entries ``[text, marker]``: ``headline``, ``points``, ``script`` ..."""
    values: dict[str, str]
    """Variables for the layout's fixed texts (``locality.name``, ``hotline``, ``date`` ...); the
    job key holds only those the layout shows (:func:`shown_values`)."""
    colors: dict[str, str]
    """``brand.colors``: role -> ``#RRGGBB``."""
    url: str
    """``campaign.url``, printed as the QR code."""
    qr: bool
    """Whether to print the QR code."""
    logo: Path | None
    """``brand.logo`` (hashed by content into the job key)."""
    title: str
    """``campaign.title``, for the PDF's document information."""
    locality: str
    """The locality's display name, for messages."""
    chart: ChartData | None = None
    """The figure of a layout with a chart (all localities' values, this one's highlighted)."""
    where: dict[str, str] = field(default_factory=dict, init=False, compare=False)
    """``file:line:col: key.path`` per item field, for messages; not hashed (it is no ``init``
    field), so moving lines in the script rebuilds nothing. Set from ``Job.where`` in ``make``."""


@dataclass
class PreparedBox:
    """A text box with its rectangle (mm) and the arrangement of its text."""

    name: str
    box: TextBox
    rect: Rect
    fitted: Fitted


@dataclass
class PreparedPage:
    """A page layout with the boxes that have something to show, fitted."""

    layout: PageLayout
    boxes: list[PreparedBox]


def shown_values(piece: Piece) -> dict[str, str]:
    """The variables the piece's layout shows or tests (``when``): all that ``make`` reads."""
    names = _layout_names(piece.layout)
    return {name: value for name, value in piece.values.items() if name in names}


def _layout_names(layout: PrintLayout) -> frozenset[str]:
    names = set()
    for page in layout.pages:
        names.update(panel.when for panel in page.panels if panel.when)
        for box in page.boxes.values():
            if box.when:
                names.add(box.when)
            names.update(m.group(1) for m in PLACEHOLDER.finditer(box.text or "") if m.group(1))
    return frozenset(names)


def nfc(text: str) -> str:
    """Composed Unicode: decomposed input would print its diacritics as separate broken marks."""
    return unicodedata.normalize("NFC", text)


def box_entries(piece: Piece, box: TextBox) -> list[Entry]:
    """The entries a box shows; empty when the item has nothing for it (the box is left out)."""
    if box.when and not piece.values.get(box.when, "").strip():
        return []
    if box.show is not None:
        raw = piece.content.get(box.show, [])
        entries = [Entry(nfc(text), marker) for text, marker in raw if text and text.strip()]
    else:
        text = fill_parts(box.text or "", piece.values)
        entries = [Entry(nfc(text))] if text else []
    if box.upper:
        entries = [Entry(nfc(e.text.upper()), e.marker) for e in entries]
    return entries


def fill_parts(template: str, values: dict[str, str]) -> str:
    """``template`` filled in; a part between `` · `` whose variable has no value is left out
    (``{issuer} · {date}`` without a date prints the issuer alone), and so is a box with none."""
    parts = []
    for part in template.split(" · "):
        missing: list[str] = []
        text = fill(part, values, missing.append)
        names = [m.group(1) for m in PLACEHOLDER.finditer(part) if m.group(1)]
        if not missing and all(values.get(name, "").strip() for name in names) and text.strip():
            parts.append(text.strip())
    return " · ".join(parts)


def fit_box(piece: Piece, box: TextBox, entries: list[Entry]) -> Fitted:
    """``entries`` fitted into ``box`` on this piece's trim; raises :class:`DoesNotFit`."""
    rect = box.rect(*piece.trim)
    return _fit_once(tuple(entries), box.font, rect.w * PT_PER_MM, rect.h * PT_PER_MM,
                     box.size, box.min_size, box.leading, box.gap)


@lru_cache(maxsize=4096)
def _fit_once(entries: tuple[Entry, ...], weight: str, width: float, height: float, largest: float,
              smallest: float, leading: float, gap: float) -> Fitted:
    # Most boxes read the same for every locality: fit each distinct text and box once per
    # process.  The arrangement is only read after this (drawn, never changed).
    return fit(list(entries), face(weight), width, height, largest, smallest, leading, gap)


@dataclass(frozen=True)
class BoxFinding:
    """A box of a piece that cannot be printed as it is: what is wrong with it."""

    name: str
    box: TextBox
    kind: str
    """``fit`` (text does not fit even at the minimum size) or ``glyph`` (characters missing)."""
    detail: str
    characters: tuple[str, ...] = ()
    """A ``glyph`` finding's characters (validate says where each was typed)."""


def does_not_fit(reason) -> str:
    """A ``fit`` finding's detail; validate takes ``does_not_fit("")`` off its start (the reason
    is last in every translation)."""
    return _("text does not fit: {reason}").format(reason=reason)


def fit_pages(piece: Piece) -> tuple[list[PreparedPage], list[BoxFinding]]:
    """Every page with its text fitted, and every box that cannot be (validate reports these)."""
    pages, findings = [], []
    for page in piece.layout.pages:
        prepared = PreparedPage(page, [])
        for name, box in page.boxes.items():
            entries = box_entries(piece, box)
            if not entries:
                continue
            missing = sorted({c for e in entries for c in face(box.font).missing(e.text)})
            if missing:
                findings.append(BoxFinding(name, box, "glyph", no_glyph(missing), tuple(missing)))
            try:
                fitted = fit_box(piece, box, entries)
            except DoesNotFit as exc:
                findings.append(BoxFinding(name, box, "fit", does_not_fit(exc)))
                continue
            prepared.boxes.append(PreparedBox(name, box, box.rect(*piece.trim), fitted))
        pages.append(prepared)
    return pages, findings


def prepare(piece: Piece) -> list[PreparedPage]:
    """Every page with its text fitted; raises BuildError listing every box that does not fit."""
    pages, findings = fit_pages(piece)
    if findings:
        raise BuildError([_message(piece, f.name, f.box, f.detail) for f in findings])
    return pages


def _message(piece: Piece, name: str, box: TextBox, what: str) -> str:
    where = piece.where.get(box.show or "", piece.where.get("item", piece.item))
    return f"{where}: {piece.locality}: " + _(
        "print item '{item}', box '{box}' of layout '{layout}': {what}").format(
        item=piece.item, box=name, layout=piece.layout.name, what=what)
