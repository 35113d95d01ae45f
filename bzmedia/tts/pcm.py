"""Mono audio as numpy arrays: 16-bit WAV files, ffmpeg decoding and resampling.

Everything between the engines and the exported file is float32 mono in [-1, 1]: mixing, gains and
limiting happen in floating point, so nothing clips until the last step.  ffmpeg comes from the
``imageio-ffmpeg`` wheel (:func:`bzmedia.resources.ffmpeg_exe`); no system ffmpeg is needed.

pydub is not used on purpose: its ``from_file`` probes every non-WAV input with ``ffprobe``, which
imageio-ffmpeg does not ship, and its 16-bit segments would clip intermediate mixes.
"""

from __future__ import annotations

import struct
import wave
from dataclasses import dataclass
from math import gcd
from pathlib import Path

import numpy as np

from bzmedia.i18n import _


@dataclass
class Sound:
    """Mono samples (float32, -1..1) at a sample rate."""

    samples: np.ndarray
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    @classmethod
    def silence(cls, seconds: float, rate: int) -> Sound:
        return cls(np.zeros(round(seconds * rate), dtype=np.float32), rate)


class DecodeError(Exception):
    """ffmpeg could not read a sound (not audio, or a format it does not know)."""


FULL_SCALE = 32768.0
"""One scale factor both ways between float samples and 16-bit integers, so a sound that went
through 16 bits once (an engine's output, a cached segment) comes back bit for bit: a phrase
fresh from the engine and the same phrase read from the cache must be the same samples, or the
kit would depend on which job spoke a phrase first."""


def to_int16(samples: np.ndarray, gain: np.float32 | None = None) -> np.ndarray:
    """Float samples as 16-bit integers (clipped at full scale; callers limit peaks first);
    ``gain``: a float32 factor applied on the way, the same integers as scaling first (the full
    scale is a power of two, so scaling by it after rounding to float32 or with it changes no bit)."""
    # Exact (a power of two); then rounded and clipped in place.
    scaled = samples * (FULL_SCALE if gain is None else np.float32(gain) * np.float32(FULL_SCALE))
    np.round(scaled, out=scaled)
    np.clip(scaled, -32768, 32767, out=scaled)
    return scaled.astype("<i2")


def from_int16(samples: np.ndarray) -> np.ndarray:
    """16-bit integer samples as float32 in [-1, 1): exact inverse of :func:`to_int16`."""
    return samples.astype(np.float32) / np.float32(FULL_SCALE)


def quantize(sound: Sound) -> Sound:
    """``sound`` as it will be after a trip through a 16-bit WAV file."""
    return Sound(from_int16(to_int16(sound.samples)), sound.rate)


def write_wav(path: Path, sound: Sound) -> None:
    """A 16-bit mono PCM WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sound.rate)
        out.writeframes(to_int16(sound.samples).tobytes())


def read_wav(path: Path) -> Sound:
    """A 16-bit mono PCM WAV file as written by :func:`write_wav`.

    Raises :class:`DecodeError` (never ``wave.Error``, ``EOFError`` or ``ValueError``) for a file
    that is empty, cut short, not a WAV, not 16-bit mono PCM, or holds no samples.
    """
    try:
        with wave.open(str(path), "rb") as src:
            if src.getnchannels() != 1 or src.getsampwidth() != 2:
                raise DecodeError(_("{file} is not a 16-bit mono WAV file").format(file=path.name))
            expected = src.getnframes()
            frames = src.readframes(expected)
            rate = src.getframerate()
    except (wave.Error, EOFError, ValueError, struct.error) as exc:
        raise DecodeError(_("{file} is not a readable WAV file ({reason})").format(
            file=path.name, reason=exc or type(exc).__name__)) from exc
    if rate <= 0 or expected == 0 or len(frames) != expected * 2:
        raise DecodeError(_("{file} is cut short or empty ({got} of {expected} samples)").format(
            file=path.name, got=len(frames) // 2, expected=expected))
    return Sound(from_int16(np.frombuffer(frames, dtype="<i2")), rate)


def decode(source: Path | bytes, rate: int, filters: str | None = None,
           longest_s: float | None = None) -> Sound:
    """Any file ffmpeg reads (or its bytes), as mono float samples at ``rate``; at most its first
    ``longest_s`` seconds (a file of hours would fill the memory).

    ``filters`` is an ffmpeg audio filter chain applied on the way (e.g. ``atempo=1.1``).
    """
    from bzmedia import ffmpeg

    command = ["-nostdin", "-v", "error", "-i", "pipe:0" if isinstance(source, bytes) else str(source)]
    if filters:
        command += ["-af", filters]
    if longest_s is not None:
        command += ["-t", f"{longest_s:g}"]
    command += ["-f", "f32le", "-acodec", "pcm_f32le", "-ac", "1", "-ar", str(rate), "pipe:1"]
    name = _("audio data") if isinstance(source, bytes) else Path(source).name
    result = ffmpeg.run(command, _("decoding {file}").format(file=name),
                        input=source if isinstance(source, bytes) else None,
                        timeout=ffmpeg.SHORT_TIMEOUT_S, check=False)
    if result.returncode != 0:
        raise DecodeError(ffmpeg.last_line(result.stderr, result.returncode))
    if len(result.stdout) % 4:  # not 32-bit samples: an ffmpeg that prints something else
        raise DecodeError(_("ffmpeg gave {count} bytes that are not audio samples").format(
            count=len(result.stdout)))
    samples = np.frombuffer(result.stdout, dtype="<f4").astype(np.float32)
    if samples.size == 0:
        raise DecodeError(_("it holds no audio"))
    if not np.isfinite(samples).all():  # a float WAV may hold them; every sum after would be NaN
        raise DecodeError(_("it holds samples that are not numbers (NaN or infinity)"))
    from bzmedia.campaign.audio_spec import LOUDEST_SAMPLE

    peak = float(np.abs(samples).max())
    if peak > LOUDEST_SAMPLE:
        raise DecodeError(_("its samples reach {peak:.0e}, far outside sound's -1 to 1 (a damaged float "
                            "file?)").format(peak=peak))
    return Sound(samples, rate)


def kaiser_lowpass(up: int) -> np.ndarray:
    """``scipy.signal.resample_poly``'s anti-imaging filter for ``up``-fold upsampling (float64,
    gain ``up``): ``firwin(20 up + 1, 1 / up, window=("kaiser", 5.0)) * up``, the same numbers."""
    half = 10 * up
    taps = np.sinc(np.arange(-half, half + 1) / up) * np.kaiser(2 * half + 1, 5.0)
    return taps / taps.sum() * up


def resample(sound: Sound, rate: int) -> Sound:
    """``sound`` at another sample rate (polyphase filter, no aliasing): ``resample_poly``'s
    numbers.  Engines' 22,050 Hz to 44,100 Hz (a whole multiple) is done with numpy, so making a
    spot never imports scipy.signal (1.5-2 CPU-s a process); other ratios use scipy."""
    if sound.rate == rate:
        return sound
    common = gcd(sound.rate, rate)
    up, down = rate // common, sound.rate // common
    if down == 1:
        taps, size = kaiser_lowpass(up), sound.samples.size
        samples = np.empty(size * up)
        for phase in range(up):  # output point n * up + phase: 21 input samples around n
            weights = taps[phase::up]
            if np.count_nonzero(np.abs(weights) > 1e-9 * np.abs(weights).max()) == 1:
                # Phase 0 of the sinc filter is one tap (the others are sin(pi k) ~ 1e-17): a
                # scaled copy, not a 21-tap convolution; half of 22,050 -> 44,100 Hz's time.
                samples[phase::up] = weights[10] * sound.samples
                continue
            samples[phase::up] = np.convolve(sound.samples, weights)[10:10 + size]
        return Sound(samples.astype(np.float32), rate)
    from scipy.signal import resample_poly

    samples = resample_poly(sound.samples, up, down)
    return Sound(samples.astype(np.float32), rate)


def trim_silence(sound: Sound, floor_db: float = -45.0, keep_s: float = 0.02) -> Sound:
    """``sound`` without leading and trailing near-silence (below ``floor_db`` of its peak).

    Engines pad their output unevenly; trimming makes the script's pauses the only pauses.
    """
    samples = sound.samples
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak <= 0.0:
        return Sound(samples[:0], sound.rate)
    loud = np.flatnonzero(np.abs(samples) > peak * 10 ** (floor_db / 20))
    keep = round(keep_s * sound.rate)
    start = max(int(loud[0]) - keep, 0)
    end = min(int(loud[-1]) + 1 + keep, samples.size)
    return Sound(samples[start:end], sound.rate)


def concatenate(parts: list[Sound], rate: int) -> Sound:
    """Parts (all at ``rate``) one after another."""
    if not parts:
        return Sound(np.zeros(0, dtype=np.float32), rate)
    for part in parts:
        if part.rate != rate:
            raise ValueError(f"part at {part.rate} Hz in a {rate} Hz sequence")
    return Sound(np.concatenate([p.samples for p in parts]).astype(np.float32), rate)


def stretches(loud: np.ndarray, gap: int) -> tuple[np.ndarray, np.ndarray]:
    """(first samples, ends) of the stretches of sound in ``loud`` (a mask of the samples that
    sound), a stretch running on over any quiet run shorter than ``gap`` samples.

    Found from the mask's edges, not from the index of every sounding sample (8 bytes a sample:
    47 MB for a two-minute spot)."""
    edges = np.flatnonzero(loud[1:] != loud[:-1]) + 1
    if loud.size and loud[0]:
        edges = np.concatenate([[0], edges])
    if loud.size and loud[-1]:
        edges = np.concatenate([edges, [loud.size]])
    starts, ends = edges[::2], edges[1::2]
    if not starts.size:
        return starts, ends
    apart = starts[1:] - ends[:-1] >= gap
    return np.concatenate([starts[:1], starts[1:][apart]]), np.concatenate([ends[:-1][apart], ends[-1:]])
