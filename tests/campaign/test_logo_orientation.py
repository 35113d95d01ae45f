"""A logo photographed with a phone: its JPEG is stored on its side with an EXIF tag saying how to
turn it.  Slides and PDFs drew it as stored, sideways (a 200x100 logo tagged "rotate 90" came out
102x204 on a slide); now every place that draws it turns it upright first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bzmedia.campaign.assets import upright_logo, upright_size

RED, BLUE = (220, 0, 0), (0, 0, 220)


def sideways_logo(path: Path, orientation: int = 6) -> None:
    """A 200x100 logo, red on its left half and blue on its right, stored turned a quarter to the
    left (100x200) with the EXIF orientation that tells a viewer to turn it back (6: 90° clockwise)."""
    upright = np.zeros((100, 200, 3), np.uint8)
    upright[:, :100], upright[:, 100:] = RED, BLUE
    stored = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)  # 100 wide, 200 high
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(path, "JPEG", quality=95, exif=exif.tobytes())


def near(pixel, colour) -> bool:
    return all(abs(int(a) - b) < 40 for a, b in zip(pixel[:3], colour, strict=True))


def test_a_sideways_stored_logo_is_read_upright(tmp_path):
    logo = tmp_path / "logo.jpg"
    sideways_logo(logo)
    assert Image.open(logo).size == (100, 200)
    assert upright_size(logo) == (200, 100)
    pixels = upright_logo(logo)
    assert pixels.mode == "RGBA" and pixels.size == (200, 100)
    assert near(pixels.getpixel((20, 50)), RED) and near(pixels.getpixel((180, 50)), BLUE)


def test_an_untagged_logo_is_read_as_stored(tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), RED).save(logo)
    assert upright_size(logo) == (120, 40) and upright_logo(logo).size == (120, 40)


def test_slides_and_pdfs_draw_it_upright(tmp_path):
    from bzmedia.printing.colors import Ink
    from bzmedia.printing.logos import cmyk_pixels
    from bzmedia.signage.render import _fitted_logo

    logo = tmp_path / "logo.jpg"
    sideways_logo(logo)
    fitted, original, _scale = _fitted_logo(logo, 400, 400)
    assert original == (200, 100) and fitted.size == (400, 200)
    assert near(fitted.getpixel((40, 100)), RED) and near(fitted.getpixel((360, 100)), BLUE)
    cmyk = cmyk_pixels(logo, Ink(0, 0, 0, 0), 20)  # on white paper
    assert cmyk.size == (200, 100)


@pytest.mark.parametrize("orientation", [3, 8])
def test_a_half_turn_keeps_the_size_and_a_quarter_turn_swaps_it(tmp_path, orientation):
    logo = tmp_path / "logo.jpg"
    sideways_logo(logo, orientation)
    assert upright_size(logo) == ((100, 200) if orientation == 3 else (200, 100))
