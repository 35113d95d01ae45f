"""End to end on the example campaign: `bzmedia build --only print`, then every PDF inspected."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from click.testing import CliRunner
from print_helpers import (
    PT_PER_MM,
    colour_operators,
    flat,
    font_problems,
    is_nfc,
    page_text,
    qr_texts,
    render_gray,
    subset_names,
    text_colours,
)

from bzmedia.build import BuildOptions, build
from bzmedia.campaign import load_campaign
from bzmedia.cli import cli
from bzmedia.printing.builder import PrintBuilder
from bzmedia.printing.pdf import OFFICE_EDGE_MM, OFFICE_GUTTER_MM

URL = "https://www.bluezone.gov.vn"
TITLE = "Cài đặt Bluezone – khẩu trang điện tử"
LOCALITIES = {"son-vi": "xã Sơn Vi", "tu-xa": "xã Tứ Xã", "hung-son": "thị trấn Hùng Sơn"}
TRIMS = {"to-roi": (148, 210), "ap-phich": (297, 420), "dan-xe": (210, 99), "ban-doc": (210, 297)}
OFFICE = {"to-roi": 2, "ap-phich": 2, "dan-xe": 2}
WITH_QR = ("to-roi", "ap-phich", "dan-xe")
PRIMARY = (0.933, 0.424, 0.0, 0.353)  # #0B5FA5 by under-colour removal


SCRIPT = Path(__file__).resolve().parents[2] / "content" / "bluezone-2020.yaml"


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    """The example's print channel, built once for this module (print builder only, so the
    checks below do not depend on the kit stage)."""
    root = tmp_path_factory.mktemp("print-kit")
    campaign, _warnings = load_campaign(SCRIPT)
    build(campaign, BuildOptions(output_root=root / "out", workers=2, cache_dir=root / "cache"),
          builders=[PrintBuilder()])
    return root / "out" / "bluezone-2020"


def test_cli_build_only_print_writes_every_item_for_every_locality(tmp_path, cache_dir):
    result = CliRunner().invoke(cli, ["build", str(SCRIPT), "--only", "print",
                                      "-o", str(tmp_path / "out"), "-j", "2"])
    assert result.exit_code == 0, result.output
    kit = tmp_path / "out" / "bluezone-2020"
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    kinds = {entry["path"]: entry["kind"] for entry in manifest["files"]}
    for loc in LOCALITIES:
        for item in TRIMS:
            expected = "script" if item == "ban-doc" else "print"
            assert kinds.get(f"{loc}/print/{item}.pdf") == expected
            office = f"{loc}/print/{item}-office-a4.pdf"
            assert (kinds.get(office) == "office") == (item in OFFICE)
            assert (kit / office).is_file() == (item in OFFICE)
    assert not any(kind in ("audio", "slide", "video") for kind in kinds.values())


@pytest.mark.parametrize("item", sorted(TRIMS))
def test_print_shop_pdf_boxes_fonts_colours(kit, item):
    path = kit / "son-vi" / "print" / f"{item}.pdf"
    width, height = TRIMS[item]
    bleed = 3 * PT_PER_MM
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            media = [float(v) for v in page.MediaBox]
            assert media == pytest.approx([0, 0, width * PT_PER_MM + 2 * bleed,
                                           height * PT_PER_MM + 2 * bleed], abs=0.01)
            trim = [float(v) for v in page.TrimBox]
            assert trim == pytest.approx([bleed, bleed, media[2] - bleed, media[3] - bleed], abs=0.01)
            assert [float(v) for v in page.BleedBox] == pytest.approx(media, abs=0.01)
        for xobject in (x for p in pdf.pages for x in p.Resources.get("/XObject", {}).values()):
            if xobject.get("/Subtype") == "/Image":
                assert xobject.ColorSpace == "/DeviceCMYK"
    assert font_problems(path) == []
    assert b"Helvetica" not in path.read_bytes()
    assert all(re.fullmatch(r"/[A-Z]{6}\+BeVietnamPro-\w+", name) for name in subset_names(path))
    # Colours are set only as CMYK (k/K), never RGB or grey; body text is 100 % K (never the
    # brand's #1A1A1A as a rich grey); other text is white or the primary colour.
    assert colour_operators(path) <= {"k", "K"}
    if item != "dan-xe":  # the sticker is white on blue throughout
        assert (0, 0, 0, 1) in text_colours(path)
    assert text_colours(path) <= {(0, 0, 0, 1), (0, 0, 0, 0), PRIMARY}


@pytest.mark.parametrize("loc,item", [(loc, item) for loc in LOCALITIES for item in TRIMS])
def test_title_and_locality_extractable_as_nfc(kit, loc, item):
    text = "\n".join(page_text(kit / loc / "print" / f"{item}.pdf"))
    assert is_nfc(text)
    assert TITLE in flat(text)
    assert LOCALITIES[loc] in flat(text)


@pytest.mark.parametrize("item", WITH_QR)
def test_qr_decodes_from_150_dpi_grayscale_render(kit, item):
    image = render_gray(kit / "tu-xa" / "print" / f"{item}.pdf", 0, 150)
    assert qr_texts(image) == [URL]


@pytest.mark.parametrize("item", sorted(OFFICE))
def test_office_sheet_is_a4_with_decodable_copies_and_clean_edge(kit, item):
    path = kit / "hung-son" / "print" / f"{item}-office-a4.pdf"
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            assert [float(v) for v in page.MediaBox] == pytest.approx(
                [0, 0, 210 * PT_PER_MM, 297 * PT_PER_MM], abs=0.01)
    assert font_problems(path) == []
    image = render_gray(path, 0, 150)
    # Each copy on its own: 2-up copies are the top and bottom halves of the sheet.
    half = image.height // 2
    for region in (image.crop((0, 0, image.width, half)), image.crop((0, half, image.width, image.height))):
        assert qr_texts(region) == [URL]
    assert len(qr_texts(image)) == OFFICE[item]
    # Nothing printed within 5 mm of the sheet's edge.
    pixels = np.asarray(image)
    edge = int(5 / 25.4 * 150)
    for strip in (pixels[:edge], pixels[-edge:], pixels[:, :edge], pixels[:, -edge:]):
        assert strip.min() == 255
    if item == "to-roi":
        # Each copy is clipped to its trim: no bleed spills into the gutter between the copies
        # (only the dashed cut lines, drawn on the trim lines, touch it).
        cell = (297 - 2 * OFFICE_EDGE_MM - OFFICE_GUTTER_MM) / 2  # the A5 copies fill their cells
        gutter = OFFICE_EDGE_MM + cell  # mm from the top of the sheet
        rows = [round((gutter + mm) / 25.4 * 150) for mm in (0.8, 2.0, 3.0, 4.0, 5.2)]
        cols = slice(round(10 / 25.4 * 150), round(200 / 25.4 * 150))
        assert all(pixels[row, cols].min() == 255 for row in rows)
        assert pages == 2  # front and back, for duplex printing
        assert qr_texts(render_gray(path, 1, 150)) == []  # the back has no QR


def test_office_sheet_draws_each_page_once_and_places_it_on_every_copy(kit):
    """The copies share one form XObject per page: the page's text is in the sheet once per page,
    not once per copy (and the copies still decode and stay clipped, tested above)."""
    path = kit / "son-vi" / "print" / "to-roi-office-a4.pdf"
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            placed = [operands[0] for operands, operator in pikepdf.parse_content_stream(page)
                      if str(operator) == "Do"]
            forms = {str(name) for name in placed
                     if page.Resources.XObject[name].get("/Subtype") == "/Form"}
            assert len(placed) == OFFICE["to-roi"] and len(forms) == 1
            assert not any(str(op) in ("Tj", "TJ") for _o, op in pikepdf.parse_content_stream(page))
    # Read through the form, each copy shows what the print-shop page shows.
    shop = page_text(kit / "son-vi" / "print" / "to-roi.pdf")
    for sheet_page, shop_page in zip(page_text(path), shop, strict=True):
        expected = flat(shop_page).count(LOCALITIES["son-vi"]) * OFFICE["to-roi"]
        assert expected and flat(sheet_page).count(LOCALITIES["son-vi"]) == expected


def test_preflight_summary_in_manifest(kit):
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["path"]: e for e in manifest["files"]}
    leaflet = entries["son-vi/print/to-roi.pdf"]
    assert leaflet["page_mm"] == [154.0, 216.0]
    assert leaflet["trim_mm"] == [148.0, 210.0]
    assert leaflet["pages"] == 2
    assert leaflet["fonts_embedded"] is True
    assert {f["name"] for f in leaflet["fonts"]} <= {
        f"BeVietnamPro-{w}" for w in ("Regular", "Medium", "SemiBold", "Bold", "ExtraBold")}
    assert min(leaflet["image_dpi"]) >= 300
    assert min(leaflet["qr_mm"]) >= 20
    assert leaflet["smallest_text_pt"] >= 8
    office = entries["son-vi/print/to-roi-office-a4.pdf"]
    assert office["copies_per_page"] == 2 and office["page_mm"] == [210.0, 297.0]
    assert office["duplex"] == "long-edge"
    assert os.path.getsize(kit / "son-vi/print/to-roi.pdf") == leaflet["bytes"]
    for loc in LOCALITIES:  # every item for every locality, with the right kind
        for item in TRIMS:
            assert entries[f"{loc}/print/{item}.pdf"]["kind"] == ("script" if item == "ban-doc"
                                                                  else "print")
            assert (entries.get(f"{loc}/print/{item}-office-a4.pdf", {}).get("kind")
                    == ("office" if item in OFFICE else None))


def test_second_build_reuses_every_print_job(kit):
    root = kit.parent.parent
    campaign, _warnings = load_campaign(SCRIPT)
    report = build(campaign, BuildOptions(output_root=root / "out", workers=2,
                                          cache_dir=root / "cache"), builders=[PrintBuilder()])
    assert report.ran == [] and report.reused == len(LOCALITIES) * len(TRIMS)
