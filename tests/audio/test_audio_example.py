"""The shipped example campaign's audio (one commune, to keep the suite fast; bench/ builds all)."""

from __future__ import annotations

import pytest
from audio_helpers import decode_file, loudness_lufs, spoken_syllables, true_peak_dbtp
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from bzmedia.build import BuildOptions, build, load_builders
from bzmedia.campaign import load_campaign


@pytest.mark.slow
def test_example_spots_for_son_vi(example_script, tmp_path, cache_dir):
    campaign, _ = load_campaign(example_script)
    audio = [b for b in load_builders() if b.name == "audio"]
    build(campaign, BuildOptions(output_root=tmp_path, locality=("son-vi",), workers=2,
                                 cache_dir=cache_dir), builders=audio)
    folder = tmp_path / "bluezone-2020" / "son-vi" / "audio"
    stems = ["01-thong-bao", "02-nhac-nho", "03-huong-dan", "04-khau-hieu"]
    for order, stem in enumerate(stems, 1):
        path = folder / f"{stem}.mp3"
        info = MP3(path).info
        # mutagen averages the bitrate over the file's bytes and frames: 127999 for some lengths.
        assert (info.channels, info.sample_rate, round(info.bitrate, -3)) == (1, 44100, 128000)
        assert info.bitrate_mode == BitrateMode.CBR
        samples = decode_file(path)
        assert abs(loudness_lufs(samples) + 16) <= 1.0 and true_peak_dbtp(samples) <= -1.5
        tags = ID3(path)
        assert str(tags["TPE1"]) == "UBND huyện Lâm Thao" and str(tags["TRCK"]) == f"{order}/4"
        assert str(tags["TALB"]) == "Cài đặt Bluezone – khẩu trang điện tử"
        transcript = (folder / f"{stem}.txt").read_text(encoding="utf-8")
        rate = spoken_syllables(transcript) / (samples.size / 44100)
        assert 2.0 <= rate <= 6.0, (stem, rate)
    first = (folder / "01-thong-bao.txt").read_text(encoding="utf-8")
    assert "Đây là Đài truyền thanh xã Sơn Vi." in first and "0210 3825 111" in first
    schedule = (folder / "schedule.txt").read_text(encoding="utf-8")
    for time in ("06:00", "06:30", "11:30", "17:00", "17:30"):
        assert time in schedule and (folder / f"lich-{time.replace(':', 'h')}.m3u").is_file()
    assert not (tmp_path / "bluezone-2020" / "tu-xa").exists()
