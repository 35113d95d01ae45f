"""A spot's text is normalized for speech once per worker, however often the spot says it."""

from __future__ import annotations

from bzmedia.audio import script
from bzmedia.text import speech


def test_a_repeated_text_is_normalized_once_and_callers_get_their_own_lists(monkeypatch):
    calls: list[str] = []
    real = speech.normalize_for_speech

    def counting(text, **kwargs):
        if kwargs.get("pronunciations"):  # a paragraph (a pronunciation's own reading has none)
            calls.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(speech, "normalize_for_speech", counting)
    script._spoken_paragraphs.cache_clear()
    text = "Gọi số 0210 3825 368 trước 17h00.\n\nBluezone bảo vệ mình và cộng đồng."
    first = script.spoken_paragraphs(text, "north", {"Bluezone": "Blu dôn"})
    first[0].append("changed by a caller")
    again = script.spoken_paragraphs(text, "north", {"Bluezone": "Blu dôn"})
    assert again[0][-1] != "changed by a caller" and "Blu dôn" in again[1][0]
    assert len(calls) == 2  # two paragraphs, each normalized once for both calls
    script.spoken_paragraphs(text, "north", {"Bluezone": "Bờ lu dôn"})  # other words: normalized again
    assert len(calls) == 4
