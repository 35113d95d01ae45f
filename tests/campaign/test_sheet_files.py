"""Commune files as offices really save them, and broken ones through the real CLI.

The bytes are real: Windows-1258 written by Python's codec the way Windows writes Vietnamese
(base letter + combining tone mark), UTF-16 with its BOM as Excel's "Unicode Text", a workbook
encrypted with a password by msoffcrypto-tool as Excel does it, a zip bomb built with zipfile, a
zip whose headers lie about a part's size, sheets reaching Excel's last cell; workbooks are read by
the real python-calamine.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bzmedia.campaign import load_campaign
from bzmedia.campaign.sheetfiles import (
    MAX_COLUMNS,
    MAX_UNZIPPED,
    READ_ROWS,
    SheetError,
    decode_text,
    quick_extent,
    read_rows,
    sheet_extent,
)
from bzmedia.errors import CampaignError

CONTENT = Path(__file__).resolve().parents[2] / "content"
TONES = "\u0300\u0301\u0303\u0309\u0323"
COMMUNES = [("Xã Tứ Xã", "0210 3829 214"), ("Xã Đắk R'Lấp", "0261 3544 012"),
            ("Phường Ngã Năm", "0299 3866 151"), ("Thị trấn Hùng Sơn", "0210 3826 035")]
SCRIPT = """campaign:
  id: thu
  title: "Cài đặt Bluezone"
  issuer: "UBND tỉnh"
  url: https://www.bluezone.gov.vn
localities:
  file: {file}
  name: Tên xã
  hotline: Điện thoại
audio:
  spots:
    - id: a
      text: "Bà con {{locality.name}} gọi {{hotline}}."
"""


def windows_1258(text: str) -> bytes:
    """``text`` as a Vietnamese Windows saves it: the letters cp1258 has (â, ơ, ư, đ ...) and a
    combining tone mark after them (Python's codec has no precomposed ``ứ``)."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += base.encode("cp1258") + "".join(c for c in parts if c in TONES).encode("cp1258")
    return out


def table_text(delimiter: str) -> str:
    rows = [["Danh sách xã (số liệu ví dụ)", ""], ["Tên xã", "Điện thoại"], *map(list, COMMUNES)]
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


def script_for(folder: Path, name: str, data: bytes) -> Path:
    (folder / name).write_bytes(data)
    script = folder / "xa.yaml"
    script.write_text(SCRIPT.format(file=name), encoding="utf-8")
    return script


def read_back(script: Path) -> list[tuple[str, str, str]]:
    campaign, _ = load_campaign(script)
    return [(loc.id, loc.name, loc.hotline) for loc in campaign.localities]


EXPECTED = [("xa-tu-xa", "Xã Tứ Xã", "0210 3829 214"), ("xa-dak-rlap", "Xã Đắk R'Lấp", "0261 3544 012"),
            ("phuong-nga-nam", "Phường Ngã Năm", "0299 3866 151"),
            ("thi-tran-hung-son", "Thị trấn Hùng Sơn", "0210 3826 035")]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1258", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_every_way_excel_saves_a_csv_gives_the_same_communes_in_nfc(tmp_path, encoding, delimiter):
    text = table_text(delimiter)
    data = windows_1258(text) if encoding == "cp1258" else text.encode(encoding)
    if encoding == "cp1258":  # the real thing: tone marks apart, and not UTF-8
        assert b"\xfd\xec" in data  # ư + combining acute: the "ứ" of Tứ
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    if encoding == "utf-16":
        assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    found = read_back(script_for(tmp_path, "xa.csv", data))
    assert found == EXPECTED
    assert all(unicodedata.is_normalized("NFC", name) for _, name, _ in found)


def test_decomposed_utf8_cells_are_composed():
    text, encoding = decode_text(unicodedata.normalize("NFD", "Tên xã\nXã Tứ Xã\n").encode("utf-8"))
    assert (text, encoding) == ("Tên xã\nXã Tứ Xã\n", "utf-8")


def test_utf8_with_one_broken_byte_is_located_not_read_as_windows_1258(tmp_path):
    data = table_text(";").encode("utf-8")
    broken = data.replace("Ngã".encode(), b"Ng\xc3", 1)  # a lead byte without its continuation
    script = script_for(tmp_path, "xa.csv", broken)
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    [problem] = caught.value.problems
    assert problem.path == "localities.file"
    assert "is UTF-8 text with a broken byte 0xC3 on row 5" in problem.message


def test_bytes_neither_utf8_nor_windows_1258_name_the_row(tmp_path):
    data = windows_1258(table_text(",")).replace(b"Ng", b"N\x81", 1)  # 0x81: not in cp1258
    script = script_for(tmp_path, "xa.csv", data)
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    assert "is not neither" not in str(caught.value)
    assert "is neither UTF-8 nor Windows-1258 (Vietnamese Windows) text: byte 0x81 on row 5" in str(
        caught.value)


def test_localities_may_name_just_the_file(tmp_path):
    (tmp_path / "xa.csv").write_text("\ufeffname,hotline\nXã Tứ Xã,0210 3829 214\n", encoding="utf-8")
    script = tmp_path / "xa.yaml"
    script.write_text(SCRIPT.split("localities:")[0] + "localities: xa.csv\n", encoding="utf-8")
    campaign, _ = load_campaign(script)
    assert [(loc.id, loc.name) for loc in campaign.localities] == [("xa-tu-xa", "Xã Tứ Xã")]
    assert campaign.locality_sheet.file == "xa.csv"
    # a Vietnamese heading of the names column is found too (the example's workbook, title row above)
    shutil.copy(CONTENT / "xa-phuong.xlsx", tmp_path / "xa-phuong.xlsx")
    script.write_text(SCRIPT.split("localities:")[0] + "localities: xa-phuong.xlsx\n", encoding="utf-8")
    campaign, _ = load_campaign(script)
    assert [loc.id for loc in campaign.localities] == ["xa-son-vi", "xa-tu-xa", "thi-tran-hung-son"]
    (tmp_path / "xa.csv").write_text("Xã;Điện thoại\nXã Tứ Xã;0210 3829 214\n", encoding="utf-8")
    script.write_text(SCRIPT.split("localities:")[0] + "localities: xa.csv\n", encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    assert "localities.name: no column headed 'name' or 'Tên xã' (say which with name: <heading>) in " \
           "the first 30 rows of 'xa.csv' (row 1 has: Xã, Điện thoại)" in str(caught.value)


def test_one_locality_written_without_its_dash_is_told_as_such_not_as_a_missing_file(tmp_path):
    script = tmp_path / "xa.yaml"
    script.write_text(SCRIPT.split("localities:")[0] + "localities: {id: a, name: xã A}\n", encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    assert [str(p) for p in caught.value.problems] == [
        f"{script}:6:13: localities: this is one entry of a list without its '- ': write each entry on a "
        "line starting with '- ' (or name a file with 'file:')"]
    # a spreadsheet's columns without file: still say that file: is missing
    script.write_text(SCRIPT.split("localities:")[0] + "localities: {sheet: Sheet1, name: Tên xã}\n",
                      encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    assert "localities.file: required key 'file' is missing" in str(caught.value)


def test_every_problem_of_a_file_is_reported_at_once_at_its_cell(tmp_path):
    rows = "Tên xã;Điện thoại\nXã A;0210 1\nXã A;0210 2\nXã B;gọi UBND\n;0210 3\nXã C;0210 4\n"
    script = script_for(tmp_path, "xa.csv", rows.encode("utf-8"))
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    shown = [f"{p.cell}: {p.path}: {p.message}" for p in caught.value.problems]
    assert [line.split(":")[0:2] for line in shown] == [["A3", " name"], ["B4", " hotline"], ["A5", " name"]]
    assert "duplicate name “Xã A” (first on row 2)" in shown[0]


# -- broken files through the real CLI -----------------------------------------------------------
def _example(folder: Path) -> Path:
    """The Lâm Thao example's workbook (xa-phuong.xlsx) and a short script reading it with the
    example's keys (the whole example's layout checks would only slow the test)."""
    from bzmedia.campaign.sheets import TEMPLATE_NAME, TEMPLATE_YAML

    folder.mkdir()
    shutil.copy(CONTENT / TEMPLATE_NAME, folder / TEMPLATE_NAME)
    script = folder / "xa.yaml"
    script.write_text(SCRIPT.split("localities:")[0] + TEMPLATE_YAML.split("stats:")[0], encoding="utf-8")
    return script


def _encrypted(workbook: Path) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with workbook.open("rb") as handle:
        OOXMLFile(handle).encrypt("matkhau", out)
    return out.getvalue()


def _zip_bomb(workbook: Path) -> bytes:
    """The example workbook plus one part that unpacks to more than the cap (from ~60 KB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/worksheets/sheet2.xml", b" " * (MAX_UNZIPPED + 1))
    return out.getvalue()


def _huge_sheet(_: Path) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Xã phường")
    sheet.append(["Tên xã, phường", "Mã", "Thuộc", "Đường dây nóng", "Đài truyền thanh"])
    for i in range(1, 3_001):
        sheet.append([f"xã Số {i}", f"xa-{i}", None, f"0210 38{i:05d}", f"Đài xã {i}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _edited(changes: dict[str, object]):
    def make(workbook: Path) -> bytes:
        book = openpyxl.load_workbook(workbook)
        for ref, value in changes.items():
            book.active[ref] = value
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    return make


def _parts(workbook: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(workbook) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


SHEET_PART = "xl/worksheets/sheet1.xml"


def _damaged_sheet(workbook: Path) -> bytes:
    parts = _parts(workbook)
    parts[SHEET_PART] = parts[SHEET_PART][: len(parts[SHEET_PART]) // 2]  # cut mid-element
    return _zipped(parts)


def _lying_size(workbook: Path) -> bytes:
    """A sheet part that inflates to 5 MB while both its zip headers say 2 KB: only the
    declared sizes are capped, so no reader may inflate past them (zipfile checks, then the CRC)."""
    parts = _parts(workbook)
    parts[SHEET_PART] = parts[SHEET_PART].replace(b"</sheetData>", b" " * 5_000_000 + b"</sheetData>")
    data = bytearray(_zipped(parts))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET_PART)
    small = (2_000).to_bytes(4, "little")
    data[info.header_offset + 22: info.header_offset + 26] = small  # local header: uncompressed size
    central = data.index(b"PK\x01\x02", info.header_offset + 30)
    while data[central + 46: central + 46 + len(SHEET_PART)] != SHEET_PART.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24: central + 28] = small  # central directory: uncompressed size
    return bytes(data)


BROKEN = {
    "missing column": (_edited({"D2": "Điện thoại"}), "localities.hotline: no column headed "
                       "'Đường dây nóng' in row 2 of 'xa-phuong.xlsx'"),
    "duplicate name": (_edited({"A4": "xã Sơn Vi"}), "xa-phuong.xlsx:Xã phường!A4: name: duplicate name "
                       "“xã Sơn Vi” (first on row 3)"),
    "hotline a number": (_edited({"D4": 210382921}), "xa-phuong.xlsx:Xã phường!D4: hotline: 210382921 is "
                         "typed as a number"),
    "empty file": (lambda _: b"", "localities.file: 'xa-phuong.xlsx' is empty"),
    "not a spreadsheet": (lambda _: (CONTENT / "assets" / "logo.png").read_bytes(),
                          "localities.file: 'xa-phuong.xlsx' is not an Excel workbook (.xlsx)"),
    "password-protected": (_encrypted, "localities.file: 'xa-phuong.xlsx' is password-protected; open it "
                           "in Excel, remove the password"),
    "zip bomb": (_zip_bomb, "localities.file: 'xa-phuong.xlsx' unpacks to 50 MB (at most 50 MB)"),
    "huge sheet": (_huge_sheet, "localities.file: 'xa-phuong.xlsx' has more than 1,000 rows below"),
    # calamine holds A1..the farthest value as one rectangle: 16,384 x 1,048,576 cells would abort
    "a value in the last cell": (_edited({"XFD1048576": "x"}), "localities.file: 'xa-phuong.xlsx' has "
                                 "values as far as row 1,048,576 and column XFD; a list of localities"),
    "damaged sheet": (_damaged_sheet, "localities.file: 'xa-phuong.xlsx' has a sheet 'Xã phường' that "
                      "cannot be read as a table (XmlError: "),
    "lying zip sizes": (_lying_size, "localities.file: 'xa-phuong.xlsx' is not an Excel workbook (.xlsx) "
                        "that can be read (BadZipFile)"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_communes_workbook_is_one_located_line_exit_1_through_the_cli(tmp_path, case):
    make, expected = BROKEN[case]
    script = _example(tmp_path / "c")
    workbook = script.parent / "xa-phuong.xlsx"
    workbook.write_bytes(make(workbook))
    proc = subprocess.run([sys.executable, "-m", "bzmedia", "validate", str(script)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if not line.endswith("found.")]
    assert len(lines) == 1 and expected in lines[0], proc.stderr
    assert lines[0].startswith(str(script.parent)), lines[0]


# -- the example's workbook ----------------------------------------------------------------------
def test_the_example_reads_its_three_communes_from_its_workbook_with_the_kit_paths_of_before():
    campaign, _ = load_campaign(CONTENT / "bluezone-2020.yaml")
    assert campaign.locality_sheet.file == "xa-phuong.xlsx"
    assert [(loc.id, loc.name, loc.hotline, loc.vars["station"]) for loc in campaign.localities] == [
        ("son-vi", "xã Sơn Vi", "0210 3825 111", "Đài truyền thanh xã Sơn Vi"),
        ("tu-xa", "xã Tứ Xã", "0210 3829 214", "Đài truyền thanh xã Tứ Xã"),
        ("hung-son", "thị trấn Hùng Sơn", "0210 3826 035", "Đài truyền thanh thị trấn Hùng Sơn")]
    # the illustrative installs column gives the chart slide its figures
    assert [loc.vars["rank"] for loc in campaign.localities] == ["2", "3", "1"]


def test_the_committed_example_workbook_is_what_write_template_writes(tmp_path):
    """content/xa-phuong.xlsx is made by sheets.write_template (as `bzmedia init` writes it); the
    same code gives the same parts (no save time in them), so the committed file can be checked."""
    from bzmedia.campaign.sheets import TEMPLATE_NAME, write_template

    write_template(tmp_path / "a.xlsx")
    write_template(tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()

    def parts(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as archive:  # compared unpacked: zlib versions may pack apart
            return {name: archive.read(name) for name in archive.namelist()}

    assert parts(CONTENT / TEMPLATE_NAME) == parts(tmp_path / "a.xlsx")


def test_a_list_typed_in_tcvn3_is_one_warning_at_its_first_cell_and_the_rest_is_still_checked(tmp_path):
    """An old list typed with a .VnTime font, saved as CSV: its bytes are read as Windows-1258
    (they are neither UTF-8 nor anything else), and the names come out as TCVN3 gibberish."""
    sys.path.insert(0, str(Path(__file__).parent))
    from test_legacy_encoding import to_tcvn3

    rows = "".join(f"{to_tcvn3(name)};{phone}\r\n" for name, phone in COMMUNES)
    script = script_for(tmp_path, "xa.csv", ("Ten;Tel\r\n" + rows).encode("cp1252"))
    script.write_text(script.read_text(encoding="utf-8").replace("name: Tên xã", "name: Ten")
                      .replace("hotline: Điện thoại", "hotline: Tel"), encoding="utf-8")
    campaign, warnings = load_campaign(script)
    assert len(campaign.localities) == 4
    [warning] = warnings
    assert (warning.cell, warning.path) == ("A2", "name")
    assert "looks like TCVN3/VNI (pre-Unicode) encoding (and 3 more cells of this file)" in warning.message
    script.write_text(script.read_text(encoding="utf-8").replace("gọi {hotline}", "gọi {hotline} {xa}"),
                      encoding="utf-8")
    with pytest.raises(CampaignError) as caught:  # a warning in the file does not hide the script's errors
        load_campaign(script)
    assert "variable {xa} is not defined" in str(caught.value)
    (tmp_path / "xa.csv").write_bytes(to_tcvn3(table_text(";")).encode("cp1252"))  # headings too
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    assert "no column headed 'Ten' in the first 30 rows of 'xa.csv' (row 2 has: Tªn x·, §iÖn tho¹i; " \
           "its text looks like TCVN3/VNI" in str(caught.value)


# -- no bytes end in a traceback -----------------------------------------------------------------
PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", "Tên xã;".encode(), windows_1258("Tên xã;")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=200),
       suffix=st.sampled_from([".csv", ".xlsx"]))
def test_any_bytes_are_rows_or_one_reason(tmp_path, prefix, body, suffix):
    path = tmp_path / f"xa{suffix}"
    path.write_bytes(prefix + body)
    try:
        _, rows = read_rows(path, None)
    except SheetError as exc:
        assert "\n" not in str(exc) and str(exc)
    else:
        assert all(isinstance(row, list) for row in rows)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.floats(0, 1), cut=st.integers(0, 40), insert=st.binary(max_size=30),
       part=st.sampled_from([SHEET_PART, "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"]))
def test_a_damaged_part_of_a_real_workbook_is_rows_or_one_reason(tmp_path, at, cut, insert, part):
    """Bytes cut and spliced into the example workbook's parts, read by the real calamine: a Rust
    panic or abort here would end the test run itself."""
    parts = _parts(CONTENT / "xa-phuong.xlsx")
    where = int(at * len(parts[part]))
    parts[part] = parts[part][:where] + insert + parts[part][where + cut:]
    quick, exact = quick_extent(parts[part]), sheet_extent(parts[part])
    assert quick[0] >= exact[0] and quick[1] >= exact[1]  # the quick bound never falls short
    path = tmp_path / "xa.xlsx"
    path.write_bytes(_zipped(parts))
    try:
        _, rows = read_rows(path, None)
    except SheetError as exc:
        assert "\n" not in str(exc) and str(exc)
    else:
        assert len(rows) <= READ_ROWS and all(len(row) <= MAX_COLUMNS for row in rows)


def test_sheet_extent_places_cells_as_calamine_does_with_or_without_references():
    rows = (b'<x:sheetData><x:row r="3"><x:c r="B3"><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>'
            b'<x:row><x:c r="H4" s="1"/><x:c t="s"><x:v>0</x:v></x:c></x:row></x:sheetData>')
    # row 4 follows row 3; C3 follows B3; H4 holds no value (a formatted cell), I4 follows it
    assert sheet_extent(rows) == (4, 9)
    assert sheet_extent(b'<sheetData><row r="99999999999999999"><c r="A1"><v>1</v></c></row>'
                        b'<row r="7"><c r="ZZZZZZZ7"><v>1</v></c></row></sheetData>') == (7, 10**12)
    assert sheet_extent(b"<sheetData/>") == (0, 0)
    # each of these made calamine abort the process when the reference was read nearer than it is
    for tricky in (b'<c foo=">" r="XFD9">', b"<c foo=' r=\"A1\"' r=\"XFD9\">", b'<c r="xfd9">',
                   b'<c\n  r = "XFD9"\n>'):
        part = b'<sheetData><row r="9">' + tricky + b"<v>1</v></c></row></sheetData>"
        assert sheet_extent(part) == (9, 16384), tricky
    # not a reference (calamine refuses it, but no reader may place it nearer than the cap does)
    assert sheet_extent(b'<row r="9"><c r="&#88;FD9"><v>1</v></c></row>') == (10**12, 10**12)
    assert quick_extent(b'<row r="9"><c foo=\'r="&#88;"\' r="B9"><v>1</v></c></row>') == (10**12, 10**12)
    assert quick_extent(b'<row r="9"><c r="B9"><v>1</v></c><c><v>1</v></c></row>') == (9 + 1, 2 + 2)


def test_workbook_numbers_are_ints_when_whole_and_empty_cells_are_blank_as_before(tmp_path):
    """calamine reads every number as a float; a count, an id or a hotline typed as a number reads
    as openpyxl's int did, a fraction stays a float, a date stays a date."""
    import datetime

    _, rows = read_rows(CONTENT / "xa-phuong.xlsx", None)
    assert rows[2] == ["xã Sơn Vi", "son-vi", "", "0210 3825 111", "Đài truyền thanh xã Sơn Vi", 1250]
    assert type(rows[2][5]) is int
    book = openpyxl.Workbook()
    book.active.append(["Tên", 8713, 8.713, 210382921, datetime.date(2020, 8, 20), 2.0**60])
    book.save(tmp_path / "n.xlsx")
    _, [row] = read_rows(tmp_path / "n.xlsx", None)
    assert row == ["Tên", 8713, 8.713, 210382921, datetime.date(2020, 8, 20), 2.0**60]
    assert [type(value) for value in row] == [str, int, float, int, datetime.date, float]


def test_a_chart_sheet_placed_first_is_passed_over_and_refused_when_named(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Tên"])
    book.active.append(["Xã Tứ Xã"])
    book.create_chartsheet("Biểu đồ", 0)
    book.save(tmp_path / "xa.xlsx")
    assert read_rows(tmp_path / "xa.xlsx", None) == ("Sheet", [["Tên"], ["Xã Tứ Xã"]])
    with pytest.raises(SheetError, match=r"sheet 'Biểu đồ' that is not a table .*; its worksheets: Sheet$"):
        read_rows(tmp_path / "xa.xlsx", "Biểu đồ")


@pytest.mark.parametrize("far_first", [True, False])
def test_of_two_sheet_parts_of_one_name_the_one_measured_is_the_one_calamine_reads(tmp_path, far_first):
    """Both zipfile (which measures) and calamine (which reads) take the last part of a name; were
    calamine to read the unmeasured one, a far-reaching sheet would abort this test run."""
    parts = list(_parts(CONTENT / "xa-phuong.xlsx").items())
    good = dict(parts)[SHEET_PART]
    far = good.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t>'
                       b"</is></c></row></sheetData>")
    out = io.BytesIO()
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(out, "w") as archive:
        for name, data in parts:
            for part in ((far, good) if far_first else (good, far)) if name == SHEET_PART else (data,):
                archive.writestr(name, part)
    (tmp_path / "xa.xlsx").write_bytes(out.getvalue())
    if far_first:
        assert len(read_rows(tmp_path / "xa.xlsx", None)[1]) == 5
    else:
        with pytest.raises(SheetError, match="as far as row 1,048,576 and column XFD"):
            read_rows(tmp_path / "xa.xlsx", None)
