"""The logo's CMYK conversion, compressed as the PDF embeds it, is kept in the build's content
store: the next build's workers read it instead of converting again, with the same pixels (so the
same PDF bytes)."""

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


def pixels(logo: logos.LogoImage) -> tuple:
    return (logo.width, logo.height), logo.pixels()


def test_a_new_process_reads_the_stored_pixels(tmp_path, counted):
    store = Store(tmp_path / "cache")
    logo = shutil.copy(LOGO, tmp_path / "logo.png")
    first = pixels(logos.logo_image(Path(logo), GROUND, 30.0, store))
    logos.logo_image(Path(logo), GROUND, 30.0, store)
    assert len(counted) == 1  # the process keeps it
    logos._memo.clear()  # as a new worker: only the store is left
    again = pixels(logos.logo_image(Path(logo), GROUND, 30.0, store))
    assert len(counted) == 1 and again == first
    assert first == pixels(logos.logo_image(Path(logo), GROUND, 30.0, None))  # no store: same pixels
    assert first[0] == (708, 708)  # 30 mm at 600 dpi, from the 1200 px file


def test_another_ground_size_or_file_is_another_entry(tmp_path, counted):
    store = Store(tmp_path / "cache")
    logo = Path(shutil.copy(LOGO, tmp_path / "logo.png"))
    logos.logo_image(logo, GROUND, 30.0, store)
    logos.logo_image(logo, Ink(c=0.0, m=0.0, y=0.0, k=0.0), 30.0, store)
    logos.logo_image(logo, GROUND, 15.0, store)
    assert len(counted) == 3
    assert len(list((tmp_path / "cache").rglob("*.cmykz"))) == 3
    other = tmp_path / "other.png"
    from PIL import Image

    Image.new("RGBA", (50, 20), (255, 0, 0, 255)).save(other)
    logos._memo.clear()
    small = logos.logo_image(other, GROUND, 30.0, store)
    assert (small.width, small.height) == (50, 20)
    assert len(counted) == 4


def test_a_damaged_entry_is_made_again(tmp_path, counted):
    store = Store(tmp_path / "cache")
    logo = Path(shutil.copy(LOGO, tmp_path / "logo.png"))
    first = pixels(logos.logo_image(logo, GROUND, 13.0, store))
    (entry,) = (tmp_path / "cache").rglob("*.cmykz")
    entry.write_bytes(entry.read_bytes()[:100])
    logos._memo.clear()
    assert pixels(logos.logo_image(logo, GROUND, 13.0, store)) == first
    assert len(counted) == 2


def test_embedded_as_reportlab_would_embed_the_pixels(tmp_path):
    """The stored stream gives the PDF reportlab's drawImage makes from the same CMYK pixels,
    byte for byte (the PDFs keep their bytes), and its image is the converted logo."""
    import pikepdf
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    import bzmedia.printing.pdf  # noqa: F401  (its reportlab settings: binary image streams)

    logo = Path(shutil.copy(LOGO, tmp_path / "logo.png"))
    image = logos.logo_image(logo, GROUND, 20.0, Store(tmp_path / "cache"))
    ours, theirs = tmp_path / "ours.pdf", tmp_path / "theirs.pdf"
    for path in (ours, theirs):
        canvas = Canvas(str(path), invariant=1)
        for x in (10, 200):  # twice on a page: one XObject
            if path == ours:
                logos.embed(canvas, image, x, 100, 80, 80)
            else:
                canvas.drawImage(ImageReader(logos.cmyk_pixels(logo, GROUND, 20.0)), x, 100, 80, 80)
        canvas.save()
    assert ours.read_bytes() == theirs.read_bytes()
    with pikepdf.open(ours) as pdf:
        (xobject,) = pdf.pages[0].Resources.XObject.values()
        assert xobject.ColorSpace == "/DeviceCMYK"
        assert (int(xobject.Width), int(xobject.Height)) == (472, 472)  # 20 mm at 600 dpi
        assert xobject.read_bytes() == logos.cmyk_pixels(logo, GROUND, 20.0).tobytes()
