"""``print:`` — leaflets, posters, stickers and live-read scripts, each from a layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bzmedia.campaign.schema import Located, pattern_check, spec

ITEM_ID = pattern_check(r"[a-z0-9][a-z0-9-]{0,62}", "a valid id (lowercase a-z, digits, '-')")
SIZE_MM = pattern_check(r"\d{2,4}x\d{2,4}", "a size in millimetres written WxH (e.g. 210x99)")

DEFAULT_LAYOUT = {"leaflet": "leaflet-a5", "poster": "poster-a3", "sticker": "sticker",
                  "script": "script-a4"}
"""The built-in layout each kind uses when ``layout`` is not given."""


@dataclass(kw_only=True)
class PrintItem(Located):
    """One entry of ``print:`` — a printed piece, built for every locality."""

    id: str = field(metadata=spec(check=ITEM_ID))
    """File name, e.g. ``to-roi`` gives ``print/to-roi.pdf`` and ``to-roi-office-a4.pdf``."""
    kind: Literal["leaflet", "poster", "sticker", "script"]
    """What it is; picks the default layout."""
    layout: str | None = None
    """A built-in layout name or a layout ``.yaml`` inside the campaign folder."""
    headline: str | None = None
    """The big line at the top (required except for ``script``)."""
    subhead: str | None = None
    """A line under the headline."""
    points: list[str] = field(default_factory=list)
    """Key points, as short bullet lines."""
    steps: list[str] = field(default_factory=list)
    """Numbered steps (how to install, what to do)."""
    body: str | None = None
    """Running text, where the layout has room for it."""
    footer: str | None = None
    """Small print at the bottom (issuer, date, hotline are added by the layout)."""
    size: str | None = field(default=None, metadata=spec(check=SIZE_MM))
    """Trim size in millimetres (WxH) for layouts without a fixed size, such as ``sticker``."""
    spot: str | None = None
    """For ``script``: the id of the audio spot to print for live reading."""
    office: Literal["none", "2-up", "4-up"] | None = None
    """Office A4 sheet: 2 or 4 copies per A4 page; default from the layout."""
    qr: bool = True
    """Print ``campaign.url`` as a QR code where the layout has a place for it."""
