"""Font subsets are made once per face and set of characters in a process: a print item's shop
PDF and office sheet (and most items of every commune) embed the same characters."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

from bzmedia.printing.fonts import face


def test_a_subset_is_made_once_and_is_reportlabs_subset():
    font = pdfmetrics.getFont(face("SemiBold").name)
    codes = [ord(c) for c in "Xã Sơn Vi · 0210 3825 111 Ẵ Ỗ"]
    first = font.face.makeSubset(codes)
    assert font.face.makeSubset(list(codes)) is first  # kept, not made again
    assert first == TTFontFile.makeSubset(font.face, codes)  # what reportlab itself makes
    other = font.face.makeSubset(codes[:5])
    assert other != first and other == TTFontFile.makeSubset(font.face, codes[:5])
