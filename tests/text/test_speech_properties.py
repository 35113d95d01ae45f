"""normalize_for_speech on any input: never raises, NFC out, no ASCII digit survives."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bzmedia.text.speech import normalize_for_speech, run_rules

FAST = settings(max_examples=200, deadline=None)

# Pieces real letters are made of, so generated text hits the rules, not only random noise.
_PIECES = ["ngày", "tháng", "năm", "thứ", "số", "gọi", "Cổng", "UBND", "TT&TT", "COVID-19", "V/v",
           "TP.", "đ", "%", "km", "m2", "/", "-", ".", ",", ":", "h", "@", "www.", ".gov.vn", "https://",
           "(", ")", "“", "”", "\n", " ", "  ", "G", "X", "Đ", "độ C", "°C", "+84", "0", "00", "115",
           "1022", "1900", "🙂", "中文", "\u200b", "\ufeff", "\ue000", "\ue001", "٣", "５", "²"]
_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=12)
_CHUNK = st.one_of(st.sampled_from(_PIECES), _DIGITS, st.text(max_size=6))
_LETTER_LIKE = st.lists(_CHUNK, max_size=20).map("".join)


@FAST
@given(st.text(max_size=150))
def test_any_text_gives_speakable_output(text: str) -> None:
    out = run_rules(text)  # without the fallback: no rule may fail
    assert isinstance(out, str)
    assert not re.search(r"[0-9]", out)
    assert unicodedata.is_normalized("NFC", out)
    assert "\ue000" not in out and "\ue001" not in out


@FAST
@given(_LETTER_LIKE, st.sampled_from(["north", "central", "south"]))
def test_letter_like_text_gives_speakable_output(text: str, dialect: str) -> None:
    out = run_rules(text, dialect=dialect)
    assert not re.search(r"[0-9]", out)
    assert unicodedata.is_normalized("NFC", out)
    assert "\ue000" not in out and "\ue001" not in out


@FAST
@given(_DIGITS, st.sampled_from([".", ",", "/", "-", ":", " ", "h", "đ", "%"]), _DIGITS)
def test_digit_groups_always_become_words(left: str, separator: str, right: str) -> None:
    out = run_rules(f"có {left}{separator}{right} người")
    assert not re.search(r"[0-9]", out)
    assert out.startswith("có ") and out.endswith(" người")


_WORDS = ["các", "cơ", "quan", "đơn", "vị", "người", "dân", "cài", "đặt", "ứng", "dụng", "trên",
          "điện", "thoại", "thông", "minh", "phòng", "chống", "dịch", "bệnh", "xã", "huyện", "tỉnh"]


@FAST
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30),
       st.lists(st.sampled_from([" ", ", ", "; ", ". "]), min_size=30, max_size=30))
def test_plain_vietnamese_passes_unchanged(words: list[str], gaps: list[str]) -> None:
    text = "".join(word + gap for word, gap in zip(words, gaps, strict=False)).strip()
    out = normalize_for_speech(text)
    # Only the first letter may be capitalised (a sentence start).
    assert out.lower() == text.lower()
    assert out[1:] == text[1:]


def test_very_long_line_is_read_whole() -> None:
    line = "Ngày 03/8/2020 UBND tỉnh gọi 0912 345 678, đạt 8,82%. " * 200
    out = normalize_for_speech(line)
    assert not re.search(r"[0-9]", out)
    assert out.count("Ủy ban nhân dân tỉnh") == 200


def test_nfc_in_nfc_out_even_from_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Phú Thọ, ngày 03/8/2020")
    out = normalize_for_speech(decomposed)
    assert out == "Ủy ban nhân dân tỉnh Phú Thọ, ngày ba tháng tám năm hai nghìn không trăm hai mươi"
    assert unicodedata.is_normalized("NFC", out)


def test_non_ascii_digits_are_read() -> None:
    assert normalize_for_speech("có ٣ người và ５ hộ") == "có ba người và năm hộ"


def test_pronunciations_come_first_and_are_case_sensitive() -> None:
    words = {"Bluezone": "Blu dôn", "App Store": "Áp Xto", "CH Play": "Xê hát Plây", "G7": "Gờ bảy"}
    out = normalize_for_speech("Mở CH Play hoặc App Store, cài Bluezone; bluezone.gov.vn; G7.",
                               pronunciations=words)
    assert out == "Mở Xê hát Plây hoặc Áp Xto, cài Blu dôn; blu dôn chấm gờ o vê chấm vê en; Gờ bảy."
    # Without the campaign's word the address is read as written.
    assert normalize_for_speech("bluezone.gov.vn") == "Bluezone chấm gờ o vê chấm vê en"


def test_pronunciations_apply_on_word_boundaries_only() -> None:
    out = normalize_for_speech("Bluezones và Bluezone", pronunciations={"Bluezone": "Blu dôn"})
    assert out == "Bluezones và Blu dôn"


def test_pronunciation_values_are_normalized_too() -> None:
    out = normalize_for_speech("Tải PC-Covid", pronunciations={"PC-Covid": "PC Covid 2021"})
    assert not re.search(r"[0-9]", out)


def test_glued_words_from_web_pages_are_split() -> None:
    out = normalize_for_speech("thông báoBlueZone", pronunciations={"BlueZone": "Blu dôn"})
    assert out == "thông báo Blu dôn"
    assert normalize_for_speech("cài iPhone") == "cài iPhone"


def test_a_failing_rule_falls_back_to_a_digit_reading(monkeypatch) -> None:
    """The safety net itself: if a rule ever breaks, the sentence is still spoken."""
    from bzmedia.text import speech

    def broken_rule(text: str, reading: speech.Reading) -> str:
        raise RuntimeError("a rule that fails")

    monkeypatch.setattr(speech, "RULES", (speech.prepare, broken_rule))
    assert normalize_for_speech("Có 12 hộ") == "Có một hai hộ"
