"""`bzmedia normalize`: one argument, or standard input line by line (one line out per line in)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bzmedia.cli import cli


def test_normalize_argument_prints_the_spoken_form() -> None:
    result = CliRunner().invoke(cli, ["normalize", "UBND tỉnh, ngày 03/8/2020, đạt 8,82%"])
    assert result.exit_code == 0, result.output
    assert result.output == ("Ủy ban nhân dân tỉnh, ngày ba tháng tám năm hai nghìn không trăm hai mươi, "
                             "đạt tám phẩy tám mươi hai phần trăm\n")


def test_normalize_dialect_option() -> None:
    result = CliRunner().invoke(cli, ["normalize", "--dialect", "south", "có 105 hộ, 2.000 người"])
    assert result.exit_code == 0
    assert result.output == "có một trăm lẻ năm hộ, hai ngàn người\n"
    bad = CliRunner().invoke(cli, ["normalize", "--dialect", "west", "1"])
    assert bad.exit_code == 2 and "west" in bad.output


def test_stdin_three_lines_in_three_lines_out() -> None:
    lines = "Gọi 115\nCổng 1022\nthứ 40/63\n"
    result = CliRunner().invoke(cli, ["normalize", "-"], input=lines.encode())
    assert result.exit_code == 0, result.output
    assert result.output == "Gọi một một năm\nCổng một không hai hai\nthứ bốn mươi trên sáu mươi ba\n"


def test_stdin_windows_line_endings_bom_and_blank_lines() -> None:
    data = "\ufeffUBND xã\r\n\r\n6h30\r\nkhông có dòng cuối".encode()
    result = CliRunner().invoke(cli, ["normalize", "-"], input=data)
    assert result.exit_code == 0
    assert result.output == "Ủy ban nhân dân xã\n\nSáu giờ ba mươi phút\nkhông có dòng cuối\n"


def test_stdin_odd_bytes_still_give_one_line_each() -> None:
    data = b"co \xff\xfe 12\n\xe2\x80\xa8tach\x0bdong 7\n\xf0\x9f\x99\x82 20%\n"
    result = CliRunner().invoke(cli, ["normalize", "-"], input=data)
    assert result.exit_code == 0
    out_lines = result.output.split("\n")
    assert out_lines[-1] == "" and len(out_lines) == 4
    assert out_lines[0] == "co \ufffd\ufffd mười hai"
    assert out_lines[1] == "tach dong bảy"
    assert out_lines[2] == "Hai mươi phần trăm"  # the emoji is decoration, not spoken


def test_script_option_applies_the_campaign_pronunciations(example_script: Path) -> None:
    result = CliRunner().invoke(cli, ["normalize", "--script", str(example_script),
                                      "Mở CH Play, cài Bluezone"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Mở Xê hát Plây, cài Blu dôn\n")


def test_real_pipe_answers_each_line_before_the_next_arrives() -> None:
    """A program may send a line and wait for its answer: output must be flushed per line."""
    command = [sys.executable, "-c", "from bzmedia.cli import main; main()", "normalize", "-"]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        answers = []
        for line in ("ngày 05/8", "gọi 0912 345 678", "V/v COVID-19"):
            proc.stdin.write(line.encode() + b"\r\n")
            proc.stdin.flush()
            answers.append(proc.stdout.readline().decode())
    finally:
        proc.stdin.close()
        proc.wait(timeout=20)
    assert answers == ["ngày năm tháng tám\n", "gọi không chín một hai, ba bốn năm, sáu bảy tám\n",
                       "Về việc cô vít mười chín\n"]
    assert proc.returncode == 0
