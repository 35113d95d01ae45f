"""``bzmedia say`` is the spot pipeline: what it writes is what a one-spot build writes.

Both files are decoded by bzmedia's ffmpeg runner to 16-bit PCM and compared sample for sample
(the ID3 tags differ: title, album), with the script's settings and with none.
"""

from __future__ import annotations

import json

import numpy as np
from audio_helpers import build_audio
from click.testing import CliRunner

from bzmedia import ffmpeg
from bzmedia.cli import cli

TEXT = "Đề nghị bà con cài đặt ứng dụng Bluezone. Mọi thắc mắc xin gọi số 0210 3825 111.\n\nXin cảm ơn."

ONE_SPOT = """\
campaign: {{id: mot-spot, title: "Thử", issuer: "UBND xã Sơn Vi", url: https://www.bluezone.gov.vn}}
{pronunciations}
audio:
{settings}
  spots:
    - id: thu
      intro: none
      text: "{text}"
"""
SCRIPT_SETTINGS = """\
  voice: {engine: espeak, dialect: south, rate: 1.1}
  pause_sentence: 0.8
  pause_paragraph: 2.0
  highpass_hz: 150
  loudness: {target_lufs: -18, true_peak_db: -2.0}
  export: {bitrate: 96}"""


def pcm(path) -> np.ndarray:
    """The file's samples as ffmpeg decodes them (16-bit mono at the file's own rate)."""
    result = ffmpeg.run(["-nostdin", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                         "pipe:1"], f"decoding {path.name}", timeout=60)
    return np.frombuffer(result.stdout, dtype="<i2")


def built_spot(tmp_path, settings: str, pronunciations: str = ""):
    """(the MP3 a build makes of the one-spot script, the script, its manifest entry)."""
    script = tmp_path / "mot.yaml"
    text = TEXT.replace("\n", "\\n")
    script.write_text(ONE_SPOT.format(settings=settings, text=text,
                                      pronunciations=pronunciations), encoding="utf-8")
    build_audio(script, tmp_path / "out", tmp_path / "cache", workers=1)
    kit = tmp_path / "out" / "mot-spot"
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["files"] if f["kind"] == "audio")
    return kit / entry["path"], script, entry


def say(*args: str):
    options = [a for a in args if a == "-v"]
    result = CliRunner().invoke(cli, [*options, "say", TEXT, *(a for a in args if a != "-v")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_say_with_the_script_is_the_built_spot_sample_for_sample(tmp_path):
    spot, script, entry = built_spot(tmp_path, SCRIPT_SETTINGS, 'pronunciations: {Bluezone: "Blu dôn"}')
    said = tmp_path / "said.mp3"
    result = say("-v", "--script", str(script), "-o", str(said))
    assert "Blu dôn" in result.output and "espeak (south)" in result.output and "-18.0 LUFS" in result.output
    built, heard = pcm(spot), pcm(said)
    assert built.size > 44100 * 5 and np.array_equal(built, heard)
    assert entry["bitrate"] == 96 and said.stat().st_size < 96_000 / 8 * (built.size / 44100) * 1.1


def test_say_without_a_script_is_a_spot_with_the_defaults(tmp_path):
    spot, _, entry = built_spot(tmp_path, "  voice: espeak")
    said = tmp_path / "said.mp3"
    say("-o", str(said))
    assert np.array_equal(pcm(spot), pcm(said))
    assert entry["engine"] == "espeak" and entry["bitrate"] == 128 and abs(entry["lufs"] + 16) <= 1


def test_say_honours_wav_and_refuses_other_extensions(tmp_path):
    wav = tmp_path / "nghe.WAV"
    say("-o", str(wav))
    assert wav.read_bytes()[:4] == b"RIFF" and wav.read_bytes()[8:12] == b"WAVE"
    mp3 = tmp_path / "nghe.mp3"
    say("-o", str(mp3))
    head = mp3.read_bytes()[:3]
    assert head == b"ID3" or head[:2] == b"\xff\xfb"
    for name in ("nghe.ogg", "nghe.m4a", "nghe"):
        result = CliRunner().invoke(cli, ["say", "Xin chào", "-o", str(tmp_path / name)])
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert f"{name}: say writes .mp3 or .wav" in result.output, result.output
        assert not (tmp_path / name).exists()


def test_say_with_nothing_to_say_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["say", "…  — ", "-o", str(tmp_path / "x.mp3")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip() == "Error: there is nothing to say: the text has no words"
    assert not (tmp_path / "x.mp3").exists()


def test_say_into_a_place_it_cannot_write_is_one_line_and_a_long_legal_name_works(tmp_path):
    """A folder that is a file gave a FileExistsError traceback; a 249-byte name (legal) gave
    "File name too long" because the temporary name beside it was longer still."""
    (tmp_path / "a-file.mp3").write_bytes(b"not a folder")
    result = CliRunner().invoke(cli, ["say", "Xin chào", "-o", str(tmp_path / "a-file.mp3" / "x.mp3")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output == (f"Error: {tmp_path / 'a-file.mp3'}: is a file, but a folder is needed there; "
                             "move or delete it\n")
    long = tmp_path / ("ẫ" * 81 + ".mp3")  # 243 + 4 bytes
    say("-o", str(long))
    assert long.stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file.mp3", long.name]
