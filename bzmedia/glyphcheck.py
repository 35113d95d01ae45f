"""Characters Be Vietnam Pro cannot draw, on slides, charts and print boxes: found by the
preflight, reported where to retype them.

Pillow draws a character the font lacks (an emoji, a CJK character) as a gap or a box, and the
chart's PDF renderer leaves it out, with no word to the user; print refuses such text in its boxes
(:func:`bzmedia.printing.piece.fit_pages`), and so do slides and the charts of slides and posters
here.  A character is reported where it was typed: at the variable's line or spreadsheet cell
when a variable brought it (a locality's name, ``issuer``, a ``vars:`` value), else at the
slide's or print item's own field.  One message per such place, however many localities and
screen sizes draw it, naming every slide text, chart and print box it reaches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bzmedia.campaign.model import Locality
from bzmedia.campaign.variables import PLACEHOLDER, locality_variables
from bzmedia.fontmetrics import no_glyph
from bzmedia.i18n import _, ngettext
from bzmedia.preflight import Anchor, Preflight, anchor_at, and_list, quoted, url_anchor

ROLES = ("title", "text", "points", "issuer", "chart", "print", "box")
"""The order a message names a variable's places in (as a slide reads, top to bottom)."""


@dataclass
class _Glyphs:
    """The characters found at one place, and the slide texts, charts and print boxes drawing them."""

    variable: tuple[str, str] | None
    """(name, value) when the place is a variable's."""
    characters: set[str] = field(default_factory=set)
    places: dict[str, list[str]] = field(default_factory=dict)
    """Slide ids per role (``title``, ``issuer``, ``chart`` ...); print item ids under ``print``
    (their charts); box names under ``box:<print item>``."""

    def describe(self, who: str, _budget, _sizes) -> str:
        places = and_list([_place(role, ids) for role, ids in
                       sorted(self.places.items(), key=lambda p: ROLES.index(p[0].split(":")[0]))])
        detail = no_glyph(sorted(self.characters))
        if self.variable is None:
            return f"{places}: {detail}{who}"
        name, value = self.variable
        return _("{{{name}}} {value}, shown on {places}: {detail}{who}").format(
            name=name, value=quoted(value), places=places, detail=detail, who=who)


def _place(role: str, ids: list[str]) -> str:
    shown = ", ".join(f"'{i}'" for i in ids)
    if role.startswith("box:"):  # a print item's text boxes
        return ngettext("box {boxes} of print item '{item}'", "boxes {boxes} of print item '{item}'",
                        len(ids)).format(boxes=shown, item=role.removeprefix("box:"))
    if role == "print":
        return ngettext("the chart of print item {items}", "the chart of print items {items}",
                        len(ids)).format(items=shown)
    return ngettext("the {role} of slide {slides}", "the {role} of slides {slides}", len(ids)).format(
        role=role, slides=shown)


def _note(preflight: Preflight, anchor: Anchor, variable: tuple[str, str] | None, locality: Locality,
          characters, role: str, owner_id: str) -> None:
    group = preflight.glyphs.setdefault(anchor, _Glyphs(variable))
    group.characters.update(characters)
    ids = group.places.setdefault(role, [])
    if owner_id not in ids:
        ids.append(owner_id)
    preflight.note(("glyph",), anchor, locality, None, group.describe)


def check_slide_glyphs(preflight: Preflight, original, slide, locality: Locality, role: str,
                       paragraphs: list[str], box) -> None:
    """Report the characters of a slide text (``paragraphs`` in layout ``box``) the font lacks."""
    from bzmedia.signage.textfit import missing_glyphs

    missing = missing_glyphs(box.weight, tuple(paragraphs))
    values = locality_variables(preflight.campaign, locality)
    left = _blame(preflight, _names(original, slide, role), values, locality, missing, role, slide.id)
    if left:
        _note(preflight, _field_anchor(preflight, original, slide, role), None, locality, left, role,
              slide.id)


def _blame(preflight: Preflight, names: list[str], values: dict[str, str], locality: Locality,
           missing, role: str, owner_id: str) -> set[str]:
    """Note each of ``missing`` found in the value of one of the variables ``names`` (or of one
    they name) at that variable's line or cell; the characters left are the text's own."""
    names = names + [m.group(1) for n in names for m in PLACEHOLDER.finditer(values.get(n, ""))
                     if m.group(1)]
    left = set(missing)
    for name in names:  # a value may itself name a variable: issuer "UBND {locality.name}"
        anchor = preflight.variable_anchor(name, locality)
        found = {c for c in left if c in values.get(name, "")}
        if found and anchor is not None:
            _note(preflight, anchor, (name, values[name]), locality, found, role, owner_id)
            left -= found
    return left


def check_print_glyphs(preflight: Preflight, piece, item, locality: Locality, finding) -> None:
    """Report a print box's characters the font lacks (a ``glyph`` finding of ``fit_pages``)."""
    box = finding.box
    if box.show == "script":
        audio = preflight.campaign.audio
        spot = next((s for s in audio.spots if s.id == item.spot), None) if audio else None
        templates = [spot.text] if spot is not None else []
    else:
        shown = box.text if box.text is not None else getattr(item, box.show, None)
        templates = [shown] if isinstance(shown, str) else list(shown or [])
    names = [m.group(1) for t in templates for m in PLACEHOLDER.finditer(t) if m.group(1)]
    role = f"box:{item.id}"
    left = _blame(preflight, names, piece.values, locality, finding.characters, role, finding.name)
    if left:
        anchor = anchor_at(item, "spot" if box.show == "script" else (box.show or "layout"))
        _note(preflight, anchor, None, locality, left, role, finding.name)


def _names(original, slide, role: str) -> list[str]:
    """The variables a slide text is filled from, in the order they are blamed."""
    if role == "issuer":
        return ["issuer"]
    if role == "text" and not original.text and slide.kind == "chart":
        return ["locality.name"]  # the locality's own figure line names it
    templates = original.points if role == "points" else [getattr(original, role, None) or ""]
    return [m.group(1) for t in templates for m in PLACEHOLDER.finditer(t) if m.group(1)]


def _field_anchor(preflight: Preflight, original, slide, role: str) -> Anchor:
    if role == "issuer":
        return anchor_at(preflight.campaign.campaign, "issuer")
    if role == "text" and not original.text and slide.kind == "cta":
        return url_anchor(preflight, original)  # the address is shown when the slide has no text
    if role == "text" and not original.text and slide.kind == "chart":
        # the figure line: the name, the figure, the unit
        return _unit_anchor(preflight, anchor_at(original, None))
    if role == "points" and not original.points:
        return anchor_at(original, None)
    return anchor_at(original, role)


def _unit_anchor(preflight: Preflight, fallback: Anchor) -> Anchor:
    """Where the words of a chart's caption and figure line come from besides names and figures."""
    stats = preflight.campaign.stats
    return anchor_at(stats, "unit") if stats is not None else fallback


def check_chart_glyphs(preflight: Preflight, chart, locality: Locality, role: str, owner_id: str,
                       fallback: Anchor) -> None:
    """Report characters of ``chart``'s labels (localities' names, the caption's unit) the font
    lacks; ``role`` and ``owner_id`` say where it is drawn (``chart`` of a slide, ``print`` item),
    ``fallback`` is where to report a caption without a ``stats:`` unit."""
    from bzmedia.charts.fit import missing_glyphs

    named = {loc.id: loc for loc in preflight.campaign.localities}
    for bar_id, characters in missing_glyphs(chart).items():
        if bar_id is None:
            _note(preflight, _unit_anchor(preflight, fallback), None, locality, characters, role, owner_id)
            continue
        owner = named[bar_id]
        anchor = preflight.variable_anchor("locality.name", owner) or anchor_at(owner, "name")
        _note(preflight, anchor, ("locality.name", owner.name), locality, characters, role, owner_id)
