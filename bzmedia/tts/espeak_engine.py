"""eSpeak NG, the default offline voice: libespeak-ng from the ``espeakng-loader`` wheel via ctypes.

libespeak-ng keeps global state (current voice, parameters, one synthesis callback) and, worse for
a reproducible kit, state that no call resets: the pitch flutter index is a function-local static
and the wave generator's phase, gain and echo buffer run on from one phrase to the next, so the
same phrase came out a few samples different depending on what the process had said before (and
so on the worker count and job order).  ``espeak_Terminate`` + ``espeak_Initialize`` do not clear
those statics; only unloading the library does.  So every phrase is spoken by a freshly loaded
library (:class:`_Session`: load, initialize, synthesize, terminate, unload; about 15 ms), under
a lock so threads never interleave.  Synthesis runs in ``AUDIO_OUTPUT_SYNCHRONOUS`` mode: no audio
device, no background thread; samples (16-bit, 22050 Hz) arrive through the callback before
``espeak_Synth`` returns.
"""

from __future__ import annotations

import ctypes
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from bzmedia.i18n import _
from bzmedia.tts.base import Engine, EngineError, EngineUnavailable, VoiceSettings
from bzmedia.tts.pcm import Sound, from_int16

VOICES = {"north": "vi", "central": "vi-vn-x-central", "south": "vi-vn-x-south"}
"""espeak-ng voice name per dialect."""

NORMAL_WPM = 150
"""Words a minute at ``rate: 1.0``.  espeak's own default, 175, read the example's four spots at
4.1-4.4 syllables a second of speech, faster than announcers read (about 3.5) and than the 2.8-4.0
spots are held to; 150 reads them at 3.5-3.8 (north), 3.4-3.6 (south).  The wpm is part of
:meth:`EspeakEngine.identity`, so phrases cached at another pace are not reused."""
VOLUME = 70
"""espeak's amplitude (default 100 clips some vowels at full scale; loudness is set later)."""

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_PARAM_RATE, _PARAM_VOLUME, _PARAM_PITCH = 1, 2, 3
_EE_OK = 0

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.c_void_p)


def _library_files() -> tuple[str, Path]:
    """(path of libespeak-ng, its espeak-ng-data folder) from the wheel."""
    try:
        import espeakng_loader

        return espeakng_loader.get_library_path(), Path(espeakng_loader.get_data_path())
    except (ImportError, OSError, RuntimeError) as exc:
        raise EngineUnavailable(_("eSpeak NG is not installed correctly ({reason}); reinstall with: "
                                  "pip install --force-reinstall espeakng-loader").format(
                                      reason=exc)) from exc


def _unload(handle: int) -> None:
    """Drop this process's reference to a loaded library (it is unmapped when none is left)."""
    import _ctypes

    close = getattr(_ctypes, "dlclose", None) or _ctypes.FreeLibrary
    close(handle)


class _Session:
    """libespeak-ng loaded and initialized for one phrase; a context manager (use under ``_lock``)."""

    def __init__(self) -> None:
        path, data = _library_files()
        try:
            self.lib = ctypes.CDLL(path)
        except OSError as exc:
            raise EngineUnavailable(_("eSpeak NG cannot be loaded from {path} ({reason}); reinstall with: "
                                      "pip install --force-reinstall espeakng-loader").format(
                                          path=path, reason=exc)) from exc
        self._declare()
        # The path argument is the folder that *contains* espeak-ng-data.
        self.sample_rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                                      str(data.parent).encode(), 0)
        if self.sample_rate <= 0:
            self.close(terminate=False)
            raise EngineUnavailable(_("eSpeak NG could not start (data folder {folder})").format(folder=data))
        self.version = (self.lib.espeak_Info(None) or b"?").decode()
        self._chunks: list[np.ndarray] = []
        self._callback = _CALLBACK(self._collect)  # kept referenced: C holds only the pointer
        self.lib.espeak_SetSynthCallback(self._callback)

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self, terminate: bool = True) -> None:
        if terminate:
            self.lib.espeak_Terminate()
        _unload(self.lib._handle)

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
        lib.espeak_Terminate.argtypes = []
        lib.espeak_Terminate.restype = ctypes.c_int

    def _collect(self, wav, count: int, _events) -> int:
        if count > 0 and wav:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # 0: go on synthesizing

    def set_voice(self, name: str) -> None:
        if self.lib.espeak_SetVoiceByName(name.encode()) != _EE_OK:
            raise EngineUnavailable(_("eSpeak NG has no voice '{name}'").format(name=name))

    def set_parameter(self, parameter: int, value: int) -> None:
        self.lib.espeak_SetParameter(parameter, value, 0)

    def synth(self, text: str) -> np.ndarray:
        """16-bit samples of ``text`` in the current voice."""
        self._chunks = []
        data = text.encode("utf-8", "replace") + b"\0"
        status = self.lib.espeak_Synth(data, len(data), 0, 0, 0, _CHARS_UTF8, None, None)
        if status != _EE_OK:
            raise EngineError(_("eSpeak NG failed (status {status})").format(status=status), text)
        chunks, self._chunks = self._chunks, []
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


_lock = threading.Lock()
"""One session at a time in a process: the library's globals are shared by every thread."""


def _new_lock_in_child() -> None:
    global _lock
    _lock = threading.Lock()  # a fork copies the lock as held if another thread held it


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_lock_in_child)


@dataclass(frozen=True)
class LibraryInfo:
    """What identifies this process's libespeak-ng."""

    version: str
    sample_rate: int


_info: LibraryInfo | None = None


def library() -> LibraryInfo:
    """Version and sample rate of libespeak-ng (loaded once to ask; the answer is kept)."""
    global _info
    if _info is None:
        with _lock, _Session() as session:
            _info = LibraryInfo(session.version, session.sample_rate)
    return _info


class EspeakEngine(Engine):
    """Offline Vietnamese voices ``vi``, ``vi-vn-x-central``, ``vi-vn-x-south``."""

    name: ClassVar[str] = "espeak"

    def __init__(self, settings: VoiceSettings) -> None:
        super().__init__(settings)
        if settings.dialect not in VOICES:
            raise EngineUnavailable(_("eSpeak NG has no Vietnamese voice for dialect '{dialect}'").format(
                dialect=settings.dialect))
        self.voice = VOICES[settings.dialect]
        self.words_per_minute = round(NORMAL_WPM * settings.rate)

    def identity(self) -> dict[str, Any]:
        return {"engine": "espeak", "version": library().version, "voice": self.voice,
                "wpm": self.words_per_minute, "pitch": self.settings.pitch, "volume": VOLUME}

    def synthesize(self, phrase: str) -> Sound:
        with _lock, _Session() as session:
            session.set_voice(self.voice)
            session.set_parameter(_PARAM_RATE, self.words_per_minute)
            session.set_parameter(_PARAM_PITCH, self.settings.pitch)
            session.set_parameter(_PARAM_VOLUME, VOLUME)
            samples = session.synth(phrase)
            rate = session.sample_rate
        if samples.size == 0:
            raise EngineError(_("eSpeak NG produced no sound"), phrase)
        return Sound(from_int16(samples), rate)


def usable() -> tuple[bool, str]:
    """Whether eSpeak NG and its Vietnamese voices load here, and a short note saying so."""
    try:
        with _lock, _Session() as session:
            for name in VOICES.values():
                session.set_voice(name)
            version = session.version
    except EngineError as exc:
        return False, str(exc)
    return True, _("eSpeak NG {version}, offline").format(version=version)
