"""Sentence and phrase splitting: limits kept, pauses preferred, no word lost or reordered."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bzmedia.text.phrases import split_paragraphs, split_phrases, split_sentences

FAST = settings(max_examples=200, deadline=None)

_WORD = st.text(alphabet="abcdeđêôơưáàạảãxyz", min_size=1, max_size=12)
_GAP = st.sampled_from([" ", ", ", "; ", ": ", " - ", ". ", "! ", "? ", "\n", "\n\n", "... "])
_TEXT = st.lists(st.tuples(_WORD, _GAP), min_size=1, max_size=30).map(
    lambda pairs: "".join(word + gap for word, gap in pairs))


def _words(text: str) -> list[str]:
    return text.split()


@FAST
@given(_TEXT, st.integers(min_value=16, max_value=120))
def test_phrases_fit_and_keep_every_word_in_order(text: str, max_chars: int) -> None:
    pieces = split_phrases(text, max_chars)
    assert all(0 < len(piece) <= max_chars for piece in pieces)
    assert _words(" ".join(pieces)) == _words(text)


@FAST
@given(_TEXT, st.integers(min_value=1, max_value=11))
def test_only_overlong_words_are_cut(text: str, max_chars: int) -> None:
    pieces = split_phrases(text, max_chars)
    assert all(len(piece) <= max_chars for piece in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


@FAST
@given(_TEXT)
def test_sentences_and_paragraphs_keep_every_word(text: str) -> None:
    assert _words(" ".join(split_sentences(text))) == _words(text)
    assert _words(" ".join(split_paragraphs(text))) == _words(text)


def test_cuts_prefer_sentence_end_then_clause_then_comma() -> None:
    text = ("Đài truyền thanh xã xin thông báo. Từ bảy giờ sáng mai, tại nhà văn hóa khu ba, "
            "Trạm Y tế xã tổ chức tiêm vắc xin; mọi người mang theo căn cước công dân.")
    assert split_phrases(text, 100) == [
        "Đài truyền thanh xã xin thông báo.",
        "Từ bảy giờ sáng mai, tại nhà văn hóa khu ba, Trạm Y tế xã tổ chức tiêm vắc xin;",
        "mọi người mang theo căn cước công dân.",
    ]
    assert split_phrases(text, 50)[1:4] == [
        "Từ bảy giờ sáng mai, tại nhà văn hóa khu ba,", "Trạm Y tế xã tổ chức tiêm vắc xin;",
        "mọi người mang theo căn cước công dân.",
    ]


def test_dash_is_a_pause_and_words_are_the_last_resort() -> None:
    assert split_phrases("Độc lập - Tự do - Hạnh phúc", 16) == ["Độc lập -", "Tự do -", "Hạnh phúc"]
    assert split_phrases("Độc lập - Tự do - Hạnh phúc", 17) == ["Độc lập - Tự do -", "Hạnh phúc"]
    assert split_phrases("một hai ba bốn năm sáu bảy", 10) == ["một hai ba", "bốn năm", "sáu bảy"]


def test_sentences_paragraphs_and_closing_quotes() -> None:
    text = "Câu một. “Câu hai!” Câu ba?\nDòng mới\n\n  Đoạn hai.  \n \n"
    assert split_paragraphs(text) == ["Câu một. “Câu hai!” Câu ba?\nDòng mới", "Đoạn hai."]
    assert split_sentences(text) == ["Câu một.", "“Câu hai!”", "Câu ba?", "Dòng mới", "Đoạn hai."]
    assert split_phrases("", 100) == [] and split_sentences("   ") == []
