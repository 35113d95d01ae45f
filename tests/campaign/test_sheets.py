"""Localities from a spreadsheet: ``localities:`` names an ``.xlsx`` or ``.csv`` file."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bzmedia.campaign import load_campaign
from bzmedia.campaign.sheets import slug
from bzmedia.cli import cli
from bzmedia.errors import CampaignError

CONTENT = Path(__file__).resolve().parents[2] / "content"
SEED_002 = {"Gia Nghĩa": "13.404", "Đắk Mil": "8.713", "Đắk R'Lấp": "7.498", "Cư Jút": "6.963",
            "Đắk Song": "6.567", "Krông Nô": "5.757", "Đắk Glong": "4.397", "Tuy Đức": "4.217"}


@pytest.fixture
def dak_nong(tmp_path: Path) -> Path:
    """A writable copy of the seed-002 example (script and CSV)."""
    for name in ("dak-nong-2020.yaml", "dak-nong-2020.csv"):
        shutil.copy(CONTENT / name, tmp_path / name)
    return tmp_path / "dak-nong-2020.yaml"


def csv_rows() -> list[list[str]]:
    with (CONTENT / "dak-nong-2020.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def write_xlsx(path: Path, rows: list[list[object]], title: str | None = "Số cài đặt Bluezone",
               sheet_name: str = "Sheet1") -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    if title is not None:  # a merged title row and a blank row above the header, as offices make them
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        sheet.append([])
    for row in rows:
        sheet.append(row)
    book.save(path)


def use_xlsx(script: Path, sheet: str | None = None) -> None:
    text = script.read_text(encoding="utf-8").replace("file: dak-nong-2020.csv", "file: dak-nong-2020.xlsx")
    if sheet:
        text = text.replace("  file: dak-nong-2020.xlsx\n", f"  file: dak-nong-2020.xlsx\n  sheet: {sheet}\n")
    script.write_text(text, encoding="utf-8")


def figures(campaign) -> list[tuple]:
    return [(loc.id, loc.name, loc.vars["installs"], loc.vars["rank"], loc.vars["station"])
            for loc in campaign.localities]


def validate(script: Path):
    return CliRunner(mix_stderr=False).invoke(cli, ["validate", str(script)])


def errors(result) -> list[str]:
    assert "Traceback" not in result.stderr + result.stdout
    return [line for line in result.stderr.splitlines() if not line.endswith("found.")]


def test_the_seed_table_from_csv_and_from_xlsx_gives_the_same_localities_and_figures(dak_nong):
    from_csv, _ = load_campaign(dak_nong)
    header, *body = csv_rows()[2:]
    # In the workbook the counts are Excel numbers (one typed 8.713 in an English-locale Excel,
    # stored as the float 8.713) and an empty row sits in the middle.
    numbers = [[*row[:3], int(row[3].replace(".", ""))] for row in body]
    numbers[1][3] = 8.713
    write_xlsx(dak_nong.with_suffix(".xlsx"), [header, *numbers[:4], [], *numbers[4:]], sheet_name="Huyện")
    use_xlsx(dak_nong, sheet="Huyện")
    from_xlsx, _ = load_campaign(dak_nong)
    assert figures(from_csv) == figures(from_xlsx)
    assert [(name, count) for _, name, count, _, _ in figures(from_csv)] == [
        (f"{'thành phố' if place == 'Gia Nghĩa' else 'huyện'} {place}", count)
        for place, count in SEED_002.items()]
    assert figures(from_csv)[0][3] == "1" and figures(from_csv)[-1][3] == "8"
    assert from_csv.variables["total_installs"] == "57.511"
    assert from_csv.variables["total_percent"] == "8,82 %"


def test_ids_are_diacritic_free_slugs_and_a_collision_is_located(tmp_path, dak_nong):
    assert slug("Xã Đắk R'Lấp") == "xa-dak-rlap"
    assert slug("Phường Ngã Năm") == "phuong-nga-nam"
    rows = [["Tên", "Thuộc"], ["huyện Đắk Mil", ""], ["huyện Đắk Song", ""],
            ["Xã Phú Lộc", "huyện Đắk Mil"], ["Xã Phú Lộc", "huyện Đắk Song"]]
    write_xlsx(tmp_path / "xa-phuong.xlsx", rows)
    script = _script(tmp_path, "file: xa-phuong.xlsx\n  name: Tên\n  parent: Thuộc")
    [message] = errors(validate(script))
    assert message.startswith(f"{tmp_path / 'xa-phuong.xlsx'}:Sheet1!A7: name: id 'xa-phu-loc' is "
                              "also the id of row 6")
    assert "add an id column" in message


def test_parents_by_name_become_ids(tmp_path):
    rows = [["Tên", "Thuộc"], ["huyện Đắk Mil", ""], ["Xã Đắk Lao", "huyện Đắk Mil"]]
    write_xlsx(tmp_path / "xa.xlsx", rows, title=None)
    campaign, _ = load_campaign(_script(tmp_path, "file: xa.xlsx\n  name: Tên\n  parent: Thuộc"))
    assert [(loc.id, loc.parent) for loc in campaign.localities] == [
        ("huyen-dak-mil", None), ("xa-dak-lao", "huyen-dak-mil")]


def test_a_hotline_typed_as_an_excel_number_is_located_at_its_cell(tmp_path):
    rows = [["Tên", "Đường dây nóng"]] + [[f"Xã Số {i}", f"0261 3544 0{i:02d}"] for i in range(1, 12)]
    rows.append(["Xã Số 12", 2613544012])
    write_xlsx(tmp_path / "xa-phuong.xlsx", rows, title=None)
    script = _script(tmp_path, "file: xa-phuong.xlsx\n  name: Tên\n  hotline: Đường dây nóng")
    [message] = errors(validate(script))
    assert message.startswith(f"{tmp_path / 'xa-phuong.xlsx'}:Sheet1!B13: hotline: 2613544012 is typed "
                              "as a number, so its leading 0 is lost")


BROKEN = {
    "missing name column": ("Mã;Lượt cài đặt\ngia-nghia;13.404\n", ".yaml:14:9: localities.name: "
                            "no column headed 'Huyện, thành phố' in the first 30 rows"),
    "missing column": ("Huyện, thành phố;Đài truyền thanh;Lượt cài đặt\nhuyện A;Đài;1\n",
                       ".yaml:15:7: localities.id: no column headed 'Mã' in row 1 of "
                       "'dak-nong-2020.csv' (it has 'Huyện, thành phố', 'Đài truyền thanh', 'Lượt cài đặt')"),
    "duplicate name": ("Huyện, thành phố;Mã;Đài truyền thanh;Lượt cài đặt\nhuyện A;a;Đài;1\n"
                       "huyện A;b;Đài;2\n", ".csv:A3: name: duplicate name “huyện A” (first on row 2)"),
    "text in a number column": ("Huyện, thành phố;Mã;Đài truyền thanh;Lượt cài đặt\nhuyện A;a;Đài;1\n"
                                "huyện B;b;Đài;khoảng 8 nghìn\n", ".csv:D3: stats.column: “khoảng 8 "
                                "nghìn” is not a count"),
    "empty file": ("", ".yaml:13:9: localities.file: 'dak-nong-2020.csv' is empty"),
    "not a spreadsheet": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", ".yaml:13:9: localities.file: "
                          "'dak-nong-2020.csv' is not a CSV text file (row 3 holds a NUL byte"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_csv_gives_a_located_error_and_no_traceback(dak_nong, case):
    content, expected = BROKEN[case]
    path = dak_nong.with_suffix(".csv")
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    found = errors(validate(dak_nong))
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize("data, expected", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "is an Office file but not a workbook"),
    (b"PK\x03\x04 not really a zip", "is not an Excel workbook"),
    (b"hello", "is not an Excel workbook"),
])
def test_a_workbook_that_cannot_be_read_is_one_line_at_the_file_key(dak_nong, data, expected):
    use_xlsx(dak_nong)
    dak_nong.with_suffix(".xlsx").write_bytes(data)
    [message] = errors(validate(dak_nong))
    assert ": localities.file: 'dak-nong-2020.xlsx' " in message and expected in message


def test_a_missing_sheet_names_the_sheets_there(dak_nong):
    write_xlsx(dak_nong.with_suffix(".xlsx"), csv_rows()[2:], sheet_name="Huyện")
    use_xlsx(dak_nong, sheet="Xã")
    [message] = errors(validate(dak_nong))
    assert "has no sheet 'Xã'; its sheets: Huyện" in message


def test_the_file_must_stay_inside_the_campaign_folder(dak_nong):
    outside = dak_nong.parent.parent / "elsewhere.csv"
    shutil.copy(CONTENT / "dak-nong-2020.csv", outside)
    text = dak_nong.read_text(encoding="utf-8").replace("file: dak-nong-2020.csv", "file: ../elsewhere.csv")
    dak_nong.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(dak_nong)
    assert "points outside the campaign folder" in str(caught.value)


def test_a_120_row_commune_sheet_validates(tmp_path):
    rows = [["STT", "Tên xã, phường", "Đường dây nóng", "Lượt cài đặt"]]
    rows += [[i, f"Xã Số {i}", f"0261 3544 {i:03d}", 1000 + 37 * i] for i in range(1, 121)]
    write_xlsx(tmp_path / "xa-phuong.xlsx", rows)
    script = _script(tmp_path, "file: xa-phuong.xlsx\n  name: Tên xã, phường\n  hotline: Đường dây nóng",
                     stats="stats: {date: 2020-08-13, column: Lượt cài đặt}\n")
    started = time.monotonic()
    result = validate(script)
    print(f"120-row sheet: validate took {time.monotonic() - started:.2f} s in-process")
    assert result.exit_code == 0, result.stderr
    campaign, _ = load_campaign(script)
    assert len(campaign.localities) == 120
    assert campaign.localities[-1].vars == {"installs": "5.440", "rank": "1", "rank_of": "120"}


def _script(folder: Path, sheet: str, stats: str = "") -> Path:
    script = folder / "xa.yaml"
    script.write_text(f"""campaign:
  id: thu
  title: "Cài đặt Bluezone"
  issuer: "UBND tỉnh Đắk Nông"
  url: https://www.bluezone.gov.vn
localities:
  {sheet}
{stats}audio:
  spots:
    - id: a
      text: "Bà con {{locality.name}} cài đặt Bluezone."
""", encoding="utf-8")
    return script


def test_a_name_from_the_sheet_too_long_for_a_print_box_is_reported_at_its_cell(tmp_path):
    """The preflight's message for a locality read from a file points at the cell to change."""
    campaign = tmp_path / "campaign"
    shutil.copytree(CONTENT, campaign)
    script = campaign / "bluezone-2020.yaml"
    text = script.read_text(encoding="utf-8").split("\nsignage:")[0] + "\n"  # slides, images: tested apart
    head, rest = text.split("localities:\n", 1)
    rest = rest[rest.index("\n\n"):]
    script.write_text(head + "localities:\n  file: xa.csv\n  name: Tên\n  hotline: Điện thoại\n"
                      "  vars: {station: Đài}\n" + rest, encoding="utf-8")
    long_name = "xã Sơn Vi " + "Thượng Nguồn Sông Lô " * 6
    (campaign / "xa.csv").write_text(  # the example's stats: read the installs column
        "\ufeffTên,Điện thoại,Đài,Lượt cài đặt\nxã Sơn Vi,0210 3825 111,Đài truyền thanh xã Sơn Vi,1\n"
        f"{long_name.strip()},0210 3829 214,Đài truyền thanh xã Tứ Xã,2\n", encoding="utf-8")
    [message] = errors(validate(script))
    assert message.startswith(f"{campaign / 'xa.csv'}:A3: name: {{locality.name}} “xã Sơn Vi Thượng")
    assert "print item 'ap-phich'" in message and "shorten it to about" in message


def test_validate_of_a_workbook_script_imports_no_image_array_or_openpyxl_library(dak_nong):
    """calamine reads the workbook (3 ms to import); openpyxl (0.2 s) only writes init's template."""
    write_xlsx(dak_nong.with_suffix(".xlsx"), csv_rows()[2:], sheet_name="Huyện")
    use_xlsx(dak_nong)
    code = ("import sys\nfrom bzmedia.cli import cli\n"
            f"try:\n    cli(['validate', {str(dak_nong)!r}])\n"
            "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
            "print('heavy:', sorted({m.split('.')[0] for m in sys.modules if sys.modules[m] is not None}"
            " & {'reportlab', 'PIL', 'numpy', 'scipy', 'openpyxl', 'python_calamine'}))\n"
            "import numpy, PIL.Image\n")  # still importable afterwards: a build needs them
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("heavy: ['python_calamine']"), proc.stdout


def test_excel_dates_and_numbers_in_variable_columns_read_as_people_write_them(tmp_path):
    import datetime

    rows = [["Tên", "Hạn", "Số hộ"], ["Xã Đắk Lao", datetime.datetime(2020, 8, 20), 1234.0],
            ["Xã Thuận An", "20/8/2020", "1234"]]
    write_xlsx(tmp_path / "xa.xlsx", rows, title=None)
    sheet = "file: xa.xlsx\n  name: Tên\n  vars: {han: Hạn, ho: Số hộ}"
    campaign, _ = load_campaign(_script(tmp_path, sheet))
    assert [loc.vars for loc in campaign.localities] == [{"han": "20/8/2020", "ho": "1234"}] * 2


def test_init_writes_a_communes_workbook_that_the_template_keys_read(tmp_path):
    from bzmedia.campaign.sheets import TEMPLATE_NAME, TEMPLATE_YAML

    folder = tmp_path / "moi"
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    for script in folder.glob("*.yaml"):  # both examples name the schema copied beside them
        assert "$schema=campaign.schema.json" in script.read_text(encoding="utf-8").splitlines()[0]
    book = openpyxl.load_workbook(folder / TEMPLATE_NAME)
    assert book.active["D3"].number_format == "@"  # hotlines stay text, with their leading 0
    script = folder / "tu-bang.yaml"
    head = (folder / "bluezone-2020.yaml").read_text(encoding="utf-8").split("\nlocalities:")[0]
    script.write_text(head + "\n" + TEMPLATE_YAML, encoding="utf-8")
    campaign, _ = load_campaign(script)
    assert [(loc.id, loc.hotline, loc.vars["rank"]) for loc in campaign.localities] == [
        ("son-vi", "0210 3825 111", "2"), ("tu-xa", "0210 3829 214", "3"), ("hung-son", "0210 3826 035", "1")]


def test_excel_error_cells_and_uncomputed_formulas_are_reported_at_their_cells(dak_nong):
    """calamine reads ``#N/A`` and a never-computed formula as empty: a lost hotline or count must
    still be said, at its cell, all at once."""
    rows = csv_rows()[2:]  # the header, then one row per district (Excel rows 2-9)
    count = rows[0].index("Lượt cài đặt")
    rows[3][count] = "#DIV/0!"  # openpyxl saves an error code as an error cell, as Excel does
    rows[6][count] = "=SUM(D2:D3)"  # and a formula without a computed value
    write_xlsx(dak_nong.parent / "dak-nong-2020.xlsx", rows, title=None)
    use_xlsx(dak_nong)
    result = validate(dak_nong)
    assert result.exit_code == 1
    where = f"{dak_nong.parent / 'dak-nong-2020.xlsx'}:Sheet1!{'ABCD'[count]}"
    assert errors(result) == [
        f"{where}4: stats.column: holds the Excel error #DIV/0!; correct its formula in Excel, or type "
        "the value",
        f"{where}7: stats.column: holds the formula =SUM(D2:D3), which was never computed (the file was "
        "written by a program, not saved from Excel); open and save it in Excel, or type the value"]


def test_a_formula_saved_with_its_value_is_read_as_that_value(tmp_path):
    """What Excel saves (a formula and its computed value, text results marked ``str``) reads as
    the value; only error and never-computed cells are reported."""
    from bzmedia.campaign.sheetfiles import CellError, error_cells

    part = (b'<worksheet><sheetData><row r="1"><c r="A1"><f>1+1</f><v>2</v></c>'
            b'<c r="B1" t="str"><f>IF(A1&gt;5,"x","")</f><v></v></c><c r="C1" t="e"><f>1/0</f>'
            b'<v>#DIV/0!</v></c><c r="D1"><f>A1*2</f></c></row></sheetData></worksheet>')
    found = error_cells(part)
    assert found == {(1, 3): "#DIV/0!", (1, 4): "=A1*2"}
    assert all(isinstance(cell, CellError) for cell in found.values())
    assert found[(1, 4)].never_computed and not found[(1, 3)].never_computed


def test_an_error_cell_in_a_variables_column_is_reported_at_its_cell(dak_nong):
    rows = csv_rows()[2:]
    rows[1][rows[0].index("Đài truyền thanh")] = "#N/A"
    write_xlsx(dak_nong.parent / "dak-nong-2020.xlsx", rows, title=None)
    use_xlsx(dak_nong)
    result = validate(dak_nong)
    assert result.exit_code == 1
    assert errors(result) == [
        f"{dak_nong.parent / 'dak-nong-2020.xlsx'}:Sheet1!C2: vars.station: holds the Excel error #N/A; "
        "correct its formula in Excel, or type the value"]
