"""The normalizer starts its exact secant from a coarse model's answer: fewer limiter curves a spot."""

from __future__ import annotations

import numpy as np
import pytest

from bzmedia.audio import loudness, truepeak
from bzmedia.audio.loudness import LimitedLoudness, group_energies, secant
from bzmedia.tts import VoiceSettings
from bzmedia.tts.espeak_engine import EspeakEngine
from bzmedia.tts.pcm import Sound, resample


@pytest.fixture(scope="module")
def speech() -> Sound:
    engine = EspeakEngine(VoiceSettings())
    text = "Đề nghị bà con cài đặt ứng dụng để phòng, chống dịch bệnh. Xin cảm ơn bà con."
    return resample(engine.synthesize(text), 44100)


class CountingLoudness(LimitedLoudness):
    """A real model that counts its exact predictions (each one makes a limiter curve)."""

    exact = 0

    def predict(self, gain_db: float) -> float:
        self.exact += 1
        return super().predict(gain_db)


def _model(speech: Sound, ceiling_db: float) -> CountingLoudness:
    return CountingLoudness(Sound(speech.samples.copy(), speech.rate), ceiling_db)


@pytest.mark.parametrize("gain_db", [4.0, 8.0, 14.0])
def test_coarse_prediction_is_close_to_the_exact_one(speech, gain_db):
    """Sample peaks in 16-sample groups instead of the interpolated envelope: within 0.05 LU."""
    model = _model(speech, -2.0)
    coarse = model.coarse_predict(model.coarse(), gain_db)
    exact = model.predict(gain_db)
    assert exact < model.level + gain_db - 0.25  # the limiter takes something back here
    assert abs(coarse - exact) < 0.05


def test_coarse_prediction_without_limiting_is_the_exact_gain(speech):
    model = _model(speech, -2.0)
    assert model.coarse_predict(model.coarse(), -20.0) == model.level - 20.0


@pytest.mark.parametrize(("target", "ceiling"), [(-16.0, -2.0), (-13.0, -1.5), (-20.0, -6.0)])
def test_normalize_needs_at_most_two_exact_predictions(speech, target, ceiling):
    """Three before the coarse start (the unlimited gain, a step with a guessed slope, a secant);
    none for the gain's step onto the grid."""
    model = _model(speech, ceiling)
    _, reached = model.normalize(target)
    assert abs(reached - target) <= loudness.GAIN_STEP_DB / 2
    assert 1 <= model.exact <= 2


def test_secant_stops_at_the_limit_when_the_target_is_out_of_reach():
    def saturating(gain: float) -> float:
        return -20.0 + min(gain, 3.0)

    gain, reached, _ = secant(saturating, -16.0, 0.0, 0.57, 0.01, 8, 10.0)
    assert gain == 10.0 and reached == -17.0


def test_secant_lands_on_a_straight_line_in_one_step_with_its_slope():
    calls = []

    def line(gain: float) -> float:
        calls.append(gain)
        return -25.0 + 0.5 * gain

    gain, reached, slope = secant(line, -16.0, 0.0, 0.5, 0.01, 8, 40.0)
    assert gain == pytest.approx(18.0) and reached == pytest.approx(-16.0) and len(calls) == 2
    assert slope == pytest.approx(0.5)


@pytest.mark.parametrize("size", [1, 15, 16, 17, 8_191, 8_192 + 5])
def test_group_energies_are_the_sums_of_squares_per_group(size):
    weighted = np.random.default_rng(size).standard_normal(size).astype(np.float32)
    padded = np.concatenate([weighted, np.zeros(-size % truepeak.GROUP, np.float32)])
    expected = np.square(padded.astype(np.float64)).reshape(-1, truepeak.GROUP).sum(axis=1)
    assert np.allclose(group_energies(weighted), expected, rtol=1e-6, atol=0)


def test_the_coarse_start_keeps_one_measurement_per_normalization(speech):
    before = loudness.measurements
    _model(speech, -2.0).normalize(-16.0)
    assert loudness.measurements - before == 1


def test_normalizing_in_place_gives_the_copys_samples(speech):
    """A spot's mix is scaled and limited where it lies (no fresh copy): the same float32 numbers."""
    copied, _ = _model(speech, -2.0).normalize(-16.0)
    model = _model(speech, -2.0)
    own = model.sound.samples
    done, _ = model.normalize(-16.0, in_place=True)
    assert done.samples is own and np.array_equal(done.samples, copied.samples)
    # Without ``in_place`` the caller's sound is left as it was.
    sound = Sound(speech.samples.copy(), speech.rate)
    LimitedLoudness(sound, -2.0).normalize(-16.0)
    assert np.array_equal(sound.samples, speech.samples)
