"""What the campaign tests share: the least a script needs, and a way to write one."""

from __future__ import annotations

from pathlib import Path

MINIMAL = """\
campaign:
  id: demo
  title: "Cài đặt Bluezone"
  issuer: "UBND xã Sơn Vi"
  url: https://www.bluezone.gov.vn
"""
"""A valid script with only the ``campaign:`` block; tests append what they exercise."""


def write(tmp_path: Path, text: str, name: str = "c.yaml") -> Path:
    """``text`` as the script ``name`` in ``tmp_path`` (UTF-8)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
