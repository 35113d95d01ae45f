"""MP3 spots joined from units encoded one at a time (:mod:`bzmedia.audio.mp3units`): what two
spots say alike is encoded once, the joins are silent, the length is exact, and a spot's bytes
never depend on what the worker made before it."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import build_audio, decode_file, write_small_campaign

from bzmedia.audio import lame, loudness, mp3units
from bzmedia.audio.export import LAME_QUALITY, encode_mp3
from bzmedia.audio.loudness import limit_stretches
from bzmedia.audio.truepeak import Envelope, limiter_curve
from bzmedia.cache import Store
from bzmedia.tts import VoiceSettings
from bzmedia.tts.espeak_engine import EspeakEngine
from bzmedia.tts.pcm import Sound, from_int16, resample, to_int16

RATE = 44100


@pytest.fixture(scope="module")
def sentences() -> list[Sound]:
    """Two sentences of real speech, loud enough that the limiter has peaks to pull down."""
    engine = EspeakEngine(VoiceSettings())
    said = [resample(engine.synthesize(text), RATE) for text in
            ("Đề nghị bà con cài đặt ứng dụng Bluezone.", "Mọi thắc mắc xin gọi cán bộ xã.")]
    return [Sound(s.samples * np.float32(0.9 / np.abs(s.samples).max()), RATE) for s in said]


def spot(parts: list[Sound | float], rate: int = RATE) -> Sound:
    """Sounds and pauses (seconds) end to end."""
    return Sound(np.concatenate([np.zeros(round(p * rate), np.float32) if isinstance(p, float)
                                 else p.samples for p in parts]), rate)


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch):
    monkeypatch.setattr(mp3units, "_kept", type(mp3units._kept)())


def test_a_sentence_is_cut_and_encoded_the_same_wherever_it_stands(sentences):
    """The same sentence after another one of other lengths: the same unit, encoded once."""
    first, second = sentences
    early = to_int16(spot([0.3, first, 0.5, second, 0.5, first]).samples)
    late = to_int16(spot([0.7, first, first, 0.5, second, 0.5, first]).samples)
    mp3units.encode_spliced(early, RATE, ("t",), plain_lame, lame.frame_count)
    again = mp3units.encode_spliced(late, RATE, ("t",), plain_lame, lame.frame_count)
    assert (again.units, again.reused) == (3, 2)  # all but the first: only it differs


def plain_lame(samples: np.ndarray, frames: int | None) -> bytes:
    return lame._lame(samples, RATE, 128, LAME_QUALITY)


def test_a_unit_two_spots_share_is_filed_for_the_next_build(sentences, tmp_path: Path):
    """Filed when a second spot needs it (not the first spot's own units, not a repeat within a
    spot); a fresh worker takes it from the store; a damaged entry is dropped and encoded again."""
    first, second = sentences
    store = Store(tmp_path / "cache")
    store.root.mkdir()  # a build's phrases made it
    made = []

    def counted(samples, frames):
        made.append(samples.size)
        return plain_lame(samples, frames)

    def spot_of(*parts):
        return mp3units.encode_spliced(to_int16(spot(list(parts)).samples), RATE, ("t",), counted,
                                       lame.frame_count, store)
    one = spot_of(0.2, second, 0.5, first, 0.5, first, 0.5, second)
    assert (one.units, one.reused, len(made)) == (4, 1, 3)  # the repeat: kept, not filed
    assert not list((tmp_path / "cache").rglob("*.mp3unit"))
    two = spot_of(0.3, first, first, 0.5, first, 0.5, second)
    assert two.reused == 2 and len(list((tmp_path / "cache").rglob("*.mp3unit"))) == 2
    mp3units._kept.clear()
    made.clear()
    three = spot_of(0.4, second, 0.5, first, 0.5, second)
    assert (three.reused, len(made)) == (2, 1)
    mp3units._kept.clear()
    for entry in (tmp_path / "cache").rglob("*.mp3unit"):
        entry.write_bytes(entry.read_bytes()[:-1000])  # cut short: its checksum no longer matches
    again = spot_of(0.4, second, 0.5, first, 0.5, second)
    assert again.frames == three.frames and again.reused == 0 and store.take_warnings()


def test_a_cache_disk_that_is_full_files_no_unit_and_fails_nothing(sentences, tmp_path, monkeypatch):
    first, second = sentences
    store = Store(tmp_path / "cache")

    def full(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(Path, "write_bytes", lambda self, data: full() if self.suffix == ".mp3unit" else None)
    pcm = to_int16(spot([0.2, first, 0.5, second]).samples)
    alone = mp3units.encode_spliced(pcm, RATE, ("t",), plain_lame, lame.frame_count)
    mp3units._kept.clear()
    mp3units.encode_spliced(to_int16(spot([0.3, second, 0.5, second]).samples), RATE, ("t",), plain_lame,
                            lame.frame_count, store)
    shared = mp3units.encode_spliced(pcm, RATE, ("t",), plain_lame, lame.frame_count, store)
    assert shared.frames == alone.frames and shared.reused == 1
    assert not list((tmp_path / "cache").rglob("*.mp3unit"))


def test_units_start_where_sound_starts_again_and_keep_their_place(sentences):
    first, second = sentences
    pcm = to_int16(spot([first, 0.5, second, 0.05, first, 1.2, second]).samples)
    units = mp3units.units(pcm, RATE)
    sounding = np.flatnonzero(pcm)
    assert len(units) == 3  # 50 ms is no cut
    assert units[0].start == 0 and units[1].start == sounding[np.argmax(np.arange(pcm.size)[sounding] >
                                                                         first.samples.size)]
    for unit, after in itertools.pairwise(units):
        span = unit.frames * lame.FRAME_SAMPLES
        assert abs(unit.start + span - after.start) <= lame.FRAME_SAMPLES // 2  # its place, give or take
        assert not pcm[unit.start + unit.size:after.start].any()  # only silence is cut off
    assert units[-1].frames is None and units[-1].start + units[-1].size == pcm.size


@pytest.mark.parametrize("rate", [32000, 44100, 48000])
def test_joined_stream_decodes_exactly_with_silent_joins(sentences, tmp_path: Path, rate):
    """Every unit decodes where the encoder says, as close to its samples as a whole-stream
    encode is to them, and the pauses between units stay silent: no click at a join."""
    first, second = (resample(s, rate) for s in sentences)
    sound = spot([0.2, first, 0.5, second, 1.2, first, 0.5, second, 0.3], rate)
    path = tmp_path / "a.mp3"
    length = encode_mp3(sound, path, 128)
    decoded = decode_file(path, rate)
    assert decoded.size == length
    pcm = to_int16(sound.samples)
    position = 0
    for unit in mp3units.units(pcm, rate):
        source = from_int16(pcm[unit.start:unit.start + unit.size])
        got = decoded[position:position + unit.size]
        error = got - source
        assert 10 * np.log10(np.sum(source ** 2) / np.sum(error ** 2)) > 20  # whole streams: ~26 dB
        if unit.frames is not None:
            position += unit.frames * lame.FRAME_SAMPLES
            join = decoded[position - lame.FRAME_SAMPLES:position]  # delay and padding
            assert np.abs(join).max() < 10 ** (-60 / 20)


def test_a_sound_without_silence_is_one_plain_lame_stream(sentences):
    noise = np.random.default_rng(2).standard_normal(RATE * 3).astype(np.float32) * np.float32(0.01)
    sound = Sound(noise, RATE)
    data, length = lame.encode(sound, 128, LAME_QUALITY)
    frames = lame._lame(to_int16(noise), RATE, 128, LAME_QUALITY)
    assert length == noise.size and data == lame.info_frame(frames, noise.size, 128, RATE) + frames


def test_silence_alone_is_a_spot_too(tmp_path: Path):
    path = tmp_path / "s.mp3"
    length = encode_mp3(Sound(np.zeros(RATE, np.float32), RATE), path, 128)
    assert length == RATE and decode_file(path).size == RATE


def test_lame_output_that_is_not_whole_frames_is_an_encode_error(sentences, monkeypatch):
    first, second = sentences
    real = lame._lame
    monkeypatch.setattr(lame, "_lame", lambda *args: real(*args)[:-100])
    with pytest.raises(lame.EncodeError, match="not whole MP3 frames"):
        lame.encode(spot([first, 0.5, second]), 128, LAME_QUALITY)


def test_a_lame_that_pads_otherwise_encodes_the_spot_whole(sentences, monkeypatch):
    """Units join only at LAME 3.100's lengths: another flush (here a frame more) means one stream."""
    first, second = sentences
    real = lame._lame
    monkeypatch.setattr(lame, "_lame", lambda *args: real(*args) + real(*args)[-418:])
    sound = spot([first, 0.5, second])
    data, length = lame.encode(sound, 128, LAME_QUALITY)
    whole = lame._lame(to_int16(sound.samples), RATE, 128, LAME_QUALITY)
    assert length == sound.samples.size and data.endswith(whole)


def test_a_filed_unit_of_other_frames_is_dropped_and_encoded_again(sentences, tmp_path: Path):
    first, second = sentences
    store = Store(tmp_path / "cache")
    pcm = to_int16(spot([0.2, first, 0.5, second, 0.5, second]).samples)
    alone = mp3units.encode_spliced(pcm, RATE, ("t",), plain_lame, lame.frame_count)
    [middle] = [unit for unit in mp3units.units(pcm, RATE)[1:-1]]
    part = pcm[middle.start:middle.start + middle.size]
    key = mp3units.unit_key(part, RATE, ("t",), last=False)
    with store.put(key, mp3units.SUFFIX) as temp:  # intact as a file, but a frame short
        temp.write_bytes(plain_lame(part, None)[:-418])
    mp3units._kept.clear()
    again = mp3units.encode_spliced(pcm, RATE, ("t",), plain_lame, lame.frame_count, store)
    assert again.frames == alone.frames and again.reused == 0
    assert store.get(key, mp3units.SUFFIX) is None


def test_a_cache_that_cannot_be_written_is_not_asked_to_file_units(sentences, tmp_path, monkeypatch):
    """Filing is a speed-up: a read-only cache is neither moved to a temporary folder nor fails."""
    first, second = sentences
    store = Store(tmp_path / "cache")
    store.root.mkdir()
    monkeypatch.setattr(mp3units.os, "access", lambda path, mode: False)
    for lead in (0.2, 0.3):
        mp3units.encode_spliced(to_int16(spot([lead, first, 0.5, second]).samples), RATE, ("t",),
                                plain_lame, lame.frame_count, store)
    assert store.root == store.configured and store.take_warnings() == []
    assert not list(store.root.rglob("*.mp3unit"))


def test_stretches_are_limited_alone_as_in_the_whole(sentences):
    """The limiter stretch by stretch: a sentence gives the same samples wherever it stands (the
    whole-sound limiter differed in a few samples' last bits: 16-sample groups and running sums
    start at the sound's first sample), and the same gains as the whole to float rounding."""
    first, second = sentences
    ceiling = np.float32(10 ** (-3 / 20))
    one, other = spot([0.3, first, 0.5, second]), spot([0.71, second, 0.9, first, 0.5, second])
    half = round(loudness.LIMITER_WINDOW_S * RATE)
    for sound in (one, other):
        whole_curve = limiter_curve(Envelope(sound.samples).over(float(ceiling)), 1.0, float(ceiling), half)
        whole = sound.samples * whole_curve.dense()
        assert limit_stretches(sound.samples, RATE, ceiling, half)
        assert np.abs(sound.samples - whole).max() < 1e-6
    size = second.samples.size
    assert np.array_equal(one.samples[-size:], other.samples[-size:])
    assert np.array_equal(one.samples[-size:], other.samples[round(0.71 * RATE):round(0.71 * RATE) + size])


def test_communes_share_units_and_a_spots_bytes_do_not_depend_on_history(tmp_path: Path):
    """Two communes whose spot has a sentence that names neither: tu-xa takes that unit from
    son-vi's, so it is filed; tu-xa's spots are the same bytes made after son-vi's in one worker,
    in a fresh worker on that cache, and alone on an empty cache.  (A fresh worker taking units
    from the cache: :func:`test_a_unit_two_spots_share_is_filed_for_the_next_build`.)"""
    script = write_small_campaign(tmp_path / "c")
    text = script.read_text(encoding="utf-8").replace(
        "        Mọi thắc mắc", "        Bluezone bảo mật, ẩn danh và miễn phí.\n\n        Mọi thắc mắc")
    # Names that sound alike and one hotline: the two spots' gains fall on the same 0.2 dB step
    # (communes whose own sentences make their spots louder or softer by more may not share).
    text = text.replace('"xã Tứ Xã", hotline: "0210 3829 214"', '"xã Sơn Vĩ", hotline: "0210 3825 111"')
    script.write_text(text, encoding="utf-8")
    build_audio(script, tmp_path / "both", tmp_path / "cache1", workers=1)
    assert list((tmp_path / "cache1").rglob("*.mp3unit"))  # needed by two communes' spots
    for name, cache in (("warm", "cache1"), ("alone", "cache2")):
        mp3units._kept.clear()
        assert build_audio(script, tmp_path / name, tmp_path / cache, workers=1,
                           locality=("tu-xa",)).warnings == []
    for name in ("01-thong-bao.mp3", "02-khau-hieu.mp3"):
        made = [(tmp_path / kit / "loa-nho" / "tu-xa" / "audio" / name).read_bytes()
                for kit in ("both", "warm", "alone")]
        assert made[0] == made[1] == made[2]
