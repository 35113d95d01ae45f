"""A spot is high-passed and K-weighted sentence by sentence, each sentence once per worker: the
sum of the kept responses is the whole spot filtered in one pass, and a second commune's spot
filters only its own sentences."""

from __future__ import annotations

import weakref

import numpy as np

from bzmedia.audio import filtered, render
from bzmedia.audio.loudness import LimitedLoudness, k_weighted32
from bzmedia.audio.mix import highpass
from bzmedia.audio.script import SpotInputs
from bzmedia.cache import Store
from bzmedia.tts import VoiceSettings
from bzmedia.tts.pcm import Sound

RATE = 44100


def _burst(seed: int, seconds: float) -> Sound:
    """Loud band-limited noise that stops dead at its last sample (the worst case for ringing)."""
    rng = np.random.default_rng(seed)
    samples = np.cumsum(rng.standard_normal(round(seconds * RATE))).astype(np.float32)
    samples -= samples.mean()
    return Sound((0.5 * samples / np.abs(samples).max()).astype(np.float32), RATE)


def _whole(placed, length, cutoff):
    raw = np.zeros(length, np.float32)
    for at, sound, _key in placed:
        raw[at:at + sound.samples.size] += sound.samples
    passed = highpass(Sound(raw, RATE), cutoff)
    return passed.samples, k_weighted32(passed)


def _fresh(monkeypatch):
    monkeypatch.setattr(filtered, "_kept", type(filtered._kept)())
    monkeypatch.setattr(filtered, "_seen", type(filtered._seen)())
    monkeypatch.setattr(filtered, "hits", 0)
    monkeypatch.setattr(filtered, "misses", 0)


def test_pieces_filtered_apart_sum_to_the_whole_spot_filtered(monkeypatch):
    _fresh(monkeypatch)
    a, b = _burst(1, 1.0), _burst(2, 0.7)
    # Gaps shorter than the ringing (it must be carried into the next piece) and a piece at the end.
    gap = filtered.ring_samples(150, RATE) // 3
    placed = [(0, a, "a"), (a.samples.size + gap, b, "b"), (2 * (a.samples.size + gap), a, "a")]
    length = placed[-1][0] + a.samples.size
    for cutoff in (150, 0, 40):
        mix, weighted = filtered.filtered_mix(list(placed), length, cutoff, RATE)
        passed, k = _whole(placed, length, cutoff)
        assert np.abs(mix.samples - passed).max() < 1e-6 and np.abs(weighted - k).max() < 1e-6
    assert (filtered.misses, filtered.hits) == (6, 3)  # "a" twice per cutoff: filtered once


def test_ringing_is_gone_where_the_kept_response_ends(monkeypatch):
    for cutoff in (20, 150):
        tail = filtered.ring_samples(cutoff, RATE)
        impulse = np.zeros(2 * tail, np.float32)
        impulse[0] = 1.0
        passed = highpass(Sound(impulse, RATE), cutoff)
        weighted = k_weighted32(passed)
        assert np.abs(passed.samples[tail:]).max() < 1e-9 and np.abs(weighted[tail:]).max() < 1e-9
        assert np.abs(weighted[tail // 4:]).max() > 1e-12  # not far longer than needed either


def test_a_model_of_kept_responses_measures_as_one_made_from_the_whole(monkeypatch):
    _fresh(monkeypatch)
    a, b = _burst(3, 2.0), _burst(4, 1.5)
    placed = [(0, a, "a"), (a.samples.size + RATE // 2, b, None)]
    length = placed[-1][0] + b.samples.size
    mix, weighted = filtered.filtered_mix(list(placed), length, 150, RATE)
    kept = LimitedLoudness(Sound(mix.samples.copy(), RATE), -2.0, weighted)
    whole = LimitedLoudness(Sound(_whole(placed, length, 150)[0], RATE), -2.0)
    assert abs(kept.level - whole.level) < 1e-4
    assert abs(kept.predict(12.0) - whole.predict(12.0)) < 1e-4
    assert filtered.misses == 2 and not filtered._kept.get((None, 150.0, RATE))  # no key: not kept


def test_memory_bound_drops_the_oldest(monkeypatch):
    _fresh(monkeypatch)
    piece = _burst(5, 0.5)
    one = piece.samples.nbytes * 2 + 16 * filtered.ring_samples(150, RATE)
    monkeypatch.setattr(filtered, "FILTERED_BYTES", 2 * one)
    for key in "abcd":
        filtered.responses(piece, key, 150)
    assert not filtered._kept  # each said once: none kept
    for key in "abcd":
        filtered.responses(piece, key, 150)
    assert [k[0] for k in filtered._kept] == ["c", "d"]


class _Watched(list):
    """``placed`` that notes, as each piece is taken, which responses made so far are still alive."""

    def __init__(self, items, made):
        super().__init__(items)
        self.made, self.alive = made, []

    def pop(self, *args):
        self.alive.append({key for key, ref in self.made if ref() is not None})
        return super().pop(*args)


def test_a_spot_holds_a_sentence_only_until_its_last_use(monkeypatch):
    """A sentence said once is let go as soon as it is laid; a repeated one after its last use."""
    _fresh(monkeypatch)
    a, b, c = _burst(6, 0.3), _burst(7, 0.3), _burst(8, 0.3)
    made = []
    real = filtered.responses

    def watched(sound, key, cutoff_hz):
        passed, k_weighted = real(sound, key, cutoff_hz)
        made.append((key, weakref.ref(passed)))
        return passed, k_weighted

    monkeypatch.setattr(filtered, "responses", watched)
    step = a.samples.size
    pieces = [(0, a, "a"), (step, b, "b"), (2 * step, a, "a"), (3 * step, c, "c"), (4 * step, c, None)]
    placed = _Watched(pieces, made)
    mix, _ = filtered.filtered_mix(placed, 5 * step, 150, RATE)
    assert [key for key, _ in made] == ["a", "b", "c", None]  # "a" filtered once
    # Before each piece is taken: "a" held until its second use is laid, "b" gone once laid.
    assert placed.alive == [set(), {"a"}, {"a"}, set(), set()]
    passed, _ = _whole(pieces, 5 * step, 150)
    assert np.abs(mix.samples - passed).max() < 1e-6


def test_a_commune_filters_only_its_own_sentences(monkeypatch, tmp_path):
    """Real espeak: spots alike but for the commune's name share every other sentence, which is
    kept once a second spot says it; the sentence naming a commune is never kept."""
    _fresh(monkeypatch)
    store = Store(tmp_path / "cache")
    made, counts, spoken = [], [], []
    speak_sentence = render.speak_sentence
    monkeypatch.setattr(render, "speak_sentence",
                        lambda *a, **k: spoken.append(a[2]) or speak_sentence(*a, **k))
    for name in ("xã Cao Xá", "xã Sơn Vi", "xã Tứ Xã"):
        spoken.clear()
        inputs = SpotInputs(
            locality_id="x", locality_name=name, order=1, total=1, spot_id="a", title="A",
            text=f"Bà con chú ý. Đây là {name}.\n\nXin mời bà con cài đặt ứng dụng Bluezone.",
            ident=None, closing=None, repeat=1, intro="none", voice=VoiceSettings(), fallback=None,
            pronunciations={}, pause_sentence=0.5, pause_paragraph=1.2, highpass_hz=150,
            music_bed=None, music_db=-22.0, target_lufs=-16.0, ceiling_db=-1.5, format="mp3",
            bitrate=128, sample_rate=RATE, album="", artist="", year=None)
        made.append(render.render(inputs, store))
        counts.append((filtered.misses, filtered.hits))
    assert counts == [(3, 0), (6, 0), (7, 2)] and len(filtered._kept) == 2
    assert spoken == [["Đây là xã Tứ Xã."]]  # the kept sentences' phrases were not even read
    assert len({m.sound.samples.size for m in made}) == 3


def test_a_spot_made_sentence_by_sentence_is_the_spot_filtered_whole(monkeypatch, tmp_path):
    """Real espeak, chime and repeats: the finished samples are those of laying the spot out and
    filtering it in one pass, as spots were made before (the example's MP3s came out byte-identical)."""
    _fresh(monkeypatch)
    inputs = SpotInputs(
        locality_id="x", locality_name="xã Sơn Vi", order=1, total=1, spot_id="a", title="A",
        text="Bà con chú ý. Đây là xã Sơn Vi.\n\nXin mời bà con cài đặt ứng dụng Bluezone.",
        ident="Đây là đài xã.", closing="Xin cảm ơn.", repeat=2, intro="chime", voice=VoiceSettings(),
        fallback=None, pronunciations={}, pause_sentence=0.5, pause_paragraph=1.2, highpass_hz=150,
        music_bed=None, music_db=-22.0, target_lufs=-16.0, ceiling_db=-1.5, format="mp3",
        bitrate=128, sample_rate=RATE, album="", artist="", year=None)
    store = Store(tmp_path / "cache")
    made = render.render(inputs, store)
    assert filtered.hits >= 3  # the repeated sentences were filtered once

    _fresh(monkeypatch)  # the samples themselves, not kept responses
    parts, spoken, _keys = render._speak_all(inputs, VoiceSettings(), render.SegmentCache(store))
    intro, intro_lufs = render._intro(inputs)
    mix, _mask, intro_at = render.lay_out(inputs, parts, spoken, Sound(np.zeros_like(intro.samples), RATE))
    model = LimitedLoudness(highpass(mix, 150), inputs.ceiling_db - render.MP3_MARGIN_DB)
    chime = render.match_loudness(intro, model.level, render.CHIME_OFFSET_DB, level=intro_lufs)
    tail = Sound.silence(render.INTRO_TAIL_S, RATE)
    model.add(highpass(render.concatenate([chime, tail], RATE), 150), intro_at)
    whole, _ = model.normalize(inputs.target_lufs)
    assert whole.samples.size == made.sound.samples.size
    assert np.abs(whole.samples - made.sound.samples).max() < 1e-6
