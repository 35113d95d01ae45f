"""Loudness, limiter, high-pass and chime, measured on real signals (and real speech)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from audio_helpers import decode_file, loudness_lufs, true_peak_dbtp
from scipy.signal import resample_poly

from bzmedia.audio import loudness, truepeak
from bzmedia.audio.chime import NOTES_HZ, chime
from bzmedia.audio.export import CODER_LOSS_DB, Tags, export, probe_coder_loss_db
from bzmedia.audio.loudness import (
    LimitedLoudness,
    integrated_lufs,
    limit_true_peak,
    normalize,
    true_peak_db,
)
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
    done, reached = normalize(speech, target, -1.5)
    assert abs(loudness_lufs(done.samples.astype(np.float64)) - target) < 0.1
    assert abs(loudness_lufs(done.samples.astype(np.float64)) - reached) < 0.01
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
    assert not np.any(normalize(silence, -16, -1.5)[0].samples)


def test_mp3_export_keeps_loudness_and_ceiling(speech, tmp_path: Path):
    finished, _ = normalize(speech, -16.0, -2.0)
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


def _signals(speech: Sound) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    noise = (0.2 * rng.standard_normal(3 * RATE + 1234)).astype(np.float32)
    gapped = np.concatenate([speech.samples, np.zeros(RATE, np.float32), 0.01 * speech.samples])
    return [speech.samples, noise, gapped, speech.samples[: RATE // 2]]


def test_loudness_is_pyloudnorms_number(speech):
    """The block-wise meter gives BS.1770's number as pyloudnorm computes it on the whole signal,
    for speech, noise, a quiet tail under the relative gate and a sound of one gating block."""
    meter = pyloudnorm.Meter(RATE)
    for samples in _signals(speech):
        expected = meter.integrated_loudness(samples.astype(np.float64))
        assert abs(integrated_lufs(Sound(samples, RATE)) - expected) < 1e-6


def test_loudness_of_a_long_sound_spans_several_filter_chunks(speech):
    samples = np.tile(speech.samples, 3 * (1 << 18) // speech.samples.size + 1)
    expected = pyloudnorm.Meter(RATE).integrated_loudness(samples.astype(np.float64))
    assert samples.size > 3 * (1 << 18)
    assert abs(integrated_lufs(Sound(samples, RATE)) - expected) < 1e-6


def test_true_peak_and_envelope_match_whole_signal_oversampling(speech):
    """Interpolating in blocks (and skipping blocks that cannot hold the peak) gives the same
    values as resample_poly over the whole signal in float64."""
    for samples in _signals(speech):
        whole = np.abs(resample_poly(samples.astype(np.float64), 4, 1))
        assert abs(true_peak_db(Sound(samples, RATE)) - 20 * np.log10(whole.max())) < 1e-4
        envelope = truepeak.Envelope(samples).over(0.0)
        expected = np.maximum(whole.reshape(-1, 4).max(axis=1), np.abs(samples))
        assert np.max(np.abs(envelope - expected)) < 1e-5


@pytest.mark.parametrize(("target", "ceiling"), [(-16.0, -2.0), (-13.0, -1.5), (-20.0, -6.0)])
def test_normalize_measures_once_and_predicts_the_limited_loudness(speech, target, ceiling):
    """One loudness measurement per normalization; what it predicts for the limited sound is
    what pyloudnorm measures on it, and the limiter holds the ceiling."""
    before = loudness.measurements
    done, reached = normalize(speech, target, ceiling)
    assert loudness.measurements - before == 1
    measured = loudness_lufs(done.samples.astype(np.float64))
    assert abs(measured - reached) < 0.01 and abs(measured - target) < 0.05
    assert true_peak_dbtp(done.samples.astype(np.float64)) <= ceiling + 0.01


def test_normalize_without_limiting_is_an_exact_gain(speech):
    """The gain is on the normalizer's grid (spots that differ in a sentence get the same one),
    and without limiting what it reaches is exact."""
    level = loudness_lufs(speech.samples.astype(np.float64))
    done, reached = normalize(speech, -30.0, -1.5)
    gain = reached - level
    assert abs(gain / loudness.GAIN_STEP_DB - round(gain / loudness.GAIN_STEP_DB)) < 1e-3
    assert abs(reached + 30.0) <= loudness.GAIN_STEP_DB / 2 + 1e-3
    assert abs(loudness_lufs(done.samples.astype(np.float64)) - reached) < 0.001


@pytest.mark.parametrize("bitrate", [64, 128, 192, 320])
def test_coder_loss_table_matches_lame(bitrate):
    assert abs(CODER_LOSS_DB[(bitrate, RATE)] - probe_coder_loss_db(bitrate, RATE)) < 0.01


def test_adding_a_piece_updates_the_measurement_exactly(speech):
    """A chime mixed into a measured sound: the model's level is what measuring the sum gives."""
    silence = np.zeros(RATE, np.float32)
    voice = Sound(np.concatenate([silence, silence, speech.samples, silence]), RATE)
    model = LimitedLoudness(Sound(voice.samples.copy(), RATE), -2.0)
    bell = chime(RATE)
    piece = Sound(np.concatenate([bell.samples, silence[: RATE // 4]]), RATE)
    model.add(piece, RATE // 2)
    mixed = voice.samples.copy()
    mixed[RATE // 2:RATE // 2 + piece.samples.size] += piece.samples
    assert np.array_equal(model.sound.samples, mixed)
    expected = pyloudnorm.Meter(RATE).integrated_loudness(mixed.astype(np.float64))
    assert abs(model.level - expected) < 1e-4


def test_adding_a_piece_to_a_sound_too_short_to_measure_keeps_it_unmeasured():
    """Under one 0.4 s gating block there is no block to update (the sparse sums once failed on
    an empty list of block edges): the sum is made and still measures as silence."""
    short = Sound(np.zeros(RATE // 5, np.float32), RATE)
    model = LimitedLoudness(Sound(short.samples.copy(), RATE), -2.0)
    tone = Sound((0.1 * np.sin(np.arange(RATE // 10) * 0.05)).astype(np.float32), RATE)
    model.add(tone, RATE // 20)
    assert np.array_equal(model.sound.samples[RATE // 20:RATE // 20 + tone.samples.size], tone.samples)
    assert not model.measurable and model.level == loudness.SILENCE_LUFS
