"""The one small interface every speech engine implements: text in, mono audio out.

An engine is made from :class:`VoiceSettings` (plain, picklable data that travels to worker
processes) and speaks one already-normalized phrase at a time.  Its :meth:`Engine.identity` names
everything that changes how it sounds; the segment cache files each phrase under a hash of the
identity and the text.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

from bzmedia.text.numbers import Dialect

if TYPE_CHECKING:  # build planning imports VoiceSettings: numpy only where sound is made
    from bzmedia.tts.pcm import Sound

EngineName = Literal["espeak", "gtts", "edge", "piper"]
"""The speech engines: the script's ``audio.voice.engine`` and the CLI's ``--engine`` take this list."""
ENGINES: tuple[EngineName, ...] = get_args(EngineName)


@dataclass(frozen=True)
class VoiceSettings:
    """Which engine speaks, and how; the engine-side twin of the script's ``audio.voice``."""

    engine: EngineName = "espeak"
    """``espeak``, ``gtts``, ``edge`` or ``piper``."""
    dialect: Dialect = "north"
    """``north``, ``central`` or ``south``: the espeak voice, and the normalizer's words."""
    rate: float = 1.0
    """Speaking speed; 1.0 is the engine's normal pace."""
    pitch: int = 50
    """0-100, espeak and edge."""
    model: str | None = None
    """Absolute path of a piper ``.onnx`` voice file."""
    model_sha256: str | None = None
    """Content hash of ``model``, so a replaced voice file is never served from the cache."""
    speaker: str | None = None
    """Which of an engine's voices: edge ``female`` (default) or ``male``."""

    def describe(self) -> str:
        if self.engine == "piper" and self.model:
            return f"piper ({self.model.replace(chr(92), '/').rsplit('/', 1)[-1]})"
        if self.engine == "gtts":
            return "gtts (Google, vi)"
        if self.engine == "edge":
            names = {None: "vi-VN-HoaiMyNeural", "female": "vi-VN-HoaiMyNeural",
                     "male": "vi-VN-NamMinhNeural"}
            return f"edge ({names.get(self.speaker, self.speaker)})"
        return f"{self.engine} ({self.dialect})"


def voice_chain(voice: VoiceSettings,
                fallback: VoiceSettings | tuple[VoiceSettings, ...] | None) -> list[VoiceSettings]:
    """The voices to try, in order: ``voice``, then each fallback not already in the chain
    (``voice: edge`` with ``fallback: [edge, gtts, espeak]`` tries edge once)."""
    fallbacks = () if fallback is None else (fallback,) if isinstance(fallback, VoiceSettings) \
        else tuple(fallback)
    chain: list[VoiceSettings] = []
    for candidate in (voice, *fallbacks):
        if candidate not in chain:
            chain.append(candidate)
    return chain


class EngineError(Exception):
    """An engine could not speak a phrase (offline, rate limited, broken model ...).

    ``phrase`` is the text it failed on, so the build can name the spot and the sentence.
    """

    def __init__(self, message: str, phrase: str | None = None) -> None:
        super().__init__(message)
        self.phrase = phrase


class EngineUnavailable(EngineError):
    """The engine cannot run on this machine at all (package or voice file missing)."""


class Engine(ABC):
    """A speech engine with one voice configured."""

    name: ClassVar[str]
    """Matches ``VoiceSettings.engine``."""
    phrase_limit: ClassVar[int | None] = None
    """Longest phrase (characters) the engine accepts in one call; ``None``: whole sentences."""

    def __init__(self, settings: VoiceSettings) -> None:
        self.settings = settings

    @abstractmethod
    def identity(self) -> dict[str, Any]:
        """Everything that changes the sound of a phrase (engine version, voice, rate ...)."""

    @abstractmethod
    def synthesize(self, phrase: str) -> Sound:
        """Speak one normalized phrase; raises :class:`EngineError` when it cannot."""
