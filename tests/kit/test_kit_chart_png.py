"""The kit page's ranking chart (remade for every commune when one is added) is written as a PNG
of unfiltered rows deflated at a cheap level: the same pixels as drawn, read back by Pillow, in
no more bytes than Pillow's default PNG."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from bzmedia.charts.data import Bar, ChartData
from bzmedia.charts.raster import render_png, rgb_style
from bzmedia.kit.chart import LABEL_PX, MIN_LABEL_PX, WIDTH, chart_png

COLORS = {"bar": "#0B5FA5", "highlight": "#F2A900", "outline": "#1A1A1A", "text": "#1A1A1A"}


def ranking(count: int) -> ChartData:
    bars = tuple(Bar(f"xa-{k:03d}", f"Sơn Vi Hùng Lô {k}", 5000 - 37 * k,
                     f"{5000 - 37 * k:,}".replace(",", "."), k) for k in range(1, count + 1))
    return ChartData("ranking", bars, "xa-003", "count", "lượt cài đặt", "13/8/2020", 60.0, "20/8/2020")


def test_the_chart_png_holds_the_drawn_pixels_in_no_more_bytes():
    height = 150 + 58 * 12
    image = render_png(ranking(12), WIDTH, height, rgb_style(COLORS, LABEL_PX, MIN_LABEL_PX, "#FFFFFF"))
    stored, default = io.BytesIO(), io.BytesIO()
    chart_png(image, stored)
    image.save(default, "PNG", compress_level=6)
    with Image.open(io.BytesIO(stored.getvalue())) as png:
        png.verify()  # chunk checksums and structure
    with Image.open(io.BytesIO(stored.getvalue())) as png:
        assert png.format == "PNG" and png.mode == "RGB" and png.size == (WIDTH, height)
        assert np.array_equal(np.asarray(png), np.asarray(image))
    highlight = np.all(np.asarray(image) == (0xF2, 0xA9, 0x00), axis=2)
    assert highlight.sum() > 500  # a real chart: the own bar is drawn
    assert len(stored.getvalue()) <= len(default.getvalue())


def test_the_chart_png_is_every_row_unfiltered_deflated_at_level_3_by_bands():
    """The chart goes through the slides' PNG writer (:mod:`bzmedia.pngfile`) with no row filter:
    its IDAT is exactly the drawn rows, each after a 0 byte, each band of BAND_ROWS rows deflated
    at level 3 on its own (a full flush after it)."""
    import struct
    import zlib

    from bzmedia.kit import chart

    image = render_png(ranking(5), WIDTH, 150 + 58 * 5, rgb_style(COLORS, LABEL_PX, MIN_LABEL_PX, "#FFFFFF"))
    stored = io.BytesIO()
    chart_png(image, stored)
    data = stored.getvalue()
    size = struct.unpack(">I", data[33:37])[0]
    assert data[37:41] == b"IDAT" and len(data) == 41 + size + 4 + 12  # one IDAT, then IEND
    stride = WIDTH * 3
    raw = image.tobytes()
    rows = b"".join(b"\0" + raw[start:start + stride] for start in range(0, len(raw), stride))
    idat = data[41:41 + size]
    assert zlib.decompress(idat) == rows
    step = chart.BAND_ROWS * (stride + 1)
    bands = []
    for start in range(0, len(rows), step):
        compressor = zlib.compressobj(3, zlib.DEFLATED, -15)
        bands.append(compressor.compress(rows[start:start + step]) + compressor.flush(zlib.Z_FULL_FLUSH))
    assert idat == b"\x78\x5e" + b"".join(bands) + b"\x03\x00" + struct.pack(">I", zlib.adler32(rows))


def test_the_next_communes_chart_deflates_only_the_bands_that_changed(monkeypatch):
    """Charts of one ranking differ in the highlighted bar: the bands the last chart had are not
    deflated again, and the file is the same bytes a fresh process writes (nothing of the
    process's history shows)."""
    import zlib

    from bzmedia.kit import chart

    style = rgb_style(COLORS, LABEL_PX, MIN_LABEL_PX, "#FFFFFF")
    height = 150 + 58 * 30
    first = render_png(ranking(30), WIDTH, height, style)
    second = render_png(ranking(30).seen_from("xa-020"), WIDTH, height, style)
    chart._last_bands.clear()
    chart_png(first, io.BytesIO())
    deflated = []
    real = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj", lambda *a: deflated.append(a) or real(*a))
    warm = io.BytesIO()
    chart_png(second, warm)
    bands = -(-height // chart.BAND_ROWS)
    assert 1 <= len(deflated) <= 4 < bands  # the two bars whose highlight moved, two bands each at most
    monkeypatch.undo()
    chart._last_bands.clear()
    cold = io.BytesIO()
    chart_png(second, cold)
    assert warm.getvalue() == cold.getvalue()
    with Image.open(io.BytesIO(warm.getvalue())) as png:
        assert np.array_equal(np.asarray(png), np.asarray(second))


def test_bands_kept_at_one_level_are_not_reused_at_another():
    """A band's deflated bytes depend on the level: after a chart at level 3, the same rows at
    level 6 are the bytes a fresh process gives, a valid zlib stream of those rows."""
    import zlib

    from bzmedia.kit import chart

    rows = bytes(range(256)) * 3000
    chart._last_bands.clear()
    chart.deflate_by_bands(rows, 3, 1000)
    warm = chart.deflate_by_bands(rows, 6, 1000)
    chart._last_bands.clear()
    assert warm == chart.deflate_by_bands(rows, 6, 1000)
    assert zlib.decompress(warm) == rows and warm[:2] == zlib.compress(b"", 6)[:2]


def test_the_chart_rendered_in_rgb_order_has_the_pixels_of_pdfiums_default_order(monkeypatch):
    """render_png asks pdfium for RGB (no swap in Pillow): the pixels are those of pdfium's own
    BGR order converted by Pillow, as before (a chart PNG, and every slide with a chart, keep
    their bytes)."""
    import pypdfium2

    style = rgb_style(COLORS, LABEL_PX, MIN_LABEL_PX, "#0B5FA5")
    fast = render_png(ranking(7), 700, 520, style)
    render = pypdfium2.PdfPage.render

    def default_order(page, *args, rev_byteorder=False, **kwargs):
        return render(page, *args, **kwargs)  # BGR, swapped by to_pil as before

    monkeypatch.setattr(pypdfium2.PdfPage, "render", default_order)
    swapped = render_png(ranking(7), 700, 520, style)
    assert fast.mode == swapped.mode == "RGB" and fast.tobytes() == swapped.tobytes()
    assert np.all(np.asarray(fast) == (0xF2, 0xA9, 0x00), axis=2).sum() > 500  # red first, not blue
