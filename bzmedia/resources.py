"""Files bzmedia ships: built-in layouts, the example campaign, fonts (ffmpeg: :mod:`bzmedia.ffmpeg`).

In a wheel, ``layouts/`` and ``content/`` are copied into ``bzmedia/_data/`` (pyproject's
force-include); in a source checkout (``pip install -e .``) they sit beside the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bzmedia.i18n import _

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(_("bzmedia's {name}/ folder is missing from this installation").format(name=name))


def layouts_dir() -> Path:
    """Folder of the built-in layouts (``*.yaml``)."""
    return _shipped("layouts")


def example_dir() -> Path:
    """Folder of the example campaign that ``bzmedia init`` copies."""
    return _shipped("content")


@cache
def font_path(weight: str = "Regular") -> Path:
    """A Be Vietnam Pro TTF (``Regular``, ``Medium``, ``SemiBold``, ``Bold``, ``ExtraBold`` ...)."""
    import fontpkg_be_vietnam_pro

    path = Path(fontpkg_be_vietnam_pro.ROOT) / "files" / f"BeVietnamPro-{weight}.ttf"
    if not path.is_file():
        raise FileNotFoundError(_("font weight {weight} not found at {path}").format(
            weight=repr(weight), path=path))
    return path
