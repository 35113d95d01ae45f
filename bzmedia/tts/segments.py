"""The segment cache: every phrase an engine speaks, filed by what made it.

A segment's key hashes the engine's identity (engine, version, voice, rate, pitch, model file) and
the normalized phrase, so a sentence said in five communes, in three spots or in last week's build
is synthesized once, and a new commune costs only its own sentences.  Segments are 16-bit WAV
files in the shared :class:`bzmedia.cache.Store`, written atomically (safe across processes) and
verified by checksum when read; a segment that is damaged anyway (or cannot be read as a WAV) is
dropped and synthesized again.

A fresh synthesis is quantized to 16 bits exactly as the stored file is, so a phrase sounds the
same, sample for sample, whether this job spoke it or read it from the cache.

Every real synthesis is also appended to ``<cache>/tts/synthesized.jsonl`` (one JSON line: engine,
key, phrase, seconds of audio, seconds it took).  Tests count those lines to prove what was and was
not synthesized; the benchmark reads the timings for the real-time factor.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from pathlib import Path

from bzmedia.cache import Store, fingerprint
from bzmedia.tts.base import Engine
from bzmedia.tts.pcm import DecodeError, Sound, quantize, read_wav, write_wav

SEGMENT_FORMAT = 2
"""Bump when the stored form of a segment changes (2: one 16-bit scale both ways; eSpeak NG
without state carried between phrases)."""
LOG_NAME = "tts/synthesized.jsonl"

_log_lock = threading.Lock()


def segment_key(engine: Engine, phrase: str) -> str:
    """The cache key of ``phrase`` spoken by ``engine``."""
    return fingerprint("tts-segment", SEGMENT_FORMAT, engine.identity(), phrase)


def synthesis_log(store: Store) -> Path:
    """The log of real syntheses in ``store``."""
    return store.root / LOG_NAME


def read_synthesis_log(store: Store) -> list[dict]:
    """Every synthesis recorded in ``store`` (oldest first); empty when there was none."""
    path = synthesis_log(store)
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


class SegmentCache:
    """Speaks phrases through an engine, serving repeats from the store."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self.hits = 0
        self.misses = 0

    def speak(self, engine: Engine, phrase: str) -> Sound:
        """``phrase`` spoken by ``engine``: from the store if it was ever spoken, else synthesized."""
        key = segment_key(engine, phrase)
        if self.store is None:
            return self._synthesize(engine, key, phrase)
        stored = self._stored(key)
        if stored is None:
            # Two workers needing the same new phrase at once: one speaks it, the other waits.
            with self.store.making(key, ".wav"):
                stored = self._stored(key)
                if stored is None:
                    return self._synthesize(engine, key, phrase)
        self.hits += 1
        return stored

    def _synthesize(self, engine: Engine, key: str, phrase: str) -> Sound:
        """``phrase`` spoken now (and filed in the store, if there is one)."""
        started = time.perf_counter()
        sound = quantize(engine.synthesize(phrase))
        took = time.perf_counter() - started
        self.misses += 1
        if self.store is not None:
            with self.store.put(key, ".wav") as temp:
                write_wav(temp, sound)
            self._log(engine, key, phrase, sound, took)
        return sound

    def _stored(self, key: str) -> Sound | None:
        """The segment filed under ``key``, or ``None`` (also when it was unreadable: dropped)."""
        path = self.store.get(key, ".wav")
        if path is None:
            return None
        try:
            return read_wav(path)
        except (DecodeError, OSError):
            self.store.drop(key, ".wav")
            return None

    def _log(self, engine: Engine, key: str, phrase: str, sound: Sound, took: float) -> None:
        line = json.dumps({"engine": engine.name, "key": key, "text": phrase,
                           "audio_s": round(sound.seconds, 3), "synth_s": round(took, 4),
                           "pid": os.getpid()}, ensure_ascii=False) + "\n"
        path = synthesis_log(self.store)
        # The log only counts and times; a cache that cannot take it must not stop a build.
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            with _log_lock, open(path, "a", encoding="utf-8") as log:
                log.write(line)  # one short append per line: whole lines even with several workers
