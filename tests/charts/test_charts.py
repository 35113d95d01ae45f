"""Charts of the stats: figures, checked on real files: the seed 002 poster's PDF text and objects,
a chart slide's pixels, the kit page's image, and validation without stats:."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2
import pytest
from PIL import Image, ImageDraw

from bzmedia.build import BuildOptions, build
from bzmedia.builder import Plan
from bzmedia.campaign.loader import load_campaign
from bzmedia.campaign.variables import for_locality
from bzmedia.charts.data import Bar, ChartData, chart_data, short_label
from bzmedia.kit.builder import KitBuilder
from bzmedia.kit.chart import chart_alt
from bzmedia.printing.builder import PrintBuilder
from bzmedia.signage.builder import SignageBuilder
from bzmedia.signage.render import SlidePainter, rgb

CONTENT = Path(__file__).resolve().parents[2] / "content"
SEED_002 = [("Gia Nghĩa", "13.404"), ("Đắk Mil", "8.713"), ("Đắk R'Lấp", "7.498"), ("Cư Jút", "6.963"),
            ("Đắk Song", "6.567"), ("Krông Nô", "5.757"), ("Đắk Glong", "4.397"), ("Tuy Đức", "4.217")]


@pytest.fixture
def dak_nong(tmp_path: Path) -> Path:
    """A writable copy of the seed 002 example (script and its spreadsheet)."""
    for name in ("dak-nong-2020.yaml", "dak-nong-2020.csv"):
        shutil.copy(CONTENT / name, tmp_path / name)
    return tmp_path / "dak-nong-2020.yaml"


def plan_of(script: Path) -> Plan:
    campaign, problems = load_campaign(script)
    assert not [p for p in problems if not p.warning], problems
    localities = campaign.kit_localities()
    return Plan(campaign, localities, {loc.id: for_locality(campaign, loc) for loc in localities})


def pdf_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(path)
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def test_the_ranking_poster_prints_every_district_in_order_as_vectors(dak_nong, tmp_path, cache_dir):
    campaign, _ = load_campaign(dak_nong)
    options = BuildOptions(output_root=tmp_path / "out", locality=("dak-mil",), workers=1,
                           cache_dir=cache_dir)
    build(campaign, options, builders=[PrintBuilder()])
    poster = tmp_path / "out" / "dak-nong-2020" / "dak-mil" / "print" / "xep-hang.pdf"
    text = pdf_text(poster).replace("\r\n", "\n").replace("’", "'")
    bars = re.findall(r"^(\D+) (\d{1,3}(?:\.\d{3})*)$", text, re.MULTILINE)
    assert bars == SEED_002, text  # Gia Nghĩa first, Tuy Đức last, each with its value as printed
    assert "Mục tiêu 60 % dân số đến 20/8/2020" in text.replace("\n", " ")
    with pikepdf.open(poster) as pdf:
        page = pdf.pages[0]
        xobjects = page.Resources.get("/XObject", {})
        images = [name for name, obj in xobjects.items() if obj.get("/Subtype") == "/Image"]
        fonts = {str(font.BaseFont) for font in page.Resources.Font.values()}
    assert images == []  # the chart (and the QR code) are vector paths, not pictures
    assert fonts and all("BeVietnamPro" in name for name in fonts)  # no Helvetica from the charts


def test_a_chart_slide_shows_the_localitys_own_figure_and_highlights_its_bar(dak_nong):
    jobs = [job for job in SignageBuilder().jobs(plan_of(dak_nong)) if job.name == "1920x1080"]
    slides = {}
    for job in jobs[:2]:  # gia-nghia, dak-mil
        deck = job.inputs.deck
        slide = next(s for s in deck.slides if s.kind == "chart")
        painter = SlidePainter(deck, job.where)
        slides[deck.locality] = (slide, np.asarray(painter.paint(slide), dtype=int), painter)
    slide, mil, painter = slides["dak-mil"]
    assert slide.text == "huyện Đắk Mil: 8.713 lượt cài đặt, thứ 2/8"
    # The figure is on the slide: its text box holds exactly that line drawn alone, and at no
    # less than the layout's smallest text size.
    box = painter.variant.chart.text
    fitted = painter.fit(slide, "text", [slide.text], box)
    assert fitted.size >= painter.smallest
    alone = Image.new("RGB", (deck.width, deck.height), rgb(deck.palette["background"]))
    painter.draw_text(ImageDraw.Draw(alone), fitted, box)
    x0, y0, x1, y1 = painter.box_px(box.box)
    assert np.array_equal(np.asarray(alone, dtype=int)[y0:y1, x0:x1], mil[y0:y1, x0:x1])
    assert (mil[y0:y1, x0:x1] != mil[y0, x0]).any()  # and it is not blank
    _, nghia, _ = slides["gia-nghia"]
    # The chart box: the two districts' slides differ in Gia Nghĩa's and Đắk Mil's rows (which
    # bar is hatched and bold), nowhere in the rows below.
    left, top, right, bottom = painter.box_px(painter.variant.chart.chart.box)
    differs = np.abs(mil - nghia).sum(axis=2)[top:bottom, left:right] > 0
    rows = np.nonzero(differs.any(axis=1))[0]
    assert rows.size and rows.max() < (bottom - top) * 0.45
    # The highlighted bar is hatched: along its middle it alternates between fill and outline ink.
    accent = np.array([0xF2, 0xA9, 0x00])
    hatched = (np.abs(mil[top:bottom, left:right] - accent).sum(axis=2) < 30)
    assert hatched.sum() > 2000


def test_a_long_ranking_keeps_the_minimum_text_size_and_shows_the_own_locality(tmp_path):
    rows = "\n".join(f"  - {{id: xa-{n:03d}, name: 'xã Số {n}'}}" for n in range(1, 61))
    values = "\n".join(f"    xa-{n:03d}: {1000 + 37 * n}" for n in range(1, 61))
    script = tmp_path / "c.yaml"
    script.write_text(
        "campaign: {id: c, title: T, issuer: UBND huyện, url: 'https://example.vn'}\n"
        f"localities:\n{rows}\n"
        f"stats:\n  date: 2020-08-13\n  unit: lượt cài đặt\n  values:\n{values}\n"
        "signage:\n  sizes: [1280x720]\n  video: false\n  slides:\n"
        "    - {id: xep-hang, kind: chart, title: Xếp hạng}\n", encoding="utf-8")
    jobs = SignageBuilder().jobs(plan_of(script))
    job = next(j for j in jobs if j.locality == "xa-001")  # last of 60: not among the first rows
    deck = job.inputs.deck
    data = deck.slides[0].chart
    assert [b.label for b in data.bars[:2]] == ["Số 60", "Số 59"] and data.own.rank == 60
    from bzmedia.charts.fit import fit_ranking
    from bzmedia.charts.raster import rgb_style

    painter = SlidePainter(deck, job.where)
    left, top, right, bottom = painter.box_px(painter.variant.chart.chart.box)
    style = rgb_style({"bar": "#0B5FA5", "highlight": "#F2A900", "outline": "#000000",
                       "text": "#000000"}, 40, painter.smallest, "#FFFFFF")
    fit = fit_ranking(data, style, right - left, bottom - top)
    assert fit.size == painter.smallest and fit.rows[-1] == data.own and fit.rows[-2] is None
    assert fit.labels[-1] == "60. Số 1" and fit.labels[-2] == "…"
    painter.paint(deck.slides[0])  # draws without error


def test_the_kit_page_shows_each_localitys_ranking_image(dak_nong, tmp_path, cache_dir):
    plan = plan_of(dak_nong)
    jobs = {job.id: job for job in KitBuilder().jobs(plan)}
    chart_jobs = [job for job in jobs.values() if job.name == "chart"]
    assert len(chart_jobs) == 8
    campaign, _ = load_campaign(dak_nong)
    build(campaign, BuildOptions(output_root=tmp_path / "out", locality=("tuy-duc",), workers=1,
                                 cache_dir=cache_dir, only=("print",)))
    kit = tmp_path / "out" / "dak-nong-2020"
    image = kit / "tuy-duc" / "chart" / "xep-hang.png"
    with Image.open(image) as png:
        assert png.size[0] == 1000
    page = (kit / "index.html").read_text(encoding="utf-8")
    # the picture in words: its own place and the first; every figure once, in the page's table
    assert ('<img src="tuy-duc/chart/xep-hang.png" alt="Biểu đồ xếp hạng – Lượt cài đặt, 13/8/2020 · '
            'Mục tiêu 60 % dân số đến 20/8/2020: Tuy Đức '
            'đứng thứ 8/8 với 4.217; đứng đầu: Gia Nghĩa với 13.404. Số liệu đủ: bảng “Số liệu xếp hạng” '
            'ở đầu trang."') in page
    assert page.count("<tr><td class=\"num\">") == 8
    assert '<tr><td class="num">8</td><td>Tuy Đức</td><td class="num">4.217</td></tr>' in page
    assert page.count("6.963") == 2  # Cư Jút's figure: in the table and in its own chart's words only


def test_a_chart_in_words_with_a_tie_at_the_top_and_a_commune_without_a_figure():
    bars = (Bar("a", "An Hòa", 9.0, "9", 1), Bar("b", "Bình <Minh> & \"Co\"", 9.0, "9", 1),
            Bar("c", "Cát Tiên", 4.0, "4", 3))
    data = ChartData("ranking", bars, None, "count", "lượt", "13/8/2020", None, "")
    tail = ". Số liệu đủ: bảng “Số liệu xếp hạng” ở đầu trang."
    head = "Biểu đồ xếp hạng – Lượt, 13/8/2020: "
    assert chart_alt(data, bars[1]) == head + 'Bình <Minh> & "Co" đứng thứ 1/3 với 9' + tail  # tied first
    assert chart_alt(data, bars[2]) == head + "Cát Tiên đứng thứ 3/3 với 4; đứng đầu: An Hòa với 9" + tail
    assert chart_alt(data, None) == head + "địa phương này chưa có số liệu; đứng đầu: An Hòa với 9" + tail


def test_labels_drop_the_administrative_level():
    assert short_label("thành phố Gia Nghĩa") == "Gia Nghĩa"
    assert short_label("huyện Đắk R'Lấp") == "Đắk R'Lấp"
    assert short_label("Xã") == "Xã"


def test_with_populations_the_ranking_compares_shares_and_draws_the_target(tmp_path):
    script = tmp_path / "c.yaml"
    script.write_text(
        "campaign: {id: c, title: T, issuer: UBND huyện, url: 'https://example.vn'}\n"
        "localities:\n  - {id: a, name: xã A}\n  - {id: b, name: xã B}\n"
        "stats:\n  date: 2020-08-13\n  target: 60\n  values: {a: 900, b: 400}\n"
        "  population: {a: 10000, b: 2000}\n", encoding="utf-8")
    campaign, problems = load_campaign(script)
    assert not problems, problems
    data = chart_data(campaign, "a", "ranking")
    assert data.measure == "percent" and [(b.label, b.shown) for b in data.bars] == [
        ("B", "20 %"), ("A", "9 %")]
    from bzmedia.charts.draw import ranking_drawing
    from bzmedia.charts.raster import rgb_style

    style = rgb_style({"bar": "#0B5FA5", "highlight": "#F2A900", "outline": "#000000",
                       "text": "#000000"}, 30, 20, None)
    strings = [s.text for s in ranking_drawing(data, 800, 400, style).drawing.getContents()
               if hasattr(s, "text")]
    assert "Mục tiêu 60 %" in strings


@pytest.mark.parametrize("entry, key", [
    ("signage:\n  slides:\n    - {id: x, kind: chart, title: Xếp hạng}\n", "signage.slides[0].kind"),
    ("print:\n  - {id: p, kind: chart, headline: Xếp hạng}\n", "print[0].kind"),
    ("print:\n  - {id: p, kind: poster, layout: chart-a4, headline: X}\n", "print[0].layout"),
])
def test_validate_refuses_a_chart_without_stats(tmp_path, entry, key):
    script = tmp_path / "c.yaml"
    script.write_text("campaign: {id: c, title: T, issuer: UBND huyện, url: 'https://example.vn'}\n"
                      + entry, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "bzmedia", "validate", str(script)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert re.search(rf"c\.yaml:\d+:\d+: {re.escape(key)}: .*no stats: block", proc.stderr), proc.stderr


def test_validate_names_a_chart_whose_locality_names_cannot_fit(tmp_path):
    long_name = "xã " + "Rất Dài Tên " * 6
    script = tmp_path / "c.yaml"
    script.write_text(
        "campaign: {id: c, title: T, issuer: UBND huyện, url: 'https://example.vn'}\n"
        f"localities:\n  - {{id: a, name: '{long_name}A'}}\n  - {{id: b, name: '{long_name}B'}}\n"
        "stats:\n  date: 2020-08-13\n  values: {a: 900, b: 400}\n"
        "signage:\n  sizes: [1920x1080]\n  slides:\n"
        "    - {id: x, kind: chart, title: Xếp hạng}\n"
        "print:\n  - {id: p, kind: chart, layout: chart-a4, headline: Xếp hạng}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "bzmedia", "validate", str(script)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert re.search(r"c\.yaml:\d+:\d+: signage\.slides\[0\]\.kind: at 1920x1080: the locality names "
                     r"do not fit a 1690 x 670 chart even at the smallest label size, 38 ",
                     proc.stderr), proc.stderr
    assert re.search(r"c\.yaml:\d+:\d+: print\[0\]\.layout: layout 'chart-a4': the locality names",
                     proc.stderr), proc.stderr


def test_a_box_too_small_for_three_rows_is_refused_not_squeezed():
    from bzmedia.charts.data import Bar, ChartData
    from bzmedia.charts.fit import ChartDoesNotFit, ChartStyle, fit_ranking

    bars = tuple(Bar(f"x{n}", f"Xã {n}", float(100 - n), str(100 - n), n + 1) for n in range(60))
    data = ChartData("ranking", bars, "x59", "count", "", "13/8/2020", None, "")
    with pytest.raises(ChartDoesNotFit, match="do not fit a 900 x 60 chart"):
        fit_ranking(data, ChartStyle({}, 30, 20), 900, 60)
    fit = fit_ranking(data, ChartStyle({}, 30, 20), 900, 200)  # 165 units under the caption: 5 rows
    assert fit.size == 20 and [b.id if b else None for b in fit.rows] == ["x0", "x1", "x2", None, "x59"]


def test_the_progress_figure_says_the_share_and_the_target_or_that_there_is_no_figure():
    from bzmedia.charts.data import Bar, ChartData
    from bzmedia.charts.draw import progress_drawing
    from bzmedia.charts.raster import rgb_style

    bars = (Bar("b", "B", 20.0, "20 %", 1), Bar("a", "A", 9.0, "9 %", 2))
    style = rgb_style({"bar": "#0B5FA5", "highlight": "#F2A900", "outline": "#000000",
                       "text": "#000000"}, 30, 20, "#FFFFFF")

    def strings(highlight):
        data = ChartData("progress", bars, highlight, "percent", "", "13/8/2020", 60.0, "20/8/2020")
        return [s.text for s in progress_drawing(data, 900, 300, style).drawing.getContents()
                if hasattr(s, "text")]

    assert strings("a")[:2] == ["A: 9 %", "Mục tiêu 60 %"]
    assert strings(None)[0] == "Chưa có số liệu"
