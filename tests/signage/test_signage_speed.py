"""What a worker keeps between slides (the fitted logo) never changes a slide's pixels."""

from __future__ import annotations

import numpy as np
from PIL import Image
from signage_helpers import campaign_text, paint, write_campaign

from bzmedia.signage import render


def _pixels(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_a_kept_logo_draws_the_same_pixels_as_a_fresh_one(tmp_path):
    script = write_campaign(tmp_path / "c", campaign_text("sizes: [1280x720]\nvideo: false"))
    render._LOGOS.clear()
    first, _ = paint(script, "1280x720", "don-vi")
    assert render._LOGOS, "the fitted logo was not kept"
    kept, _ = paint(script, "1280x720", "don-vi")
    render._LOGOS.clear()
    fresh, _ = paint(script, "1280x720", "don-vi")
    assert np.array_equal(_pixels(kept), _pixels(fresh))
    assert np.array_equal(_pixels(first), _pixels(fresh))


def test_an_edited_logo_is_read_again(tmp_path):
    script = write_campaign(tmp_path / "c", campaign_text("sizes: [1280x720]\nvideo: false"))
    before, _ = paint(script, "1280x720", "don-vi")
    # Another picture (and another size) in the same file: a worker must not show the old one.
    Image.new("RGB", (300, 100), (10, 200, 30)).save(script.parent / "logo.png")
    after, _ = paint(script, "1280x720", "don-vi")
    green = (np.abs(_pixels(after) - np.array([10, 200, 30])).sum(axis=2) < 10).sum()
    assert green > 5000, "the slide still shows the old logo"
    assert not np.array_equal(_pixels(before), _pixels(after))
