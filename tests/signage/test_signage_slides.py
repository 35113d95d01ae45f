"""Slides as pictures: exact sizes, safe margins, stacked diacritics, fitting, QR codes."""

from __future__ import annotations

import dataclasses
import math
import unicodedata

import numpy as np
import pytest
import zxingcpp
from signage_helpers import COLORS, URL, campaign_text, paint, rgb, write_campaign

from bzmedia.errors import BuildError
from bzmedia.signage.render import SlidePainter
from bzmedia.signage.textfit import TextStyle, fit

KINDS = ("mo-dau", "vi-sao", "cai-dat", "quet-ma", "don-vi")
SIZES = ("1920x1080", "1080x1920", "1366x768", "1280x800", "1024x768", "801x601")
# on_primary differs from background here, so a stray letter in the margin cannot hide as "white".
MARGIN_COLORS = COLORS.replace('on_primary: "#FFFFFF"', 'on_primary: "#FFFFF0"')
STACKED = """\
    - id: mo-dau
      kind: title
      title: "ẴNG ỖNG ỄNH ẴỖỄ"
      text: "Ẵ Ỗ Ễ gặp ẫy Ỹ"
    - id: vi-sao
      kind: points
      title: "ẴỖỄ ỖỄ Ẵ Ỗ Ễ Ặ"
      points: ["Ẵng ỗng ễnh gặp ỵ", "ẴỖỄ ẴỖỄ ẴỖỄ ẴỖỄ"]
    - id: cai-dat
      kind: steps
      title: "ỄNH ẴNG"
      points: ["Ỗ Ẵ Ễ Ặ gặp", "ỹ ỵ ẫ ặ ỗ"]
    - id: quet-ma
      kind: cta
      title: "ẴỖỄ quét mã"
    - id: don-vi
      kind: logo
      title: "{locality.name}"
      text: "ẴỖỄ {hotline}"
"""


@pytest.fixture(scope="module")
def stacked_script(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stacked")
    sizes = "sizes: [" + ", ".join(SIZES) + "]"
    return write_campaign(folder, campaign_text(sizes, colors=MARGIN_COLORS, slides=STACKED))


@pytest.mark.parametrize("size", SIZES)
def test_every_kind_has_exact_size_and_nothing_but_ground_in_the_safe_margin(stacked_script, size):
    width, height = (int(v) for v in size.split("x"))
    for slide_id in KINDS:
        image, deck = paint(stacked_script, size, slide_id)
        assert image.size == (width, height)
        pixels = np.asarray(image)
        mx, my = math.ceil(0.05 * width), math.ceil(0.05 * height)
        ring = np.ones((height, width), bool)
        ring[my:height - my, mx:width - mx] = False
        grounds = {deck.palette[r] for r in ("primary", "accent", "background")}
        allowed = np.zeros((height, width), bool)
        for color in grounds:
            allowed |= (pixels == rgb(color)).all(axis=2)
        stray = ring & ~allowed
        assert not stray.any(), f"{slide_id} at {size}: {stray.sum()} px of text/QR/logo in the margin"


@pytest.mark.parametrize("size", ["1920x1080", "1080x1920", "1024x768"])
def test_stacked_diacritics_stay_inside_the_title_band(stacked_script, size):
    """The headline band's title (Ẵ Ỗ Ễ) keeps its ink inside its box, marks included."""
    image, deck = paint(stacked_script, size, "vi-sao")
    painter = SlidePainter(deck)
    kind = painter.variant.points
    _, top, _, bottom = painter.box_px(kind.title.box)
    band_bottom = painter.box_px(kind.fills[0].box)[3]
    band = np.asarray(image)[:band_bottom]
    ink_rows = np.nonzero((band != rgb(deck.palette["primary"])).any(axis=(1, 2)))[0]
    assert ink_rows.size
    assert top <= ink_rows.min() and ink_rows.max() < bottom
    # the marks really are up there: the highest ink is far above the cap height of plain letters
    assert ink_rows.min() - top < (bottom - top) / 2


def test_decomposed_text_draws_exactly_like_composed(stacked_script):
    image, deck = paint(stacked_script, "1280x800", "mo-dau")
    slide = deck.slides[0]
    decomposed = dataclasses.replace(slide, title=unicodedata.normalize("NFD", slide.title),
                                     text=unicodedata.normalize("NFD", slide.text))
    assert decomposed.title != slide.title
    again = SlidePainter(deck).paint(decomposed)
    assert np.array_equal(np.asarray(image), np.asarray(again))


def test_long_text_shrinks_but_never_below_the_minimum():
    style = TextStyle((100, 100, 900, 400), "Bold", "center", "middle", 1.2, 0.5, "none")
    short = fit(["Cài đặt Bluezone"], style, start=120, smallest=38)
    long = fit(["Cài đặt Bluezone để bảo vệ mình, bảo vệ gia đình và cộng đồng trước dịch "
                "bệnh Covid-19 ngay hôm nay"], style, start=120, smallest=38)
    assert short.size == 120
    assert 38 <= long.size < 120
    assert sum(len(e.lines) for e in long.entries) > 1
    assert fit(["chữ " * 80], style, start=120, smallest=38) is None


def test_text_that_cannot_fit_names_slide_size_locality_and_place(tmp_path):
    essay = ("    - id: qua-dai\n      kind: title\n      title: \""
             + "Cài đặt ứng dụng Bluezone để bảo vệ mình " * 20 + "\"\n")
    script = write_campaign(tmp_path, campaign_text("sizes: [1024x768]", slides=essay))
    with pytest.raises(BuildError) as failure:
        paint(script, "1024x768", "qua-dai")
    message = failure.value.messages[0]
    assert f"{script}:17:14: signage.slides[0].title:" in message
    assert "slide 'qua-dai' at 1024x768 for xa-1 (xã Ẵ Số 1)" in message
    assert "smallest text size allowed (27 px)" in message


@pytest.mark.parametrize("size", ["1920x1080", "1080x1920", "1024x768", "1366x768"])
def test_qr_on_the_cta_slide_decodes_to_the_campaign_url(stacked_script, size):
    image, _ = paint(stacked_script, size, "quet-ma")
    found = zxingcpp.read_barcodes(image)
    assert [r.text for r in found] == [URL]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    position = found[0].position  # big enough to scan from a couple of metres
    side = abs(position.top_right.x - position.top_left.x)
    assert side >= 0.25 * min(image.size)


def test_logo_slide_shows_the_logo_and_the_issuer_band(stacked_script):
    image, deck = paint(stacked_script, "1920x1080", "don-vi")
    pixels = np.asarray(image).astype(int)
    logo_orange = np.abs(pixels - rgb("#F0A800")).sum(axis=2) < 40
    assert logo_orange[: int(0.78 * 1080)].sum() > 1000  # the logo's arc, above the band
    band = pixels[int(0.8 * 1080):int(0.95 * 1080)]
    assert (band == rgb(deck.palette["primary"])).all(axis=2).mean() > 0.8
    assert (np.abs(band - rgb("#FFFFF0")).sum(axis=2) < 30).sum() > 500  # issuer letters
