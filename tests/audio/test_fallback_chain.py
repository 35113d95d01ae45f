"""audio.fallback as a chain: a list (or one voice), tried in order per spot, one warning per engine.

The offline build is real: this machine cannot reach Google or Microsoft, so edge and gtts fail
for real (their requests bounded by BZMEDIA_TTS_TIMEOUT, retries by BZMEDIA_TTS_BACKOFF, so the
test cannot hang) and espeak speaks.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from audio_helpers import build_audio, write_small_campaign

from bzmedia.campaign import CampaignError, load_campaign
from bzmedia.tts import VoiceSettings, voice_chain

CHAIN = "  voice: {engine: edge}\n  fallback: [edge, gtts, espeak]"


def audio_of(tmp_path, voice: str):
    script = write_small_campaign(tmp_path / "c", localities=("son-vi",), voice=voice)
    campaign, _ = load_campaign(script)
    return script, campaign.audio


@pytest.mark.parametrize(("voice", "engines"), [
    ("  voice: {engine: gtts}\n  fallback: espeak", ["espeak"]),
    ("  voice: {engine: gtts}\n  fallback: {engine: espeak, dialect: south}", ["espeak"]),
    (CHAIN, ["edge", "gtts", "espeak"]),
    ("  voice: {engine: edge}\n  fallback:\n    - gtts\n    - {engine: espeak, rate: 0.9}",
     ["gtts", "espeak"]),
    ("  voice: {engine: espeak}", None)])
def test_fallback_takes_one_voice_or_a_list(tmp_path, voice, engines):
    _, audio = audio_of(tmp_path, voice)
    assert (None if audio.fallback is None else [v.engine for v in audio.fallback]) == engines


def test_a_wrong_entry_is_located_in_the_list(tmp_path):
    with pytest.raises(CampaignError) as caught:
        audio_of(tmp_path, "  voice: {engine: edge}\n  fallback: [gtts, espek]")
    [problem] = [str(p) for p in caught.value.problems if "fallback" in str(p)]
    assert "audio.fallback[1].engine: 'espek' is not one of: espeak, gtts, edge, piper" in problem


def test_the_chain_tries_each_voice_once_in_order():
    edge, gtts, espeak = (VoiceSettings(engine=e) for e in ("edge", "gtts", "espeak"))
    assert voice_chain(edge, (edge, gtts, espeak)) == [edge, gtts, espeak]
    assert voice_chain(gtts, espeak) == [gtts, espeak]
    assert voice_chain(espeak, None) == [espeak]


@pytest.fixture
def unreachable(monkeypatch):
    """No network for real, and short waits: every request fails fast."""
    monkeypatch.setenv("BZMEDIA_TTS_TIMEOUT", "3")
    monkeypatch.setenv("BZMEDIA_TTS_BACKOFF", "0.05")
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_offline_the_chain_ends_at_espeak_with_one_warning_per_failed_engine(tmp_path, unreachable):
    script = write_small_campaign(tmp_path / "c", voice=CHAIN)  # two communes, two spots each
    started = time.monotonic()
    report = build_audio(script, tmp_path / "out", tmp_path / "cache", workers=2)
    assert time.monotonic() - started < 60
    failed = sorted(re.search(r"audio\.voice\.engine: (.+?) failed", w).group(1) for w in report.warnings)
    assert failed == ["edge (vi-VN-HoaiMyNeural)", "gtts (Google, vi)"], report.warnings
    edge_warning = next(w for w in report.warnings if "Microsoft" in w)
    assert edge_warning.startswith(f"{script}:17:19: audio.voice.engine: edge (vi-VN-HoaiMyNeural) failed "
                                   "(cannot reach Microsoft Edge TTS after 3 attempts")
    assert edge_warning.endswith("spoken with the fallback espeak (north)")
    assert "fallback: espeak' under audio" not in edge_warning  # no advice to add what is there
    manifest = json.loads((tmp_path / "out" / "loa-nho" / "manifest.json").read_text(encoding="utf-8"))
    spots = [f for f in manifest["files"] if f["kind"] == "audio"]
    assert len(spots) == 4
    assert {(f["engine"], f["voice"]) for f in spots} == {("espeak", "espeak (north)")}
