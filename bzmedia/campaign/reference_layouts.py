"""The built-in layouts in the reference: each box, its size, and how much text it holds.

How long may a headline be on ``poster-a3``?  Each text box is measured with the build's own
fitting code at its *minimum* text size (the smallest the build will shrink to), with ordinary
Vietnamese text (:data:`~bzmedia.campaign.reference.SAMPLE`): the answer is the number of
characters that still fit.  A list box (points, steps) is measured with
:data:`LIST_ENTRIES` entries of equal length, as a leaflet usually has.  The figures are a
guide: wide letters and long words hold fewer; ``bzmedia validate`` fits the real texts.
"""

from __future__ import annotations

import math
from pathlib import Path

LIST_ENTRIES = 4
"""Entries a list box is measured with (the example's leaflet has three points and four steps)."""
ITEM_TRIMS = {"sticker": (210.0, 99.0), "sticker-portrait": (100.0, 150.0)}
"""Sizes the ``trim: item`` layouts are measured at: the sizes their own comments suggest."""
SCREENS = [(1920, 1080), (1080, 1920), (1024, 768), (1280, 1024), (768, 1024)]
"""Screen sizes tried for each variant of a slide layout; the first that picks it is shown."""


def _sample(length: int, upper: bool = False) -> str:
    from bzmedia.campaign.reference import SAMPLE

    text = (SAMPLE * (length // len(SAMPLE) + 1))[:length]
    return text.upper() if upper else text


def _budget(fits, longest: int = 4_000) -> int | None:
    """Characters of :data:`SAMPLE` that fit (``fits`` takes the text), ``None`` if none do."""
    from bzmedia.preflight import budget

    return budget(lambda text: fits(text), _sample(longest))


def print_box_budget(box, trim: tuple[float, float]) -> int | None:
    """The longest text ``box`` holds on a ``trim`` page at its minimum size."""
    from bzmedia.printing.fonts import face
    from bzmedia.printing.textfit import PT_PER_MM, DoesNotFit, Entry, fit

    rect = box.rect(*trim)
    marker = {"points": "bullet", "steps": "1"}.get(box.show)
    count = LIST_ENTRIES if marker else 1

    def fits(text: str) -> bool:
        if not text.strip():
            return True
        text = text.upper() if box.upper else text
        entries = [Entry(text, marker if marker != "1" else str(i + 1)) for i in range(count)]
        try:
            fit(entries, face(box.font), rect.w * PT_PER_MM, rect.h * PT_PER_MM, box.min_size,
                box.min_size, box.leading, box.gap)
        except DoesNotFit:
            return False
        return True

    return _budget(fits)


def _shown(n: int | None, listed: bool) -> str:
    if n is None:
        return "nothing"
    return f"{n:,} each ({LIST_ENTRIES} entries)" if listed else f"{n:,}"


def print_layout_markdown(name: str, path: Path) -> str:
    from bzmedia.campaign.print_layout import load_layout

    layout, problems = load_layout(path, name)
    if layout is None:
        raise ValueError(f"built-in layout {name} does not load: {problems[0]}")
    trim = layout.trim_size(None) or ITEM_TRIMS.get(name, (210.0, 99.0))
    size = f"{layout.trim} mm" if layout.trim != "item" else (
        f"the item's `size` (measured here at {trim[0]:g}x{trim[1]:g} mm)")
    lines = [f"### `{name}`", "", f"{layout.description}", "",
             f"Trim: {size}; bleed {layout.bleed:g} mm, safe zone {layout.safe:g} mm; office "
             f"sheet `{layout.office}`; {len(layout.pages)} page(s).", "",
             "| page | box | shows | size (mm) | font size (pt) | longest text at the minimum "
             "size (characters) |", "| --- | --- | --- | --- | --- | --- |"]
    for number, page in enumerate(layout.pages, 1):
        for box_name, box in page.boxes.items():
            rect = box.rect(*trim)
            shows = (f"`{box.show}`" if box.show else f"text `{box.text}`").replace("|", "\\|")
            listed = box.show in ("points", "steps")
            lines.append(f"| {number} | `{box_name}` | {shows} | "
                         f"{rect.w:.0f} x {rect.h:.0f} | {box.size:g} down to {box.min_size:g} | "
                         f"{_shown(print_box_budget(box, trim), listed)} |")
        extras = [what for what in ("qr", "logo") if getattr(page, what) is not None]
        for what in extras:
            rect = getattr(page, what).rect(*trim)
            lines.append(f"| {number} | {what} | the {'QR code' if what == 'qr' else 'logo'} | "
                         f"{rect.w:.0f} x {rect.h:.0f} | | |")
    return "\n".join(lines) + "\n"


def builtin_print_markdown() -> str:
    from bzmedia.campaign.print_layout import builtin_print_layouts
    from bzmedia.resources import layouts_dir

    parts = ["## Built-in print layouts", "",
             "Each text box with its size on the page and the longest text it holds at its "
             f"minimum size, measured on ordinary Vietnamese text (lists: {LIST_ENTRIES} entries "
             "of that length). A guide only: `bzmedia validate` fits your real texts.", ""]
    for name in builtin_print_layouts():
        parts.append(print_layout_markdown(name, layouts_dir() / f"{name}.yaml"))
    return "\n".join(parts)


# -- slides ---------------------------------------------------------------------------------------
def slide_box_budget(box, screen: tuple[int, int], min_text: float) -> int | None:
    """The longest text ``box`` holds on a ``screen`` at the layout's smallest text size."""
    from bzmedia.signage.textfit import TextStyle, fit

    width, height = screen
    smallest = math.ceil(min_text * min(screen))
    box_px = (round(box.box[0] * width), round(box.box[1] * height),
              round(box.box[2] * width), round(box.box[3] * height))
    style = TextStyle(box_px, box.weight, box.align, box.valign, box.line_spacing, box.gap,
                      box.marker)
    count = LIST_ENTRIES if box.marker != "none" else 1

    def fits(text: str) -> bool:
        return not text.strip() or fit([text] * count, style, smallest, smallest) is not None

    return _budget(fits, 1_000)


def slide_layout_markdown(name: str, path: Path) -> str:
    from bzmedia.campaign.signage_layout import KINDS, TEXT_ROLES, load_layout

    layout, problems = load_layout(path, name)
    if layout is None:
        raise ValueError(f"built-in layout {name} does not load: {problems[0]}")
    lines = [f"### `{name}`", "", layout.description, "",
             f"Safe margin {layout.safe_margin:.0%}; smallest text {layout.min_text:.1%} of the "
             "short side.", ""]
    for variant_name, variant in layout.variants.items():
        screen = next((s for s in SCREENS if layout.variant_for(*s) is variant), None)
        if screen is None:
            continue
        smallest = math.ceil(layout.min_text * min(screen))
        lines += [f"#### `{variant_name}` (from aspect {variant.min_aspect:g}; measured at "
                  f"{screen[0]}x{screen[1]}, smallest text {smallest} px)", "",
                  "| slide kind | box | size (px) | font size (px) | longest text at the smallest "
                  "size (characters) |", "| --- | --- | --- | --- | --- |"]
        for kind in KINDS:
            kind_layout = getattr(variant, kind)
            for role in TEXT_ROLES:
                box = getattr(kind_layout, role)
                if box is None:
                    continue
                w = round((box.box[2] - box.box[0]) * screen[0])
                h = round((box.box[3] - box.box[1]) * screen[1])
                start = round(box.size * min(screen))
                n = slide_box_budget(box, screen, layout.min_text)
                lines.append(f"| `{kind}` | `{role}` | {w} x {h} | {start} down to {smallest} | "
                             f"{_shown(n, box.marker != 'none')} |")
        lines.append("")
    return "\n".join(lines)


def builtin_slides_markdown() -> str:
    from bzmedia.resources import layouts_dir

    parts = ["## Built-in slide layouts", "",
             "Each text box of each slide kind with its size and the longest text it holds at the "
             "smallest text size, measured on ordinary Vietnamese text (lists: "
             f"{LIST_ENTRIES} entries of that length). A guide only: `bzmedia validate` fits your "
             "real texts at every screen size.", ""]
    for path in sorted(layouts_dir().glob("*.yaml")):
        if _is_slide_layout(path):
            parts.append(slide_layout_markdown(path.stem, path))
    return "\n".join(parts)


def _is_slide_layout(path: Path) -> bool:
    import re

    return re.search(r"^variants:", path.read_text(encoding="utf-8"), re.MULTILINE) is not None
