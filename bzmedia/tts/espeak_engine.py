"""eSpeak NG, the default offline voice: libespeak-ng from the ``espeakng-loader`` wheel via ctypes.

libespeak-ng keeps global state (current voice, parameters, one synthesis callback), so this
module owns it: one initialization per process (re-done after a fork), and a lock around every
"set voice, set parameters, synthesize" sequence so threads never interleave.  Synthesis runs in
``AUDIO_OUTPUT_SYNCHRONOUS`` mode: no audio device, no background thread; samples (16-bit,
22050 Hz) arrive through the callback before ``espeak_Synth`` returns.
"""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from bzmedia.tts.base import Engine, EngineError, EngineUnavailable, VoiceSettings
from bzmedia.tts.pcm import Sound

VOICES = {"north": "vi", "central": "vi-vn-x-central", "south": "vi-vn-x-south"}
"""espeak-ng voice name per dialect."""

NORMAL_WPM = 175
"""espeak's default speed in words a minute; ``rate: 1.0`` means this."""
VOLUME = 70
"""espeak's amplitude (default 100 clips some vowels at full scale; loudness is set later)."""

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_PARAM_RATE, _PARAM_VOLUME, _PARAM_PITCH = 1, 2, 3
_EE_OK = 0

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.c_void_p)


class _Library:
    """libespeak-ng, initialized once in this process; use under :attr:`lock`."""

    def __init__(self) -> None:
        try:
            import espeakng_loader

            self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
            data = Path(espeakng_loader.get_data_path())
        except (ImportError, OSError, RuntimeError) as exc:
            raise EngineUnavailable(f"eSpeak NG is not installed correctly ({exc}); "
                                    "reinstall with: pip install --force-reinstall espeakng-loader") from exc
        self._declare()
        # The path argument is the folder that *contains* espeak-ng-data.
        rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                          str(data.parent).encode(), 0)
        if rate <= 0:
            raise EngineUnavailable(f"eSpeak NG could not start (data folder {data})")
        self.sample_rate = rate
        self.version = (self.lib.espeak_Info(None) or b"?").decode()
        self.lock = threading.Lock()
        self._chunks: list[np.ndarray] = []
        self._callback = _CALLBACK(self._collect)  # kept referenced: C holds only the pointer
        self.lib.espeak_SetSynthCallback(self._callback)

    def _declare(self) -> None:
        lib = self.lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p

    def _collect(self, wav, count: int, _events) -> int:
        if count > 0 and wav:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # 0: go on synthesizing

    def set_voice(self, name: str) -> None:
        if self.lib.espeak_SetVoiceByName(name.encode()) != _EE_OK:
            raise EngineUnavailable(f"eSpeak NG has no voice '{name}'")

    def set_parameter(self, parameter: int, value: int) -> None:
        self.lib.espeak_SetParameter(parameter, value, 0)

    def synth(self, text: str) -> np.ndarray:
        """16-bit samples of ``text`` in the current voice (call with :attr:`lock` held)."""
        self._chunks = []
        data = text.encode("utf-8") + b"\0"
        status = self.lib.espeak_Synth(data, len(data), 0, 0, 0, _CHARS_UTF8, None, None)
        if status != _EE_OK:
            raise EngineError(f"eSpeak NG failed (status {status})", text)
        chunks, self._chunks = self._chunks, []
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


_library: _Library | None = None
_library_pid: int | None = None
_setup_lock = threading.Lock()


def library() -> _Library:
    """This process's libespeak-ng (initialized on first use, and again in a forked child)."""
    global _library, _library_pid
    with _setup_lock:
        if _library is None or _library_pid != os.getpid():
            # After a fork the parent's lock may have been held by another thread: start fresh.
            _library, _library_pid = _Library(), os.getpid()
        return _library


class EspeakEngine(Engine):
    """Offline Vietnamese voices ``vi``, ``vi-vn-x-central``, ``vi-vn-x-south``."""

    name: ClassVar[str] = "espeak"

    def __init__(self, settings: VoiceSettings) -> None:
        super().__init__(settings)
        if settings.dialect not in VOICES:
            raise EngineUnavailable(f"eSpeak NG has no Vietnamese voice for dialect "
                                    f"'{settings.dialect}'")
        self.voice = VOICES[settings.dialect]
        self.words_per_minute = round(NORMAL_WPM * settings.rate)

    def identity(self) -> dict[str, Any]:
        return {"engine": "espeak", "version": library().version, "voice": self.voice,
                "wpm": self.words_per_minute, "pitch": self.settings.pitch, "volume": VOLUME}

    def synthesize(self, phrase: str) -> Sound:
        lib = library()
        with lib.lock:
            lib.set_voice(self.voice)
            lib.set_parameter(_PARAM_RATE, self.words_per_minute)
            lib.set_parameter(_PARAM_PITCH, self.settings.pitch)
            lib.set_parameter(_PARAM_VOLUME, VOLUME)
            samples = lib.synth(phrase)
        if samples.size == 0:
            raise EngineError("eSpeak NG produced no sound", phrase)
        return Sound(samples.astype(np.float32) / 32768.0, lib.sample_rate)


def usable() -> tuple[bool, str]:
    """Whether eSpeak NG and its Vietnamese voices load here, and a short note saying so."""
    try:
        lib = library()
        with lib.lock:
            for name in VOICES.values():
                lib.set_voice(name)
    except EngineError as exc:
        return False, str(exc)
    return True, f"eSpeak NG {lib.version}, offline"
