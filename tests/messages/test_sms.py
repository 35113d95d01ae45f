"""SMS forms against the real GSM 03.38 codec (gsm0338) and UTF-16: characters, septets, parts."""

from __future__ import annotations

import math
import unicodedata
from urllib.parse import unquote, urlsplit

import gsm0338  # noqa: F401 (registers the codec the checks below use independently)
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bzmedia.messages.sms import (
    both_forms,
    dropped_chars,
    gsm_parts,
    plain_form,
    strip_diacritics,
    ucs2_parts,
    unicode_form,
)

TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền, sắc, ngã, hỏi, nặng
BASES = "aăâeêioôơuưy"


def vietnamese_letters() -> list[str]:
    """The 134 letters with diacritics: 12 vowels x 5 tones, 6 modified vowels bare, đ; both cases."""
    lower = [unicodedata.normalize("NFC", base + tone) for base in BASES for tone in TONES]
    lower += [*"ăâêôơư", "đ"]
    letters = lower + [c.upper() for c in lower]
    assert len(set(letters)) == 134 and all(len(c) == 1 for c in letters)
    return letters


LETTERS = vietnamese_letters()


def codec_septets(text: str) -> int:
    return len(text.encode("gsm03.38"))


def expected_gsm_parts(septets: int) -> int:
    return 1 if septets <= 160 else math.ceil(septets / 153)


def expected_ucs2_parts(units: int) -> int:
    return 1 if units <= 70 else math.ceil(units / 67)


TEXTS = [
    "UBND xã Sơn Vi đề nghị thuê bao tải cài đặt ứng dụng Bluezone tại địa chỉ: https://www.bluezone.gov.vn",
    "".join(LETTERS),
    " ".join(LETTERS),
    "Đắk Lắk, Đắk Nông, Buôn Ma Thuột, Cư Jút, Krông Nô, Đắk R'Lấp",
    "0123456789 " * 20,
    "Giá 5€ [mục 1] {ghi chú} ~ ^ | \\ " * 4,
    "[]{}€" * 40,
    "a" * 160,
    "a" * 161,
    "a" * 158 + "€",
    "a" * 159 + "€",
    "a" * 152 + "[" + "b" * 200,
    "Ư" * 70,
    "Ư" * 71,
    "ữ" * 134,
    "ữ" * 135,
    "Cài đặt “Bluezone” – khẩu trang điện tử… 😷",
    "Nhắn tin Zalo, SMS: định kỳ nhắc lại cài đặt Bluezone trên điện thoại thông minh.",
    "Hùng Sơn",  # ù is in GSM-7, ơ is not
    "Hello world",
    "Thực hiện Văn bản số 3384/UBND-KGVX ngày 03/8/2020 của UBND tỉnh Phú Thọ, " * 5,
    "😷" * 40,
    "\u00a0Xin\u2009chào\u202f– tab\there",
]


def test_there_are_twenty_texts_and_the_134_letters() -> None:
    assert len(TEXTS) >= 20
    assert len(LETTERS) == 134


@pytest.mark.parametrize("text", TEXTS)
def test_unaccented_form_is_gsm7_and_counted_by_the_codec(text: str) -> None:
    form = plain_form(text)
    encoded = form.text.encode("gsm03.38")  # raises if a character is outside GSM 03.38
    assert form.encoding == "GSM-7"
    assert form.units == len(encoded)
    assert form.chars == len(form.text)
    parts = gsm_parts(form.text)
    assert "".join(parts) == form.text
    assert form.parts == len(parts)
    if len(parts) > 1:
        assert all(codec_septets(p) <= 153 for p in parts)
    # An escape pair never splits, so at most one part more than the plain division.
    assert form.parts in (expected_gsm_parts(len(encoded)), expected_gsm_parts(len(encoded)) + 1)
    if "\x1b" not in encoded.decode("latin-1"):
        assert form.parts == expected_gsm_parts(len(encoded))


@pytest.mark.parametrize("text", TEXTS)
def test_accented_form_counts_utf16_units_and_names_what_forced_ucs2(text: str) -> None:
    form = unicode_form(text)
    forcing = [c for c in form.text if not _in_gsm(c)]
    if not forcing:
        assert form.encoding == "GSM-7" and form.units == codec_septets(form.text)
        return
    units = len(form.text.encode("utf-16-be")) // 2
    assert form.encoding == "UCS-2"
    assert form.units == units
    assert form.parts == len(ucs2_parts(form.text))
    assert form.parts in (expected_ucs2_parts(units), expected_ucs2_parts(units) + 1)
    if units == len(form.text):  # no character outside the BMP: the plain division
        assert form.parts == expected_ucs2_parts(units)
    assert form.forcing == "".join(dict.fromkeys(forcing))


def _in_gsm(char: str) -> bool:
    try:
        char.encode("gsm03.38")
    except UnicodeEncodeError:
        return False
    return True


def test_exact_part_boundaries() -> None:
    assert plain_form("a" * 160).parts == 1
    assert plain_form("a" * 161).parts == 2
    assert plain_form("a" * 158 + "€").units == 160 and plain_form("a" * 158 + "€").parts == 1
    assert plain_form("a" * 159 + "€").units == 161 and plain_form("a" * 159 + "€").parts == 2
    assert plain_form("[]{}").units == 8  # two septets each
    assert plain_form("a" * 306).parts == 2 and plain_form("a" * 307).parts == 3
    assert unicode_form("ơ" * 70).parts == 1 and unicode_form("ơ" * 71).parts == 2
    assert unicode_form("ơ" * 134).parts == 2 and unicode_form("ơ" * 135).parts == 3
    # An escape pair that would straddle the 153rd septet moves to the next part.
    parts = gsm_parts("a" * 152 + "[" + "b" * 20)
    assert parts[0] == "a" * 152 and parts[1].startswith("[")


@pytest.mark.parametrize("letter", LETTERS)
def test_every_vietnamese_letter_folds_to_its_base_letter(letter: str) -> None:
    folded = strip_diacritics(letter)
    base = "d" if letter in "đĐ" else unicodedata.normalize("NFD", letter)[0]
    base = base.upper() if letter.isupper() else base.lower()
    assert folded == base and folded.isascii() and folded.isalpha()


def test_folding_examples() -> None:
    assert strip_diacritics("Đắk Lắk") == "Dak Lak"
    assert (strip_diacritics("Buôn Ma Thuột, Xuân Lộc, Ông Ích Khiêm")
            == "Buon Ma Thuot, Xuan Loc, Ong Ich Khiem")
    assert plain_form("Tìm “Bluezone” – bấm ‘Cài đặt’… 😷").text == "Tim \"Bluezone\" - bam 'Cai dat'..."
    assert plain_form("UBND xã\u00a0Sơn Vi").text == "UBND xa Son Vi"


def test_forms_of_the_example_sms() -> None:
    plain, accented = both_forms(TEXTS[0])
    assert plain.text.startswith("UBND xa Son Vi de nghi thue bao tai cai dat")
    assert (plain.chars, plain.parts) == (102, 1)
    assert (accented.encoding, accented.units, accented.parts) == ("UCS-2", 102, 2)
    assert accented.forcing == "ãơđềịêảặứụạỉ"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_folds_into_gsm7(text: str) -> None:
    form = plain_form(text)
    form.text.encode("gsm03.38")
    assert form.parts == len(gsm_parts(form.text))


def test_eth_written_for_dj_folds_to_d() -> None:
    """Old converters and fonts put the Latin eth (U+00D0) where Đ (U+0110) belongs."""
    assert strip_diacritics("ÐĂK LĂK, ðắk Nông") == "DAK LAK, dak Nong"


@pytest.mark.parametrize(("text", "plain"), [
    ("Phí cài đặt 0₫, thẻ 30.000 ₫.", "Phi cai dat 0d, the 30.000 d."),  # as carriers write "10.000d"
    ("Nhiệt độ 30°C, đêm 25 °C, có nơi 38℃; gió 45°.",
     "Nhiet do 30 do C, dem 25 do C, co noi 38 do C; gio 45 do."),
    ("Trời 30ºC", "Troi 30 do C"),  # the ordinal "º" typed as a degree sign after a number
    ("Tỷ lệ tử vong 3‰, tái nhiễm 2‱.", "Ty le tu vong 3 phan nghin, tai nhiem 2 phan van."),
    ("Nhóm A ≠ nhóm B", "Nhom A khac nhom B"),
    ("Cách ly 1½ ngày, 10² m², ¼ số hộ", "Cach ly 1 1/2 ngay, 10^2 m2, 1/4 so ho"),
])
def test_signs_fold_to_what_they_mean(text: str, plain: str) -> None:
    form = plain_form(text)
    assert form.text == plain
    assert form.dropped == ""


def test_no_sign_folds_to_another_value() -> None:
    """Only a percent sign becomes "%" (a per-mille would be ten times the value), and a negated
    sign never becomes the sign it negates ("≮" is not "<")."""
    for code in range(0x20, 0x3000):
        char = chr(code)
        if unicodedata.category(char) in ("Cs", "Cn"):
            continue
        folded = strip_diacritics(char)
        if "%" in folded:
            assert "PERCENT SIGN" in unicodedata.name(char), char
        base = unicodedata.normalize("NFD", char)
        if "\u0338" in base:
            assert base[0] not in folded, char


@pytest.mark.parametrize("address", ["https://bộ-y-tế.vn/tin-tức?chủ-đề=cúm#mục-1", "bộ-y-tế.vn/tin-tức",
                                     "http://user@Sở-Y-Tế.Phú-Thọ.vn:8080/văn-bản", "hotro@bộ-y-tế.vn"])
@pytest.mark.parametrize(("after", "folded"), [(". Cảm ơn", ". Cam on"), (",bà con", ",ba con"),
                                               ("(miễn phí)", "(mien phi)"), ("… Cảm ơn", "... Cam on"),
                                               ("“Cài đặt”", '"Cai dat"'), ("‘Cài đặt’", "'Cai dat'")])
def test_an_address_reaches_the_phone_unchanged_in_meaning(address: str, after: str, folded: str) -> None:
    """The host in punycode and the path percent-encoded: the same page, in GSM-7; the sentence's
    words glued to the address stay out of it."""
    form = plain_form(f"Xem tại {address}{after}")
    assert form.text.startswith("Xem tai ") and form.text.endswith(folded)
    sent = form.text.removeprefix("Xem tai ").removesuffix(folded)
    sent.encode("gsm03.38")
    assert sent.isascii() and "xn--" in sent
    scheme = "" if "://" in sent else "//"
    url, original = urlsplit(scheme + sent), urlsplit(("" if "://" in address else "//") + address)
    assert url.hostname.encode("ascii").decode("idna") == original.hostname.encode("idna").decode("idna")
    assert (url.port, url.username) == (original.port, original.username)
    assert unquote(url.path) == original.path and unquote(url.query) == original.query
    assert unquote(url.fragment) == original.fragment
    # An ASCII address stays as written (an address already percent-encoded is not encoded twice).
    assert plain_form("Tải tại https://www.bluezone.gov.vn/tai-ve?a=1&b=%20x.").text == (
        "Tai tai https://www.bluezone.gov.vn/tai-ve?a=1&b=%20x.")


def test_what_has_no_stand_in_is_named_not_silently_dropped() -> None:
    form = plain_form("Cài 😷 ngay 👍🏻, thôn Ваня, x ≮ y 🇻🇳")
    assert form.text == "Cai ngay , thon , x y"
    assert form.dropped == "😷👍Ваня≮🇻🇳"
    assert dropped_chars("Đắk Lắk\u200b – “Bluezone”") == ""  # diacritics, joiners, look-alikes



@pytest.mark.parametrize(("text", "plain"), [
    ("tại https://zalo.me/g/abc(miễn phí) nhé", "tai https://zalo.me/g/abc(mien phi) nhe"),
    ("tại https://zalo.me/g/abc,miễn phí", "tai https://zalo.me/g/abc,mien phi"),
    ("https://bluezone.gov.vn,bà con", "https://bluezone.gov.vn,ba con"),
    ("https://bluezone.gov.vn.Bà con", "https://bluezone.gov.vn.Ba con"),
    ("www.bluezone.gov.vn.Bà con", "www.bluezone.gov.vn.Ba con"),
    ("(https://bluezone.gov.vn)", "(https://bluezone.gov.vn)"),
    ("https://bluezone.gov.vn/tải-về", "https://bluezone.gov.vn/t%E1%BA%A3i-v%E1%BB%81"),
    ("https://bluezone.gov.vn/tải-về,bà con", "https://bluezone.gov.vn/t%E1%BA%A3i-v%E1%BB%81,ba con"),
    ("xem tại bluezone.gov.vn/huong-dan.", "xem tai bluezone.gov.vn/huong-dan."),
    ("email hotro@bluezone.gov.vn;", "email hotro@bluezone.gov.vn;"),
    ("email hotro@bluezone.gov.vn.Người dân", "email hotro@bluezone.gov.vn.Nguoi dan"),
    ("tại https://bluezone.gov.vn“Cài đặt”", "tai https://bluezone.gov.vn\"Cai dat\""),
    ("tại “https://bluezone.gov.vn/tải-về”.", "tai \"https://bluezone.gov.vn/t%E1%BA%A3i-v%E1%BB%81\"."),
    ("bấm https://bluezone.gov.vn/tai-ve‘Cài đặt’", "bam https://bluezone.gov.vn/tai-ve'Cai dat'"),
    ("xem https://bluezone.gov.vn…", "xem https://bluezone.gov.vn..."),
    ("xem https://bluezone.gov.vn/tải-về…", "xem https://bluezone.gov.vn/t%E1%BA%A3i-v%E1%BB%81..."),
    ("xem https://bluezone.gov.vn/tải-về!", "xem https://bluezone.gov.vn/t%E1%BA%A3i-v%E1%BB%81!"),
    ("xem https://bluezone.gov.vn!", "xem https://bluezone.gov.vn!"),
])
def test_words_glued_to_an_address_stay_words(text: str, plain: str) -> None:
    """An address ends where its pattern ends: a Vietnamese word after "(", "," or a quote, or
    after the host's last label, is the sentence's and folds; sentence punctuation stays outside."""
    assert plain_form(text).text == plain
