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


def test_a_subset_is_compressed_once_and_embedded_as_reportlab_embeds_it(tmp_path):
    import io

    import pikepdf
    from reportlab.pdfgen.canvas import Canvas

    from bzmedia.printing import fonts

    def pdf(text: str) -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1, initialFontName=face("Medium").name)
        canvas.setFont(face("Medium").name, 12)
        canvas.drawString(72, 720, text)
        canvas.save()
        return buffer.getvalue()

    fonts._KEPT_FLATE.kept.clear()
    first = pdf("Thông báo của xã Tứ Xã")
    kept = dict(fonts._KEPT_FLATE.kept)
    assert len(kept) == 1  # the one subset of this document, compressed once
    assert pdf("Thông báo của xã Tứ Xã") == first and fonts._KEPT_FLATE.kept == kept  # reused
    with pikepdf.open(io.BytesIO(first)) as document:
        (font,) = document.pages[0].Resources.Font.values()
        program = font.FontDescriptor.FontFile2
        assert [str(name) for name in program.Filter] == ["/FlateDecode"]
        assert program.read_bytes() == next(iter(kept))  # the subset itself, deflated
        assert program.read_raw_bytes() == next(iter(kept.values()))


def test_widths_arrays_are_written_as_reportlab_writes_them():
    """The quick ``/Widths`` writer: the bytes of reportlab's ``PDFArray`` for every length around
    its 10-a-line breaks, and the class every subset of a real document's fonts gets."""
    import io

    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDocument
    from reportlab.pdfgen.canvas import Canvas

    from bzmedia.printing.fonts import widths_array

    doc = PDFDocument()
    for length in (0, 1, 9, 10, 11, 20, 21, 255, 256):
        numbers = [(n * 37) % 1200 - 5 for n in range(length)]
        quick = widths_array()(numbers)
        assert quick.format(doc) == PDFArray(numbers).format(doc), length
    mixed = [500, 250.5, 3]  # not all integers: reportlab's own writer
    assert widths_array()(mixed).format(doc) == PDFArray(mixed).format(doc)

    canvas = Canvas(io.BytesIO(), invariant=1)
    canvas.setFont(face("Regular").name, 12)
    # more than 256 characters: two subsets of one face
    canvas.drawString(10, 10, "".join(chr(c) for c in range(0x21, 0x17F)) + " Ẵ Ỗ ệ ừ")
    canvas.showPage()
    canvas.save()
    fonts = canvas._doc.idToObject["BasicFonts"].dict
    widths = [f.Widths for f in fonts.values() if hasattr(f, "Widths")]
    assert len(widths) >= 2 and all(type(w) is widths_array() for w in widths)
