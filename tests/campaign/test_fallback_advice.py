"""gTTS's advice to add ``fallback: espeak`` is given only to scripts that have none."""

from __future__ import annotations

from bzmedia.audio.builder import engine_error_text
from bzmedia.tts.gtts_engine import GttsEngine, TransportError


def offline_message() -> str:
    return GttsEngine._explain(TransportError("Failed to connect"), 3)


def test_without_a_fallback_the_advice_stays():
    assert engine_error_text(Exception(offline_message()), False) == (
        "cannot reach Google TTS after 3 attempts (Failed to connect); check the internet "
        "connection, or add 'fallback: espeak' under audio to use the offline voice instead")


def test_with_a_fallback_the_advice_is_dropped_and_the_reason_kept():
    assert engine_error_text(Exception(offline_message()), True) == (
        "cannot reach Google TTS after 3 attempts (Failed to connect); check the internet "
        "connection")


def test_other_messages_pass_unchanged():
    limited = GttsEngine._explain(TransportError("Too Many Requests", 429), 5)
    assert engine_error_text(Exception(limited), True) == limited
