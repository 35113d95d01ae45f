"""Reading an exported MP3 back in this process (libsndfile) gives what ffmpeg's decoder gives."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import build_audio, decode_file, loudness_lufs, true_peak_dbtp, write_small_campaign

from bzmedia.audio import export as export_module
from bzmedia.audio import mp3
from bzmedia.audio.export import Tags, coder_loss_db, encode_mp3, export, measure_file
from bzmedia.audio.loudness import normalize
from bzmedia.errors import BuildError
from bzmedia.tts import VoiceSettings
from bzmedia.tts.espeak_engine import EspeakEngine
from bzmedia.tts.pcm import DecodeError, decode, resample

RATE = 44100
TAGS = Tags("t", "a", "b", "2020", 1, 1)


@pytest.fixture(scope="module")
def spot(tmp_path_factory) -> tuple[int, Path]:
    """A real spot (espeak, normalized and limited as the builder does) exported as MP3, and the
    samples it was written to decode to."""
    engine = EspeakEngine(VoiceSettings())
    text = "Đề nghị bà con cài đặt ứng dụng Bluezone. Mọi thắc mắc xin gọi số 0210 3825 368."
    finished, _ = normalize(resample(engine.synthesize(text), RATE), -16.0, -2.0)
    path = tmp_path_factory.mktemp("mp3") / "spot.mp3"
    export(finished, path, fmt="mp3", bitrate_kbps=128, target_lufs=-16.0, ceiling_db=-1.5, tags=TAGS)
    # The length the encoder gives (the export's first encoding: the coder's known level change),
    # not the one any decoder reads back.
    length = encode_mp3(finished, path.with_name("again.mp3"), 128, coder_loss_db(128, RATE))
    return length, path


def test_libsndfile_reads_mp3_here():
    """The soundfile wheel's libsndfile decodes MP3 on this machine: the fast path is the one
    tested, not a silent fallback to ffmpeg."""
    assert mp3._soundfile() is not None


def test_in_process_decoding_is_ffmpegs(spot):
    """Same length (the gapless header honoured), the same samples to float rounding, so the same
    loudness and true peak (independent measurements: pyloudnorm, scipy's resampler)."""
    length, path = spot
    here = mp3.read_in_process(path, RATE).samples.astype(np.float64)
    ffmpeg = decode_file(path)
    assert here.size == ffmpeg.size == length
    assert np.max(np.abs(here - ffmpeg)) < 1e-4
    assert abs(loudness_lufs(here) - loudness_lufs(ffmpeg)) < 0.05
    assert abs(true_peak_dbtp(here) - true_peak_dbtp(ffmpeg)) < 0.05


def test_measurement_is_the_same_without_libsndfile(spot, monkeypatch):
    """Where soundfile cannot read MP3, ffmpeg decodes: the numbers agree to 0.05 dB."""
    length, path = spot
    here = measure_file(path, RATE, length)
    monkeypatch.setattr(mp3, "_soundfile", lambda: None)
    there = measure_file(path, RATE, length)
    assert abs(here.lufs - there.lufs) < 0.05
    assert abs(here.true_peak_db - there.true_peak_db) < 0.05
    assert here.seconds == there.seconds


def _overwrite_middle(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(range(256)) * 8 + data[middle + 2048:]


def _zero_a_frame_header(data: bytes) -> bytes:
    """The first audio frame's header (sync word and all) past the middle, zeroed."""
    at = min(i for i in (data.find(b"\xff\xfb\x90\xc4", len(data) // 2),
                         data.find(b"\xff\xfb\x92\xc4", len(data) // 2)) if i > 0)
    return data[:at] + bytes(4) + data[at + 4:]


DAMAGE = {"cut": lambda data: data[:len(data) // 2], "junk": lambda data: b"ID3" + bytes(999),
          "empty": lambda data: b"", "middle": _overwrite_middle, "header": _zero_a_frame_header}
MPG123_NOISE = ("mpg123", "Note:", "Warning:", "error:", "resync", "Xing")
"""What libmpg123 prints on stderr about a damaged file (none of it may reach the terminal)."""


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_file_is_a_decode_error(spot, tmp_path, damage):
    """libsndfile refuses it or decodes half of it; ffmpeg is asked, and its complaint (or the
    length check) is the error: never a measurement of what is left."""
    length, path = spot
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(DAMAGE[damage](path.read_bytes()))
    with pytest.raises(DecodeError) as caught:
        measure_file(broken, RATE, length)
    if damage == "cut":
        assert "broken.mp3 decodes to" in str(caught.value) and "cut short" in str(caught.value)


@pytest.mark.parametrize("damage", ["cut", "middle", "header"])
def test_damaged_file_is_read_back_quietly_to_one_message(spot, tmp_path, capfd, damage):
    """libmpg123 complains about each damaged file on the process's stderr ("big_values too
    large!", "Illegal Audio-MPEG-Header", "Xing stream size off"): the read-back keeps that off the
    terminal (fd 2, where the C library writes) and says the one thing that matters."""
    length, path = spot
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(DAMAGE[damage](path.read_bytes()))
    got = decode(broken, RATE).samples.size  # ffmpeg's count: the decoder asked last is reported
    capfd.readouterr()
    with pytest.raises(DecodeError) as caught:
        measure_file(broken, RATE, length)
    assert str(caught.value) == (f"broken.mp3 decodes to {got} samples, not the {length} "
                                 "written: the file is cut short or damaged")
    assert capfd.readouterr().err == ""
    print("after", file=sys.stderr)  # the descriptor is back where it was
    assert capfd.readouterr().err == "after\n"


@pytest.mark.parametrize("damage", ["cut", "junk", "empty", "middle"])
def test_spot_damaged_on_disk_is_a_located_build_error(tmp_path, monkeypatch, capfd, damage):
    """A disk that fills (or a file damaged) while the MP3 is written, simulated on the real
    encoder's file, ends the build in one located line per spot naming the file: not a
    traceback, not a measurement of half a spot."""
    def encode_then_damage(sound, target, bitrate_kbps, gain_db=0.0, store=None):
        length = encode_mp3(sound, target, bitrate_kbps, gain_db, store)
        target.write_bytes(DAMAGE[damage](target.read_bytes()))
        return length

    monkeypatch.setattr(export_module, "encode_mp3", encode_then_damage)
    script = write_small_campaign(tmp_path / "c", localities=("son-vi",))
    with pytest.raises(BuildError) as caught:
        build_audio(script, tmp_path / "out", tmp_path / "cache", workers=1)
    lines = caught.value.messages
    assert len(lines) == 2  # the campaign's two spots
    for line, stem in zip(sorted(lines), ["01-thong-bao", "02-khau-hieu"], strict=True):
        assert line.startswith(f"{script}:") and f"son-vi/audio/{stem}.mp3: " in line
        assert "Traceback" not in line
        assert "bzpart" not in line  # the file being written, not its temporary name
        if damage in ("cut", "middle"):
            located = re.escape(f"{script}:") + r"\d+:\d+: audio\.spots\[\d\]: son-vi \(xã Sơn Vi\): "
            said = (re.escape(f"son-vi/audio/{stem}.mp3: {stem}.mp3") + r" decodes to \d+ samples, "
                    r"not the \d+ written: the file is cut short or damaged")
            assert re.fullmatch(located + said, line), line
    err = capfd.readouterr().err
    assert not [noise for noise in MPG123_NOISE if noise in err], err
