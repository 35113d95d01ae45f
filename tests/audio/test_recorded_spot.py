"""A spot read by an announcer: ``recording:`` goes through the spot's chain and is found in the MP3.

The "announcer" is eSpeak NG saved as a 48 kHz stereo WAV with silence around it (a real file of
another rate and layout, as a phone or recorder makes); the MP3 is decoded by ffmpeg and measured
here with pyloudnorm and scipy, independently of bzmedia's own audio code.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import build_audio, decode_file, loudness_lufs, true_peak_dbtp
from click.testing import CliRunner
from scipy.signal import butter, correlate, sosfiltfilt

from bzmedia.cli import cli
from bzmedia.ffmpeg import ffmpeg_exe
from bzmedia.tts import VoiceSettings
from bzmedia.tts.espeak_engine import EspeakEngine
from bzmedia.tts.pcm import to_int16

TEXT = ("Đề nghị bà con cài đặt ứng dụng Bluezone trên điện thoại thông minh. "
        "Mọi thắc mắc xin gọi cán bộ xã.")
SCRIPT = """\
campaign: {{id: ghi-am, title: "Ghi âm", issuer: "UBND xã Sơn Vi", url: "https://x.vn"}}
localities: [{{id: son-vi, name: "xã Sơn Vi"}}]
audio:
  ident: "Đây là Đài truyền thanh {{locality.name}}."
  highpass_hz: 150
  spots:
    - id: thong-bao
      title: "Thông báo"
      repeat: 2
      recording: {recording}
      text: "{text}"
"""
RATE = 44100


def make_recording(path: Path, text: str, lead_s: float = 1.0) -> np.ndarray:
    """``text`` said by eSpeak NG, written as 48 kHz stereo WAV with silence around it; returns the
    speech alone at 44.1 kHz mono (what the spot should contain)."""
    sound = EspeakEngine(VoiceSettings()).synthesize(text)
    pad = np.zeros(round(lead_s * sound.rate), dtype=np.float32)
    samples = np.concatenate([pad, sound.samples, pad])
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "s16le", "-ar", str(sound.rate), "-ac", "1",
                    "-i", "pipe:0", "-ar", "48000", "-ac", "2", str(path)],
                   input=to_int16(samples).tobytes(), check=True)
    return decode_file(path)[round(lead_s * RATE):-round(lead_s * RATE)]


def write_campaign(folder: Path, recording: str, text: str = TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "s.yaml"
    script.write_text(SCRIPT.format(recording=recording, text=text), encoding="utf-8")
    return script


def matches(signal: np.ndarray, template: np.ndarray) -> np.ndarray:
    """Normalized cross-correlation of ``template`` at every offset of ``signal``, both high-passed
    at 1 kHz first: below that the spot's own 150 Hz high-pass turns the phase of the voice's
    strong low harmonics (0.77 when compared from 300 Hz), which is the chain working, not a
    different recording."""
    sos = butter(4, 1000, "highpass", fs=RATE, output="sos")
    signal, template = sosfiltfilt(sos, signal), sosfiltfilt(sos, template)
    raw = correlate(signal, template, mode="valid", method="fft")
    energy = np.concatenate([[0.0], np.cumsum(signal ** 2)])
    window = energy[template.size:] - energy[:-template.size]
    return raw / (np.sqrt(np.maximum(window, 1e-12)) * np.linalg.norm(template))


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    root = tmp_path_factory.mktemp("recorded")
    (root / "c").mkdir()
    source = make_recording(root / "c" / "doc.wav", TEXT)
    script = write_campaign(root / "c", "doc.wav")
    report = build_audio(script, root / "out", root / "cache", workers=1)
    return root, source, report


def test_the_recorded_spot_meets_the_bars_of_a_spoken_one(recorded):
    root, _, report = recorded
    assert report.warnings == []
    path = root / "out" / "ghi-am" / "son-vi" / "audio" / "01-thong-bao.mp3"
    probe = subprocess.run([ffmpeg_exe(), "-i", str(path)], capture_output=True, text=True).stderr
    assert "44100 Hz, mono" in probe and "128 kb/s" in probe and "title" in probe
    samples = decode_file(path)
    assert abs(loudness_lufs(samples) + 16) <= 1.0
    assert true_peak_dbtp(samples) <= -1.5


def test_the_mp3_contains_the_recording_once_per_repeat(recorded):
    """Each sentence of the recording, twice, in order.  Sentence by sentence: the pause between
    them is digital silence here (a synthesized "announcer"), where the MP3's units may move the
    second sentence by up to half a frame (:mod:`bzmedia.audio.mp3units`)."""
    root, source, _ = recorded
    samples = decode_file(root / "out" / "ghi-am" / "son-vi" / "audio" / "01-thong-bao.mp3")
    found = []
    for sentence in sentences(source):
        score = matches(samples, sentence)
        best = int(np.argmax(score))
        assert score[best] > 0.9
        score[max(0, best - source.size):best + source.size] = 0  # the other repeat is elsewhere
        other = int(np.argmax(score))
        assert score[other] > 0.9
        found.append(sorted([best, other]))
    (first, second), (third, fourth) = found
    assert first < third < second < fourth


def sentences(speech: np.ndarray) -> list[np.ndarray]:
    """``speech`` cut in two in the middle of its longest quiet stretch (the pause between its
    two sentences)."""
    quiet = np.abs(speech) < 1e-3
    edges = np.flatnonzero(np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]])))
    starts, ends = edges[::2], edges[1::2]
    longest = int(np.argmax(ends - starts))
    middle = (starts[longest] + ends[longest]) // 2
    return [speech[:middle], speech[middle:]]


def test_the_manifest_and_transcript_name_the_recording(recorded):
    root, _, _ = recorded
    kit = root / "out" / "ghi-am"
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    [spot] = [f for f in manifest["files"] if f["kind"] == "audio"]
    assert spot["recording"] == "doc.wav" and spot["syllables"] > 2 * 20
    transcript = (kit / "son-vi" / "audio" / "01-thong-bao.txt").read_text(encoding="utf-8")
    assert "Đề nghị bà con cài đặt ứng dụng Bluezone" in transcript


def test_validate_warns_about_a_recording_far_from_its_text(tmp_path):
    (tmp_path / "c").mkdir()
    make_recording(tmp_path / "c" / "ngan.wav", "Xin chào.")
    script = write_campaign(tmp_path / "c", "ngan.wav")
    result = CliRunner().invoke(cli, ["validate", str(script)])
    assert result.exit_code == 0, result.output
    assert f"{script}:10:18: audio.spots[0].recording: warning: the recording holds" in result.output
    assert "is it the right file?" in result.output


def test_validate_refuses_a_recording_that_does_not_decode(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "hong.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt " + bytes(200))
    script = write_campaign(tmp_path / "c", "hong.wav")
    result = CliRunner().invoke(cli, ["validate", str(script)])
    assert result.exit_code == 1 and "the recording cannot be decoded" in result.output


NOT_NUMBERS = ("the recording holds samples that are not numbers (NaN or infinity)",
               r"not numbers \(NaN or infinity\)")
FAR_OUT = ("the recording's samples reach 1e+30, far outside sound's -1 to 1 (a damaged float file?)",
           r"reach 1e\+30, far outside")


@pytest.mark.parametrize(("bad", "said"), [(np.nan, NOT_NUMBERS), (np.inf, NOT_NUMBERS), (1e30, FAR_OUT)])
def test_a_recording_holding_nan_or_infinity_is_refused_at_its_key(tmp_path, bad, said):
    """A float WAV can hold them (a broken editor, a converter's bug); the build stopped with
    "unexpected IndexError" from the silence trim, located nowhere (and 1e30 overflowed the
    loudness sums, with warnings, into a spot)."""
    import soundfile

    from bzmedia.tts.pcm import DecodeError, decode

    (tmp_path / "c").mkdir()
    samples = np.full(44100, 0.1, np.float32)
    samples[20000:20100] = bad
    soundfile.write(tmp_path / "c" / "hong.wav", samples, 44100, subtype="FLOAT")
    script = write_campaign(tmp_path / "c", "hong.wav")
    result = CliRunner().invoke(cli, ["validate", str(script)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{script}:10:18: audio.spots[0].recording: {said[0]}"
    with pytest.raises(DecodeError, match=said[1]):
        decode(tmp_path / "c" / "hong.wav", RATE)  # what the build reads it with


def test_a_recording_of_hours_is_refused_without_decoding_it_all(tmp_path):
    """A 3-hour recording (86 MB of 8-bit WAV) took 16 s to validate, then 5 GB and a MemoryError
    to build; a spot may last 30 minutes, and no more than that is ever decoded."""
    from bzmedia.tts.pcm import decode

    (tmp_path / "c").mkdir()
    long = tmp_path / "c" / "dai.wav"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=f=300:r=8000", "-t", "10800",
                    "-c:a", "pcm_u8", str(long)], check=True)
    script = write_campaign(tmp_path / "c", "dai.wav")
    result = CliRunner().invoke(cli, ["validate", str(script)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{script}:10:18: audio.spots[0].recording: with this recording the spot would last more than 30 "
        "minutes, the longest a spot may be: cut the recording into several spots, or lower repeat")
    assert decode(long, 8000, longest_s=60).samples.size == 60 * 8000


def test_a_text_said_too_many_times_is_refused_at_repeat(tmp_path):
    """19,840 characters said 5 times: 108 minutes and 6.3 GB of memory to make."""
    text = "Bà con cài đặt ứng dụng Bluezone để bảo vệ mình và cộng đồng. " * 320
    (tmp_path / "c").mkdir()
    script = tmp_path / "c" / "s.yaml"
    script.write_text(SCRIPT.replace("      recording: {recording}\n", "").replace("repeat: 2", "repeat: 5")
                      .format(text=text), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(script)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{script}:9:15: audio.spots[0].repeat: the text ({len(text)} characters) said 5 times is "
        f"{5 * len(text)} characters, about 110 minutes; a spot says at most 20000 characters in all: "
        "lower repeat, shorten the text or split it into several spots")


def test_a_spot_longer_than_a_spot_may_be_stops_before_it_is_mixed(monkeypatch, tmp_path):
    """The build's own check, for what validate cannot know (a slow voice): real speech, with the
    limit lowered to 3 s for the test."""
    from bzmedia.audio import render
    from bzmedia.audio.script import SpotInputs
    from bzmedia.cache import Store

    monkeypatch.setattr(render, "MAX_SPOT_MINUTES", 0.05)
    inputs = SpotInputs(
        locality_id="x", locality_name="xã Sơn Vi", order=1, total=1, spot_id="a", title="A",
        text="Bà con chú ý. Xin mời bà con cài đặt ứng dụng Bluezone trên điện thoại.",
        ident=None, closing=None, repeat=2, intro="none", voice=VoiceSettings(rate=0.5), fallback=None,
        pronunciations={}, pause_sentence=0.5, pause_paragraph=1.2, highpass_hz=150,
        music_bed=None, music_db=-22.0, target_lufs=-16.0, ceiling_db=-1.5, format="mp3",
        bitrate=128, sample_rate=RATE, album="", artist="", year=None)
    monkeypatch.setattr(render, "filtered_mix", lambda *a: pytest.fail("mixed a spot too long"))
    with pytest.raises(render.SoundFileError) as caught:
        render.render(inputs, Store(tmp_path / "cache"))
    assert caught.value.field_name == "text"
    assert str(caught.value) == ("spot 'a' would last more than 30 minutes, the longest a spot may be: "
                                 "shorten it, lower its repeat or split it into several spots")


def test_a_long_intro_counts_toward_the_spots_length(monkeypatch, tmp_path):
    """The intro was counted as nothing (and decoded whole): a 20 s intro made a 23.5 s spot past
    a 6 s limit.  Real file and speech, the limit lowered for the test."""
    import soundfile

    from bzmedia.audio import render
    from bzmedia.audio.script import SpotInputs
    from bzmedia.cache import Store

    intro = tmp_path / "nhac.wav"
    soundfile.write(intro, 0.2 * np.sin(np.arange(20 * 8000) / 8000 * 2 * np.pi * 440), 8000)
    monkeypatch.setattr(render, "MAX_SPOT_MINUTES", 0.1)
    inputs = SpotInputs(
        locality_id="x", locality_name="xã Sơn Vi", order=1, total=1, spot_id="a", title="A",
        text="Bà con chú ý.", ident=None, closing=None, repeat=1, intro=intro, voice=VoiceSettings(),
        fallback=None, pronunciations={}, pause_sentence=0.5, pause_paragraph=1.2, highpass_hz=150,
        music_bed=None, music_db=-22.0, target_lufs=-16.0, ceiling_db=-1.5, format="mp3",
        bitrate=128, sample_rate=RATE, album="", artist="", year=None)
    with pytest.raises(render.SoundFileError) as caught:
        render.render(inputs, Store(tmp_path / "cache"))
    assert caught.value.field_name == "intro"
