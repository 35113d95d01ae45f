"""A worker keeps phrases ready for its next spots: the same samples the segment cache gives,
read once per cache folder, within a memory bound."""

from __future__ import annotations

import numpy as np

from bzmedia.audio import render
from bzmedia.cache import Store
from bzmedia.tts import VoiceSettings, make_engine
from bzmedia.tts.pcm import resample, trim_silence
from bzmedia.tts.segments import SegmentCache


def test_phrases_are_read_once_per_cache_and_kept_within_bounds(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "_prepared_phrases", type(render._prepared_phrases)())
    engine = make_engine(VoiceSettings(), None)
    phrases = ["Xin nhắc lại", "bà con chú ý", "cài đặt ứng dụng Bluezone"]
    first = SegmentCache(Store(tmp_path / "a"))
    made = [render._prepared(engine, first, phrase, 44100) for phrase in phrases]
    reads: list[str] = []
    monkeypatch.setattr(Store, "get", lambda store, key, suffix: reads.append(key))
    again = SegmentCache(Store(tmp_path / "a"))
    kept = [render._prepared(engine, again, phrase, 44100) for phrase in phrases]
    assert reads == [] and again.hits == 3
    assert all(np.array_equal(a.samples, b.samples) for a, b in zip(made, kept, strict=True))
    monkeypatch.undo()
    fresh = SegmentCache(Store(tmp_path / "a"))  # what the cache itself gives, prepared the same way
    direct = resample(trim_silence(fresh.speak(engine, phrases[0])), 44100)
    assert np.array_equal(direct.samples, made[0].samples)


def test_another_cache_folder_is_read_and_old_phrases_are_dropped_past_the_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "_prepared_phrases", type(render._prepared_phrases)())
    engine = make_engine(VoiceSettings(), None)
    one = render._prepared(engine, SegmentCache(Store(tmp_path / "a")), "một", 44100)
    other = SegmentCache(Store(tmp_path / "b"))
    render._prepared(engine, other, "một", 44100)
    assert other.misses == 1  # synthesized into the other folder: not served from the first one
    monkeypatch.setattr(render, "PREPARED_BYTES", one.samples.nbytes * 2)
    for word in ("hai", "ba", "bốn"):
        render._prepared(engine, other, word, 44100)
    kept = [s.samples.nbytes for s in render._prepared_phrases.values()]
    assert 1 <= len(kept) < 5 and (sum(kept) <= one.samples.nbytes * 2 or len(kept) == 1)
