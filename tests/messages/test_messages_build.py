"""The example's messages channel: files, manifest, CSV, strict HTML, self-contained portal, images."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import html5lib
import pytest
import zxingcpp
from PIL import Image

from bzmedia.messages.images import BANNER_SIZES, SOCIAL_SIZES, STEP_SIZE

LOCALITIES = ("son-vi", "tu-xa", "hung-son")
TEXT_FILES = ("sms-khong-dau.txt", "sms-co-dau.txt", "zalo.txt", "wifi-portal.html", "bai-viet.html",
              "bai-viet-xem-truoc.html")
CAMPAIGN_URL = "https://www.bluezone.gov.vn"


def image_names() -> list[tuple[str, tuple[int, int]]]:
    names = [(f"mang-xa-hoi-{w}x{h}.png", (w, h)) for w, h in SOCIAL_SIZES]
    names += [(f"banner-{w}x{h}.png", (w, h)) for w, h in BANNER_SIZES]
    names += [(f"buoc-{n}.png", STEP_SIZE) for n in range(1, 5)]
    return names


def test_every_file_is_made_and_listed_in_the_manifest(messages_kit: Path) -> None:
    manifest = json.loads((messages_kit / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    expected = ["messages/tin-nhan-sms.csv"]
    for loc in LOCALITIES:
        expected += [f"{loc}/messages/{name}" for name in TEXT_FILES]
        expected += [f"{loc}/messages/anh/{name}" for name, _ in image_names()]
    for path in expected:
        assert (messages_kit / path).is_file(), path
        assert path in listed, path
    sms = listed["son-vi/messages/sms-khong-dau.txt"]
    assert (sms["kind"], sms["encoding"], sms["parts"], sms["chars"]) == ("sms", "GSM-7", 1, 102)
    accented = listed["son-vi/messages/sms-co-dau.txt"]
    assert (accented["encoding"], accented["parts"], accented["forcing"]) == ("UCS-2", 2, "ãơđềịêảặứụạỉ")
    assert not any("/audio/" in p or "/print/" in p or "/signage/" in p for p in listed)  # --only


def test_sms_files_hold_the_filled_forms(messages_kit: Path) -> None:
    plain = (messages_kit / "hung-son/messages/sms-khong-dau.txt").read_text(encoding="utf-8")
    assert plain == ("UBND thi tran Hung Son de nghi thue bao tai cai dat ung dung Bluezone tai dia "
                     f"chi: {CAMPAIGN_URL}\n")
    plain.encode("gsm03.38")
    zalo = (messages_kit / "hung-son/messages/zalo.txt").read_text(encoding="utf-8")
    assert "UBND thị trấn Hùng Sơn đề nghị" in zalo and CAMPAIGN_URL in zalo and "0210 3826 035" in zalo


def test_csv_opens_in_excel_one_row_per_locality_and_form(messages_kit: Path) -> None:
    data = (messages_kit / "messages/tin-nhan-sms.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header[0] == "Mã địa phương" and header[-1] == "Nội dung"
    assert [(r[0], r[2]) for r in body] == [(loc, form) for loc in LOCALITIES
                                            for form in ("khong-dau", "co-dau")]
    son_vi = body[1]
    assert son_vi[1] == "xã Sơn Vi" and son_vi[3] == "UCS-2" and son_vi[6] == "2"
    assert son_vi[8].startswith("UBND xã Sơn Vi đề nghị")


def strict_parse(text: str, fragment: bool = False) -> None:
    parser = html5lib.HTMLParser(strict=True)
    if fragment:
        parser.parseFragment(text)
    else:
        parser.parse(text)
    assert not parser.errors


@pytest.mark.parametrize("name", ["wifi-portal.html", "bai-viet-xem-truoc.html"])
def test_pages_parse_strictly(messages_kit: Path, name: str) -> None:
    strict_parse((messages_kit / "son-vi/messages" / name).read_text(encoding="utf-8"))


def test_article_is_a_fragment_of_plain_tags(messages_kit: Path) -> None:
    text = (messages_kit / "son-vi/messages/bai-viet.html").read_text(encoding="utf-8")
    strict_parse(text, fragment=True)
    tags = set(re.findall(r"<([a-zA-Z0-9]+)", text))
    assert tags <= {"h2", "p", "ol", "li", "strong", "img", "a"}
    assert "xã Sơn Vi đề nghị" in text and "{" not in text
    for n in range(1, 5):
        assert f'src="anh/buoc-{n}.png"' in text
        assert (messages_kit / f"son-vi/messages/anh/buoc-{n}.png").is_file()


def test_portal_page_is_self_contained_and_small(messages_kit: Path) -> None:
    path = messages_kit / "son-vi/messages/wifi-portal.html"
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size < 100_000
    assert "<script" not in text and "@import" not in text and "url(" not in text
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", text)
    assert references == [CAMPAIGN_URL]  # only the campaign link, and it is an <a>
    assert re.findall(r"https?://", text) == ["https://"]
    assert f'<a class="go" href="{CAMPAIGN_URL}">' in text
    assert "<svg" in text and "Cài đặt trong 4 bước" in text and 'lang="vi"' in text


def _decode_qr(path: Path) -> list[str]:
    with Image.open(path) as image:
        return [r.text for r in zxingcpp.read_barcodes(image.convert("RGB"))]


@pytest.mark.parametrize(("name", "size"), image_names())
def test_images_have_their_exact_sizes(messages_kit: Path, name: str, size: tuple[int, int]) -> None:
    with Image.open(messages_kit / "son-vi/messages/anh" / name) as image:
        assert image.size == size


@pytest.mark.parametrize(("width", "height"), SOCIAL_SIZES)
def test_social_images_carry_a_qr_that_decodes(messages_kit: Path, width: int, height: int) -> None:
    assert _decode_qr(messages_kit / f"tu-xa/messages/anh/mang-xa-hoi-{width}x{height}.png") == [CAMPAIGN_URL]


def test_portal_qr_decodes_when_rendered(messages_kit: Path) -> None:
    """The inline SVG's modules, drawn at 8 px each, give back the campaign address."""
    text = (messages_kit / "son-vi/messages/wifi-portal.html").read_text(encoding="utf-8")
    side = int(re.search(r'viewBox="0 0 (\d+) \1"', text).group(1))
    image = Image.new("L", (side * 8, side * 8), 255)
    path = re.search(r'<path fill="#000" d="([^"]+)"', text).group(1)
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path):
        x, y, w = int(x), int(y), int(w)
        image.paste(0, (x * 8, y * 8, (x + w) * 8, (y + 1) * 8))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [CAMPAIGN_URL]


def test_one_locality_build_still_writes_every_locality_into_the_csv(tmp_path: Path) -> None:
    """The SMS table is campaign-wide: building one commune must not drop the others' rows; a
    script without images or article draws nothing."""
    from click.testing import CliRunner

    from bzmedia.cli import cli

    script = tmp_path / "c.yaml"
    script.write_text(
        'campaign: {id: thu, title: "Thử", issuer: "UBND huyện A", url: "https://example.vn"}\n'
        "localities: [{id: a, name: xã A}, {id: b, name: xã Bờ}]\n"
        'messages: {title: "Cài Bluezone", images: false, sms: {text: "{locality.name}: cài Bluezone"}}\n',
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(script), "-o", str(tmp_path / "out"), "--locality", "b"],
                                env={"BZMEDIA_CACHE": str(tmp_path / "cache")}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    kit = tmp_path / "out" / "thu"
    rows = list(csv.reader(io.StringIO((kit / "messages/tin-nhan-sms.csv").read_text(encoding="utf-8-sig"))))
    assert [row[:3] for row in rows[1:]] == [["a", "xã A", "khong-dau"], ["a", "xã A", "co-dau"],
                                             ["b", "xã Bờ", "khong-dau"], ["b", "xã Bờ", "co-dau"]]
    assert rows[3][8] == "xa Bo: cai Bluezone"
    assert not (kit / "a").exists()
    assert sorted(p.name for p in (kit / "b/messages").iterdir()) == [
        "sms-co-dau.txt", "sms-khong-dau.txt", "wifi-portal.html"]


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_kept_as_text(tmp_path: Path) -> None:
    """A locality name or SMS text starting with = + - @ opens as text, not as a formula."""
    from click.testing import CliRunner

    from bzmedia.cli import cli

    script = tmp_path / "c.yaml"
    script.write_text(
        'campaign: {id: thu, title: "Thử", issuer: "UBND huyện A", url: "https://example.vn"}\n'
        'localities: [{id: a, name: "=HYPERLINK(\\"http://x.example\\";\\"A\\")"}, {id: b, name: "xã B"}]\n'
        'messages: {title: "Cài Bluezone", images: false, sms: {text: "-{locality.name}: cài"}}\n',
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(script), "-o", str(tmp_path / "out")],
                                env={"BZMEDIA_CACHE": str(tmp_path / "cache")}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    table = (tmp_path / "out/thu/messages/tin-nhan-sms.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(table, newline="")))
    assert rows[1][1] == "'=HYPERLINK(\"http://x.example\";\"A\")"
    assert rows[3][1] == "xã B"
    assert [row[8][:2] for row in rows[1:]] == ["'-", "'-", "'-", "'-"]
    assert rows[1][4] == str(len(rows[1][8]) - 1)  # the count is of the text itself, not the guard


def test_an_images_job_hashes_each_layout_once_and_writes_the_kits_images(messages_kit: Path, tmp_path,
                                                                         monkeypatch) -> None:
    """A commune's images job keys 7 decks on 2 layouts: each layout is walked once per job (it
    was walked per deck, half of the job when every image is in the store), and the images are
    the ones the kit has."""
    from bzmedia import cache
    from bzmedia.build import load_builders
    from bzmedia.builder import JobContext, Plan
    from bzmedia.campaign import load_campaign
    from bzmedia.campaign.signage_layout import SlideLayout
    from bzmedia.campaign.variables import for_locality

    campaign, _ = load_campaign(messages_kit.parent.parent / "campaign" / "bluezone-2020.yaml",
                                fit_texts=False)
    builder = next(b for b in load_builders() if b.name == "messages")
    locality = campaign.kit_localities()[0]
    plan = Plan(campaign, [locality], {locality.id: for_locality(campaign, locality)})
    job = next(j for j in builder.jobs(plan) if j.name == "images")
    walked = []
    encode = cache._encode_dataclass

    def counting(value, fields, out):
        if isinstance(value, SlideLayout) and id(value) not in (cache._memo or {}):  # a walk, not a lookup
            walked.append(id(value))
        return encode(value, fields, out)

    monkeypatch.setattr(cache, "_encode_dataclass", counting)
    kit = tmp_path / "kit"
    outputs = builder.make(job, JobContext(job, kit, cache.Store(messages_kit.parent.parent / "cache")))
    assert len(outputs) == len(image_names())
    assert len(walked) == len(set(walked)) == 2
    for out in outputs:
        assert (kit / out.path).read_bytes() == (messages_kit / out.path).read_bytes()
