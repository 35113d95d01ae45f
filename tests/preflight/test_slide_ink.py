"""Slides are fitted on the font's own metrics and drawn by Pillow: the ink never leaves its box.

The fit measures with :mod:`bzmedia.fontmetrics` (no Pillow, so validate can run it); Pillow
then draws every glyph at the pen position the fit computed.  Hinting moves a glyph's ink by a
pixel or two; the fit keeps room for that.  These tests draw real slides and long, wide,
stacked-diacritic texts at many sizes and look at the pixels.
"""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageChops, ImageDraw

from bzmedia.builder import Plan
from bzmedia.campaign import load_campaign
from bzmedia.campaign.variables import for_locality
from bzmedia.signage.builder import SignageBuilder
from bzmedia.signage.render import SlidePainter, draw_glyphs
from bzmedia.signage.textfit import TextStyle, fit, hint_pad, ink

GROUND = (1, 2, 3)
"""A colour no palette role uses, so every drawn pixel differs from it."""
WORDS = ("Ẵng", "ỖNG", "Ễnh", "gặp", "ỹ", "Bluezone", "khẩu", "trang", "điện", "tử", "WWW",
         "Quét", "mã", "0210", "3825", "111", "“Bluezone”,", "Ặ", "ộ", "j", "fj", "@", "Tỷ")


def ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of every pixel that is not ground, bottom/right exclusive."""
    return ImageChops.difference(image, Image.new("RGB", image.size, GROUND)).getbbox()


def inside(ink, box) -> bool:
    left, top, right, bottom = box
    return left <= ink[0] and top <= ink[1] and ink[2] <= right and ink[3] <= bottom


@pytest.mark.parametrize("size", ["1920x1080", "1080x1920", "1024x768"])
def test_every_text_of_the_example_slides_keeps_its_ink_in_its_box(example_script, size):
    campaign, _ = load_campaign(example_script)
    width, height = (int(v) for v in size.split("x"))
    campaign.signage.sizes = [size]
    localities = campaign.kit_localities()
    plan = Plan(campaign, localities, {loc.id: for_locality(campaign, loc) for loc in localities})
    checked = 0
    for job in SignageBuilder().jobs(plan):
        painter = SlidePainter(job.inputs.deck)
        for slide in job.inputs.deck.slides:
            for role, paragraphs, box in painter.boxes(slide):
                image = Image.new("RGB", (width, height), GROUND)
                painter.draw_text(ImageDraw.Draw(image), painter.fit(slide, role, paragraphs, box), box)
                ink = ink_box(image)
                assert ink is not None
                assert inside(ink, painter.box_px(box.box)), (slide.id, role, ink, painter.box_px(box.box))
                checked += 1
    assert checked >= 3 * 10


def test_long_wide_texts_at_many_sizes_keep_their_ink_in_the_box():
    """Lines filled to the last pixel, stacked capitals, every alignment, 27 to 170 px."""
    rng = random.Random(20200805)
    for case in range(60):
        weight = rng.choice(["Medium", "SemiBold", "Bold", "ExtraBold"])
        align = rng.choice(["left", "center", "right"])
        valign = rng.choice(["top", "middle", "bottom"])
        marker = rng.choice(["none", "none", "bullet", "number"])
        width, height = rng.randint(300, 1500), rng.randint(120, 900)
        box = (rng.randint(0, 40), rng.randint(0, 40))
        box = (*box, box[0] + width, box[1] + height)
        style = TextStyle(box, weight, align, valign, rng.choice([1.1, 1.2]), 0.5, marker)
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 14)))
                      for _ in range(rng.randint(1, 3))]
        fitted = fit(paragraphs, style, start=rng.randint(60, 170), smallest=27)
        if fitted is None:
            continue
        image = Image.new("RGB", (box[2] + 60, box[3] + 60), GROUND)
        draw = ImageDraw.Draw(image)
        for entry in fitted.entries:
            for line in entry.lines:
                draw_glyphs(draw, weight, fitted.size, line.text, line.x, line.baseline, (255, 255, 255))
        ink = ink_box(image)
        assert inside(ink, box), (case, weight, fitted.size, paragraphs, ink, box)


def test_the_ink_lands_where_the_metrics_say_within_the_hinting_margin():
    """The room kept for hinting is a couple of pixels, not a guess that wastes the box."""
    for weight, size in (("Medium", 38), ("Bold", 81), ("ExtraBold", 162)):
        text = "Bluezone – khẩu trang điện tử ẴỖ"
        image = Image.new("RGB", (40 * size, 3 * size), GROUND)
        x, baseline = 10.3, 2 * size
        draw_glyphs(ImageDraw.Draw(image), weight, size, text, x, baseline, (255, 255, 255))
        left, top, right, bottom = ink_box(image)
        want = ink(weight, size, text, pad=False)
        drift = max(abs(left - (x + want[0])), abs(top - (baseline + want[1])),
                    abs(right - (x + want[2])), abs(bottom - (baseline + want[3])))
        assert drift <= hint_pad(size), (weight, size, drift)
