"""Google's online voice through ``gtts`` (lang ``vi``): chunked, throttled, retried, never partial.

Google's endpoint takes at most 100 characters a request and answers HTTP 429 when asked too
often; offline, gTTS raises ``gTTSError: Failed to connect`` (after ``gTTS.save`` has already
created an empty file, which is why nothing here writes to a path: the MP3 bytes come back in
memory, are decoded and handed to the segment cache, which files them atomically).

The network sits behind :class:`Transport` so the retry, throttle and chunk logic is tested with a
``FakeTransport`` (tests/audio); :class:`GoogleTransport` is the real one.
"""

from __future__ import annotations

import io
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

from bzmedia.tts.base import Engine, EngineError, VoiceSettings
from bzmedia.tts.pacing import SharedPacer
from bzmedia.tts.pcm import DecodeError, Sound, decode

PHRASE_LIMIT = 100
"""Google TTS accepts at most this many characters a request."""
NATIVE_RATE = 24000
"""gTTS MP3s are 24 kHz mono."""


class TransportError(Exception):
    """One request failed. ``status`` is the HTTP status, ``None`` when no connection was made."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def retryable(self) -> bool:
        """Worth trying again: no connection, rate limited (429) or a server error (5xx)."""
        return self.status is None or self.status == 429 or self.status >= 500


class Transport(ABC):
    """Sends one phrase to a TTS service and returns its MP3 bytes.

    Holds the pacing state of that service (one per service per process), so every engine using
    it keeps the same distance between requests.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_request_at: float | None = None
        self.unreachable: tuple[float, str] | None = None
        """(when, message) of the last time every attempt failed to connect."""

    @abstractmethod
    def fetch(self, text: str, lang: str) -> bytes:
        """MP3 bytes of ``text`` spoken in ``lang``; raises :class:`TransportError`."""


class GoogleTransport(Transport):
    """The real network: gTTS's request to translate.google.com."""

    def __init__(self, timeout: float = 15.0) -> None:
        super().__init__()
        self.timeout = timeout

    def fetch(self, text: str, lang: str) -> bytes:
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
            raise TransportError("Google TTS sent an empty answer", 200)
        return buffer.getvalue()


_google: GoogleTransport | None = None


def google_transport() -> GoogleTransport:
    """This process's one connection to Google (shared pacing for every spot it speaks)."""
    global _google
    if _google is None:
        _google = GoogleTransport()
    return _google


class GttsEngine(Engine):
    """Google TTS, Vietnamese; needs the internet at build time."""

    name: ClassVar[str] = "gtts"
    phrase_limit: ClassVar[int | None] = PHRASE_LIMIT

    def __init__(self, settings: VoiceSettings, transport: Transport | None = None, *,
                 min_interval: float = 0.5, attempts: int = 4, connect_attempts: int = 3,
                 backoff: float = 1.0, pace_file: Path | None = None) -> None:
        super().__init__(settings)
        self.transport = transport or google_transport()
        self.pacer = SharedPacer(pace_file, min_interval) if pace_file else None
        """Throttle shared with the build's other worker processes (``None``: this process only)."""
        self.min_interval = min_interval
        """Seconds between two requests to the service (throttle)."""
        self.attempts = attempts
        """Tries per phrase before giving up (429 and server errors)."""
        self.connect_attempts = connect_attempts
        """Tries per phrase when no connection can be made at all."""
        self.backoff = backoff
        """Wait before the first retry, in seconds; doubled after each further failure."""

    def identity(self) -> dict[str, Any]:
        return {"engine": "gtts", "lang": "vi", "rate": self.settings.rate}

    def synthesize(self, phrase: str) -> Sound:
        if len(phrase) > PHRASE_LIMIT:
            raise EngineError(f"phrase of {len(phrase)} characters is over Google's limit of "
                              f"{PHRASE_LIMIT}", phrase)
        data = self._fetch_with_retry(phrase)
        rate = self.settings.rate
        try:
            return decode(data, NATIVE_RATE, filters=f"atempo={rate:g}" if rate != 1.0 else None)
        except DecodeError as exc:
            raise EngineError(f"Google TTS sent audio that cannot be read ({exc})", phrase) from exc

    def _fetch_with_retry(self, phrase: str) -> bytes:
        self._fail_fast_when_offline(phrase)
        wait = self.backoff
        attempt = 0
        while True:
            attempt += 1
            self._throttle()
            try:
                return self.transport.fetch(phrase, "vi")
            except TransportError as exc:
                limit = self.connect_attempts if exc.status is None else self.attempts
                if not exc.retryable or attempt >= limit:
                    message = self._explain(exc, attempt)
                    if exc.status is None:
                        self.transport.unreachable = (time.monotonic(), message)
                    raise EngineError(message, phrase) from exc
                time.sleep(wait)
                wait *= 2

    def _fail_fast_when_offline(self, phrase: str, memory_s: float = 60.0) -> None:
        """Right after every attempt to connect failed, do not spend the retries again.

        Offline, each spot would otherwise wait through the whole backoff before failing.
        """
        down = self.transport.unreachable
        if down is not None and time.monotonic() - down[0] < memory_s:
            raise EngineError(down[1], phrase)

    def _throttle(self) -> None:
        """Wait until ``min_interval`` has passed since the service's previous request."""
        if self.pacer is not None:
            self.pacer.wait_turn()
            return
        transport = self.transport
        with transport.lock:
            now = time.monotonic()
            if transport.last_request_at is not None:
                delay = transport.last_request_at + self.min_interval - now
                if delay > 0:
                    time.sleep(delay)
                    now = time.monotonic()
            transport.last_request_at = now

    @staticmethod
    def _explain(exc: TransportError, attempts: int) -> str:
        tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
        if exc.status is None:
            reason = (f"cannot reach Google TTS {tries} ({exc}); check the internet connection, "
                      "or add 'fallback: espeak' under audio to use the offline voice instead")
        elif exc.status == 429:
            reason = (f"Google TTS keeps refusing requests (429 Too Many Requests) {tries}; "
                      "wait a while and build again (finished phrases are kept in the cache)")
        else:
            reason = f"Google TTS failed {tries}: {exc}"
        return reason
