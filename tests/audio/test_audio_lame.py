"""MP3 encoding in-process (lameenc) with the Info tag written here: exact lengths for every
reader, the same sound as ffmpeg's libmp3lame, and the tag's checksums as LAME defines them."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import decode_file, loudness_lufs, true_peak_dbtp
from mutagen.mp3 import MP3, BitrateMode

from bzmedia.audio import lame, mp3units
from bzmedia.audio.export import LAME_QUALITY, encode_mp3, encode_mp3_with_ffmpeg
from bzmedia.audio.loudness import normalize
from bzmedia.audio.mp3 import read_in_process
from bzmedia.tts import VoiceSettings
from bzmedia.tts.espeak_engine import EspeakEngine
from bzmedia.tts.pcm import Sound, resample, to_int16

RATE = 44100


@pytest.fixture(scope="module")
def speech() -> Sound:
    """Real speech, normalized and limited as a spot is before export."""
    engine = EspeakEngine(VoiceSettings())
    text = "Bluezone là khẩu trang điện tử. Cài đặt để bảo vệ mình và cộng đồng."
    return normalize(resample(engine.synthesize(text), RATE), -16.0, -2.0)[0]


def test_lameenc_is_the_encoder_here():
    assert lame.can_encode(128, RATE)
    assert not lame.can_encode(128, 22050)  # MPEG-2: ffmpeg writes those


@pytest.mark.parametrize("cut", [0, 1, 575, 1152, 3000])
def test_every_reader_gets_the_exact_length(speech, tmp_path: Path, cut):
    """The Info tag's delay and padding: ffmpeg, libsndfile and mutagen all give the length the
    encoder says, whatever it is modulo a frame; the units only move each pause by half a frame
    at most (:mod:`bzmedia.audio.mp3units`)."""
    sound = Sound(speech.samples[:speech.samples.size - cut], RATE)
    path = tmp_path / "a.mp3"
    length = encode_mp3(sound, path, 128)
    cuts = len(mp3units.units(to_int16(sound.samples), RATE)) - 1
    assert cuts >= 1  # the sentences are units of their own
    assert abs(length - sound.samples.size) <= cuts * lame.FRAME_SAMPLES // 2
    assert decode_file(path).size == length
    assert read_in_process(path, RATE).samples.size == length
    info = MP3(path).info
    assert round(info.length * RATE) == length
    assert (info.channels, info.sample_rate, info.bitrate_mode) == (1, RATE, BitrateMode.CBR)
    assert info.encoder_info.startswith("LAME 3.100")


def without_silence(sound: Sound) -> Sound:
    """``sound`` with a faint noise (a few 16-bit steps) under it: no digital silence anywhere,
    so LAME encodes it as one stream, as ffmpeg does."""
    noise = np.random.default_rng(1).standard_normal(sound.samples.size).astype(np.float32)
    return Sound(sound.samples + noise * np.float32(1e-4), sound.rate)


def test_sounds_as_ffmpegs_libmp3lame(speech, tmp_path: Path):
    """The same LAME at the same settings: loudness and true peak of the decoded files agree to
    0.01 dB (measured by pyloudnorm and scipy), and the two differ from each other far less
    (over 40 dB down) than either differs from the source (the coder's own noise, ~26 dB)."""
    speech = without_silence(speech)
    here, there = tmp_path / "here.mp3", tmp_path / "there.mp3"
    assert encode_mp3(speech, here, 128) == speech.samples.size
    encode_mp3_with_ffmpeg(speech, there, 128)
    a, b = decode_file(here), decode_file(there)[:speech.samples.size]
    assert abs(loudness_lufs(a) - loudness_lufs(b)) < 0.01
    assert abs(true_peak_dbtp(a) - true_peak_dbtp(b)) < 0.01
    source = speech.samples.astype(np.float64)

    def below_signal_db(difference: np.ndarray) -> float:
        return 10 * np.log10(np.sum(source ** 2) / np.sum(difference ** 2))
    assert below_signal_db(a - b) > 40
    assert abs(below_signal_db(a - source) - below_signal_db(b - source)) < 0.2


def test_info_frame_fields_and_checksums(speech):
    data, length = lame.encode(speech, 128, LAME_QUALITY)
    size = 144_000 * 128 // RATE
    frame, audio = data[:size], data[size:]
    assert frame[:2] == b"\xff\xfb" and frame[21:25] == b"Info"
    flags, frames, total = struct.unpack(">III", frame[25:37])
    assert (flags, frames, total) == (0x0F, lame.frame_count(audio), len(data))
    extension = frame[141:177]
    assert extension[:9] == b"LAME3.100" and extension[9] & 0x0F == 1  # CBR
    delay_padding = int.from_bytes(extension[21:24], "big")
    assert delay_padding >> 12 == lame.ENCODER_DELAY
    assert frames * lame.FRAME_SAMPLES - lame.ENCODER_DELAY - (delay_padding & 0xFFF) == length
    music_length, music_crc, tag_crc = struct.unpack(">IHH", extension[28:36])
    assert music_length == len(data)
    assert music_crc == bytewise_crc16(audio)
    assert tag_crc == bytewise_crc16(frame[:175])  # every byte before it (mono MPEG-1)


def bytewise_crc16(data: bytes) -> int:
    """CRC-16/ARC the slow, obvious way (as LAME's ``CRC_update_lookup`` does it)."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = crc >> 1 ^ 0xA001 if crc & 1 else crc >> 1
    return crc


@pytest.mark.parametrize("size", [0, 1, 511, 512, 513, 4096, 70_001])
def test_blockwise_crc_is_the_bytewise_one(size):
    data = np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    assert lame.crc16(data) == bytewise_crc16(data)
    assert lame.crc16(b"123456789") == 0xBB3D  # the CRC-16/ARC check value


def test_a_rate_without_mpeg1_frames_is_encoded_by_ffmpeg(speech, tmp_path: Path):
    low = Sound(speech.samples[::2].copy(), 22050)
    path = tmp_path / "low.mp3"
    encode_mp3(low, path, 64)
    info = MP3(path).info
    assert info.sample_rate == 22050 and abs(info.bitrate - 64000) < 100
    assert b"Lavc" in path.read_bytes()[:1000]  # ffmpeg's muxer wrote its header


def test_a_spot_is_made_without_any_ffmpeg(tmp_path: Path):
    """The whole spot path at 44.1 kHz (speech, resampling, encoding, the read-back measurement)
    runs in-process: ``say`` works with no ffmpeg at all."""
    env = {**os.environ, "IMAGEIO_FFMPEG_EXE": "/nonexistent/ffmpeg", "BZMEDIA_CACHE": str(tmp_path / "c")}
    done = subprocess.run([sys.executable, "-m", "bzmedia", "say", "Xin chào bà con", "-o", "x.mp3"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert MP3(tmp_path / "x.mp3").info.bitrate_mode == BitrateMode.CBR


def test_without_the_lameenc_wheel_ffmpeg_encodes(speech, tmp_path: Path, monkeypatch):
    """A platform with no lameenc wheel still gets its MP3, from ffmpeg's libmp3lame."""
    monkeypatch.setattr(lame, "_lameenc_found", lambda: False)
    path = tmp_path / "f.mp3"
    encode_mp3(speech, path, 128)
    assert b"Lavc" in path.read_bytes()[:1000]
    assert abs(decode_file(path).size - speech.samples.size) <= lame.FRAME_SAMPLES


@pytest.mark.parametrize("gain_db", [-0.445, 3.0, 12.0])
def test_a_gain_applied_while_encoding_gives_the_gained_spots_bytes(speech, tmp_path, gain_db):
    """The coder's level change is applied on the way to 16 bits (no gained copy of the spot):
    the same integers, so the same MP3, as gaining first; also for tiny and clipped samples."""
    from bzmedia.audio.loudness import apply_gain
    from bzmedia.tts.pcm import to_int16

    gained = apply_gain(speech, gain_db)
    fused, first = tmp_path / "fused.mp3", tmp_path / "first.mp3"
    encode_mp3(speech, fused, 128, gain_db)
    encode_mp3(gained, first, 128)
    assert fused.read_bytes() == first.read_bytes()
    edge = np.array([1e-42, -3e-39, 1e-20, 0.99, -1.2, 1.5, 2 ** -16, -(2 ** -16)], np.float32)
    factor = np.float32(10 ** (gain_db / 20))
    assert np.array_equal(to_int16(edge, factor), to_int16((edge * factor).astype(np.float32)))
