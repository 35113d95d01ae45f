"""A spot's running order: chime, ident, text, repeats, closing, and the pauses between them."""

from __future__ import annotations

from bzmedia.audio.script import LEAD_IN_S, TAIL_S, SpotInputs, running_order, syllables
from bzmedia.tts import VoiceSettings


def inputs(**changes) -> SpotInputs:
    base = dict(
        locality_id="son-vi", locality_name="xã Sơn Vi", order=1, total=1, spot_id="a", title="A",
        text="Câu một. Câu hai.\n\nĐoạn hai.", ident="Đây là đài xã.", closing="Xin cảm ơn.",
        repeat=2, intro="chime", voice=VoiceSettings(), fallback=None, pronunciations={},
        pause_sentence=0.5, pause_paragraph=1.2, highpass_hz=0, music_bed=None, music_db=-22.0,
        target_lufs=-16.0, ceiling_db=-1.5, format="mp3", bitrate=128, sample_rate=44100,
        album="", artist="", year=None)
    base.update(changes)
    return SpotInputs(**base)


def shape(parts) -> list[str]:
    return [f"{p.kind}:{p.seconds:g}" if p.kind == "pause" else
            (" ".join(p.phrases) if p.kind == "speech" else p.kind) for p in parts]


def test_full_running_order():
    assert shape(running_order(inputs(), "north", None)) == [
        f"pause:{LEAD_IN_S:g}", "chime", "pause:1.2", "Đây là đài xã.", "pause:1.2",
        "Câu một.", "pause:0.5", "Câu hai.", "pause:1.2", "Đoạn hai.", "pause:1.2",
        "Xin nhắc lại.", "pause:0.5",  # the repeat's announcement leads straight in
        "Câu một.", "pause:0.5", "Câu hai.", "pause:1.2", "Đoạn hai.", "pause:1.2",
        "Xin cảm ơn.", f"pause:{TAIL_S:g}"]


def test_bare_spot_and_punctuation_only_sentences():
    parts = running_order(inputs(intro="none", ident=None, closing=None, repeat=1,
                                 text="Một câu thôi.\n…\n\n—"), "north", None)
    assert shape(parts) == [f"pause:{LEAD_IN_S:g}", "Một câu thôi.", f"pause:{TAIL_S:g}"]
    assert syllables(parts) == 3


def test_numbers_are_spoken_in_the_dialect():
    north = running_order(inputs(text="Có 1005 người."), "north", None)
    south = running_order(inputs(text="Có 1005 người."), "south", None)
    assert "nghìn" in " ".join(shape(north)) and "ngàn" in " ".join(shape(south))
