"""``bzmedia validate`` on hostile input: exit 1, one located line each, never a traceback; and
the example still says ok without importing the heavy libraries (issue 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from campaign_helpers import MINIMAL
from click.testing import CliRunner

from bzmedia.cli import cli

HEAVY = ("numpy", "scipy", "PIL", "reportlab", "pyloudnorm", "gtts", "piper", "openpyxl")


def validate(*args: str):
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    return result


def test_every_hostile_script_exits_1_with_its_located_lines(tmp_path):
    control = tmp_path / "control.yaml"
    control.write_text(MINIMAL.replace("demo", "de\x1bmo"), encoding="utf-8")
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text(MINIMAL + "  summary: !!python/name:os.system ''\n", encoding="utf-8")
    nan = tmp_path / "nan.yaml"
    nan.write_text(MINIMAL + "signage:\n  crossfade: .nan\n  slides: [{id: a, kind: title, "
                             "title: x}]\n", encoding="utf-8")
    result = validate(str(control), str(tagged), str(nan))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{control}:2:9: campaign.id: character U+001B (ESC) is not allowed in a script; delete it "
        "(most editors do not show it)",
        f"{nan}:7:14: signage.crossfade: expected a finite number, got '.nan'",
        f"{tagged}:6:12: campaign.summary: YAML tag '!!python/name:os.system' is not allowed; "
        "write the plain value (put text in quotes) without a tag",
        "3 errors found."]


def test_a_folder_a_fifo_a_device_and_a_missing_file_are_one_line_each(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = validate(str(tmp_path), str(fifo), "/dev/zero", str(tmp_path / "none.yaml"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "/dev/zero:1:1: file: /dev/zero is a device, not a regular file",
        f"{tmp_path}:1:1: file: {tmp_path} is a folder, not a file",
        f"{tmp_path / 'none.yaml'}:1:1: file: {tmp_path / 'none.yaml'} does not exist",
        f"{fifo}:1:1: file: {fifo} is a FIFO (named pipe), not a regular file",
        "4 errors found."]


def test_the_example_still_validates(example_script):
    result = validate(str(example_script))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{example_script}: ok\n"


def test_validate_imports_no_heavy_library(example_script):
    code = (
        "import sys\n"
        "import bzmedia.cli\n"
        "from click.testing import CliRunner\n"
        f"result = CliRunner().invoke(bzmedia.cli.cli, ['validate', {str(example_script)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(example_script).parent.parent)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
