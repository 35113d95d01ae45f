"""The audio channel end to end on a small campaign: files, formats, loudness, tags, schedule."""

from __future__ import annotations

import json

import numpy as np
import pytest
from audio_helpers import (
    build_audio,
    decode_file,
    loudness_lufs,
    silent_runs,
    spoken_syllables,
    true_peak_dbtp,
    write_small_campaign,
)
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from bzmedia.audio import loudness, render

LOCALITIES = {"son-vi": "xã Sơn Vi", "tu-xa": "xã Tứ Xã"}
SPOTS = ["01-thong-bao", "02-khau-hieu"]


def test_every_spot_of_every_locality_is_written(small_kit):
    for locality in LOCALITIES:
        names = sorted(p.name for p in (small_kit.kit / locality / "audio").iterdir())
        assert names == ["01-thong-bao.mp3", "01-thong-bao.txt", "02-khau-hieu.mp3",
                         "02-khau-hieu.txt", "lich-06h00.m3u", "lich-11h30.m3u",
                         "lich-17h00.m3u", "schedule.txt"]


@pytest.mark.parametrize("locality", LOCALITIES)
@pytest.mark.parametrize("stem", SPOTS)
def test_mp3_format_loudness_and_peak(small_kit, locality, stem):
    path = small_kit.kit / locality / "audio" / f"{stem}.mp3"
    info = MP3(path).info
    assert (info.channels, info.sample_rate, info.bitrate_mode) == (1, 44100, BitrateMode.CBR)
    # mutagen's figure is the frames' average size: each unit's LAME sets its own padding bits
    # (mp3units), a few bytes short of a single stream's; every frame's header says 128.
    assert abs(info.bitrate - 128000) <= 10
    assert frame_bitrates(path.read_bytes()) == {128}
    samples = decode_file(path)
    assert abs(loudness_lufs(samples) - (-16.0)) <= 1.0
    assert true_peak_dbtp(samples) <= -1.5


def frame_bitrates(data: bytes) -> set[int]:
    """The kb/s every MPEG-1 layer III frame header after the ID3v2 tag gives, frame by frame."""
    position = 10 + sum(byte << 7 * (3 - k) for k, byte in enumerate(data[6:10]))  # syncsafe size
    found = set()
    while position + 4 <= len(data) and data[position] == 0xFF:
        kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320][data[position + 2] >> 4]
        found.add(kbps)
        position += 144_000 * kbps // 44100 + (data[position + 2] >> 1 & 1)
    assert position == len(data)
    return found


@pytest.mark.parametrize("locality", LOCALITIES)
def test_tags_read_back(small_kit, locality):
    for order, stem in enumerate(SPOTS, 1):
        tags = ID3(small_kit.kit / locality / "audio" / f"{stem}.mp3")
        title = {1: "Thông báo cài Bluezone", 2: "Khẩu hiệu"}[order]
        assert str(tags["TIT2"]) == title
        assert str(tags["TPE1"]) == "UBND huyện Lâm Thao"
        assert str(tags["TALB"]) == "Cài đặt Bluezone"
        assert str(tags["TDRC"]) == "2020"
        assert str(tags["TRCK"]) == f"{order}/2"


@pytest.mark.parametrize("locality", LOCALITIES)
def test_duration_fits_the_text(small_kit, locality):
    for stem in SPOTS:
        folder = small_kit.kit / locality / "audio"
        seconds = decode_file(folder / f"{stem}.mp3").size / 44100
        syllables = spoken_syllables((folder / f"{stem}.txt").read_text(encoding="utf-8"))
        assert 2.0 <= syllables / seconds <= 6.0, (stem, syllables, seconds)


def test_pauses_are_the_scripts(small_kit):
    """khau-hieu: no chime, no ident; two sentences, so exactly one 0.5 s pause inside."""
    samples = decode_file(small_kit.kit / "son-vi" / "audio" / "02-khau-hieu.mp3")
    runs = silent_runs(samples, min_s=0.3)
    inner = runs[1:-1]  # the first and last runs are the lead-in and tail
    assert len(inner) == 1 and 0.45 <= inner[0] <= 0.65, runs
    long_spot = decode_file(small_kit.kit / "son-vi" / "audio" / "01-thong-bao.mp3")
    gaps = silent_runs(long_spot, min_s=0.3)
    assert sum(1.1 <= g <= 1.4 for g in gaps) >= 4, gaps  # chime/ident/paragraphs/repeat/closing


def test_chime_opens_the_spot(small_kit):
    """The first strokes of the chime are G5 (784 Hz) then E5 (659 Hz)."""
    samples = decode_file(small_kit.kit / "son-vi" / "audio" / "01-thong-bao.mp3")
    start = int(np.flatnonzero(np.abs(samples) > 0.01)[0])

    def strongest(offset_s: float) -> float:
        piece = samples[start + int(offset_s * 44100):][:8192] * np.hanning(8192)
        spectrum = np.abs(np.fft.rfft(piece))
        return float(np.fft.rfftfreq(8192, 1 / 44100)[np.argmax(spectrum)])

    assert abs(strongest(0.0) - 784) < 15
    assert abs(strongest(0.43) - 659) < 15


def test_manifest_describes_every_file(small_kit):
    manifest = json.loads((small_kit.kit / "manifest.json").read_text(encoding="utf-8"))
    kinds = {}
    for entry in manifest["files"]:
        kinds.setdefault(entry["kind"], []).append(entry)
    assert len(kinds["audio"]) == 4 and len(kinds["transcript"]) == 4
    assert len(kinds["schedule"]) == 2 and len(kinds["playlist"]) == 6
    for entry in kinds["audio"]:
        assert entry["channels"] == 1 and entry["sample_rate"] == 44100 and entry["bitrate"] == 128
        assert abs(entry["lufs"] + 16) <= 1.0 and entry["true_peak_db"] <= -1.5
        assert entry["duration_s"] > 3 and entry["title"] and entry["order"] in (1, 2)


def test_transcript_has_the_text_as_written_and_as_spoken(small_kit):
    text = (small_kit.kit / "tu-xa" / "audio" / "01-thong-bao.txt").read_text(encoding="utf-8")
    written, spoken = text.split("BẢN MÁY ĐỌC")
    assert "Đề nghị Nhân dân xã Tứ Xã cài đặt ứng dụng Bluezone." in written
    assert "0210 3829 214" in written and "{" not in text
    assert written.count("Đề nghị Nhân dân xã Tứ Xã") == 2 and "Xin nhắc lại." in written
    assert "Blu dôn" in spoken and "0210" not in spoken
    assert "[Nhắc lại]" in spoken and "[Kết thúc]" in spoken


def test_schedule_and_playlists(small_kit):
    folder = small_kit.kit / "son-vi" / "audio"
    schedule = (folder / "schedule.txt").read_text(encoding="utf-8")
    assert "LỊCH PHÁT THANH" in schedule and "xã Sơn Vi" in schedule
    assert "Từ ngày 05/8/2020 đến hết ngày 20/8/2020 (16 ngày)" in schedule  # as Decree 30/2020
    morning = schedule.split("06:00")[1].split("11:30")[0]
    assert "01-thong-bao.mp3" in morning and "02-khau-hieu.mp3" not in morning
    noon = (folder / "lich-11h30.m3u").read_text(encoding="utf-8").splitlines()
    assert noon[0] == "#EXTM3U" and noon[-1] == "02-khau-hieu.mp3"
    assert "#EXTINF:-1,Khẩu hiệu" in noon
    for playlist in folder.glob("*.m3u"):
        for line in playlist.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                assert (folder / line).is_file()


def test_each_spot_is_measured_once_before_and_once_after_export(tmp_path):
    """Loudness work per spot: the voice is measured once (the chime and the limiter's loss are
    computed from that), the exported file once; the built-in chime once per process."""
    script = write_small_campaign(tmp_path / "c", localities=("son-vi",))
    render._chime.cache_clear()
    before = loudness.measurements
    build_audio(script, tmp_path / "out", tmp_path / "cache", workers=1)
    assert loudness.measurements - before == 2 * 2 + 1
