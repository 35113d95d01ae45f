"""``validate`` fits the texts of every message image for every locality, as the build will.

The images are signage slides (:mod:`bzmedia.messages.images`), so the signage fitter measures
them on the font's own tables without Pillow; a text too long for a banner is found here, at the
line to change, instead of at the end of a build.  One problem per (text, image), naming the
localities.
"""

from __future__ import annotations

from bzmedia.campaign.checking import CheckContext
from bzmedia.campaign.messages_spec import MessagesSpec
from bzmedia.campaign.signage_layout import report_low_contrast, text_grounds
from bzmedia.campaign.variables import fill, locality_variables
from bzmedia.campaign.variables import some_localities as _some
from bzmedia.fontmetrics import no_glyph
from bzmedia.i18n import _
from bzmedia.messages.images import PALETTE_ROLES, ImageText, image_plan, messages_layout

FIELD_OF_ROLE = {"title": "title", "points": "steps"}
"""Which ``messages:`` key a text box of an image shows (``text`` is the address)."""


def check_image_fit(ctx: CheckContext, spec: MessagesSpec) -> None:
    """Report texts that cannot fit an image at the smallest size its layout allows."""
    from bzmedia.preflight import budget  # here: a no-op build checks contrast, fits nothing
    from bzmedia.signage.textfit import SlideFitter, missing_glyphs
    campaign = ctx.campaign
    found: dict[tuple, list[str]] = {}
    unseen: dict[str, dict[str, list[str]]] = {}
    """Per role, characters the font lacks (drawn as gaps or boxes) and the localities of each."""
    for locality in campaign.kit_localities():
        values = locality_variables(campaign, locality)
        url = spec.url or campaign.campaign.url  # never filled, as the build: patterns.URL
        text = ImageText(fill(spec.title, values), url, fill(campaign.campaign.issuer, values),
                         tuple(fill(s, values) for s in spec.steps), locality.id, locality.name,
                         tuple((role, getattr(campaign.brand.colors, role)) for role in PALETTE_ROLES))
        for deck, image_set in image_plan(text, spec.images, spec.article is not None).decks():
            fitter = SlideFitter(deck)
            for slide, name in zip(deck.slides, image_set.names, strict=True):
                for role, paragraphs, box in fitter.boxes(slide):
                    for char in missing_glyphs(box.weight, tuple(paragraphs)):
                        localities = unseen.setdefault(role, {}).setdefault(char, [])
                        if locality.id not in localities:
                            localities.append(locality.id)
                    if fitter.try_fit(paragraphs, box) is None:
                        left, top, right, bottom = fitter.box_px(box.box)
                        key = (role, name, f"{right - left}x{bottom - top}", fitter.smallest)
                        room = budget(lambda t, box=box, fitter=fitter: not t.split()
                                      or fitter.try_fit([t], box) is not None, paragraphs[0])
                        found.setdefault(key, []).append((locality.id, room))
    _report_glyphs(ctx, spec, unseen)
    for (role, name, box, smallest), misses in found.items():
        owner, field_name = _owner(ctx, spec, role)
        rooms = [room for _, room in misses if room is not None]
        advice = (_("shorten it to about {count} characters").format(count=min(rooms)) if rooms
                  else _("shorten it"))
        ctx.error(owner, field_name, _(
            "the {what} does not fit its {box} px box on image {image} even at the smallest text size "
            "allowed ({size} px) for locality {localities}; {advice}").format(
            what=_what(role), box=box, image=name, size=smallest,
            localities=_some([loc for loc, _n in misses]), advice=advice))


def _report_glyphs(ctx: CheckContext, spec: MessagesSpec, unseen: dict) -> None:
    """One error per text the images draw with characters the font lacks, at its field."""
    from bzmedia.preflight import who_of

    everyone = [loc.id for loc in ctx.campaign.kit_localities()]
    for role, localities_of in unseen.items():
        owner, field_name = _owner(ctx, spec, role)
        by_localities: dict[tuple[str, ...], list[str]] = {}  # a character typed in the field
        for char, localities in sorted(localities_of.items()):  # reaches every locality
            by_localities.setdefault(tuple(localities), []).append(char)
        for localities, characters in by_localities.items():
            ctx.error(owner, field_name, _("the {what} of the message images").format(what=_what(role))
                      + ": " + no_glyph(characters) + who_of(list(localities), everyone))


def check_image_contrast(ctx: CheckContext, spec: MessagesSpec) -> None:
    """Every text of the images must stand out from its ground (WCAG AA), judged from the palette;
    reported at the colour to change, once per pair of colours."""
    if not spec.images and not (spec.article and spec.steps):
        return
    used = {"social": {"cta", "points"}, "banner": {"title"}} if spec.images else {"social": {"points"}}
    reported: set = set()
    for name, kinds in used.items():
        report_low_contrast(ctx, text_grounds(messages_layout(name), kinds), "message images", reported)


def _owner(ctx: CheckContext, spec: MessagesSpec, role: str):
    if role == "issuer":
        return ctx.campaign.campaign, "issuer"
    if role == "text":  # the address shown beside the QR code or on the banner
        return (spec, "url") if spec.url else (ctx.campaign.campaign, "url")
    return spec, FIELD_OF_ROLE.get(role, role)


def _what(role: str) -> str:
    return {"text": _("address"), "points": _("step"), "title": _("title")}.get(role, role)
