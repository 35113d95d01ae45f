"""What every online voice shares: a transport, a throttle, retries with backoff, "cannot reach".

An online engine (Google's gTTS, Microsoft's Edge voices) sends one phrase a request and gets
compressed audio back.  The services refuse clients that ask too often (HTTP 429) and are
sometimes unreachable; so every request waits its turn (:class:`~bzmedia.tts.pacing.SharedPacer`
across the build's worker processes), a refused or failed request is retried with a doubling
wait, and once every attempt to connect failed the engine fails at once for a minute instead of
spending the whole backoff again on each phrase.

The network sits behind :class:`Transport`, so the retry, throttle and failure logic is tested
with fakes; each engine module has its real transport.
"""

from __future__ import annotations

import os
import threading
import time
from abc import abstractmethod
from pathlib import Path
from typing import ClassVar, TypeVar

from bzmedia.i18n import N_, _, ngettext
from bzmedia.tts.base import Engine, EngineError, VoiceSettings
from bzmedia.tts.pacing import SharedPacer

OFFLINE_MEMORY_S = 60.0
"""After every attempt to connect failed, phrases fail at once for this long."""


def request_timeout(default: float = 15.0) -> float:
    """Seconds one request may take in all; ``BZMEDIA_TTS_TIMEOUT`` shortens it (tests, slow links)."""
    try:
        return max(0.5, float(os.environ.get("BZMEDIA_TTS_TIMEOUT", default)))
    except ValueError:
        return default


def retry_backoff(default: float = 1.0) -> float:
    """Seconds before the first retry; ``BZMEDIA_TTS_BACKOFF`` changes it (tests)."""
    try:
        return max(0.0, float(os.environ.get("BZMEDIA_TTS_BACKOFF", default)))
    except ValueError:
        return default


OFFLINE_ADVICE = N_(", or add 'fallback: espeak' under audio to use the offline voice instead")
"""Ends the message of a service that cannot be reached; the build drops it (translated) when the
script already has a fallback, so it is a clause of its own, said last in either language."""


class TransportError(Exception):
    """One request failed. ``status`` is the HTTP status, ``None`` when no connection was made."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def retryable(self) -> bool:
        """Worth trying again: no connection, rate limited (429) or a server error (5xx)."""
        return self.status is None or self.status == 429 or self.status >= 500


class Transport:
    """Sends one phrase to a TTS service and returns its audio bytes.

    Holds the pacing state of that service (one per service per process), so every engine using
    it keeps the same distance between requests.  Subclasses add ``fetch`` with the arguments
    their service needs.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_request_at: float | None = None
        self.unreachable: tuple[float, str] | None = None
        """(when, message) of the last time every attempt failed to connect."""


AnyTransport = TypeVar("AnyTransport", bound=Transport)
_shared: dict[type, Transport] = {}


def shared_transport(kind: type[AnyTransport]) -> AnyTransport:
    """This process's one connection of ``kind`` (shared pacing for every spot it speaks)."""
    if kind not in _shared:
        _shared[kind] = kind()
    return _shared[kind]  # type: ignore[return-value]


class OnlineEngine(Engine):
    """An engine that speaks through a :class:`Transport`: paced, retried, failing fast offline."""

    service: ClassVar[str]
    """The service's name in messages, e.g. ``Google TTS``."""

    def __init__(self, settings: VoiceSettings, transport: Transport, *, min_interval: float = 0.5,
                 attempts: int = 4, connect_attempts: int = 3, backoff: float | None = None,
                 pace_file: Path | None = None) -> None:
        super().__init__(settings)
        self.transport = transport
        self.pacer = SharedPacer(pace_file, min_interval) if pace_file else None
        """Throttle shared with the build's other worker processes (``None``: this process only)."""
        self.min_interval = min_interval
        """Seconds between two requests to the service (throttle)."""
        self.attempts = attempts
        """Tries per phrase before giving up (429 and server errors)."""
        self.connect_attempts = connect_attempts
        """Tries per phrase when no connection can be made at all."""
        self.backoff = retry_backoff() if backoff is None else backoff
        """Wait before the first retry, in seconds; doubled after each further failure."""

    @abstractmethod
    def send(self, phrase: str) -> bytes:
        """One request for ``phrase`` through the transport; raises :class:`TransportError`."""

    def fetch_with_retry(self, phrase: str) -> bytes:
        """The service's audio for ``phrase``, retried as its errors deserve; raises EngineError."""
        self._fail_fast_when_offline(phrase)
        wait = self.backoff
        attempt = 0
        while True:
            attempt += 1
            self._throttle()
            try:
                return self.send(phrase)
            except TransportError as exc:
                limit = self.connect_attempts if exc.status is None else self.attempts
                if not exc.retryable or attempt >= limit:
                    message = self.explain(exc, attempt)
                    if exc.status is None:
                        self.transport.unreachable = (time.monotonic(), message)
                    raise EngineError(message, phrase) from exc
                time.sleep(wait)
                wait *= 2

    def _fail_fast_when_offline(self, phrase: str) -> None:
        """Right after every attempt to connect failed, do not spend the retries again.

        Offline, each spot would otherwise wait through the whole backoff before failing.
        """
        down = self.transport.unreachable
        if down is not None and time.monotonic() - down[0] < OFFLINE_MEMORY_S:
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

    @classmethod
    def explain(cls, exc: TransportError, attempts: int) -> str:
        """The user's message for a request that failed for good."""
        if exc.status is None:
            return ngettext("cannot reach {service} after {count} attempt ({reason}); check the internet "
                            "connection", "cannot reach {service} after {count} attempts ({reason}); check "
                            "the internet connection", attempts).format(
                service=cls.service, count=attempts, reason=exc) + _(OFFLINE_ADVICE)
        if exc.status == 429:
            return ngettext("{service} keeps refusing requests (429 Too Many Requests) after {count} "
                            "attempt; wait a while and build again (finished phrases are kept in the cache)",
                            "{service} keeps refusing requests (429 Too Many Requests) after {count} "
                            "attempts; wait a while and build again (finished phrases are kept in the cache)",
                            attempts).format(service=cls.service, count=attempts)
        return ngettext("{service} failed after {count} attempt: {reason}",
                        "{service} failed after {count} attempts: {reason}", attempts).format(
            service=cls.service, count=attempts, reason=exc)

    _explain = explain  # the name gTTS's callers (and tests) have used
