"""Speech engines behind one small interface, and the segment cache that remembers their phrases.

- :mod:`.espeak_engine` — eSpeak NG through ctypes, offline, the default.
- :mod:`.gtts_engine` — Google TTS, online, chunked/throttled/retried behind a transport.
- :mod:`.edge_engine` — Microsoft's Vietnamese neural voices (edge-tts), online, the same way.
- :mod:`.online` — what the online engines share: transport, throttle, retries, "cannot reach".
- :mod:`.voices` — the voices folder (downloaded piper voices by name) and ``bzmedia voices``.
- :mod:`.piper_engine` — piper neural voices, offline, optional.
- :mod:`.segments` — the content-addressed cache of spoken phrases.
"""

from __future__ import annotations

from pathlib import Path

from bzmedia.i18n import _
from bzmedia.tts.base import (
    ENGINES,
    Engine,
    EngineError,
    EngineName,
    EngineUnavailable,
    VoiceSettings,
    voice_chain,
)


def make_engine(settings: VoiceSettings, cache_dir: Path | None = None) -> Engine:
    """The engine ``settings`` ask for; raises :class:`EngineUnavailable` if it cannot run here.

    ``cache_dir`` (the build's shared cache) lets online engines pace requests across workers.
    """
    if settings.engine == "espeak":
        from bzmedia.tts.espeak_engine import EspeakEngine

        return EspeakEngine(settings)
    if settings.engine == "gtts":
        from bzmedia.tts.gtts_engine import GttsEngine

        pace_file = cache_dir / "tts" / "gtts-next-request" if cache_dir else None
        return GttsEngine(settings, pace_file=pace_file)
    if settings.engine == "edge":
        from bzmedia.tts.edge_engine import EdgeEngine

        pace_file = cache_dir / "tts" / "edge-next-request" if cache_dir else None
        return EdgeEngine(settings, pace_file=pace_file)
    if settings.engine == "piper":
        from bzmedia.tts.piper_engine import PiperEngine

        return PiperEngine(settings)
    raise EngineUnavailable(_("unknown speech engine '{engine}'; choose one of {engines}").format(
        engine=settings.engine, engines=", ".join(ENGINES)))


__all__ = ["ENGINES", "Engine", "EngineError", "EngineName", "EngineUnavailable", "VoiceSettings",
           "make_engine", "voice_chain"]
