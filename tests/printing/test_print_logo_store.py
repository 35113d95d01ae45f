"""The logo's CMYK conversion is kept in the build's content store: the next build's workers read
it instead of converting again, with the same pixels (so the same PDF bytes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bzmedia.cache import Store
from bzmedia.printing import logos
from bzmedia.printing.colors import Ink

LOGO = Path(__file__).resolve().parents[2] / "content" / "assets" / "logo.png"
GROUND = Ink(c=0.9333, m=0.4242, y=0.0, k=0.3529)


@pytest.fixture
def counted(monkeypatch):
    """How many times the conversion really ran (the real conversion, counted)."""
    calls = []
    real = logos.cmyk_pixels

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(logos, "cmyk_pixels", counting)
    monkeypatch.setattr(logos, "_memo", {})
    return calls


def pixels(reader) -> tuple:
    return reader.getSize(), reader.getRGBData()


def test_a_new_process_reads_the_stored_pixels(tmp_path, counted):
    store = Store(tmp_path / "cache")
    logo = shutil.copy(LOGO, tmp_path / "logo.png")
    first = pixels(logos.logo_reader(Path(logo), GROUND, 30.0, store))
    logos.logo_reader(Path(logo), GROUND, 30.0, store)
    assert len(counted) == 1  # the process keeps it
    logos._memo.clear()  # as a new worker: only the store is left
    again = pixels(logos.logo_reader(Path(logo), GROUND, 30.0, store))
    assert len(counted) == 1 and again == first
    assert first == pixels(logos.logo_reader(Path(logo), GROUND, 30.0, None))  # no store: same pixels
    assert first[0] == (708, 708)  # 30 mm at 600 dpi, from the 1200 px file


def test_another_ground_size_or_file_is_another_entry(tmp_path, counted):
    store = Store(tmp_path / "cache")
    logo = Path(shutil.copy(LOGO, tmp_path / "logo.png"))
    logos.logo_reader(logo, GROUND, 30.0, store)
    logos.logo_reader(logo, Ink(c=0.0, m=0.0, y=0.0, k=0.0), 30.0, store)
    logos.logo_reader(logo, GROUND, 15.0, store)
    assert len(counted) == 3
    assert len(list((tmp_path / "cache").rglob("*.cmyk"))) == 3
    other = tmp_path / "other.png"
    from PIL import Image

    Image.new("RGBA", (50, 20), (255, 0, 0, 255)).save(other)
    logos._memo.clear()
    assert logos.logo_reader(other, GROUND, 30.0, store).getSize() == (50, 20)
    assert len(counted) == 4


def test_a_damaged_entry_is_made_again(tmp_path, counted):
    store = Store(tmp_path / "cache")
    logo = Path(shutil.copy(LOGO, tmp_path / "logo.png"))
    first = pixels(logos.logo_reader(logo, GROUND, 13.0, store))
    (entry,) = (tmp_path / "cache").rglob("*.cmyk")
    entry.write_bytes(entry.read_bytes()[:100])
    logos._memo.clear()
    assert pixels(logos.logo_reader(logo, GROUND, 13.0, store)) == first
    assert len(counted) == 2
