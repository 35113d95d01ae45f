"""The spot pipeline's own filters give scipy's and pyloudnorm's numbers, and a spot is made
without importing scipy.signal (1.5-2 CPU-s per worker) or pyloudnorm.

Each claim is checked against the library it replaces, on real espeak speech where it matters.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from audio_helpers import loudness_lufs, true_peak_dbtp, write_small_campaign
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import butter, resample_poly, sosfilt

from bzmedia.audio import iir, truepeak
from bzmedia.audio.loudness import LimitedLoudness
from bzmedia.audio.mix import highpass
from bzmedia.tts import VoiceSettings
from bzmedia.tts.espeak_engine import EspeakEngine
from bzmedia.tts.pcm import Sound, resample

RATE = 44100


@pytest.fixture(scope="module")
def speech() -> Sound:
    engine = EspeakEngine(VoiceSettings())
    text = "Bà con chú ý, xin nhắc lại: hãy cài đặt ứng dụng Bluezone để bảo vệ mình và cộng đồng."
    return highpass(resample(engine.synthesize(text), RATE), 150)


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_filters_are_designed_to_scipys_and_pyloudnorms_coefficients(rate):
    for cutoff in (80.0, 150.0, 300.0):
        expected = butter(4, cutoff, btype="highpass", fs=rate, output="sos")
        assert np.allclose(iir.butter_highpass(cutoff, rate), expected, rtol=1e-12, atol=1e-14)
    meter = pyloudnorm.Meter(rate)
    stages = [meter._filters["high_shelf"], meter._filters["high_pass"]]
    expected = np.array([np.concatenate([s.b / s.a[0], s.a / s.a[0]]) for s in stages])
    sos, gain = iir.k_weighting(rate)
    assert np.allclose(sos, expected, rtol=1e-12, atol=1e-14)
    assert gain == np.prod([s.passband_gain for s in stages])


def test_sections_run_as_scipys_sosfilt_chunk_after_chunk():
    """The fast loop (when this scipy has it) and the public fallback both give sosfilt's
    numbers, with the state carried from one chunk to the next."""
    samples = (0.3 * np.random.default_rng(5).standard_normal(50_000)).astype(np.float32)
    sos = iir.butter_highpass(150.0, RATE)
    expected = sosfilt(sos, samples.astype(np.float64))
    for run in (iir.sosfilt, iir._public):
        state, pieces = np.zeros((2, 2)), []
        for start in range(0, samples.size, 16_384):
            piece, state = run(sos, samples[start:start + 16_384], state)
            pieces.append(piece)
        assert np.allclose(np.concatenate(pieces), expected, rtol=0, atol=1e-12)


def test_upsampling_is_resample_polys():
    samples = (0.3 * np.random.default_rng(6).standard_normal(22050)).astype(np.float32)
    for up in (2, 4):
        made = resample(Sound(samples, 22050), 22050 * up).samples
        expected = resample_poly(samples, up, 1)
        assert made.dtype == np.float32 and made.size == expected.size
        assert np.max(np.abs(made - expected)) < 1e-6
    other = resample(Sound(samples, 22050), 24000).samples  # not a whole multiple: scipy's
    assert np.array_equal(other, resample_poly(samples, 160, 147).astype(np.float32))


def test_running_filters_are_scipy_ndimages():
    values = np.random.default_rng(8).random(10_000).astype(np.float32)
    for half in (1, 7, 176):
        size = 2 * half + 1
        for part in (values, values[:size // 2], values[:1]):
            assert np.array_equal(truepeak.running_min(part, size),
                                  minimum_filter1d(part, size, mode="nearest"))
            assert np.allclose(truepeak.running_mean(part, size),
                               uniform_filter1d(part, size, mode="nearest"), rtol=0, atol=1e-6)


def test_envelope_is_exact_over_every_floor_asked_in_any_order(speech):
    """Floors asked one after another, down and up again (as the normalizer's gains go): each
    time every value that can exceed the floor is whole-signal 4x oversampling's."""
    samples = speech.samples * np.float32(0.9 / np.max(np.abs(speech.samples)))
    whole = np.abs(resample_poly(samples.astype(np.float64), 4, 1)).reshape(-1, 4).max(axis=1)
    expected = np.maximum(whole, np.abs(samples))
    envelope = truepeak.Envelope(samples)
    for floor in (0.8, 0.5, 0.7, 0.2, 0.6):
        values = envelope.over(floor)
        over = expected > floor
        assert over.any() and np.max(np.abs(values[over] - expected[over])) < 1e-5
        assert np.all(values <= expected + 1e-5)
    assert abs(truepeak.true_peak_db(samples) - 20 * np.log10(whole.max())) < 1e-4


def _dense_limiter(peaks: np.ndarray, scale: float, ceiling: float, half: int) -> np.ndarray:
    """The limiter's gain computed over the whole signal with scipy (the sparse one's reference)."""
    needed = np.minimum(1.0, ceiling / np.maximum(peaks * np.float32(scale), 1e-12)).astype(np.float32)
    size = 2 * half + 1
    return uniform_filter1d(minimum_filter1d(needed, size, mode="nearest"), size, mode="nearest")


def test_limiter_is_computed_only_near_peaks_with_the_whole_signals_values(speech):
    envelope = truepeak.Envelope(speech.samples).over(0.0)
    peak = float(envelope.max())
    for gain_db in (3.0, 8.0, 14.0):
        scale = 10 ** (gain_db / 20)
        curve = truepeak.limiter_curve(envelope, scale, 0.79, 176)
        expected = _dense_limiter(envelope, scale, 0.79, 176)
        assert curve is not None and curve.positions.size < speech.samples.size
        assert np.max(np.abs(curve.dense() - expected)) < 1e-6
    assert truepeak.limiter_curve(envelope, 1.0, peak * 1.01, 176) is None
    # Peaks in the first and last few samples: the stretches reach the signal's ends.
    burst = (0.95 * np.sin(np.arange(300) * 0.9)).astype(np.float32)
    ends = np.concatenate([burst, speech.samples * np.float32(0.5), burst])
    envelope = truepeak.Envelope(ends).over(0.0)
    curve = truepeak.limiter_curve(envelope, 1.0, 0.79, 176)
    assert curve.positions[0] == 0 and curve.positions[-1] == ends.size - 1
    assert np.max(np.abs(curve.dense() - _dense_limiter(envelope, 1.0, 0.79, 176))) < 1e-6


@pytest.mark.parametrize("gain_db", [0.0, 6.0, 12.0])
def test_predicted_loudness_after_gain_and_limiting_is_measured(speech, gain_db):
    """Loudness is linear in gain and the limiter changes only the stretches it touches: the
    prediction is what pyloudnorm measures on the limited sound, within 0.01 LU; with no
    limiting it is exactly the level plus the gain."""
    model = LimitedLoudness(Sound(speech.samples * np.float32(0.3), RATE), -2.0)
    predicted = model.predict(gain_db)
    made = model.apply(gain_db).samples.astype(np.float64)
    assert abs(loudness_lufs(made) - predicted) < 0.01
    assert true_peak_dbtp(made) <= -2.0 + 0.01
    if model.limiter(gain_db) is None:
        assert predicted == model.level + gain_db


SPOT_WITHOUT_SCIPY = """
import json, sys
from pathlib import Path
from bzmedia.build import BuildOptions, build, load_builders
from bzmedia.campaign import load_campaign

campaign, _ = load_campaign(sys.argv[1])
options = BuildOptions(output_root=Path(sys.argv[2]) / "out", cache_dir=Path(sys.argv[2]) / "cache",
                       workers=1)
report = build(campaign, options, builders=[b for b in load_builders() if b.name == "audio"])
heavy = ("scipy.signal", "scipy.stats", "scipy.ndimage", "pyloudnorm")
print(json.dumps({"ran": len(report.ran), "loaded": sorted(
    name for name in sys.modules if name in heavy or name.startswith(("scipy.stats.", "pyloudnorm.")))}))
"""


def test_a_spot_is_made_without_scipy_signal_or_pyloudnorm(tmp_path: Path):
    """In one process (as a worker makes spots): numpy, and no scipy.signal, scipy.stats,
    scipy.ndimage or pyloudnorm (scipy's compiled section loop alone is loaded)."""
    script = write_small_campaign(tmp_path / "c", localities=("son-vi",))
    result = subprocess.run([sys.executable, "-c", SPOT_WITHOUT_SCIPY, str(script), str(tmp_path)],
                            capture_output=True, text=True, check=True, timeout=300)
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["ran"] >= 3 and facts["loaded"] == [], facts


def test_a_private_loop_that_misbehaves_is_not_used(monkeypatch):
    """The fast loop is checked against a plain-Python reference before use: one that gives other
    numbers, or fails, leaves the public sosfilt in its place."""
    def wrong(sos, x, zi):
        x *= 0.5

    def failing(sos, x, zi):
        raise RuntimeError("another scipy")

    for loop in (wrong, failing):
        monkeypatch.setattr(iir, "_private_loop", lambda loop=loop: loop)
        iir._implementation.cache_clear()
        assert iir._implementation() is iir._public
    monkeypatch.undo()
    iir._implementation.cache_clear()
    assert iir._implementation() is not iir._public  # this scipy's loop passes the check
