"""The intro chime, made here from tones: no sound file to ship, license or lose.

Three bell strokes going down a major triad (the "attention please" chime of stations and
loudspeakers).  Each stroke is a sine with a few soft inharmonic partials, a 5 ms attack (no click)
and an exponential decay.
"""

from __future__ import annotations

import numpy as np

from bzmedia.tts.pcm import Sound

NOTES_HZ = (784.0, 659.3, 523.3)
"""G5, E5, C5."""
STROKE_GAP_S = 0.42
"""Time between strokes."""
RING_S = 1.4
"""How long the last stroke rings."""
PARTIALS = ((1.0, 1.0), (2.0, 0.35), (3.01, 0.12), (4.2, 0.05))
"""(frequency ratio, amplitude) of a stroke's partials; slightly stretched like a real bell."""


def stroke(frequency: float, seconds: float, rate: int) -> np.ndarray:
    """One bell stroke."""
    t = np.arange(round(seconds * rate)) / rate
    tone = sum(amp * np.sin(2 * np.pi * frequency * ratio * t) * np.exp(-t * (2.2 + 1.5 * ratio))
               for ratio, amp in PARTIALS)
    attack = np.minimum(1.0, t / 0.005)
    return (tone * attack).astype(np.float32)


def chime(rate: int) -> Sound:
    """The three-stroke chime at ``rate`` (peak about -6 dBFS; loudness is set later)."""
    length = STROKE_GAP_S * (len(NOTES_HZ) - 1) + RING_S
    out = np.zeros(round(length * rate), dtype=np.float32)
    for index, note in enumerate(NOTES_HZ):
        start = round(index * STROKE_GAP_S * rate)
        tone = stroke(note, length - index * STROKE_GAP_S, rate)
        out[start:start + tone.size] += tone[: out.size - start]
    out *= 0.5 / max(float(np.max(np.abs(out))), 1e-9)
    return Sound(out, rate)
