"""The spot pipeline's IIR filters (the horn high-pass, BS.1770's K-weighting) without scipy.signal.

Importing ``scipy.signal`` (or pyloudnorm, which imports it) costs a worker 1.5-2 CPU-seconds,
as much as making two short spots, because it pulls in ``scipy.stats``.  The filters themselves
are designed here with numpy, to the same coefficients (the tests compare them with
``scipy.signal.butter`` and pyloudnorm's), and run by scipy's compiled second-order-section loop,
loaded on its own from its file: a millisecond instead of the whole package.  That loop is a
private part of scipy, so it is checked once per process against a reference computed here, and
anything unexpected (another scipy, another layout) falls back to the public ``sosfilt``.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from pathlib import Path

import numpy as np

Filter = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def butter_highpass(cutoff_hz: float, rate: int, order: int = 4) -> np.ndarray:
    """Second-order sections of a Butterworth high-pass, as
    ``scipy.signal.butter(order, cutoff_hz, "highpass", fs=rate, output="sos")`` (even ``order``)."""
    warped = 2 * rate * np.tan(np.pi * cutoff_hz / rate)
    # The analog low-pass prototype's poles in the left half plane, one of each conjugate pair.
    prototype = -np.exp(1j * np.pi * np.arange(-order + 1, 0, 2) / (2 * order))
    poles = warped / prototype  # low-pass to high-pass: s -> warped / s
    digital = (2 * rate + poles) / (2 * rate - poles)  # bilinear transform; zeros all at z = 1
    gain = float(np.real((2 * rate) ** order / np.prod(2 * rate - np.concatenate(
        [poles, poles.conj()]))))
    # Sections ordered as scipy's zpk2sos orders them: the pole nearest the unit circle last.
    digital = digital[np.argsort(-np.abs(1 - np.abs(digital)))]
    sos = np.array([[1.0, -2.0, 1.0, 1.0, -2 * p.real, abs(p) ** 2] for p in digital])
    sos[0, :3] *= gain
    return sos


def k_weighting(rate: int) -> tuple[np.ndarray, float]:
    """(second-order sections, gain) of BS.1770's K-weighting at ``rate``: pyloudnorm's two
    biquads (RBJ cookbook high shelf +4 dB at 1,500 Hz, high-pass at 38 Hz), same formulas."""
    shelf_gain = 10 ** (4.0 / 40)
    w0 = 2 * np.pi * 1500.0 / rate
    alpha = np.sin(w0) / (2 * (1 / np.sqrt(2)))
    root, cos = 2 * np.sqrt(shelf_gain) * alpha, np.cos(w0)
    shelf = [shelf_gain * ((shelf_gain + 1) + (shelf_gain - 1) * cos + root),
             -2 * shelf_gain * ((shelf_gain - 1) + (shelf_gain + 1) * cos),
             shelf_gain * ((shelf_gain + 1) + (shelf_gain - 1) * cos - root),
             (shelf_gain + 1) - (shelf_gain - 1) * cos + root,
             2 * ((shelf_gain - 1) - (shelf_gain + 1) * cos),
             (shelf_gain + 1) - (shelf_gain - 1) * cos - root]
    w0 = 2 * np.pi * 38.0 / rate
    alpha, cos = np.sin(w0) / (2 * 0.5), np.cos(w0)
    high_pass = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha]
    sos = np.array([[c / section[3] for c in section] for section in (shelf, high_pass)])
    return sos, 1.0


def _reference(sos: np.ndarray, samples: list[float]) -> list[float]:
    """The sections run sample by sample in plain Python (transposed direct form II)."""
    out = list(samples)
    for b0, b1, b2, _, a1, a2 in sos.tolist():
        z1 = z2 = 0.0
        for i, x in enumerate(out):
            y = b0 * x + z1
            z1, z2 = b1 * x - a1 * y + z2, b2 * x - a2 * y
            out[i] = y
    return out


def _private_loop() -> Callable | None:
    """scipy's compiled ``_sosfilt(sos, x, zi)`` (in place), loaded without ``scipy.signal``."""
    spec = importlib.util.find_spec("scipy")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "signal"
    found = sorted(folder.glob("_sosfilt.*"))
    found = [path for path in found if path.suffix in (".so", ".pyd")]
    if not found:
        return None
    loader_spec = importlib.util.spec_from_file_location("scipy.signal._sosfilt", found[0])
    module = importlib.util.module_from_spec(loader_spec)
    loader_spec.loader.exec_module(module)
    return module._sosfilt


def _fast(loop: Callable) -> Filter:
    def run(sos: np.ndarray, samples: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.array(samples, np.float64, order="C", ndmin=2)  # a copy: filtered in place
        zi = np.ascontiguousarray(state, np.float64).reshape(1, sos.shape[0], 2).copy()
        loop(np.ascontiguousarray(sos, np.float64), x, zi)
        return x[0], zi[0]
    return run


def _public(sos: np.ndarray, samples: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from scipy.signal import sosfilt as scipy_sosfilt

    return scipy_sosfilt(sos, samples.astype(np.float64, copy=False), zi=state)


@functools.cache
def _implementation() -> Filter:
    """The fast loop if it gives the reference's numbers on a test signal, else scipy's public one."""
    try:
        loop = _private_loop()
    except Exception:  # anything from a private part of scipy: use the public one
        loop = None
    if loop is None:
        return _public
    sos = butter_highpass(150.0, 44100)
    probe = np.random.default_rng(0).standard_normal(64)
    try:
        head, state = _fast(loop)(sos, probe[:40], np.zeros((2, 2)))
        tail, _ = _fast(loop)(sos, probe[40:], state)
    except Exception:  # as above
        return _public
    expected = _reference(sos, probe.tolist())
    if not np.allclose(np.concatenate([head, tail]), expected, rtol=1e-12, atol=1e-12):
        return _public
    return _fast(loop)


def sosfilt(sos: np.ndarray, samples: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(``samples`` filtered by the sections in float64, the filters' state after them): as
    ``scipy.signal.sosfilt(sos, samples, zi=state)``; ``state`` has shape (sections, 2)."""
    return _implementation()(sos, samples, state)
