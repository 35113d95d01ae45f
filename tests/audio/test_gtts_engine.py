"""gTTS: chunking, throttle, retry and failure, proved with a fake network; offline builds for real.

``FakeTransport`` is the only fake here: it stands in for Google's endpoint, answering with a
script of outcomes (429, no connection, 403, or a real MP3 made locally with eSpeak NG + ffmpeg).
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import os
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from audio_helpers import build_audio, write_small_campaign

from bzmedia.audio.script import SpotInputs, running_order
from bzmedia.campaign import BuildError
from bzmedia.ffmpeg import ffmpeg_exe
from bzmedia.tts import EngineError, VoiceSettings
from bzmedia.tts.espeak_engine import EspeakEngine
from bzmedia.tts.gtts_engine import PHRASE_LIMIT, GttsEngine, Transport, TransportError
from bzmedia.tts.pcm import to_int16


@functools.cache
def local_mp3(text: str) -> bytes:
    """A real 24 kHz mono MP3 of ``text`` (as Google sends), made offline."""
    sound = EspeakEngine(VoiceSettings()).synthesize(text)
    result = subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "s16le", "-ar", str(sound.rate),
                             "-ac", "1", "-i", "pipe:0", "-ar", "24000", "-b:a", "32k", "-f", "mp3",
                             "pipe:1"], input=to_int16(sound.samples).tobytes(),
                            capture_output=True, check=True)
    return result.stdout


class FakeTransport(Transport):
    """A fake Google endpoint: plays back ``outcomes`` (then succeeds), recording each request."""

    def __init__(self, outcomes=()) -> None:
        super().__init__()
        self.outcomes = list(outcomes)
        self.requests: list[tuple[float, str, str]] = []

    def fetch(self, text: str, lang: str) -> bytes:
        self.requests.append((time.monotonic(), text, lang))
        outcome = self.outcomes.pop(0) if self.outcomes else "ok"
        if outcome == "offline":
            raise TransportError("Failed to connect. Probable cause: Unknown", None)
        if outcome != "ok":
            raise TransportError(f"{outcome} from TTS API", outcome)
        return local_mp3(text)


def engine(transport, **policy) -> GttsEngine:
    policy = {"min_interval": 0.0, "backoff": 0.01, **policy}
    return GttsEngine(VoiceSettings(engine="gtts"), transport, **policy)


def test_success_decodes_the_mp3():
    fake = FakeTransport()
    sound = engine(fake).synthesize("xin chào bà con")
    assert sound.rate == 24000 and 0.5 < sound.seconds < 3
    assert [(text, lang) for _, text, lang in fake.requests] == [("xin chào bà con", "vi")]


def test_rate_speeds_up_the_voice():
    normal = engine(FakeTransport()).synthesize("xin chào bà con cô bác")
    faster = GttsEngine(VoiceSettings(engine="gtts", rate=1.5), FakeTransport(), min_interval=0)
    assert faster.synthesize("xin chào bà con cô bác").seconds < normal.seconds * 0.75


def test_sentences_reach_google_in_pieces_within_its_limit():
    sentence = ("Đề nghị toàn thể cán bộ, công chức, viên chức, người lao động và Nhân dân xã "
                "Sơn Vi có sử dụng điện thoại thông minh cài đặt và sử dụng ứng dụng Bluezone "
                "để phòng, chống dịch bệnh.")
    inputs = SpotInputs(
        locality_id="son-vi", locality_name="xã Sơn Vi", order=1, total=1, spot_id="a", title="a",
        text=sentence, ident=None, closing=None, repeat=1, intro="none",
        voice=VoiceSettings(engine="gtts"), fallback=None, pronunciations={}, pause_sentence=0.5,
        pause_paragraph=1.2, highpass_hz=0, music_bed=None, music_db=-22.0, target_lufs=-16.0,
        ceiling_db=-1.5, format="mp3", bitrate=128, sample_rate=44100, album="", artist="",
        year=None)
    speech = [p for p in running_order(inputs, "north", PHRASE_LIMIT) if p.kind == "speech"]
    assert len(speech) == 1 and len(speech[0].phrases) >= 2
    fake = FakeTransport()
    gtts = engine(fake)
    for phrase in speech[0].phrases:
        gtts.synthesize(phrase)
    sent = [text for _, text, _ in fake.requests]
    assert all(len(text) <= PHRASE_LIMIT for text in sent)
    assert " ".join(sent).split() == sentence.split()  # nothing lost, nothing reordered


def test_a_phrase_over_the_limit_is_refused_before_any_request():
    fake = FakeTransport()
    with pytest.raises(EngineError, match="over Google's limit"):
        engine(fake).synthesize("a " * 60)
    assert fake.requests == []


def test_429_is_retried_with_growing_waits():
    fake = FakeTransport([429, 429])
    sound = engine(fake, backoff=0.05).synthesize("xin chào")
    assert sound.seconds > 0.3 and len(fake.requests) == 3
    first_wait = fake.requests[1][0] - fake.requests[0][0]
    second_wait = fake.requests[2][0] - fake.requests[1][0]
    assert first_wait >= 0.05 and second_wait >= 0.10  # backoff doubles


def test_429_forever_gives_up_with_a_clear_reason():
    fake = FakeTransport([429] * 10)
    with pytest.raises(EngineError) as caught:
        engine(fake, attempts=4).synthesize("xin chào")
    assert len(fake.requests) == 4
    assert "429 Too Many Requests" in str(caught.value) and "4 attempts" in str(caught.value)
    assert caught.value.phrase == "xin chào"


def test_no_connection_is_retried_then_remembered():
    fake = FakeTransport(["offline"] * 10)
    gtts = engine(fake, connect_attempts=3)
    with pytest.raises(EngineError, match="fallback: espeak"):
        gtts.synthesize("xin chào")
    assert len(fake.requests) == 3
    with pytest.raises(EngineError, match="cannot reach Google TTS"):
        gtts.synthesize("câu tiếp theo")  # fails at once: no second round of waits
    assert len(fake.requests) == 3


def test_other_http_errors_are_not_retried():
    fake = FakeTransport([403])
    with pytest.raises(EngineError, match="403"):
        engine(fake).synthesize("xin chào")
    assert len(fake.requests) == 1


def test_requests_are_throttled():
    fake = FakeTransport()
    gtts = engine(fake, min_interval=0.08)
    for text in ("một", "hai", "ba"):
        gtts.synthesize(text)
    times = [t for t, _, _ in fake.requests]
    assert all(later - earlier >= 0.08 for earlier, later in itertools.pairwise(times))


GTTS_VOICE = "  voice: {engine: gtts}"


@pytest.fixture
def offline(monkeypatch):
    """No network for real: every HTTP(S) request goes to a closed local port."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_offline_gtts_build_fails_clearly_and_leaves_no_audio(tmp_path, offline):
    script = write_small_campaign(tmp_path / "c", localities=("son-vi",), voice=GTTS_VOICE)
    with pytest.raises(BuildError) as caught:
        build_audio(script, tmp_path / "out", tmp_path / "cache")
    messages = caught.value.messages
    assert len(messages) == 2  # both spots
    for message in messages:
        assert message.startswith(f"{script}:") and "audio.voice.engine" in message
        assert "son-vi (xã Sơn Vi)" in message and "cannot reach Google TTS" in message
        assert "spot '" in message and 'sentence: "' in message
    audio = tmp_path / "out" / "loa-nho" / "son-vi" / "audio"
    leftovers = [p.name for p in audio.iterdir()] if audio.exists() else []
    assert not [n for n in leftovers if n.endswith((".mp3", ".wav")) or "bzpart" in n], leftovers
    segments = list((tmp_path / "cache").rglob("*.wav"))
    assert all(p.stat().st_size > 44 for p in segments)


def test_offline_gtts_build_with_fallback_speaks_espeak(tmp_path, offline):
    voice = GTTS_VOICE + "\n  fallback: espeak"
    script = write_small_campaign(tmp_path / "c", localities=("son-vi",), voice=voice)
    report = build_audio(script, tmp_path / "out", tmp_path / "cache")
    audio = tmp_path / "out" / "loa-nho" / "son-vi" / "audio"
    assert (audio / "01-thong-bao.mp3").stat().st_size > 10_000
    assert (audio / "02-khau-hieu.mp3").stat().st_size > 10_000
    assert len(report.warnings) == 1  # both spots fell back: one line for the engine that failed
    assert all("spoken with the fallback espeak (north)" in w for w in report.warnings)


@pytest.mark.live
@pytest.mark.skipif(os.environ.get("BZMEDIA_LIVE") != "1", reason="needs the network: BZMEDIA_LIVE=1")
def test_live_google_speaks_vietnamese():
    sound = GttsEngine(VoiceSettings(engine="gtts")).synthesize("Xin chào bà con xã Sơn Vi.")
    assert sound.rate == 24000 and sound.seconds > 1.0


def _three_requests(pace_file: str) -> list[float]:
    fake = FakeTransport()
    gtts = GttsEngine(VoiceSettings(engine="gtts"), fake, min_interval=0.2,
                      pace_file=Path(pace_file) if pace_file else None)
    for text in ("một", "hai", "ba"):
        gtts.synthesize(text)
    return [t for t, _, _ in fake.requests]


def test_throttle_is_shared_by_worker_processes(tmp_path):
    """Two workers, three requests each: six slots 0.2 s apart, not two interleaved queues."""
    pace_file = tmp_path / "tts" / "gtts-next-request"
    for text in ("một", "hai", "ba"):
        local_mp3(text)  # made before forking, so the workers' requests cost no time
    context = multiprocessing.get_context("fork")
    started = time.monotonic()  # CLOCK_MONOTONIC is system-wide on Linux: comparable across forks
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        runs = list(pool.map(_three_requests, [str(pace_file)] * 2))
    requests = sorted(t for run in runs for t in run)
    assert len(requests) == 6
    assert requests[-1] - started >= 5 * 0.2  # alone, each worker would be done after 0.4 s
    assert not pace_file.with_name(pace_file.name + ".lock").exists()
