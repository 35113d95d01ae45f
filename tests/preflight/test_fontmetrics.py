"""The pure TrueType reader measures exactly what reportlab measures (so validate and build agree)."""

from __future__ import annotations

import struct
import unicodedata

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from bzmedia.fontmetrics import FontFileError, FontMetrics, font_metrics
from bzmedia.printing.fonts import face
from bzmedia.resources import font_path

WEIGHTS = ("Light", "Regular", "Medium", "SemiBold", "Bold", "ExtraBold", "Black")
TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
EXAMPLE_TEXTS = (
    "Cài đặt Bluezone – khẩu trang điện tử · UBND huyện Lâm Thao · 05/8/2020",
    "Cảnh báo khi bạn đã tiếp xúc gần với người nhiễm Covid-19",
    "Tìm “Bluezone” và bấm Cài đặt; gọi 0210 3825 368 (24/7) – 60% người trưởng thành!",
    "ẴNG ỖNG ỄNH ẴỖỄ gặp ẫy Ỹ\u00a0xã Sơn Vi",
)


def vietnamese_letters() -> list[str]:
    """The 134 letters with diacritics (67 lower, 67 upper) of the Vietnamese alphabet."""
    lower = {"đ", "ă", "â", "ê", "ô", "ơ", "ư"}
    for vowel in "aăâeêioôơuưy":
        lower |= {unicodedata.normalize("NFC", vowel + tone) for tone in TONES}
    letters = sorted(lower | {c.upper() for c in lower})
    assert len(letters) == 134
    return letters


def reportlab_font(weight: str) -> str:
    # The product's own registration: reportlab shares one face per font file, so a second name
    # for the same file (registered here first) would become the name PDFs embed in this worker.
    return face(weight).name


@pytest.mark.parametrize("weight", WEIGHTS)
def test_widths_equal_reportlab_for_every_vietnamese_letter_and_the_example_texts(weight):
    name, metrics = reportlab_font(weight), font_metrics(weight)
    letters = vietnamese_letters() + list("abcdeghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY0123456789")
    for size in (8, 9.5, 18, 68.25):
        wrong = [c for c in letters if metrics.width(c, size) != pdfmetrics.stringWidth(c, name, size)]
        assert not wrong, f"{weight} at {size} pt: {wrong}"
        for text in (*EXAMPLE_TEXTS, "".join(letters)):
            assert metrics.width(text, size) == pdfmetrics.stringWidth(text, name, size)


@pytest.mark.parametrize("weight", ("Regular", "ExtraBold"))
def test_glyph_bounds_and_missing_characters_match_the_font_tables(weight):
    metrics = font_metrics(weight)
    ttf = TTFont("rl-bounds", str(font_path(weight))).face
    glyf = ttf.get_table_pos("glyf")[0]
    for char in [*vietnamese_letters(), "A", "g", " "]:
        glyph = ttf.charToGlyph[ord(char)]
        start, end = ttf.glyphPos[glyph], ttf.glyphPos[glyph + 1]
        expected = (0, 0, 0, 0) if start == end else struct.unpack(">4h", ttf.get_chunk(glyf + start + 2, 8))
        assert metrics.glyph_box(char) == expected, char
    assert metrics.ascent == ttf.ascent / 1000 and metrics.descent == -ttf.descent / 1000
    # Stacked capitals reach far above the ascent: fitting must reserve that room.
    assert metrics.extent("Ẵ")[1] > metrics.ascent + 0.1
    assert metrics.missing("xã 中 ☃ Sơn") == ["☃", "中"]


def test_a_file_that_is_not_a_truetype_font_is_refused(tmp_path):
    bogus = tmp_path / "font.ttf"
    bogus.write_bytes(b"OTTO" + bytes(200))
    with pytest.raises(FontFileError, match="not a TrueType font"):
        FontMetrics(bogus)
