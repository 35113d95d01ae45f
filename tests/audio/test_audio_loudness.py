"""Loudness, limiter, high-pass and chime, measured on real signals (and real speech)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from audio_helpers import decode_file, loudness_lufs, true_peak_dbtp

from bzmedia.audio.chime import NOTES_HZ, chime
from bzmedia.audio.export import Tags, export
from bzmedia.audio.loudness import limit_true_peak, normalize, true_peak_db
from bzmedia.audio.mix import highpass
from bzmedia.tts import VoiceSettings
from bzmedia.tts.espeak_engine import EspeakEngine
from bzmedia.tts.pcm import Sound, resample

RATE = 44100


@pytest.fixture(scope="module")
def speech() -> Sound:
    engine = EspeakEngine(VoiceSettings())
    text = "Đề nghị bà con cài đặt ứng dụng để phòng, chống dịch bệnh. Xin cảm ơn bà con."
    return resample(engine.synthesize(text), RATE)


def tone(frequency: float, seconds: float = 2.0, amplitude: float = 0.5) -> Sound:
    t = np.arange(int(seconds * RATE)) / RATE
    return Sound((amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32), RATE)


@pytest.mark.parametrize("target", [-16.0, -23.0, -13.0])
def test_normalize_reaches_target_under_the_ceiling(speech, target):
    done = normalize(speech, target, -1.5)
    assert abs(loudness_lufs(done.samples.astype(np.float64)) - target) < 0.1
    assert true_peak_dbtp(done.samples.astype(np.float64)) <= -1.5 + 0.01


def test_limiter_catches_intersample_peaks():
    """A sine at fs/4 with a 45° phase: every sample at 0.707 of a peak that falls between them."""
    n = np.arange(RATE)
    samples = (0.99 * np.sin(np.pi / 2 * n + np.pi / 4)).astype(np.float32)
    sound = Sound(samples, RATE)
    assert true_peak_db(sound) > -0.2 and 20 * np.log10(np.max(np.abs(samples))) < -2.9
    limited = limit_true_peak(sound, -6.0)
    assert true_peak_dbtp(limited.samples.astype(np.float64)) <= -6.0 + 0.01


def test_limiter_leaves_quiet_sound_alone(speech):
    quiet = Sound(speech.samples * 0.1, RATE)
    assert limit_true_peak(quiet, -1.5) is quiet


def test_silence_is_not_amplified():
    silence = Sound.silence(2.0, RATE)
    assert not np.any(normalize(silence, -16, -1.5).samples)


def test_mp3_export_keeps_loudness_and_ceiling(speech, tmp_path: Path):
    finished = normalize(speech, -16.0, -2.0)
    target = tmp_path / "a.mp3"
    measured = export(finished, target, fmt="mp3", bitrate_kbps=128, target_lufs=-16.0,
                      ceiling_db=-1.5, tags=Tags("t", "a", "b", "2020", 1, 1))
    decoded = decode_file(target)
    assert abs(loudness_lufs(decoded) + 16.0) <= 0.25 and true_peak_dbtp(decoded) <= -1.5
    assert abs(measured.lufs - loudness_lufs(decoded)) < 0.05


def test_highpass_removes_bass_keeps_voice():
    def level(sound: Sound) -> float:
        return 20 * np.log10(np.sqrt(np.mean(sound.samples[RATE // 2:] ** 2)))

    assert level(highpass(tone(50), 150)) < level(tone(50)) - 20
    assert abs(level(highpass(tone(1000), 150)) - level(tone(1000))) < 0.5
    assert np.array_equal(highpass(tone(50), 0).samples, tone(50).samples)


def test_chime_strikes_its_three_notes():
    sound = chime(RATE)
    assert 2.0 < sound.seconds < 3.0 and 0.4 < np.max(np.abs(sound.samples)) <= 0.5
    spectrum = np.abs(np.fft.rfft(sound.samples))
    freqs = np.fft.rfftfreq(sound.samples.size, 1 / RATE)
    for note in NOTES_HZ:
        band = (freqs > note - 5) & (freqs < note + 5)
        assert spectrum[band].max() > 0.2 * spectrum.max(), note
    assert abs(float(sound.samples[0])) < 1e-3  # soft attack: no click
