"""What the campaign tests share: the least a script needs, and a way to write one."""

from __future__ import annotations

from pathlib import Path

from minimal_script import MINIMAL  # noqa: F401 (the campaign tests import it from here)


def write(tmp_path: Path, text: str, name: str = "c.yaml") -> Path:
    """``text`` as the script ``name`` in ``tmp_path`` (UTF-8)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
