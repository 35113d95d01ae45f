"""A spot that names no commune is rendered and measured once per worker; each commune's file is
the same audio under its own tags, byte for byte what rendering it again gives."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from audio_helpers import build_audio, write_small_campaign
from mutagen.id3 import ID3

from bzmedia.audio import loudness, render, samesound
from bzmedia.audio.script import SpotInputs
from bzmedia.tts import VoiceSettings


def _audio_and_comment(path: Path, scratch: Path) -> tuple[bytes, str]:
    """(the file with its ID3 tag removed, the tag's comment)."""
    comment = str(ID3(path).getall("COMM")[0])
    bare = scratch / f"bare-{path.parent.parent.name}-{path.name}"
    bare.write_bytes(path.read_bytes())
    ID3(bare).delete(bare)
    return bare.read_bytes(), comment


def test_a_spot_naming_no_commune_is_made_once_and_tagged_per_commune(tmp_path):
    script = write_small_campaign(tmp_path / "c", localities=("son-vi", "tu-xa"))
    samesound._made.clear()
    render._chime.cache_clear()
    hits, measured = samesound.hits, loudness.measurements
    build_audio(script, tmp_path / "out", tmp_path / "cache", workers=1)
    assert samesound.hits - hits == 1  # khau-hieu of the second commune
    # 3 spots rendered, each measured once before export and once after; the chime once.
    assert loudness.measurements - measured == 3 * 2 + 1
    kit = tmp_path / "out" / "loa-nho"
    first, first_comment = _audio_and_comment(kit / "son-vi" / "audio" / "02-khau-hieu.mp3", tmp_path)
    second, second_comment = _audio_and_comment(kit / "tu-xa" / "audio" / "02-khau-hieu.mp3", tmp_path)
    assert first == second and (first_comment, second_comment) == ("xã Sơn Vi", "xã Tứ Xã")
    # The spot that names the commune is each commune's own.
    own = [_audio_and_comment(kit / name / "audio" / "01-thong-bao.mp3", tmp_path)[0]
           for name in ("son-vi", "tu-xa")]
    assert own[0] != own[1]

    # Rendered afresh (nothing kept, another cache), the second commune's file is the same bytes.
    samesound._made.clear()
    alone = write_small_campaign(tmp_path / "alone", localities=("tu-xa",))
    build_audio(alone, tmp_path / "out2", tmp_path / "cache2", workers=1)
    fresh = tmp_path / "out2" / "loa-nho" / "tu-xa" / "audio" / "02-khau-hieu.mp3"
    assert fresh.read_bytes() == (kit / "tu-xa" / "audio" / "02-khau-hieu.mp3").read_bytes()


def _inputs(**changes) -> SpotInputs:
    inputs = SpotInputs(
        locality_id="son-vi", locality_name="xã Sơn Vi", order=2, total=2, spot_id="khau-hieu",
        title="Khẩu hiệu", text="Bluezone là khẩu trang điện tử.", ident=None, closing=None, repeat=1,
        intro="none", voice=VoiceSettings(), fallback=None, pronunciations={"Bluezone": "Blu dôn"},
        pause_sentence=0.5, pause_paragraph=1.2, highpass_hz=150, music_bed=None, music_db=-20.0,
        target_lufs=-16.0, ceiling_db=-1.5, format="mp3", bitrate=128, sample_rate=44100,
        album="Cài đặt Bluezone", artist="UBND huyện", year="2020")
    return dataclasses.replace(inputs, **changes)


def test_the_key_leaves_out_only_what_tags_the_file():
    key = samesound.sound_key(_inputs(), "/cache")
    tagged_elsewhere = _inputs(locality_id="tu-xa", locality_name="xã Tứ Xã", order=1, total=4,
                               spot_id="other", title="Khác", album="Khác", artist="Khác", year=None)
    assert samesound.sound_key(tagged_elsewhere, "/cache") == key
    for changed in (_inputs(text="Bluezone là khẩu trang."), _inputs(target_lufs=-18.0),
                    _inputs(voice=VoiceSettings(dialect="south")), _inputs(bitrate=192),
                    _inputs(pronunciations={"Bluezone": "Bờ lu dôn"}), _inputs(intro="chime")):
        assert samesound.sound_key(changed, "/cache") != key
    assert samesound.sound_key(_inputs(), "/other-cache") != key


def test_a_spot_with_a_users_sound_file_is_never_kept(tmp_path):
    """Its key would be a path whose contents may change between builds in one process."""
    sound = tmp_path / "a.wav"
    for inputs in (_inputs(intro=sound), _inputs(music_bed=sound), _inputs(recording=sound)):
        assert samesound.sound_key(inputs, "/cache") is None
        assert samesound.made(None) is None
