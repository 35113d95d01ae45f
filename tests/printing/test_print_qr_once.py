"""The QR code is encoded once per worker, without reportlab's barcode widgets, and painted with
the rectangles reportlab's QrCodeWidget would give (so the PDFs keep their bytes)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Rect

from bzmedia.campaign.print_layout import QR_QUIET_MODULES
from bzmedia.printing.draw import qr_runs
from bzmedia.printing.qrcode import qr_matrix

URLS = ("https://www.bluezone.gov.vn", "https://example.org/a?b=c&d=ễ", "x" * 300)


def widget_rects(url: str, side: float) -> list[tuple[float, float, float, float]]:
    widget = QrCodeWidget(url, barLevel="M", barBorder=QR_QUIET_MODULES)
    widget.barWidth = widget.barHeight = side
    return [(s.x, s.y, s.width, s.height) for s in widget.draw().contents
            if isinstance(s, Rect) and s.fillColor is not None]


def our_rects(url: str, side: float) -> list[tuple[float, float, float, float]]:
    """The arithmetic of PageDrawer._qr."""
    modules, runs = qr_runs(url)
    box = float(side) / (modules + QR_QUIET_MODULES * 2.0)
    return [((column + QR_QUIET_MODULES) * box, side - (row + QR_QUIET_MODULES + 1) * box, count * box, box)
            for row, column, count in runs]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("side", (56.69291338582677, 85.03937007874016, 113.0))
def test_runs_give_the_widgets_rectangles_exactly(url, side):
    assert our_rects(url, side) == widget_rects(url, side)


def test_encoded_once_per_process():
    qr_runs.cache_clear()
    for _ in range(3):
        qr_runs(URLS[0])
    assert qr_runs.cache_info().misses == 1


def test_matrix_is_reportlabs():
    widget = QrCodeWidget(URLS[1], barLevel="M")
    widget.qr.make()
    assert qr_matrix(URLS[1]) == tuple(tuple(bool(c) for c in row) for row in widget.qr.modules)


def test_drawing_a_qr_imports_no_barcode_widgets_or_platypus():
    """Neither the print QR nor the slides' and portal page's (signage.qr, messages.pages)."""
    code = ("import sys\nfrom bzmedia.printing.draw import qr_runs\nqr_runs('https://www.bluezone.gov.vn')\n"
            "from bzmedia.signage.qr import qr_modules\nfrom bzmedia.messages.pages import qr_svg\n"
            "qr_modules('https://example.org'); qr_svg('https://example.org/b')\n"
            "print(sorted(m for m in sys.modules if m.startswith(('reportlab.platypus',"
            " 'reportlab.graphics'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_reportlab_laid_out_otherwise_falls_back_to_the_import(monkeypatch):
    """When the encoder's file is not where it is looked for, the ordinary import is used."""
    import importlib.util

    from bzmedia.printing import qrcode

    expected = qr_matrix(URLS[0])
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    qrcode.qr_encoder.cache_clear()
    qrcode.qr_matrix.cache_clear()
    try:
        assert qrcode.qr_encoder().__name__ == "reportlab.graphics.barcode.qrencoder"
        assert qr_matrix(URLS[0]) == expected
    finally:
        qrcode.qr_encoder.cache_clear()
        qrcode.qr_matrix.cache_clear()


def test_the_operators_are_what_canvas_rect_appends_for_each_run():
    """The QR is painted from one string per place, made once: the same page bytes as one
    ``canvas.rect`` per dark run (what the PDFs were made with before)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from bzmedia.printing.draw import qr_operators

    url, x, y, w = URLS[1], 400.25, 120.5, 85.03937007874016
    pages = []
    for by_rect in (True, False):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1, pageCompression=0)
        canvas.setFillColorCMYK(0, 0, 0, 1)
        if by_rect:
            for left, bottom, width, height in our_rects(url, w):
                canvas.rect(x + left, y + bottom, width, height, stroke=0, fill=1)
        else:
            canvas.addLiteral(qr_operators(url, x, y, w))
        canvas.showPage()
        canvas.save()
        pages.append(buffer.getvalue())
    assert pages[0] == pages[1] and pages[0].count(b" re f*") == len(qr_runs(url)[1])
    assert qr_operators(url, x, y, w) is qr_operators(url, x, y, w)  # made once per place


def test_a_code_too_dense_to_scan_from_paper_stops_the_build_at_the_item(tmp_path):
    """A 1,990-character address makes a 169-module code: on the 210x99 sticker's 38 mm it printed
    0.23 mm modules without a word.  The address itself is printed in no box of that layout, so no
    text check caught it; the example's short address prints 1.3 mm modules."""
    from print_helpers import HEAD, build_print, write_campaign

    from bzmedia.errors import BuildError

    long_url = "https://www.bluezone.gov.vn/tai?" + "&".join(f"k{i}=v{i}" for i in range(240))
    long_url = long_url[:1990]
    head = HEAD.replace("url: https://www.bluezone.gov.vn", f"url: {long_url}")
    script = write_campaign(tmp_path, "  - {id: dan-xe, kind: sticker, size: 210x99, "
                                      'headline: "Hành khách hãy cài đặt Bluezone"}\n', head)
    with pytest.raises(BuildError) as caught:
        build_print(script, tmp_path / "out")
    assert caught.value.messages == [
        f"{script}:20:5: print[0].qr: xã Sơn Vi: the QR code of the 1990-character address has 169 modules "
        "a side: at 38 mm each is 0.23 mm, and a phone needs 0.25 mm; use a shorter address (or a layout "
        "with a larger QR box), or set qr: false"]
    report, _kit = build_print(write_campaign(tmp_path / "short", "  - {id: dan-xe, kind: sticker, "
                                             'size: 210x99, headline: "Hành khách hãy cài đặt Bluezone"}\n'),
                              tmp_path / "short" / "out")
    assert report.ran == ["print/son-vi/dan-xe"]
