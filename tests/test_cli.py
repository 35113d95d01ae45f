"""The CLI as users meet it: exit codes and exact messages (after sqlite-utils' tests/test_cli.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from minimal_script import MINIMAL

from bzmedia import __version__
from bzmedia.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def all_commands():
    return sorted(cli.commands)


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"bzmedia, version {__version__}\n"


@pytest.mark.parametrize("command", all_commands())
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: cli {command}")
    assert len(cli.commands[command].help or "") > 20


def test_validate_example_scripts_ok(example_script):
    result = run("validate", str(example_script), str(example_script.parent / "minimal.yaml"))
    assert result.exit_code == 0
    assert result.output == f"{example_script}: ok\n{example_script.parent / 'minimal.yaml'}: ok\n"


def test_validate_reports_every_problem_of_every_file(tmp_path):
    bad1 = tmp_path / "a.yaml"
    bad1.write_text(MINIMAL.replace("  url:", "  ulr: x\n  url:"), encoding="utf-8")
    bad2 = tmp_path / "b.yaml"
    bad2.write_text(MINIMAL.replace("  issuer: \"UBND xã Sơn Vi\"\n", ""), encoding="utf-8")
    result = run("validate", str(bad1), str(bad2))
    assert result.exit_code == 1
    assert result.output == (
        f"{bad1}:5:3: campaign.ulr: unknown key (did you mean 'url'?)\n"
        f"{bad2}:2:3: campaign.issuer: required key 'issuer' is missing\n"
        "2 errors found.\n")


def test_validate_missing_file(tmp_path):
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert result.output == (f"{tmp_path / 'nope.yaml'}:1:1: file: {tmp_path / 'nope.yaml'} does not exist\n"
                             "1 error found.\n")


def test_quiet_validate_prints_nothing_on_success(example_script):
    result = run("-q", "validate", str(example_script))
    assert result.exit_code == 0
    assert result.output == ""


def test_init_creates_a_campaign_that_validates(tmp_path):
    target = tmp_path / "chien-dich"
    result = run("init", str(target))
    assert result.exit_code == 0
    script = target / "bluezone-2020.yaml"
    assert result.output == f"Created {script}. Edit it, then run:\n  bzmedia build {script}\n"
    assert (target / "assets" / "logo.png").is_file()
    assert run("validate", str(script)).exit_code == 0


def test_init_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path} already exists and is not empty; "
                             "choose a new folder name\n")


def test_build_rejects_unknown_channel_and_locality(tmp_path):
    script = tmp_path / "c.yaml"
    script.write_text(MINIMAL, encoding="utf-8")
    result = run("build", str(script), "--only", "audio,video")
    assert result.exit_code == 2
    assert "Invalid value for --only: unknown channel video; choose from audio, print, signage" in (
        result.output)  # (and any channel registered after them)
    result = run("build", str(script), "-o", str(tmp_path / "out"), "--locality", "son-vi")
    assert result.exit_code == 1
    assert result.output == "unknown locality 'son-vi'; the script has: all\n1 error; the build stopped.\n"


def test_build_of_a_broken_script_writes_nothing(tmp_path):
    script = tmp_path / "c.yaml"
    script.write_text(MINIMAL + "brand: {logo: ../../etc/passwd}\n", encoding="utf-8")
    result = run("build", str(script), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output.startswith(f"{script}:6:15: brand.logo: '../../etc/passwd' points outside")
    assert not (tmp_path / "out").exists()


def test_build_writes_manifest_of_a_campaign_without_channels(tmp_path, cache_dir):
    script = tmp_path / "c.yaml"
    script.write_text(MINIMAL, encoding="utf-8")
    result = run("build", str(script), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "out" / "demo" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["campaign"]["title"] == "Cài đặt Bluezone"
    assert manifest["localities"] == [{"id": "all", "name": "UBND xã Sơn Vi"}]


def test_errors_reach_a_real_terminal_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("campaign: [\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "bzmedia", "validate", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert re.match(rf"{re.escape(str(bad))}:2:1: syntax: ", proc.stderr)


@pytest.mark.parametrize("broken", ["syntax", "unknown-top", "unknown-deep", "missing", "duplicate",
                                    "outside", "bomb"])
def test_broken_copies_of_the_example_fail_fast_with_place(campaign_dir: Path, broken: str):
    script = campaign_dir / "bluezone-2020.yaml"
    text = script.read_text(encoding="utf-8")
    edits = {
        "syntax": lambda t: t.replace("  title: \"Cài", "  title: [\"Cài", 1),
        "unknown-top": lambda t: t.replace("brand:", "brnad:", 1),
        "unknown-deep": lambda t: t.replace("      repeat: 2", "      repaet: 2", 1),
        "missing": lambda t: t.replace("  issuer: \"UBND huyện Lâm Thao\"\n", "", 1),
        "duplicate": lambda t: t.replace("  id: Mã\n", "  id: Mã\n  id: Mã\n", 1),
        "outside": lambda t: t.replace("logo: assets/logo.png", "logo: ../../../etc/hostname", 1),
        "bomb": lambda t: "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{n}: &{n} [{','.join(['*' + p] * 10)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)
        ) + t,
    }
    script.write_text(edits[broken](text), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "bzmedia", "validate", str(script)],
                          capture_output=True, text=True, timeout=5)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{script}:")
    assert re.match(rf"{re.escape(str(script))}:\d+:\d+: \S+: ", proc.stderr)


HEAVY = ("numpy", "scipy", "reportlab", "PIL", "pyloudnorm", "mutagen", "espeakng_loader", "gtts",
         "piper", "pypdfium2", "openpyxl", "concurrent.futures.process")


def heavy_imports(*args: str, cwd: Path | None = None) -> tuple[list[str], str]:
    """Run the CLI in a fresh interpreter; the heavy libraries it imported, and its output."""
    code = ("import atexit, json, sys\n"
            f"heavy = lambda: json.dumps([m for m in {HEAVY!r} if m in sys.modules])\n"
            "atexit.register(lambda: print('HEAVY', heavy()))\n"
            f"sys.argv = ['bzmedia', *{list(args)!r}]\n"
            "from bzmedia.cli import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=cwd)
    heavy_line = next(line for line in proc.stdout.splitlines() if line.startswith("HEAVY"))
    return json.loads(heavy_line.removeprefix("HEAVY ")), proc.stdout + proc.stderr


def test_version_imports_no_heavy_library():
    heavy, output = heavy_imports("--version")
    assert heavy == [] and f"version {__version__}" in output


def test_a_build_with_nothing_to_do_imports_no_heavy_library(tmp_path, cache_dir):
    script = tmp_path / "c.yaml"
    assets = Path(__file__).resolve().parent.parent / "content" / "assets"
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes((assets / "logo.png").read_bytes())
    (tmp_path / "xa-phuong.xlsx").write_bytes((assets.parent / "xa-phuong.xlsx").read_bytes())
    script.write_text(MINIMAL + "  date: 2020-08-05\nbrand: {logo: assets/logo.png}\n"
                      "localities: xa-phuong.xlsx\nprint:\n"
                      "  - {id: dan-xe, kind: sticker, size: 210x99, headline: \"Cài đặt Bluezone\"}\n",
                      encoding="utf-8")
    out = str(tmp_path / "out")
    heavy, output = heavy_imports("build", str(script), "-o", out, "--only", "print")
    assert re.search(r": [1-9]\d* made, 0 up to date", output), output  # the first build drew the stickers
    heavy, output = heavy_imports("build", str(script), "-o", out, "--only", "print")
    assert ": 0 made, " in output
    assert heavy == []


def test_channels_come_from_the_registry_and_a_missing_builder_is_an_error(monkeypatch):
    from bzmedia import build
    from bzmedia.errors import BuildError

    names = build.channel_names()
    assert names[:3] == ["audio", "print", "signage"] and "kit" not in names  # the kit stage is no channel
    monkeypatch.setattr(build, "BUILDERS", (*build.BUILDERS, "bzmedia.video.builder:VideoBuilder"))
    with pytest.raises(BuildError) as caught:
        build.load_builders()
    assert caught.value.messages == ["cannot load builder bzmedia.video.builder:VideoBuilder: "
                                     "ModuleNotFoundError: No module named 'bzmedia.video'"]


def test_normalize_with_a_script_shows_only_what_reading_needs(tmp_path):
    script = tmp_path / "c.yaml"
    script.write_text(MINIMAL + """\
pronunciations: {Bluezone: "Blu dôn"}
signage:
  sizes: [3840x2160]
  slides: [{id: a, kind: title, title: "Cài đặt"}]
""", encoding="utf-8")
    # validate warns about the 4K loop (H.264 level 5.1) ...
    assert "larger than H.264 level 4.0" in CliRunner().invoke(cli, ["validate", str(script)]).output
    # ... which has nothing to do with how a text is read
    result = CliRunner().invoke(cli, ["normalize", "--script", str(script), "Cài Bluezone"])
    assert result.exit_code == 0, result.output
    assert result.output == "Cài Blu dôn\n"


def test_say_with_piper_and_no_voice_file_names_the_option(tmp_path):
    result = CliRunner().invoke(cli, ["say", "--engine", "piper", "-o", str(tmp_path / "a.mp3"), "Xin chào"])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: piper needs a voice file: pass --model with the .onnx file "
                                     "(e.g. vi_VN-vais1000-medium.onnx, its .onnx.json beside it)")
    assert "audio.voice.model" not in result.output
    assert not (tmp_path / "a.mp3").exists()
