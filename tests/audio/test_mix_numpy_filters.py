"""The music bed's running filters are numpy equals of scipy.ndimage's (scipy stays out of the
worker: importing scipy.ndimage costs it about 0.7 s)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy.ndimage import maximum_filter1d, uniform_filter1d

from bzmedia.audio.loudness import windowed
from bzmedia.audio.mix import duck_curve, running_max, running_mean

WIDTHS = (1, 2, 3, 7, 8, 64, 999, 1000, 1001, 5000)


@pytest.mark.parametrize("width", WIDTHS)
def test_running_max_equals_scipy_exactly(width):
    rng = np.random.default_rng(width)
    values = rng.normal(size=1000).astype(np.float32)
    assert np.array_equal(running_max(values, width), maximum_filter1d(values, width, mode="nearest"))
    mask = (rng.random(1000) > 0.97).astype(np.float32)  # what duck_curve holds: sparse speech
    assert np.array_equal(running_max(mask, width), maximum_filter1d(mask, width, mode="nearest"))


@pytest.mark.parametrize("width", WIDTHS)
def test_running_mean_equals_scipy(width):
    rng = np.random.default_rng(width)
    values = (rng.random(1000) * -60).astype(np.float32)  # decibels, as the ducking smooths
    ours, theirs = running_mean(values, width), uniform_filter1d(values, width, mode="nearest")
    assert ours.dtype == theirs.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-4)


def test_chunked_like_a_long_spot():
    """Through ``windowed`` (chunks with the window's overlap), as duck_curve runs them."""
    rng = np.random.default_rng(7)
    values = np.repeat(rng.choice([-30.0, -20.0], size=300), 5000).astype(np.float32)  # 34 s
    width = 15435  # DUCK_RAMP_S at 44.1 kHz
    np.testing.assert_allclose(windowed(running_mean, values, width),
                               uniform_filter1d(values, width, mode="nearest"), rtol=0, atol=1e-4)
    assert np.array_equal(windowed(running_max, values, 52920),
                          maximum_filter1d(values, 52920, mode="nearest"))


def test_duck_curve_as_before():
    """The curve the scipy filters gave: down under speech, up in the long gap, a smooth ramp."""
    rate = 1000
    mask = np.zeros(20 * rate, bool)
    mask[2 * rate:5 * rate] = mask[15 * rate:17 * rate] = True
    curve = duck_curve(mask, rate, -20.0)
    held = maximum_filter1d(mask.astype(np.float32), 1200, mode="nearest")
    decibels = np.where(held > 0.5, -20.0, -10.0).astype(np.float32)
    expected = 10 ** (uniform_filter1d(decibels, 350, mode="nearest") / 20)
    np.testing.assert_allclose(curve, expected, rtol=1e-5)
    assert curve[3 * rate] == pytest.approx(0.1) and curve[10 * rate] == pytest.approx(10 ** -0.5)


def test_mixing_does_not_import_scipy():
    code = ("import sys, numpy as np\nfrom bzmedia.audio.mix import duck_curve\n"
            "duck_curve(np.ones(50000, bool), 44100, -20.0)\n"
            "print(sorted(m for m in sys.modules if m.startswith('scipy')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
