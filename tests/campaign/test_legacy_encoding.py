"""The TCVN3/VNI warning: silent on correct Unicode, loud on real legacy text.

The legacy samples are made the way a user's file comes to look: correct Vietnamese encoded
with the real TCVN3 (ABC) and VNI-Windows tables, then read back as Windows-1252.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bzmedia.campaign import load_campaign
from bzmedia.text.legacy import legacy_words, looks_legacy_encoded

SEEDS = sorted(Path("/work/shared/seeds").glob("*.txt"))

UNICODE = (
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊị"
    "ỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ")
# VNI-Windows: a base letter followed by a mark byte, shown as Windows-1252 characters.
_VNI_LETTERS = (
    "AØ AÙ AÂ AÕ EØ EÙ EÂ Ì Í OØ OÙ OÂ OÕ UØ UÙ YÙ aø aù aâ aõ eø eù eâ ì í oø où oâ oõ uø uù yù "
    "AÊ aê Ñ ñ Ó ó UÕ uõ Ô ô Ö ö AÏ aï AÛ aû AÁ aá AÀ aà AÅ aå AÃ aã AÄ aä AÉ aé AÈ aè AÚ aú AÜ "
    "aü AË aë EÏ eï EÛ eû EÕ eõ EÁ eá EÀ eà EÅ eå EÃ eã EÄ eä Æ æ Ò ò OÏ oï OÛ oû OÁ oá OÀ oà "
    "OÅ oå OÃ oã OÄ oä ÔÙ ôù ÔØ ôø ÔÛ ôû ÔÕ ôõ ÔÏ ôï UÏ uï UÛ uû ÖÙ öù ÖØ öø ÖÛ öû ÖÕ öõ ÖÏ öï "
    "YØ yø Î î YÛ yû YÕ yõ")
VNI = _VNI_LETTERS.split()
# TCVN3 (ABC), one byte a letter, in the order of TCVN3_ORDER (capitals with tones share the
# lower-case byte in the one-font set; capital Y with a tone has none).
TCVN3_BYTES = bytes([
    0xB8, 0xB5, 0xB6, 0xB7, 0xB9, 0xA1, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6, 0xA2, 0xCA, 0xC7, 0xC8, 0xC9,
    0xCB, 0xA7, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1, 0xA3, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6, 0xDD, 0xD7, 0xD8,
    0xDC, 0xDE, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4, 0xA4, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9, 0xA5, 0xED, 0xEA,
    0xEB, 0xEC, 0xEE, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4, 0xA6, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9, 0xB8, 0xB5,
    0xB6, 0xB7, 0xB9, 0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6, 0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB, 0xAE,
    0xD0, 0xCC, 0xCE, 0xCF, 0xD1, 0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE,
    0xE3, 0xDF, 0xE1, 0xE2, 0xE4, 0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9, 0xAC, 0xED, 0xEA, 0xEB, 0xEC,
    0xEE, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4, 0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9, 0xFD, 0xFA, 0xFB, 0xFC,
    0xFE])
TCVN3_ORDER = (
    "ÁÀẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰáàảãạăắằẳẵặâấầẩẫậđéèẻẽẹêếềểễệíìỉĩị"
    "óòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵ")


def to_vni(text: str) -> str:
    table = dict(zip(UNICODE, VNI, strict=True))
    return "".join(table.get(char, char) for char in text)


def to_tcvn3(text: str) -> str:
    table = dict(zip(TCVN3_ORDER, TCVN3_BYTES, strict=True))
    return "".join(bytes([table[c]]).decode("cp1252") if c in table else c for c in text)


NAMES = ["Luôn luôn cài Bluezone vào mùa xuân", "huyện Buôn Đôn, xã Xuân Phú", "xã Buôn Xuân",
         "Buôn Ma Thuột", "Xuân Lộc", "Ông Ích Khiêm", "Đắk R'Lấp", "Cư Jút", "Krông Nô",
         "Krông Búk", "Ea H'Leo", "Chư Prông", "Hoà Bình", "Thuỷ Nguyên", "khoá học", "xoã tóc",
         "Quảng Uyên", "Tuyên Quang", "Nguyễn Thị Thuý Kiều", "Bluezone® của Bộ TT&TT",
         "© 2020 Sở Thông tin và Truyền thông", "Đỗ Quý Doãn", "Võ Nguyên Giáp", "Huế",
         "Phan Thiết", "Ðà Lạt", "Y Ngông Niê Kdăm", "soóc", "Thừa Thiên Huế"]


def test_the_table_sizes_match():
    assert len(UNICODE) == len(VNI) == 134 and len(TCVN3_ORDER) == len(TCVN3_BYTES) == 129


def test_the_tables_make_the_legacy_text_offices_paste():
    assert to_tcvn3("Uỷ ban nhân dân xã Sơn Vi") == "Uû ban nh©n d©n x· S¬n Vi"
    assert to_vni("Uỷ ban nhân dân xã Sơn Vi") == "Uyû ban nhaân daân xaõ Sôn Vi"


@pytest.mark.parametrize("text", NAMES)
def test_no_warning_on_correct_place_and_person_names(text):
    assert legacy_words(text) == [] and not looks_legacy_encoded(text)


def test_no_warning_on_any_line_of_the_seed_documents():
    assert SEEDS, "the seed documents are missing"
    false = [line for path in SEEDS for line in path.read_text(encoding="utf-8").splitlines()
             if looks_legacy_encoded(line)]
    assert false == []


def _accented_words(line: str) -> int:
    return sum(1 for word in line.split() if any(c in UNICODE for c in word))


def test_every_seed_line_in_tcvn3_or_vni_is_caught():
    lines = [line for path in SEEDS for line in path.read_text(encoding="utf-8").splitlines()
             if _accented_words(line) >= 2]
    assert len(lines) > 50
    missed = [(kind, line) for line in lines for kind, encode in (("tcvn3", to_tcvn3), ("vni", to_vni))
              if not looks_legacy_encoded(encode(line))]
    assert missed == []


@pytest.mark.parametrize("text", ["xã Sơn Vi", "Hưng Sơn", "Tứ Xã", "Lâm Thao", "Đài truyền thanh",
                                  "Uỷ ban nhân dân"])
def test_short_names_in_legacy_encodings_are_caught(text):
    assert looks_legacy_encoded(to_tcvn3(text)), to_tcvn3(text)
    assert looks_legacy_encoded(to_vni(text)), to_vni(text)


def test_a_foreign_name_in_a_sentence_is_not_legacy_text():
    assert not looks_legacy_encoded("Ứng dụng do ông Müller giới thiệu tại hội nghị")


def test_the_loader_warns_on_the_vni_title_and_not_on_the_unicode_one(tmp_path):
    script = tmp_path / "c.yaml"
    script.write_text(
        "campaign:\n  id: demo\n"
        f'  title: "{to_vni("Luôn luôn cài Bluezone vào mùa xuân")}"\n'
        '  issuer: "huyện Buôn Đôn, xã Xuân Phú"\n  url: https://www.bluezone.gov.vn\n',
        encoding="utf-8")
    _, warnings = load_campaign(script)
    assert [str(w) for w in warnings] == [
        f"{script}:3:10: campaign.title: warning: text looks like TCVN3/VNI (pre-Unicode) "
        "encoding; retype it or convert it to Unicode (e.g. with Unikey's converter)"]
