"""``validate`` sizes every locality's wifi-portal page as the build writes it (pure text).

A captive portal serves its page before the network opens, so the build refuses one past
:data:`~bzmedia.messages.pages.PORTAL_MAX_BYTES`; here the same page is made for every locality
(by the build's own :func:`~bzmedia.messages.pages.portal_page`) and one that is too large is
reported at the key that adds the most to it, naming what adds the most (a key or a variable).
The QR code, the same for every locality, is encoded only when the page may be near the limit.
"""

from __future__ import annotations

from html import escape

from bzmedia.campaign.checking import CheckContext
from bzmedia.campaign.messages_spec import MessagesSpec
from bzmedia.campaign.variables import (
    MAX_FILLED_CHARS,
    MAX_FILLED_TOTAL,
    PLACEHOLDER,
    fill,
    filled_length,
    some_localities,
    template_parts,
)
from bzmedia.i18n import _, number
from bzmedia.messages.pages import PORTAL_MAX_BYTES, page_text, portal_page, qr_svg
from bzmedia.signage.qr import QUIET_ZONE, qr_version

SHOWN = 3
"""The contributors a message names."""


def qr_svg_most_bytes(url: str) -> int:
    """At least the length of :func:`qr_svg` of ``url``, known from its QR version alone: every
    row holds at most half its modules' worth of runs, each ``M{x} {y}h{n}v1h-{n}z``."""
    modules = 17 + 4 * (qr_version(url) or 40)
    digits = len(str(modules + 2 * QUIET_ZONE))
    return 300 + modules * -(-modules // 2) * (9 + 4 * digits)


def check_portal_size(ctx: CheckContext, spec: MessagesSpec) -> None:
    """One error per page too large: at the largest contributor's key, listing the localities."""
    campaign = ctx.campaign
    if not _within_fill_bounds(ctx, [spec.title, spec.text, spec.button, campaign.campaign.issuer,
                                     *spec.steps]):
        return  # the loader refuses the fills themselves; making pages of them could take minutes
    url = spec.url or campaign.campaign.url
    qr_room = qr_svg_most_bytes(url)
    over: list[tuple[str, int, dict]] = []
    for locality_id, values in ctx.locality_values():
        page = page_text(spec, campaign.campaign, campaign.brand.colors,
                         values["locality.name"], lambda text, values=values: fill(text, values))
        size = len(portal_page(page, qr="").encode("utf-8"))
        if size + qr_room > PORTAL_MAX_BYTES:
            size += len(qr_svg(url))
        if size > PORTAL_MAX_BYTES:
            over.append((locality_id, size, values))
    if not over:
        return
    _locality, worst, values = max(over, key=lambda found: found[1])
    by_key, by_source = _contributions(ctx, spec, values)
    owner_id, field_name = max(by_key, key=by_key.get)
    owner = spec if owner_id == id(spec) else campaign.campaign
    shown = sorted(by_source.items(), key=lambda item: -item[1])[:SHOWN]
    ctx.error(owner, field_name, _(
        "the wifi-portal page is {size} bytes for locality {localities}; a captive portal page should "
        "stay under {limit}: shorten what adds the most, {contributors}").format(
        size=number(worst), localities=some_localities([loc for loc, _n, _v in over]),
        limit=number(PORTAL_MAX_BYTES),
        contributors=", ".join(_("{source} ({size} bytes)").format(source=source, size=number(size))
                               for source, size in shown)))


def _within_fill_bounds(ctx: CheckContext, texts: list[str]) -> bool:
    """True when no text fills past ``MAX_FILLED_CHARS`` nor all of them, for all localities, past
    ``MAX_FILLED_TOTAL`` (measured from the placeholders, as the loader does, without filling)."""
    parts = [template_parts(text) for text in texts]
    total = 0
    for _locality, values in ctx.locality_values():
        for fixed, names in parts:
            length = filled_length(fixed, names, values)
            if length > MAX_FILLED_CHARS:
                return False
            total += length
    return total <= MAX_FILLED_TOTAL


def _contributions(ctx: CheckContext, spec: MessagesSpec, values: dict[str, str]):
    """Bytes of the page per key (``(id(owner), field)``, owner the spec or ``campaign:``) and per
    source (a key path, or a variable as ``{name}``) for a locality's ``values``; a text's own
    words count to its key."""
    by_key: dict[tuple[int, str], int] = {}  # by (id(owner), field): a spec object is not hashable
    by_source: dict[str, int] = {}
    info = ctx.campaign.campaign
    fields = [(spec, "title", spec.title, 2), (spec, "text", spec.text, 1), (spec, "button", spec.button, 1),
              (info, "issuer", info.issuer, 1), *((spec, "steps", step, 1) for step in spec.steps)]
    for owner, field_name, text, times in fields:
        for variable, part in _pieces(text, values):
            size = len(escape(part).encode("utf-8")) * times
            source = f"{{{variable}}}" if variable else owner.keypath(field_name)
            key = (id(owner), field_name)
            by_key[key] = by_key.get(key, 0) + size
            by_source[source] = by_source.get(source, 0) + size
    return by_key, by_source


def _pieces(text: str, values: dict[str, str]) -> list[tuple[str | None, str]]:
    """``text`` filled, in pieces: ``(None, its own words)`` and ``(variable, its value)``."""
    pieces, last = [], 0
    for match in PLACEHOLDER.finditer(text):
        pieces.append((None, text[last:match.start()]))
        name = match.group(1)
        if name is not None and name in values:
            pieces.append((name, values[name]))
        else:
            pieces.append((None, match.group(0)[:1] if name is None else match.group(0)))
        last = match.end()
    pieces.append((None, text[last:]))
    return pieces
