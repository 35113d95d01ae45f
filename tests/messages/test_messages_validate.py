"""``validate`` counts SMS parts and Zalo length for every locality and reports them at the text's line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bzmedia.cli import cli

REPO = Path(__file__).resolve().parent.parent.parent
SMS_LINE = '    text: "UBND {locality.name} đề nghị thuê bao tải'


def script_with(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the example with ``old`` replaced; returns it and the 1-based line of the change."""
    shutil.copytree(REPO / "content", tmp_path / "c")
    script = tmp_path / "c" / "bluezone-2020.yaml"
    text = script.read_text(encoding="utf-8")
    assert text.count(old) == 1
    line = text[:text.index(old)].count("\n") + 1
    script.write_text(text.replace(old, new), encoding="utf-8")
    return script, line


def validate(script: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", str(script)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_example_is_ok() -> None:
    code, output = validate(REPO / "content" / "bluezone-2020.yaml")
    assert code == 0, output
    assert output.strip().endswith("ok")


def test_long_sms_reported_at_its_line_in_both_forms(tmp_path: Path) -> None:
    longer = SMS_LINE.replace("thuê bao", "toàn thể cán bộ, công chức, viên chức, người lao động và "
                                          "Nhân dân có điện thoại thông minh")
    script, line = script_with(tmp_path, SMS_LINE, longer)
    code, output = validate(script)
    assert code == 1
    where = f"{script}:{line}:11: messages.sms.text: "
    assert (f"{where}the SMS without diacritics takes 2 parts (192 septets) for locality son-vi, "
            "tu-xa, hung-son; the limit is 1 part (160 septets): shorten it by 32 septets or raise "
            "sms.max_parts") in output
    assert (f"{where}the SMS with diacritics takes 3 parts (192 characters; UCS-2 because of "
            "'ịấơđềểáộôứêư') for locality son-vi, tu-xa, hung-son; the limit is 2 parts (134 "
            "characters): shorten it by 58 characters or raise sms.unicode_max_parts") in output
    assert output.rstrip().endswith("2 errors found.")


def test_sms_over_only_where_the_commune_name_is_long(tmp_path: Path) -> None:
    """A text that fits in 'xã Tứ Xã' and not in 'thị trấn Hùng Sơn' names only that locality."""
    padded = SMS_LINE.replace("thuê bao", "thuê bao di động " + "x" * 43)
    script, line = script_with(tmp_path, SMS_LINE, padded)
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("unicode_max_parts: 2", "unicode_max_parts: 3"), encoding="utf-8")
    code, output = validate(script)
    assert code == 1, output
    assert (f"{script}:{line}:11: messages.sms.text: the SMS without diacritics takes 2 parts (162 "
            "septets) for locality hung-son; the limit is 1 part (160 septets): shorten it by 2 "
            "septets or raise sms.max_parts") in output
    assert output.rstrip().endswith("1 error found.")


def test_long_zalo_message_reported_at_its_line(tmp_path: Path) -> None:
    old = "      Tải ứng dụng tại: https://www.bluezone.gov.vn\n"
    script, line = script_with(tmp_path, old, old + "      " + "Bluezone " * 230 + "\n")
    code, output = validate(script)
    assert code == 1
    start = line - 5  # the `text: |` block starts five lines above the address line
    assert (f"{script}:{start}:11: messages.zalo.text: the Zalo message is 2,410 characters (with the "
            "address) for locality son-vi, tu-xa, hung-son; Zalo takes at most 2,000: shorten it by "
            "410") in output


def test_validate_with_messages_imports_no_image_library() -> None:
    code = ("import sys\nfrom click.testing import CliRunner\nfrom bzmedia.cli import cli\n"
            f"r = CliRunner().invoke(cli, ['validate', {str(REPO / 'content' / 'bluezone-2020.yaml')!r}])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in ('PIL', 'numpy', 'reportlab', 'scipy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_title_too_long_for_an_image_is_found_by_validate(tmp_path: Path) -> None:
    """The banner and square post are drawn by the signage fitter; validate fits them too."""
    old = '  title: "Cài đặt Bluezone – khẩu trang điện tử"\n  text: "Bảo vệ mình'
    new = ('  title: "Cài đặt Bluezone – khẩu trang điện tử để bảo vệ mình, bảo vệ gia đình và cộng '
           'đồng trước dịch bệnh Covid-19 ngay hôm nay tại {locality.name}"\n  text: "Bảo vệ mình')
    script, line = script_with(tmp_path, old, new)
    code, output = validate(script)
    assert code == 1
    where = f"{script}:{line}:10: messages.title: the title does not fit its "
    assert output.splitlines() == [
        f"{where}264x142 px box on image banner-300x250.png even at the smallest text size allowed "
        "(25 px) for locality son-vi, tu-xa, hung-son; shorten it to about 78 characters",
        f"{where}950x162 px box on image mang-xa-hoi-1080x1080.png even at the smallest text size "
        "allowed (38 px) for locality hung-son; shorten it to about 141 characters",
        "2 errors found."]


@pytest.mark.parametrize(("step", "expected"), [
    # Spaces are refused where they stand by the schema; an empty step by the messages' own check.
    ('"   "', "{line}:7: messages.steps[3]: the text is only spaces; write the text or remove the key"),
    ('""', "{step_list}:5: messages.steps: step 4 is empty; write what it should say"),
])
def test_blank_texts_are_refused_at_their_lines(tmp_path: Path, step: str, expected: str) -> None:
    """A title or step of spaces would draw nothing (and the fitter has no word to place)."""
    old = '    - "Luôn bật Bluetooth khi ra khỏi nhà"\n  sms:'
    script, line = script_with(tmp_path, old, f"    - {step}\n  sms:")
    code, output = validate(script)
    assert code == 1
    assert output.splitlines() == [f"{script}:" + expected.format(line=line, step_list=line - 3),
                                   "1 error found."]


def test_an_address_too_long_for_a_qr_code_is_refused_at_its_line(tmp_path: Path) -> None:
    url = "https://example.vn/" + "a" * 400
    script = tmp_path / "c.yaml"
    script.write_text(f'campaign: {{id: thu, title: "Thử", issuer: "UBND huyện A", url: "{url}"}}\n'
                      'messages: {title: "Cài Bluezone", images: false}\n', encoding="utf-8")
    code, output = validate(script)
    assert code == 1
    assert output.splitlines() == [
        f"{script}:1:64: campaign.url: the address is 419 characters; the messages' QR codes take at "
        "most 300 (use a shorter link, or set messages.url)", "1 error found."]


def test_palette_too_pale_for_the_images_is_reported_at_the_colour(tmp_path: Path) -> None:
    """Checked from the palette alone (the images are drawn at build time): one line per pair."""
    script = tmp_path / "c.yaml"
    script.write_text('campaign: {id: thu, title: "Thử", issuer: "UBND huyện A", url: "https://example.vn"}\n'
                      "brand:\n"
                      '  colors: {primary: "#F2C200", accent: "#FFD84D"}\n'
                      'messages: {title: "Cài Bluezone"}\n', encoding="utf-8")
    code, output = validate(script)
    assert code == 1
    assert output.splitlines() == [
        f"{script}:3:11: brand.colors.on_primary: message images draw on_primary #FFFFFF on primary "
        "#F2C200: contrast 1.68:1, below the 4.5:1 text needs (WCAG AA); darken or lighten one of them",
        f"{script}:3:21: brand.colors.primary: message images draw primary #F2C200 on background "
        "#FFFFFF: contrast 1.68:1, below the 4.5:1 text needs (WCAG AA); darken or lighten one of them",
        "2 errors found."]


def sms_script(tmp_path: Path, text: str, localities: str, limits: str = "") -> Path:
    """A small campaign with ``localities`` (a YAML flow list) and an SMS of ``text``."""
    script = tmp_path / "c.yaml"
    script.write_text('campaign: {id: thu, title: "Thử", issuer: "UBND huyện A", url: "https://example.vn"}\n'
                      f"localities: {localities}\n"
                      'messages:\n  title: "Cài Bluezone"\n  images: false\n'
                      f'  sms: {{text: "{text}"{limits}}}\n', encoding="utf-8")
    return script


def test_sms_advice_follows_the_locality_furthest_over_in_its_own_encoding(tmp_path: Path) -> None:
    """One locality's name keeps the accented SMS in GSM-7 (239 septets, 2 parts), another's "ơ"
    makes it UCS-2 (225 units, 4 parts): the advice is for the second, in characters, although the
    first has more units."""
    text = ("Xin moi ba con {locality.name} cai dat ung dung Bluezone - khau trang dien tu - de phong, "
            "chong dich Covid-19; ung dung bao mat, an danh va mien phi. Can ho tro, xin goi 0210 3826 "
            "123 hoac xem huong dan tai https://www.bluezone.gov.vn")
    localities = '[{id: tan-lap, name: "phuong Tan Lap Trung"}, {id: son, name: "xã Sơn"}]'
    script = sms_script(tmp_path, text, localities, ", max_parts: 2, unicode_max_parts: 1")
    code, output = validate(script)
    assert code == 1
    assert output.splitlines() == [
        f"{script}:6:15: messages.sms.text: the SMS with diacritics takes 4 parts (225 characters; UCS-2 "
        "because of 'ãơ') for locality tan-lap, son; the limit is 1 part (70 characters): shorten it by "
        "155 characters or raise sms.unicode_max_parts", "1 error found."]


def test_what_the_unaccented_sms_leaves_out_is_named_at_its_line(tmp_path: Path) -> None:
    """An emoji, or a name in another script, has no GSM-7 stand-in: validate says the unaccented
    SMS goes without it (a warning: the office judges), for the localities it concerns."""
    script = sms_script(tmp_path, "Cài Bluezone 😷 tại {locality.name}",
                        '[{id: son-vi, name: "xã Sơn Vi"}, {id: tu-xa, name: "xã Tứ Xã"}]')
    code, output = validate(script)
    assert code == 0, output
    assert (f"{script}:6:15: messages.sms.text: warning: the SMS without diacritics leaves out '😷' for "
            "locality son-vi, tu-xa: GSM-7 has no letter or sign for them; write them in words if the "
            "message needs them") in output
    script = sms_script(tmp_path, "Cài Bluezone tại {locality.name}",
                        '[{id: son-vi, name: "xã Sơn Vi"}, {id: ban-a, name: "bản Ваня"}]')
    code, output = validate(script)
    assert code == 0, output
    assert "leaves out 'Ваня' for locality ban-a: " in output
