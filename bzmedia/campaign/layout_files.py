"""Which file a ``layout:`` value names: a file in the campaign folder, or a built-in layout.

Print and slide layouts share the built-in ``layouts/`` folder; a print layout is one with a
``trim:``.  Both kinds are found by the same rules, so a print item cannot name a slide layout
and ``signage.layout`` cannot name a print layout.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from bzmedia.campaign.patterns import is_id
from bzmedia.campaign.yamlsource import MAX_FILE_BYTES, file_kind_problem
from bzmedia.i18n import _

LayoutKind = Literal["print", "slide"]


def find_layout(name: str, base_dir: Path, kind: LayoutKind) -> tuple[Path | None, str | None]:
    """The file a ``layout:`` value names, or ``(None, why not)``.

    A value ending in ``.yaml``/``.yml`` is a file inside the campaign folder; anything else is
    the name of a built-in layout of ``kind``.
    """
    if name.endswith((".yaml", ".yml")):
        return _campaign_file(name, base_dir)
    from bzmedia.resources import layouts_dir

    path = layouts_dir() / f"{name}.yaml"
    # The id check comes first: a name of thousands of characters makes is_file() raise.
    if not is_id(name) or not path.is_file() or _kind_of(path) != kind:
        known = ", ".join(builtin_layouts(kind))
        unknown = (_("no built-in print layout '{name}'; built-in print layouts: {known}") if kind == "print"
                   else _("no built-in slide layout '{name}'; built-in slide layouts: {known}"))
        return None, unknown.format(name=name, known=known)
    return path, None


def builtin_layouts(kind: LayoutKind) -> list[str]:
    """Names of the layouts of ``kind`` shipped in ``layouts/``."""
    from bzmedia.resources import layouts_dir

    return sorted(p.stem for p in layouts_dir().glob("*.yaml") if _kind_of(p) == kind)


def _campaign_file(name: str, base_dir: Path) -> tuple[Path | None, str | None]:
    try:
        base = base_dir.resolve()
        candidate = (base / name).resolve()
    except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        return None, _("'{file}' is not a usable file name ({error})").format(file=name, error=exc)
    if Path(name).is_absolute() or not candidate.is_relative_to(base):
        return None, _("'{file}' points outside the campaign folder; copy the layout into it").format(
            file=name)
    why = file_kind_problem(candidate, MAX_FILE_BYTES)
    if why == "does not exist":
        return None, _("layout file '{file}' not found (looked for {path})").format(file=name, path=candidate)
    if why:
        return None, _("layout file '{file}' {reason}").format(file=name, reason=_(why))
    return candidate, None


def _kind_of(path: Path) -> LayoutKind | None:
    # Print layouts are the ones with a trim size; slide layouts in the same folder have none.
    try:
        head = path.read_text(encoding="utf-8")
    except OSError:
        return None
    return "print" if re.search(r"^trim:", head, re.MULTILINE) else "slide"
