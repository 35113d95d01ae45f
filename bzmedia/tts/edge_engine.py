"""Microsoft's neural voices through ``edge-tts`` (the voices of the Edge browser's read-aloud).

Vietnamese has two: ``vi-VN-HoaiMyNeural`` (female, the default) and ``vi-VN-NamMinhNeural``
(male).  The script's rate and pitch become the request's prosody (``rate: 0.9`` is ``-10%``,
``pitch: 60`` is ``+10Hz``).  Pacing, retries and the "cannot reach" behaviour are
:class:`~bzmedia.tts.online.OnlineEngine`'s, the same as gTTS's.

Markup: edge-tts wraps the text in SSML itself and escapes it with ``xml.sax.saxutils.escape``
(``&``, ``<``, ``>``), after replacing control characters.  So the text is handed over as plain
text, never pre-escaped (that would be read out as "amp"); :func:`request_ssml` builds the request
exactly as edge-tts will, and the transport refuses to send one that does not parse as XML or
whose spoken text is not the phrase, so no markup can leak into what the voice is asked to say.

:class:`EdgeTransport` runs edge-tts's own coroutine under one overall timeout: its
``stream_sync`` never returns when the connection fails (the error stays in its thread), and
its socket timeouts do not cover the whole request.
"""

from __future__ import annotations

import asyncio
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any, ClassVar

from bzmedia.i18n import _
from bzmedia.tts.base import EngineError, EngineUnavailable, VoiceSettings
from bzmedia.tts.online import OnlineEngine, Transport, TransportError, request_timeout, shared_transport
from bzmedia.tts.pcm import DecodeError, Sound, decode

VOICES = {"female": "vi-VN-HoaiMyNeural", "male": "vi-VN-NamMinhNeural"}
"""The Vietnamese neural voices, by the word a script may use for them."""
DEFAULT_VOICE = VOICES["female"]
NATIVE_RATE = 24000
"""edge-tts sends 24 kHz mono MP3 (audio-24khz-48kbitrate-mono-mp3)."""
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot carry at all (edge-tts replaces the control characters itself)."""


def voice_name(speaker: str | None) -> str:
    """The service's voice for a script's ``speaker`` (``female``, ``male`` or a full name)."""
    if speaker is None:
        return DEFAULT_VOICE
    if speaker in VOICES:
        return VOICES[speaker]
    if speaker in VOICES.values():
        return speaker
    raise EngineUnavailable(_("edge has no Vietnamese voice '{speaker}'; choose one of {voices}").format(
        speaker=speaker, voices=", ".join([*VOICES, *VOICES.values()])))


def prosody(settings: VoiceSettings) -> tuple[str, str]:
    """(rate, pitch) as the request writes them: ``rate: 0.9`` -> ``-10%``, ``pitch: 60`` -> ``+10Hz``."""
    return f"{round((settings.rate - 1.0) * 100):+d}%", f"{settings.pitch - 50:+d}Hz"


def request_ssml(text: str, voice: str, rate: str, pitch: str) -> list[str]:
    """The SSML documents edge-tts sends for ``text`` (one per 4 kB piece), built by edge-tts."""
    from edge_tts.communicate import Communicate, mkssml

    communicate = Communicate(text, voice, rate=rate, pitch=pitch)
    return [mkssml(communicate.tts_config, piece) for piece in communicate.texts]


def spoken_text(ssml: str) -> str:
    """The text an SSML request asks to be spoken; raises ``ElementTree.ParseError`` if it is not XML."""
    return "".join(ElementTree.fromstring(ssml).itertext())


def plain(text: str) -> str:
    """``text`` without the characters no XML request can carry."""
    return _NOT_XML.sub(" ", text)


class EdgeTransport(Transport):
    """The real network: edge-tts's websocket to speech.platform.bing.com."""

    def __init__(self, timeout: float | None = None) -> None:
        super().__init__()
        self.timeout = request_timeout() if timeout is None else timeout

    def fetch(self, text: str, voice: str, rate: str, pitch: str) -> bytes:
        """MP3 bytes of ``text``; raises :class:`TransportError`."""
        _check_request(text, voice, rate, pitch)
        try:
            return asyncio.run(asyncio.wait_for(self._receive(text, voice, rate, pitch), self.timeout))
        except TransportError:
            raise
        except Exception as exc:  # aiohttp and edge-tts raise many kinds: sort them by status
            raise _transport_error(exc) from exc

    async def _receive(self, text: str, voice: str, rate: str, pitch: str) -> bytes:
        import edge_tts

        seconds = max(1, round(self.timeout))
        communicate = edge_tts.Communicate(text, voice, rate=rate, pitch=pitch,
                                           connect_timeout=seconds, receive_timeout=seconds)
        audio = bytearray()
        async for chunk in communicate.stream():
            if chunk["type"] == "audio":
                audio += chunk["data"]
        if not audio:
            raise TransportError(_("Microsoft Edge TTS sent no audio"), 200)
        return bytes(audio)


def _check_request(text: str, voice: str, rate: str, pitch: str) -> None:
    """Refuse a request whose SSML would not be the phrase and nothing else."""
    from edge_tts.communicate import remove_incompatible_characters

    try:
        said = "".join(spoken_text(doc) for doc in request_ssml(text, voice, rate, pitch))
    except ElementTree.ParseError as exc:
        raise TransportError(_("the request for this phrase is not valid SSML ({reason})").format(reason=exc),
                             400) from exc
    if said.split() != remove_incompatible_characters(text).split():
        raise TransportError(_("the request would not say the phrase as written"), 400)


def _transport_error(exc: Exception) -> TransportError:
    """A :class:`TransportError` with the HTTP status when there was one (``None``: no connection)."""
    status = getattr(exc, "status", None)
    if isinstance(status, int) and status >= 400:
        return TransportError(f"{type(exc).__name__}: {exc}", status)
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return TransportError(_("no answer in time"))
    if isinstance(exc, OSError):  # aiohttp's connection errors too
        # Their own text holds object addresses (different in every worker): keep the cause only.
        host, cause = getattr(exc, "host", None), getattr(exc, "os_error", None) or exc
        reason = getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
        if host:
            return TransportError(_("no connection to {host}: {reason}").format(host=host, reason=reason))
        return TransportError(_("no connection to the service: {reason}").format(reason=reason))
    # The service answered with something edge-tts does not understand: worth one more try.
    return TransportError(f"{type(exc).__name__}: {exc}", 502)


def edge_version() -> str | None:
    """The installed edge-tts version, or ``None`` when it is not installed."""
    from importlib import metadata

    try:
        return metadata.version("edge-tts")
    except metadata.PackageNotFoundError:
        return None


class EdgeEngine(OnlineEngine):
    """Microsoft's Vietnamese neural voices; needs the internet at build time."""

    name: ClassVar[str] = "edge"
    service: ClassVar[str] = "Microsoft Edge TTS"

    def __init__(self, settings: VoiceSettings, transport: Transport | None = None, *,
                 min_interval: float = 0.5, attempts: int = 4, connect_attempts: int = 3,
                 backoff: float | None = None, pace_file: Path | None = None) -> None:
        self.voice = voice_name(settings.speaker)
        if transport is None and edge_version() is None:
            raise EngineUnavailable(_("edge-tts is not installed; run: pip install edge-tts"))
        super().__init__(settings, transport or shared_transport(EdgeTransport), min_interval=min_interval,
                         attempts=attempts, connect_attempts=connect_attempts, backoff=backoff,
                         pace_file=pace_file)

    def identity(self) -> dict[str, Any]:
        rate, pitch = prosody(self.settings)
        return {"engine": "edge", "voice": self.voice, "rate": rate, "pitch": pitch}

    def send(self, phrase: str) -> bytes:
        rate, pitch = prosody(self.settings)
        return self.transport.fetch(plain(phrase), self.voice, rate, pitch)

    def synthesize(self, phrase: str) -> Sound:
        data = self.fetch_with_retry(phrase)
        try:
            return decode(data, NATIVE_RATE)
        except DecodeError as exc:
            raise EngineError(_("Microsoft Edge TTS sent audio that cannot be read ({reason})").format(
                reason=exc), phrase) from exc
