"""Small campaigns written in the test: fitting, NFD input, stacked capitals, warnings, errors."""

from __future__ import annotations

import json
import unicodedata

import pytest
from PIL import Image
from print_helpers import HEAD, build_print, flat, is_nfc, page_text, qr_texts, render_gray, write_campaign

from bzmedia.build import BuildOptions, build
from bzmedia.campaign import CampaignError, load_campaign
from bzmedia.errors import BuildError
from bzmedia.printing.builder import PrintBuilder


def test_script_headline_that_cannot_fit_names_item_locality_and_box(tmp_path, cache_dir):
    long = " ".join(["Bản đọc trực tiếp trên loa truyền thanh của xã"] * 8)
    script = write_campaign(tmp_path, f"""\
  - id: ban-doc
    kind: script
    spot: thong-bao
    headline: "{long}"
""")
    with pytest.raises(BuildError) as caught:
        build_print(script, tmp_path / "out")
    [message] = caught.value.messages
    assert message.startswith(f"{script}:")
    assert "print[0].headline" in message
    assert "print item 'ban-doc'" in message and "box 'headline'" in message
    assert "text does not fit: needs 6 lines (35.5 mm), box holds 3 (20.0 mm) at 14 pt minimum" in message
    assert message.endswith("(locality son-vi)")  # the preflight names the locality by its id
    # Nothing half-made is left behind.
    assert not (tmp_path / "out" / "thu-nghiem" / "son-vi" / "print" / "ban-doc.pdf").exists()


def test_nfd_script_prints_composed_diacritics(tmp_path, cache_dir):
    headline = "Hướng dẫn cài đặt ứng dụng Bluezone"
    decomposed = HEAD.replace("Đề nghị bà con", "Đề nghị bà con Sơn Vi, Tứ Xã")
    script = write_campaign(tmp_path, f"""\
  - id: ban-doc
    kind: script
    spot: thong-bao
    headline: "{headline}"
  - id: to-roi
    kind: leaflet
    headline: "{headline}"
    points: ["Bảo mật, ẩn danh và minh bạch"]
""", head=unicodedata.normalize("NFD", decomposed))
    assert script.read_text(encoding="utf-8") != unicodedata.normalize(
        "NFC", script.read_text(encoding="utf-8"))
    _report, kit = build_print(script, tmp_path / "out")
    text = flat("\n".join(page_text(kit / "son-vi" / "print" / "ban-doc.pdf")))
    assert is_nfc(text)
    assert headline in text
    assert "Đề nghị bà con Sơn Vi, Tứ Xã xã Sơn Vi cài đặt ứng dụng Bluezone." in text
    assert "Đây là Đài truyền thanh xã Sơn Vi." in text  # the ident comes first, for live reading
    leaflet = flat("\n".join(page_text(kit / "son-vi" / "print" / "to-roi.pdf")))
    assert "Bảo mật, ẩn danh và minh bạch" in leaflet and "UBND XÃ SƠN VI" in leaflet


def test_sticker_takes_its_size_from_the_item_and_long_text_shrinks(tmp_path, cache_dir):
    script = write_campaign(tmp_path, """\
  - id: dan-cua
    kind: sticker
    size: 150x80
    office: 4-up
    headline: "Hành khách và người dân hãy cài đặt ứng dụng Bluezone ngay hôm nay"
  - {id: dan-thang-may, kind: sticker, size: 90x130, office: none, headline: "Hãy cài Bluezone"}
""")
    campaign, _warnings = load_campaign(script)
    assert [item.layout_name for item in campaign.print_] == ["sticker", "sticker-portrait"]
    _report, kit = build_print(script, tmp_path / "out")
    upright = kit / "son-vi" / "print" / "dan-thang-may.pdf"
    assert qr_texts(render_gray(upright)) == ["https://www.bluezone.gov.vn"]
    assert "Hãy cài Bluezone" in flat(page_text(upright)[0])
    assert not (kit / "son-vi" / "print" / "dan-thang-may-office-a4.pdf").exists()
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["path"]: e for e in manifest["files"]}
    sticker = entries["son-vi/print/dan-cua.pdf"]
    assert sticker["trim_mm"] == [150.0, 80.0] and sticker["page_mm"] == [156.0, 86.0]
    assert qr_texts(render_gray(kit / "son-vi" / "print" / "dan-cua.pdf")) == [
        "https://www.bluezone.gov.vn"]
    office = entries["son-vi/print/dan-cua-office-a4.pdf"]
    assert office["copies_per_page"] == 4
    image = render_gray(kit / "son-vi" / "print" / "dan-cua-office-a4.pdf", 0, 150)
    w, h = image.width // 2, image.height // 2
    for x, y in ((0, 0), (w, 0), (0, h), (w, h)):
        assert qr_texts(image.crop((x, y, x + w, y + h))) == ["https://www.bluezone.gov.vn"]


def test_low_resolution_logo_warns(tmp_path, cache_dir):
    script = write_campaign(tmp_path, """\
  - id: ap-phich
    kind: poster
    headline: "Hãy cài đặt Bluezone"
""")
    Image.new("RGB", (60, 60), "#0B5FA5").save(tmp_path / "assets" / "logo.png")
    report, _kit = build_print(script, tmp_path / "out")
    assert any("'ap-phich'" in w and "dpi" in w and "xã Sơn Vi" in w for w in report.warnings)


def test_office_sheet_prints_weak_colour_pairs_in_black_or_white(tmp_path, cache_dir):
    head = HEAD.replace("brand:\n", 'brand:\n  colors: {primary: "#0B5FA5", on_primary: "#5A8FD0"}\n')
    script = write_campaign(tmp_path, """\
  - id: to-roi
    kind: leaflet
    headline: "Cài đặt Bluezone"
    subhead: "Bảo vệ mình, bảo vệ gia đình"
""", head=head)
    _report, kit = build_print(script, tmp_path / "out")
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    office = next(e for e in manifest["files"] if e["kind"] == "office")
    assert any(fix.startswith("subhead:") and "printed white" in fix
               for fix in office["grayscale_fixes"])


def test_campaign_brings_its_own_layout(tmp_path, cache_dir):
    script = write_campaign(tmp_path, """\
  - id: the
    kind: poster
    layout: layouts/the.yaml
    headline: "Cài Bluezone"
""")
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "the.yaml").write_text("""\
trim: 90x55
office: 4-up
pages:
  - background: accent
    boxes:
      headline: {show: headline, left: 6, top: 6, right: 6, height: 20, font: Bold, size: 20}
      where: {text: "{locality.name} · {campaign.title}", left: 6, bottom: 6, right: 6, height: 8,
              size: 8}
""", encoding="utf-8")
    _report, kit = build_print(script, tmp_path / "out")
    text = flat(page_text(kit / "son-vi" / "print" / "the.pdf")[0])
    assert "Cài Bluezone" in text and "xã Sơn Vi · Cài đặt Bluezone" in text


@pytest.mark.parametrize("section,expected", [
    ("  - {id: a, kind: leaflet, layout: leaflet-a4, headline: x}\n",
     "print[0].layout: no built-in print layout 'leaflet-a4'; built-in print layouts: chart-a3, "
     "chart-a4, leaflet-a5, poster-a3, script-a4, sticker, sticker-portrait"),
    ("  - {id: a, kind: leaflet}\n", "print[0]: a leaflet needs a 'headline'"),
    ("  - {id: a, kind: script, spot: loa}\n",
     "print[0].spot: 'loa' is not the id of an audio spot; spots: thong-bao"),
    ("  - {id: a, kind: script}\n", "print[0]: layout 'script-a4' prints an audio spot"),
    ("  - {id: a, kind: sticker, headline: x}\n",
     "print[0]: layout 'sticker' takes its size from the item"),
    ("  - {id: a, kind: sticker, headline: x, size: 60x30}\n",
     "print[0].size: 60x30 mm is too small for layout 'sticker': the QR box is 11.0 mm; it needs "
     "at least 28 mm for a 20 mm code and its quiet zone (and 4 more at this size)"),
    ("  - {id: a, kind: poster, headline: x, steps: [b]}\n",
     "print[0].steps: warning: layout 'poster-a3' has no place for steps"),
])
def test_validate_reports_print_problems_at_the_item(tmp_path, section, expected):
    script = write_campaign(tmp_path, section)
    try:
        _campaign, warnings = load_campaign(script)
    except CampaignError as exc:
        problems = exc.problems
    else:
        problems = warnings
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]


def test_layout_file_mistakes_are_reported_with_their_position(tmp_path):
    script = write_campaign(tmp_path, "  - {id: a, kind: poster, layout: my.yaml, headline: x}\n")
    (tmp_path / "my.yaml").write_text("""\
trim: 100x100
pages:
  - boxes:
      headline: {show: headlin, left: 2, top: 10, width: 50, height: 20, size: 6}
    qr: {left: 10, top: 40, width: 20, height: 20}
""", encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    shown = [str(p) for p in caught.value.problems]
    assert any(s.endswith("my.yaml:4:24: pages[0].boxes.headline.show: 'headlin' is not one of: "
                          "headline, subhead, points, steps, steps_title, body, footer, script "
                          "(did you mean 'headline'?)") for s in shown), shown
    assert any("my.yaml:4:80: pages[0].boxes.headline.size: must be at least 8.0, got 6.0" in s
               for s in shown), shown


def test_layout_geometry_is_checked_against_safe_zone_and_qr_size(tmp_path):
    script = write_campaign(tmp_path, "  - {id: a, kind: poster, layout: my.yaml, headline: x}\n")
    (tmp_path / "my.yaml").write_text("""\
trim: 100x100
pages:
  - boxes:
      headline: {show: headline, left: 2, top: 10, width: 50, height: 20, size: 12}
    qr: {left: 10, top: 40, width: 20, height: 20}
""", encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    shown = [str(p) for p in caught.value.problems]
    assert any(s.endswith("my.yaml:4:17: pages[0].boxes.headline: box 'headline' reaches into the "
                          "6 mm safe zone of a 100x100 mm page") for s in shown), shown
    assert any("my.yaml:5:9: pages[0].qr: the QR box is 20.0 mm; it needs at least 28 mm" in s
               for s in shown), shown


def test_without_localities_or_hotline_nothing_is_printed_twice_or_half(tmp_path, cache_dir):
    head = HEAD.replace('localities:\n  - {id: son-vi, name: "xã Sơn Vi", hotline: "0210 3825 111"}\n',
                        "").replace("Mọi thắc mắc xin gọi số {hotline}.", "Xin cảm ơn.")
    script = write_campaign(tmp_path, """\
  - {id: ban-doc, kind: script, spot: thong-bao}
  - {id: to-roi, kind: leaflet, headline: "Cài Bluezone", steps: ["Mở CH Play"]}
""", head=head)
    _report, kit = build_print(script, tmp_path / "out")
    reading = page_text(kit / "all" / "print" / "ban-doc.pdf")[0]
    assert reading.splitlines()[0] == "UBND xã Sơn Vi"  # not "UBND xã Sơn Vi · UBND xã Sơn Vi"
    assert "Bản đọc trực tiếp trên loa truyền thanh" in reading
    back = page_text(kit / "all" / "print" / "to-roi.pdf")[1]
    assert "đường dây nóng" not in back  # no hotline: no label promising one
    assert "UBND xã Sơn Vi · 05/8/2020" in back


def test_logo_that_is_not_an_image_is_refused_at_brand_logo(tmp_path, cache_dir):
    script = write_campaign(tmp_path, "  - {id: ap-phich, kind: poster, headline: x}\n")
    campaign, _ = load_campaign(script)
    # Spoiled after the script was checked: the print job itself must say so, at brand.logo.
    (tmp_path / "assets" / "logo.png").write_text("not a picture", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(campaign, BuildOptions(output_root=tmp_path / "out", workers=1), builders=[PrintBuilder()])
    [message] = caught.value.messages
    assert f"{script}:8:9: brand.logo: xã Sơn Vi: the logo cannot be read as an image" in message
    # Spoiled before: validating the script already refuses it.
    with pytest.raises(CampaignError) as refused:
        load_campaign(script)
    assert f"{script}:8:9: brand.logo: " in str(refused.value)
