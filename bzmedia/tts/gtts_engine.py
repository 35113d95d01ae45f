"""Google's online voice through ``gtts`` (lang ``vi``): chunked, throttled, retried, never partial.

Google's endpoint takes at most 100 characters a request and answers HTTP 429 when asked too
often; offline, gTTS raises ``gTTSError: Failed to connect`` (after ``gTTS.save`` has already
created an empty file, which is why nothing here writes to a path: the MP3 bytes come back in
memory, are decoded and handed to the segment cache, which files them atomically).

Pacing, retries and the "cannot reach" behaviour are :class:`~bzmedia.tts.online.OnlineEngine`'s,
shared with the Edge voices.  The network sits behind :class:`GoogleTransport`; tests use a
``FakeTransport`` (tests/audio).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, ClassVar

from bzmedia.i18n import _
from bzmedia.tts.base import EngineError, VoiceSettings
from bzmedia.tts.online import OnlineEngine, Transport, TransportError, request_timeout, shared_transport
from bzmedia.tts.pcm import DecodeError, Sound, decode

PHRASE_LIMIT = 100
"""Google TTS accepts at most this many characters a request."""
NATIVE_RATE = 24000
"""gTTS MP3s are 24 kHz mono."""


class GoogleTransport(Transport):
    """The real network: gTTS's request to translate.google.com."""

    def __init__(self, timeout: float | None = None) -> None:
        super().__init__()
        self.timeout = request_timeout() if timeout is None else timeout

    def fetch(self, text: str, lang: str) -> bytes:
        """MP3 bytes of ``text`` spoken in ``lang``; raises :class:`TransportError`."""
        from gtts import gTTS
        from gtts.tts import gTTSError

        buffer = io.BytesIO()
        try:
            # No pre-processors: the text is already normalized, gTTS's English
            # substitutions must not touch it.
            gTTS(text, lang=lang, lang_check=False, pre_processor_funcs=[],
                 timeout=self.timeout).write_to_fp(buffer)
        except gTTSError as exc:
            status = exc.rsp.status_code if exc.rsp is not None else None
            raise TransportError(str(exc), status) from exc
        if not buffer.getvalue():
            raise TransportError(_("Google TTS sent an empty answer"), 200)
        return buffer.getvalue()


class GttsEngine(OnlineEngine):
    """Google TTS, Vietnamese; needs the internet at build time."""

    name: ClassVar[str] = "gtts"
    service: ClassVar[str] = "Google TTS"
    phrase_limit: ClassVar[int | None] = PHRASE_LIMIT

    def __init__(self, settings: VoiceSettings, transport: Transport | None = None, *,
                 min_interval: float = 0.5, attempts: int = 4, connect_attempts: int = 3,
                 backoff: float | None = None, pace_file: Path | None = None) -> None:
        super().__init__(settings, transport or shared_transport(GoogleTransport), min_interval=min_interval,
                         attempts=attempts, connect_attempts=connect_attempts, backoff=backoff,
                         pace_file=pace_file)

    def identity(self) -> dict[str, Any]:
        return {"engine": "gtts", "lang": "vi", "rate": self.settings.rate}

    def send(self, phrase: str) -> bytes:
        return self.transport.fetch(phrase, "vi")

    def synthesize(self, phrase: str) -> Sound:
        if len(phrase) > PHRASE_LIMIT:
            raise EngineError(_("phrase of {count} characters is over Google's limit of {limit}").format(
                count=len(phrase), limit=PHRASE_LIMIT), phrase)
        data = self.fetch_with_retry(phrase)
        rate = self.settings.rate
        try:
            return decode(data, NATIVE_RATE, filters=f"atempo={rate:g}" if rate != 1.0 else None)
        except DecodeError as exc:
            raise EngineError(_("Google TTS sent audio that cannot be read ({reason})").format(reason=exc),
                              phrase) from exc


__all__ = ["GoogleTransport", "GttsEngine", "Transport", "TransportError"]
