"""Text fitting on real glyph bounds, CMYK conversion, and stacked capitals on the rendered page."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from print_helpers import build_print, page_text, render_gray, write_campaign

from bzmedia.campaign.print_layout import load_layout
from bzmedia.printing.colors import BLACK, WHITE, cmyk_of, contrast, palette
from bzmedia.printing.fonts import face
from bzmedia.printing.piece import Piece, box_entries
from bzmedia.printing.textfit import PT_PER_MM, DoesNotFit, Entry, arrange, fit
from bzmedia.resources import layouts_dir


def test_stacked_capitals_rise_above_the_font_ascent():
    bold = face("ExtraBold")
    for char in "ẴỖỄ":
        assert bold.char_bounds(char)[1] > bold.ascent + 0.1
    assert bold.char_bounds("H")[1] < bold.ascent


def test_lines_are_spaced_on_real_glyph_bounds():
    bold = face("ExtraBold")
    fitted = arrange([Entry("gặp gỡ gần gũi\nẴỖỄ ẴỖỄ")], bold, 20, 500, leading=1.1, gap=0)
    first, second = fitted.lines
    assert first.text == "gặp gỡ gần gũi" and second.text == "ẴỖỄ ẴỖỄ"
    assert first.baseline == pytest.approx(bold.extent(first.text)[1] * 20)
    # The accents of the second line clear the descenders of the first.
    assert second.baseline - bold.extent(second.text)[1] * 20 >= first.bottom
    assert second.baseline - first.baseline > 1.1 * 20


def test_fit_shrinks_to_fit_and_reports_how_much_is_over():
    regular = face("Regular")
    text = [Entry("Cảnh báo khi bạn đã tiếp xúc gần với người nhiễm Covid-19")]
    fitted = fit(text, regular, 60 * PT_PER_MM, 20 * PT_PER_MM, 24, 8, 1.3, 0)
    assert 8 <= fitted.size < 24
    assert all(line.width <= 60 * PT_PER_MM for line in fitted.lines)
    assert fitted.height <= 20 * PT_PER_MM
    with pytest.raises(DoesNotFit, match=r"needs \d+ lines .*, box holds 1 .* at 20 pt minimum"):
        fit(text, regular, 60 * PT_PER_MM, 12 * PT_PER_MM, 24, 20, 1.3, 0)
    with pytest.raises(DoesNotFit, match=re.escape(
            "the word “Cảnh” is 27.3 mm wide at 30 pt minimum; the box is 20.0 mm wide")):
        fit(text, regular, 20 * PT_PER_MM, 80 * PT_PER_MM, 40, 30, 1.3, 0)


def test_palette_is_cmyk_with_text_in_pure_black():
    assert cmyk_of("#808080").c == 0 and cmyk_of("#808080").k == pytest.approx(0.498, abs=0.001)
    primary = cmyk_of("#0B5FA5")
    assert (primary.c, primary.m, primary.y) == pytest.approx((0.933, 0.424, 0.0), abs=0.001)
    inks = palette({"primary": "#0B5FA5", "text": "#1A1A1A"})
    assert inks["text"] == BLACK and inks["black"] == BLACK and inks["white"] == WHITE
    assert contrast(BLACK, WHITE) == pytest.approx(21)
    assert contrast(WHITE, primary) > 4.5


def test_stacked_capitals_are_drawn_inside_their_box(tmp_path, cache_dir):
    script = write_campaign(tmp_path, """\
  - id: hoa
    kind: poster
    layout: hoa.yaml
    headline: "ẴỖỄ ẴỖỄ"
""")
    (tmp_path / "hoa.yaml").write_text("""\
trim: 100x60
office: none
pages:
  - boxes:
      headline: {show: headline, left: 10, top: 20, right: 10, height: 30, font: ExtraBold,
                 size: 60, min_size: 20, leading: 1.1}
""", encoding="utf-8")
    _report, kit = build_print(script, tmp_path / "out")
    pdf = kit / "son-vi" / "print" / "hoa.pdf"
    assert "ẴỖỄ ẴỖỄ" in page_text(pdf)[0]
    dpi = 300
    px = dpi / 25.4
    inside_trim = np.asarray(render_gray(pdf, 0, dpi))[round(3 * px):-round(3 * px),
                                                      round(3 * px):-round(3 * px)]
    dark_rows = np.nonzero((inside_trim < 128).any(axis=1))[0]
    dark_cols = np.nonzero((inside_trim < 128).any(axis=0))[0]
    box_top, box_bottom = 20 * px, 50 * px
    # The breve and tilde atop the capitals reach the box top but never leave the box.
    assert box_top - 1 <= dark_rows.min() <= box_top + 0.5 * px
    assert dark_rows.max() <= box_bottom + 1
    assert 10 * px - 1 <= dark_cols.min() and dark_cols.max() <= 90 * px + 1


def test_text_reaches_reportlab_composed_even_if_given_decomposed():
    layout, _problems = load_layout(layouts_dir() / "leaflet-a5.yaml", "leaflet-a5")
    decomposed = unicodedata.normalize("NFD", "Cài đặt Bluezone – khẩu trang điện tử")
    piece = Piece(item="to-roi", kind="leaflet", layout=layout, trim=(148, 210), office="none",
                  content={"headline": [[decomposed, None]]},
                  values={"issuer": unicodedata.normalize("NFD", "UBND huyện Lâm Thao")},
                  colors={}, url="https://www.bluezone.gov.vn", qr=False, logo=None, title="",
                  locality="")
    boxes = layout.pages[0].boxes
    [headline] = box_entries(piece, boxes["headline"])
    [issuer] = box_entries(piece, boxes["issuer"])
    assert headline.text == unicodedata.normalize("NFC", decomposed)
    assert issuer.text == "UBND HUYỆN LÂM THAO"
