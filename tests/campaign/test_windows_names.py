"""Ids that become a file or folder name in the kit may not be a name Windows keeps for a device
(CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9, with any case or extension): a kit holding ``con/`` or
``nul.pdf`` cannot be unpacked or opened on the offices' PCs.  ``validate`` says so at the id, all
at once; an id that only contains such a word, or that only becomes a numbered name
(``01-con.mp3``), is fine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from campaign_helpers import MINIMAL, write
from click.testing import CliRunner

from bzmedia.audio.say import default_file_name
from bzmedia.campaign.model import LOCALITY_ID
from bzmedia.campaign.patterns import is_device_name
from bzmedia.cli import cli

WHY = ("Windows cannot make a file or folder named '{id}' (a name it keeps for a device), so the kit would "
       "not open there")


def refused(id_: str, example: str) -> str:
    return WHY.format(id=id_) + f"; choose another id, e.g. '{example}'"


def validate(script: Path) -> tuple[int, list[str]]:
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(script)])
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, [line for line in result.stderr.splitlines() if not line.endswith("found.")]


def script_with(campaign_id: str = "demo", locality_ids: tuple[str, ...] = ("son-vi",),
                item_ids: tuple[str, ...] = ("to-roi",), extra: str = "") -> str:
    localities = "".join(f"  - {{id: {loc}, name: xã {n}}}\n" for n, loc in enumerate(locality_ids))
    items = "".join(f"  - {{id: {item}, kind: leaflet, headline: Cài đặt Bluezone}}\n" for item in item_ids)
    return (MINIMAL.replace("id: demo", f"id: {campaign_id}") + "localities:\n" + localities
            + "print:\n" + items + extra)


def test_campaign_locality_and_print_ids_are_refused_at_once_each_at_its_place(tmp_path):
    path = write(tmp_path, script_with("con", ("nul", "son-vi", "com1"), ("aux", "lpt9")))
    code, lines = validate(path)
    assert code == 1
    assert lines == [
        f"{path}:2:7: campaign.id: Windows cannot make a file or folder named 'con' (a name it keeps "
        "for a device), so the kit would not open there; choose another id, e.g. 'chien-dich-con'",
        f"{path}:7:10: localities[0].id: {refused('nul', 'xa-nul')}",
        f"{path}:9:10: localities[2].id: {refused('com1', 'xa-com1')}",
        f"{path}:11:10: print[0].id: {refused('aux', 'ban-in-aux')}",
        f"{path}:12:10: print[1].id: {refused('lpt9', 'ban-in-lpt9')}"]


def test_ids_that_only_contain_a_device_word_or_become_numbered_names_are_accepted(tmp_path):
    # Spots and slides are written 01-con.mp3, 01-con.png: Windows makes those.
    extra = ("audio:\n  spots:\n    - {id: con, text: Bà con cài đặt Bluezone.}\n"
             "signage:\n  slides:\n    - {id: nul, kind: title, title: Cài đặt Bluezone}\n")
    path = write(tmp_path, script_with("console", ("con-cuong", "xa-con", "console", "com10"),
                                       ("con-pdf", "auxiliary", "lpt"), extra))
    code, lines = validate(path)  # warnings only: the leaflets leave their points box empty
    assert code == 0 and all(": warning: layout 'leaflet-a5' has room for" in line for line in lines)


def _sheet_script(tmp_path: Path, rows: str, keys: str) -> Path:
    (tmp_path / "xa.csv").write_text(rows, encoding="utf-8")
    return write(tmp_path, MINIMAL + f"localities: {{file: xa.csv, {keys}}}\n")


def test_a_sheet_id_is_refused_at_its_cell(tmp_path):
    path = _sheet_script(tmp_path, "Tên,Mã\nxã Côn Cuông,con-cuong\nxã Khác,prn\nxã Nữ,xa-con\n",
                         "name: Tên, id: Mã")
    assert validate(path) == (1, [f"{tmp_path / 'xa.csv'}:B3: id: {refused('prn', 'xa-prn')}"])


def test_an_id_made_from_a_name_says_so_and_asks_for_an_id_column(tmp_path):
    path = _sheet_script(tmp_path, "Tên\nCôn\nxã Côn\nCONSOLE\n", "name: Tên")
    assert validate(path) == (1, [
        f"{tmp_path / 'xa.csv'}:A2: name: {WHY.format(id='con')}; the id is made from the name “Côn”: "
        "add an id column (and name its heading in id:) and give this row another id, e.g. 'xa-con'"])


def test_an_id_made_from_a_name_beside_an_empty_id_cell_names_the_id_column(tmp_path):
    path = _sheet_script(tmp_path, "Tên,Mã\nNul,\nxã Nữ,xa-nu\n", "name: Tên, id: Mã")
    assert validate(path) == (1, [
        f"{tmp_path / 'xa.csv'}:A2: name: {WHY.format(id='nul')}; the id is made from the name “Nul”: "
        "give this row another id in column 'Mã', e.g. 'xa-nul'"])


def test_a_sheet_id_that_is_a_kit_folder_is_refused_as_a_listed_one_is(tmp_path):
    path = _sheet_script(tmp_path, "Tên,Mã\nxã Sơn Vi,son-vi\nxã Khác,thumbs\n", "name: Tên, id: Mã")
    assert validate(path) == (1, [f"{tmp_path / 'xa.csv'}:B3: id: 'thumbs' is the name of a kit folder "
                                  "(messages, packs, thumbs); choose another id"])


@pytest.mark.parametrize(("name", "reserved"), [
    ("con", True), ("CON.pdf", True), ("nul.txt", True), ("Lpt9.tar.gz", True), ("com0", True),
    ("aux .mp3", True), ("console", False), ("con-cuong", False), ("xa-con", False), ("com10", False),
    ("01-con.mp3", False), ("", False)])
def test_the_rule_looks_at_the_name_before_its_first_dot_in_any_case(name, reserved):
    assert is_device_name(name) is reserved


def test_the_editor_schema_pattern_refuses_the_same_ids():
    pattern = re.compile(LOCALITY_ID.pattern)
    assert [bool(pattern.fullmatch(i)) for i in ("con", "lpt0", "xa-con", "console", "com10")] == [
        False, False, True, True, True]


def test_say_refuses_such_a_file_name_and_its_default_name_steps_around_one(tmp_path):
    result = CliRunner(mix_stderr=False).invoke(cli, ["say", "xin chào", "-o", str(tmp_path / "Con.mp3")])
    assert result.exit_code == 2
    assert ("Invalid value for -o: Windows cannot make a file or folder named 'Con.mp3' (a name it "
            "keeps for a device); choose another name") in result.stderr
    assert list(tmp_path.iterdir()) == []
    assert default_file_name("Còn") == "con-1.mp3" and default_file_name("Còn nữa") == "con-nua.mp3"


def test_init_and_build_refuse_to_make_such_a_folder(tmp_path):
    runner = CliRunner(mix_stderr=False)
    made = runner.invoke(cli, ["init", str(tmp_path / "aux" / "chien-dich")])
    assert made.exit_code == 1
    assert made.stderr == ("Error: Windows cannot make a file or folder named 'aux' (a name it keeps "
                           "for a device); choose another name\n")
    script = write(tmp_path, MINIMAL)
    built = runner.invoke(cli, ["build", str(script), "-o", str(tmp_path / "NUL")])
    assert built.exit_code == 2 and "Invalid value for -o: Windows cannot make" in built.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]
