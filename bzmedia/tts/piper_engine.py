"""Piper, the optional offline neural voice (``pip install "bzmedia[piper]"``).

The script names a voice file (``audio.voice.model``, e.g. ``vi_VN-vais1000-medium.onnx`` with its
``.onnx.json`` beside it).  A loaded voice is kept per process: loading an ONNX model takes most of
a second, speaking a sentence far less.  Piper phonemizes with its own bundled espeak-ng, which
keeps global state, hence the lock.

Piper's models draw random noise inside the ONNX graph on every call (``noise_scale`` shapes the
sound, ``noise_w`` the length of each phoneme), so the same text came out different every time
(51,968 or 52,736 samples for one sentence): a kit would not be the same bytes twice, and a cached
phrase would differ from a fresh one.  onnxruntime cannot reseed a loaded model (its generators
are seeded once per session; a new session per phrase costs seconds), so both noises are set to
zero (:data:`NOISE`): the voice speaks each phoneme at its predicted length and sound, a little
flatter, and the same text gives the same samples.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from bzmedia.i18n import _
from bzmedia.tts.base import Engine, EngineError, EngineUnavailable, VoiceSettings
from bzmedia.tts.pcm import Sound

NOISE = {"noise_scale": 0.0, "noise_w_scale": 0.0}
"""Piper's random noises, off: the same text gives the same audio (see the module's note)."""

_voices: dict[str, Any] = {}
_lock = threading.Lock()


def piper_version() -> str | None:
    """The installed piper-tts version, or ``None`` when it is not installed."""
    from importlib import metadata

    try:
        return metadata.version("piper-tts")
    except metadata.PackageNotFoundError:
        return None


def load_voice(model: str) -> Any:
    """The ``PiperVoice`` of a model file (loaded once per process)."""
    with _lock:
        if model in _voices:
            return _voices[model]
        try:
            from piper import PiperVoice
        except ImportError as exc:
            raise EngineUnavailable(_('piper is not installed; run: pip install "bzmedia[piper]"')) from exc
        path = Path(model)
        config = Path(f"{model}.json")
        for needed in (path, config):
            if not needed.is_file():
                raise EngineUnavailable(_("piper voice file {path} is missing (download the .onnx and its "
                                          ".onnx.json, e.g. vi_VN-vais1000-medium)").format(path=needed))
        try:
            voice = PiperVoice.load(path, config_path=config)
        except Exception as exc:  # onnxruntime and json raise many kinds; all mean a bad file
            raise EngineUnavailable(_("piper cannot load voice {file}: {reason}").format(
                file=path.name, reason=exc)) from exc
        _voices[model] = voice
        return voice


class PiperEngine(Engine):
    """A piper voice model; ``rate`` maps to the model's length scale."""

    name: ClassVar[str] = "piper"

    def __init__(self, settings: VoiceSettings) -> None:
        super().__init__(settings)
        if not settings.model:
            raise EngineUnavailable(_("piper needs a voice file: set audio.voice.model to the .onnx "
                                      "file (e.g. vi_VN-vais1000-medium.onnx) in the campaign folder"))

    def identity(self) -> dict[str, Any]:
        return {"engine": "piper", "version": piper_version(), "model": self.settings.model_sha256,
                "rate": self.settings.rate, **NOISE}

    def synthesize(self, phrase: str) -> Sound:
        from piper import SynthesisConfig

        voice = load_voice(str(self.settings.model))
        # The voice's own pace (its .onnx.json may set one) at rate 1.0.
        config = SynthesisConfig(length_scale=voice.config.length_scale / self.settings.rate, **NOISE)
        with _lock:
            try:
                chunks = list(voice.synthesize(phrase, config))
            except Exception as exc:  # a model may fail on odd input; report the phrase
                raise EngineError(_("piper failed: {reason}").format(reason=exc), phrase) from exc
        if not chunks:
            raise EngineError(_("piper produced no sound"), phrase)
        rate = chunks[0].sample_rate
        # Piper cuts its input into sentences itself; a short gap keeps them apart.
        gap = np.zeros(round(0.25 * rate), dtype=np.float32)
        pieces: list[np.ndarray] = []
        for chunk in chunks:
            if pieces:
                pieces.append(gap)
            pieces.append(chunk.audio_float_array.astype(np.float32))
        return Sound(np.concatenate(pieces), rate)
