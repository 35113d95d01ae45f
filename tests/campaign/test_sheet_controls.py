"""Control characters in the cells a campaign reads: refused at their cells, whatever the file.

A script refuses ESC, NUL and the other controls where it holds them; a commune list brought
them in unseen (a plain UTF-8 CSV and a workbook were never checked, Excel's ``_x001B_`` escapes
come out of calamine as the characters themselves), and they reached the spots, the SMS and the
slides.  The files here are real: CSVs in each encoding Excel saves, workbooks by openpyxl.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import run_cli
from test_sheet_files import windows_1258

from bzmedia.campaign import load_campaign
from bzmedia.campaign.sheetfiles import decode_text
from bzmedia.errors import CampaignError

SCRIPT = """campaign:
  id: thu
  title: "Cài đặt Bluezone"
  issuer: "UBND tỉnh"
  url: https://www.bluezone.gov.vn
localities:
  file: FILE
  name: Tên xã
  id: Mã
  hotline: Điện thoại
  vars: {station: Đài}
stats: {date: 2020-08-13, column: Lượt cài đặt}
audio:
  spots:
    - id: a
      text: "{station}: bà con {locality.name} gọi {hotline}; đã có {installs} lượt cài đặt."
"""
HEADER = ["Tên xã", "Mã", "Điện thoại", "Đài", "Lượt cài đặt", "Ghi chú"]
ROWS = [  # nobody reads the notes column: its ESC and line break are no error
    HEADER,
    ["Xã Tứ Xã", "tu-xa", "0210 3829 214", "Đài xã Tứ Xã", "1250", "gọi trước\x1b\n8 giờ"],
    ["Xã Sơn\x1bVi", "son-vi", "0210 3825 111", "Đài xã Sơn Vi", "980", ""],
    ["Xã Hùng\nSơn", "hung-son", "0210 3826 035", "Đài xã Hùng Sơn", "2104", ""],
    ["Xã Đắk Mil", "dak-mil", "0261 3544\x7f012", "Đài xã Đắk Mil", "8713", ""],
    ["Xã Ngã Năm", "nga-nam", "0299 3866 151", "Đài\txã Ngã Năm", "7498", ""],
    ["Xã Phú Lộc", "phu-loc", "0261 3544 013", "Đài xã Phú Lộc", "4217\x1f", ""],
    [" Xã Cuối \r\n", "cuoi", "0261 3544 014", "Đài xã Cuối", "6963", ""],  # outer ones: trimmed
]
HOLDS = "the text holds {char}; retype the cell without it (it may not show on screen)"
EXPECTED = [("A3", "name", "U+001B (ESC)"), ("A4", "name", "U+000A (line break)"),
            ("C5", "hotline", "U+007F (DEL)"), ("D6", "vars.station", "U+0009 (TAB)"),
            ("E7", "stats.column", "U+001F (control character)")]
"""Every bad cell read, the count too: the names' errors keep stats: from reading its column,
and the file is to be mended once."""


def csv_text(rows: list[list[str]]) -> str:
    return "".join(",".join(f'"{cell}"' for cell in row) + "\r\n" for row in rows)


def encoded(text: str, encoding: str) -> bytes:
    return windows_1258(text) if encoding == "cp1258" else text.encode(encoding)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    """The rows as Excel saves them: a control character as its escape (``_x001B_``), a tab and a
    line break as they are."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]",
                                   lambda found: f"_x{ord(found.group()):04X}_", cell) for cell in row])
    book.save(path)


def script_for(folder: Path, name: str, text: str = SCRIPT) -> Path:
    script = folder / "xa.yaml"
    script.write_text(text.replace("FILE", name), encoding="utf-8")
    return script


def problems_of(script: Path) -> list[str]:
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    return [str(problem) for problem in caught.value.problems]


def expected(where: str, cells=EXPECTED) -> list[str]:
    return [f"{where}{ref}: {key}: {HOLDS.format(char=char)}" for ref, key, char in cells]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
def test_every_control_character_of_a_csv_is_refused_at_its_cell_all_at_once(tmp_path, encoding):
    data = encoded(csv_text(ROWS), encoding)
    assert decode_text(data)[1] == {"utf-8-sig": "utf-8", "utf-16": "utf-16-le"}.get(encoding, encoding)
    (tmp_path / "xa.csv").write_bytes(data)
    assert problems_of(script_for(tmp_path, "xa.csv")) == expected(f"{tmp_path / 'xa.csv'}:")


def test_every_control_character_of_a_workbook_is_refused_at_its_cell(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[4][2] = "0261 3544\x00012"  # a NUL, as the tester's workbook held it
    write_xlsx(tmp_path / "xa.xlsx", rows)
    assert problems_of(script_for(tmp_path, "xa.xlsx")) == expected(
        f"{tmp_path / 'xa.xlsx'}:Sheet!", [*EXPECTED[:2], ("C5", "hotline", "U+0000 (NUL)"), *EXPECTED[3:]])


def test_a_control_character_in_a_count_is_refused_when_the_localities_are_fine(tmp_path):
    rows = [HEADER, ["Xã Tứ Xã", "tu-xa", "0210 3829 214", "Đài", "12\x1b50", ""],
            ["Xã Sơn Vi", "son-vi", "0210 3825 111", "Đài", "980", ""]]
    write_xlsx(tmp_path / "xa.xlsx", rows)
    assert problems_of(script_for(tmp_path, "xa.xlsx")) == expected(
        f"{tmp_path / 'xa.xlsx'}:Sheet!", [("E2", "stats.column", "U+001B (ESC)")])


def test_a_control_character_in_the_match_column_of_a_stats_file_is_refused(tmp_path):
    (tmp_path / "xa.csv").write_bytes(encoded(csv_text([r[:4] for r in ROWS[:2]]), "utf-8"))
    (tmp_path / "so-lieu.csv").write_text("Tên,Số\nXã Tứ\x1bXã,1250\n", encoding="utf-8")
    text = SCRIPT.replace("column: Lượt cài đặt", "file: so-lieu.csv, match: Tên, column: Số")
    assert problems_of(script_for(tmp_path, "xa.csv", text)) == expected(
        f"{tmp_path / 'so-lieu.csv'}:", [("A2", "stats.match", "U+001B (ESC)")])


def test_validate_and_build_stop_at_the_tester_s_escape_with_exit_1(tmp_path):
    (tmp_path / "ctrl.csv").write_text(csv_text([HEADER, ["xã \x1bA", "a", "0210 111", "Đài", "1", ""]]),
                                       encoding="utf-8")
    script = script_for(tmp_path, "ctrl.csv")
    first = f"{tmp_path / 'ctrl.csv'}:A2: name: {HOLDS.format(char='U+001B (ESC)')}"
    for args in (["validate", str(script)], ["build", str(script), "-o", str(tmp_path / "out")]):
        result = run_cli(*args)
        assert (result.returncode, result.stderr.splitlines()[:2]) == (1, [first, "1 error found."])
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "thu").exists()
    vietnamese = run_cli("validate", str(script), BZMEDIA_LANG="vi")
    assert vietnamese.stderr.splitlines()[0] == (
        f"{tmp_path / 'ctrl.csv'}:A2: name: văn bản có chứa U+001B (ESC); hãy gõ lại ô này mà không có "
        "ký tự đó (ký tự này có thể không hiện trên màn hình)")


def test_a_unicode_line_separator_in_a_name_is_refused_like_a_line_break(tmp_path):
    """U+2028 (Word and some web forms write it for Shift+Enter): a line break no editor shows."""
    rows = [HEADER, ["Xã Sơn\u2028Vi", "son-vi", "0210 3825 111", "Đài xã Sơn Vi", "980", ""]]
    write_xlsx(tmp_path / "xa.xlsx", rows)
    found = problems_of(script_for(tmp_path, "xa.xlsx"))
    assert found == [f"{tmp_path / 'xa.xlsx'}:Sheet!A2: name: " + HOLDS.format(char="U+2028 (line break)")]


def test_a_heading_s_escape_sequence_never_reaches_the_terminal(tmp_path):
    """The headings a missing column's message lists were printed as they were: ``ESC[31m`` in a
    heading coloured the user's terminal, and a pasted paragraph buried the message."""
    (tmp_path / "xa.csv").write_text(csv_text([["Tên\x1b[31mxã", "Mã", "x" * 300], ["Xã A", "a", ""]]),
                                     encoding="utf-8")
    [problem] = problems_of(script_for(tmp_path, "xa.csv"))
    assert problem.endswith(f"(row 1 has: Tên<U+001B>[31mxã, Mã, {'x' * 40}...)")
    assert "\x1b" not in problem


def test_a_heading_s_invisible_character_is_named_where_a_column_is_missing(tmp_path):
    """'no column headed 'Mã' (it has 'Tên xã', 'Mã', ...)' showed two headings that looked the
    same: the file's held a zero-width space."""
    (tmp_path / "xa.csv").write_text(csv_text([[*HEADER[:1], "Mã\u200b", *HEADER[2:]], ROWS[1]]),
                                     encoding="utf-8")
    [problem] = problems_of(script_for(tmp_path, "xa.csv"))
    assert ("no column headed 'Mã' in row 1 of 'xa.csv' (it has 'Tên xã', 'Mã<U+200B>', 'Điện thoại'"
            in problem)
