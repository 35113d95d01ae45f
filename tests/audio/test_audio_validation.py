"""What `bzmedia validate` says about the audio section, before anything is built."""

from __future__ import annotations

import pytest

from bzmedia.campaign import CampaignError, load_campaign

HEAD = 'campaign: {id: x, title: "T", issuer: "U", url: https://example.org}\n'


def problems(tmp_path, body: str) -> list[str]:
    script = tmp_path / "c.yaml"
    script.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


def test_piper_without_model_and_empty_text(tmp_path):
    found = problems(tmp_path, 'audio:\n  voice: piper\n  spots:\n    - {id: a, text: "Xin chào."}\n')
    assert any(p.startswith("audio.voice.engine: piper needs a voice file") for p in found)
    found = problems(tmp_path, 'audio:\n  spots:\n    - {id: a, text: ""}\n')
    assert "audio.spots[0].text: the spot has no text to say" in found
    found = problems(tmp_path, 'audio:\n  spots:\n    - {id: a, text: "  "}\n')
    assert found == ["audio.spots[0].text: the text is only spaces; write the text or remove the key"]


def test_a_text_with_no_word_to_say_is_refused(tmp_path):
    """"📢📢" or "!!! ... ---" built a 4.5 s spot of silence and chime, now that emoji are not read
    aloud; a variable may bring the words, and a recording's text is only its transcript."""
    found = problems(tmp_path, 'audio:\n  spots:\n    - {id: a, text: "📢📢"}\n'
                               '    - {id: b, text: "!!! ... ---"}\n'
                               '    - {id: c, text: "📢 {locality.name}"}\n'
                               '    - {id: d, text: "Xin chào 📢"}\n')
    nothing = "has no word to say (no letter or digit); write the words to say"
    assert found == [f"audio.spots[0].text: the text '📢📢' {nothing}",
                     f"audio.spots[1].text: the text '!!! ... ---' {nothing}"]


def test_model_for_another_engine_is_a_warning(tmp_path):
    script = tmp_path / "c.yaml"
    (tmp_path / "v.onnx").write_bytes(b"x")
    script.write_text(HEAD + 'audio:\n  voice: {engine: espeak, model: v.onnx}\n'
                      '  spots:\n    - {id: a, text: "Xin chào."}\n', encoding="utf-8")
    _, warnings = load_campaign(script)
    assert [w.path for w in warnings] == ["audio.voice.model"]
    assert "only used by piper" in warnings[0].message


def test_bad_times_are_reported_each(tmp_path):
    found = problems(tmp_path, 'audio:\n  schedule: {times: ["6h", "17:00", "25:00"]}\n'
                               '  spots:\n    - {id: a, text: "Xin chào."}\n')
    assert sum(p.startswith("audio.schedule.times: entry") for p in found) == 2


def test_mp3_bitrate_too_high_for_22_khz(tmp_path):
    found = problems(tmp_path, 'audio:\n  export: {sample_rate: 22050, bitrate: 192}\n'
                               '  spots:\n    - {id: a, text: "Xin chào."}\n')
    assert found == ["audio.export.bitrate: an MP3 at 22050 Hz can be at most 160 kb/s; choose a "
                     "lower bitrate or sample_rate: 44100"]


def test_fallback_keeps_the_main_voices_dialect_and_rate(tmp_path):
    from bzmedia.audio.builder import voice_settings

    script = tmp_path / "c.yaml"
    script.write_text(HEAD + 'audio:\n  voice: {engine: gtts, dialect: south, rate: 0.9}\n'
                      '  fallback: espeak\n  spots:\n    - {id: a, text: "Xin chào."}\n',
                      encoding="utf-8")
    campaign, _ = load_campaign(script)
    audio = campaign.audio
    fallback = voice_settings(campaign, audio.fallback[0], {}, inherit=audio.voice)
    assert (fallback.engine, fallback.dialect, fallback.rate) == ("espeak", "south", 0.9)
    script.write_text(script.read_text(encoding="utf-8").replace(
        "fallback: espeak", "fallback: {engine: espeak, dialect: north}"), encoding="utf-8")
    campaign, _ = load_campaign(script)
    fallback = voice_settings(campaign, campaign.audio.fallback[0], {}, inherit=campaign.audio.voice)
    assert (fallback.dialect, fallback.rate) == ("north", 0.9)


def test_loudness_too_close_to_the_ceiling_is_a_warning(tmp_path):
    script = tmp_path / "c.yaml"
    script.write_text(HEAD + 'audio:\n  loudness: {target_lufs: -8}\n'
                      '  spots:\n    - {id: a, text: "Xin chào."}\n', encoding="utf-8")
    _, warnings = load_campaign(script)
    assert [w.path for w in warnings] == ["audio.loudness.target_lufs"]


def test_a_time_given_twice_is_named_with_the_entry_that_has_it_already(tmp_path):
    """It printed "phát lúc 06:00, 06:00" in the schedule and played once."""
    found = problems(tmp_path, 'audio:\n  schedule: {times: ["06:00", "17:00", "06:00"]}\n'
                               '  spots:\n    - {id: a, text: "Xin chào.", times: ["19:00", "19:00"]}\n')
    assert found == ["audio.schedule.times: entry 3: 06:00 is entry 1 already",
                     "audio.spots[0].times: entry 2: 19:00 is entry 1 already"]
