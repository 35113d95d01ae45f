"""The edge engine: prosody, escaping, retry and failure through a fake service; live with BZMEDIA_LIVE=1.

``FakeEdgeTransport`` is the only fake: it stands in for Microsoft's service and answers with a
script of outcomes (no connection, 429, 503, 400) or a real 24 kHz MP3 made locally with eSpeak NG
and ffmpeg, recording every request as edge-tts would send it.
"""

from __future__ import annotations

import itertools
import os
import time

import pytest
from click.testing import CliRunner
from test_gtts_engine import local_mp3  # a real 24 kHz MP3 made offline, as both services send

from bzmedia.cli import cli
from bzmedia.tts import EngineError, VoiceSettings, make_engine
from bzmedia.tts.edge_engine import (
    EdgeEngine,
    EdgeTransport,
    _check_request,
    prosody,
    request_ssml,
    spoken_text,
)
from bzmedia.tts.online import TransportError
from bzmedia.tts.segments import SegmentCache


class FakeEdgeTransport(EdgeTransport):
    """A fake Microsoft service: plays back ``outcomes`` (then succeeds), recording each request.

    The request is checked and built into SSML exactly as the real transport does before sending.
    """

    def __init__(self, outcomes=()) -> None:
        super().__init__(timeout=1.0)
        self.outcomes = list(outcomes)
        self.requests: list[dict] = []

    def fetch(self, text: str, voice: str, rate: str, pitch: str) -> bytes:
        sent_at = time.monotonic()  # before the (first time slow) SSML check, as the throttle sees it
        _check_request(text, voice, rate, pitch)
        self.requests.append({"at": sent_at, "text": text, "voice": voice, "rate": rate,
                              "pitch": pitch, "ssml": request_ssml(text, voice, rate, pitch)})
        outcome = self.outcomes.pop(0) if self.outcomes else "ok"
        if outcome == "offline":
            raise TransportError("Cannot connect to host speech.platform.bing.com:443", None)
        if outcome != "ok":
            raise TransportError(f"{outcome} from the service", outcome)
        return local_mp3(text)


def edge(transport, **settings) -> EdgeEngine:
    return EdgeEngine(VoiceSettings(engine="edge", **settings), transport, min_interval=0.0,
                      backoff=0.01)


def test_success_decodes_the_mp3_with_the_default_female_voice():
    fake = FakeEdgeTransport()
    sound = edge(fake).synthesize("xin chào bà con")
    assert sound.rate == 24000 and 0.5 < sound.seconds < 3
    assert [(r["text"], r["voice"], r["rate"], r["pitch"]) for r in fake.requests] == [
        ("xin chào bà con", "vi-VN-HoaiMyNeural", "+0%", "+0Hz")]


@pytest.mark.parametrize(("rate", "pitch", "expected"), [
    (0.9, 50, ("-10%", "+0Hz")), (1.25, 60, ("+25%", "+10Hz")), (0.5, 0, ("-50%", "-50Hz")),
    (2.0, 100, ("+100%", "+50Hz"))])
def test_rate_and_pitch_become_the_requests_prosody(rate, pitch, expected):
    settings = VoiceSettings(engine="edge", rate=rate, pitch=pitch)
    assert prosody(settings) == expected
    fake = FakeEdgeTransport()
    EdgeEngine(settings, fake, min_interval=0).synthesize("một hai ba")
    assert f"rate='{expected[0]}'" in fake.requests[0]["ssml"][0]
    assert f"pitch='{expected[1]}'" in fake.requests[0]["ssml"][0]


def test_male_voice_and_identity():
    fake = FakeEdgeTransport()
    male = edge(fake, speaker="male")
    male.synthesize("xin chào")
    assert fake.requests[0]["voice"] == "vi-VN-NamMinhNeural"
    assert male.identity() != edge(fake).identity()  # the cache keeps the two voices apart
    assert VoiceSettings(engine="edge", speaker="male").describe() == "edge (vi-VN-NamMinhNeural)"


@pytest.mark.parametrize("text", ["a < b & c", "<speak>xin chào</speak>", "x]]>y &amp; z",
                                  "</prosody><prosody rate='+100%'>nhanh", "giá 5 > 3 'và' \"hai\""])
def test_markup_in_the_text_is_spoken_not_obeyed(text):
    fake = FakeEdgeTransport()
    edge(fake).synthesize(text)
    (ssml,) = fake.requests[0]["ssml"]
    assert spoken_text(ssml) == text  # the whole text is the spoken content, word for word
    assert ssml.count("<prosody") == 1 and ssml.count("<voice") == 1


def test_characters_xml_cannot_carry_are_replaced():
    fake = FakeEdgeTransport()
    edge(fake).synthesize("xin\ufffechào")
    assert fake.requests[0]["text"] == "xin chào"


def test_rate_limited_requests_are_retried_then_succeed():
    fake = FakeEdgeTransport([429, 503])
    assert edge(fake).synthesize("xin chào").seconds > 0.3
    assert len(fake.requests) == 3


def test_unreachable_service_fails_clearly_and_then_at_once():
    fake = FakeEdgeTransport(["offline"] * 10)
    engine = edge(fake)
    with pytest.raises(EngineError, match="cannot reach Microsoft Edge TTS after 3 attempts"):
        engine.synthesize("xin chào")
    with pytest.raises(EngineError, match="cannot reach Microsoft Edge TTS"):
        engine.synthesize("câu tiếp theo")  # no second round of waits
    assert len(fake.requests) == 3


def test_a_refused_request_is_not_retried():
    fake = FakeEdgeTransport([400])
    with pytest.raises(EngineError, match="Microsoft Edge TTS failed after 1 attempt"):
        edge(fake).synthesize("xin chào")
    assert len(fake.requests) == 1


def test_requests_are_throttled():
    fake = FakeEdgeTransport()
    engine = EdgeEngine(VoiceSettings(engine="edge"), fake, min_interval=0.08)
    for text in ("một", "hai", "ba"):
        engine.synthesize(text)
    times = [r["at"] for r in fake.requests]
    assert all(later - earlier >= 0.08 for earlier, later in itertools.pairwise(times))


def test_phrases_are_cached_like_any_engine(tmp_path):
    from bzmedia.cache import Store

    fake = FakeEdgeTransport()
    cache = SegmentCache(Store(tmp_path / "cache"))
    first = cache.speak(edge(fake), "xin chào bà con")
    again = SegmentCache(Store(tmp_path / "cache")).speak(edge(fake), "xin chào bà con")
    assert len(fake.requests) == 1 and (first.samples == again.samples).all()


def test_the_real_transport_fails_fast_offline(monkeypatch):
    """No network here: the real edge-tts request fails within its timeout, as 'no connection'."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    started = time.monotonic()
    with pytest.raises(TransportError) as caught:
        EdgeTransport(timeout=3).fetch("xin chào", "vi-VN-HoaiMyNeural", "+0%", "+0Hz")
    assert caught.value.status is None and time.monotonic() - started < 5


def test_engine_registry_and_voices_list_edge():
    assert isinstance(make_engine(VoiceSettings(engine="edge")), EdgeEngine)
    result = CliRunner().invoke(cli, ["voices"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("edge")]
    assert any("vi-VN-HoaiMyNeural" in line and "online" in line for line in lines)
    assert any("vi-VN-NamMinhNeural" in line for line in lines)


def test_say_with_edge_offline_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("BZMEDIA_TTS_TIMEOUT", "3")
    monkeypatch.setenv("BZMEDIA_TTS_BACKOFF", "0.05")
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    target = tmp_path / "x.mp3"
    result = CliRunner().invoke(cli, ["say", "Xin chào", "--engine", "edge", "--speaker", "male",
                                      "-o", str(target)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: edge (vi-VN-NamMinhNeural): cannot reach Microsoft Edge TTS")
    assert not target.exists()


@pytest.mark.live
@pytest.mark.skipif(os.environ.get("BZMEDIA_LIVE") != "1", reason="needs the network: BZMEDIA_LIVE=1")
def test_live_edge_speaks_vietnamese():
    for speaker in (None, "male"):
        sound = EdgeEngine(VoiceSettings(engine="edge", speaker=speaker)).synthesize(
            "Xin chào bà con xã Sơn Vi.")
        assert sound.rate == 24000 and sound.seconds > 1.0


def test_say_refuses_a_file_type_it_does_not_write(tmp_path):
    result = CliRunner().invoke(cli, ["say", "Xin chào", "-o", str(tmp_path / "x.ogg")])
    assert result.exit_code == 2 and "x.ogg: say writes .mp3 or .wav" in result.output
    assert not (tmp_path / "x.ogg").exists()
