"""Invisible formatting characters in a script or a commune list: refused where they stand.

Text copied from a web page, Word or a chat brings zero-width spaces, soft hyphens and bidi
marks that no editor shows.  They reached the kit unseen: a slide drew a gap where a zero-width
space stood, print refused a character the user could not find, and a right-to-left override
showed a commune's name reversed on the kit page and in the Zalo text.  Now each is named at its
line and column (its cell in a spreadsheet), all at once, like a control character (each
character in a value: ``test_hostile_scripts``).
"""

from __future__ import annotations

import openpyxl
import pytest
from campaign_helpers import MINIMAL, write
from cli_helpers import run_cli
from test_hostile_scripts import COPIED
from test_sheet_controls import HEADER, HOLDS, csv_text, script_for

from bzmedia.campaign import CampaignError, load_campaign


def problems_of(path) -> list[str]:
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    return [str(p) for p in caught.value.problems]


def named(code: str, name: str) -> str:
    return f"U+{code} ({name}: {COPIED})"


def test_every_invisible_character_is_reported_at_once_keys_too(tmp_path):
    text = (MINIMAL.replace("demo", "de\u200bmo") + "pronunciations:\n  Blue\u200btooth: Blu tút\n"
            + '  Zalo: "\\u202eDa lô"\n')
    path = write(tmp_path, text)
    space = named("200B", "zero width space")
    assert problems_of(path) == [
        f"{path}:2:9: campaign.id: character {space} is not allowed in a script; delete it "
        "(most editors do not show it)",
        f"{path}:7:7: pronunciations: character {space} is not allowed in a script; delete it "
        "(most editors do not show it)",
        f"{path}:8:9: pronunciations.Zalo: the text holds {named('202E', 'right-to-left override')} "
        "(written as an escape such as \\x1b or \\ud800); remove it"]


def test_an_invisible_character_in_a_comment_harms_nothing(tmp_path):
    path = write(tmp_path, "# Chiến dịch cài\u00ad đặt\u200b Bluezone\n" + MINIMAL)
    campaign, _ = load_campaign(path)
    assert campaign.campaign.id == "demo"


def test_a_zero_width_joiner_is_kept_for_the_emoji_of_a_chat_text(tmp_path):
    path = write(tmp_path, MINIMAL + "  summary: \"Cài Bluezone 👨\u200d👩\u200d👧\"\n")
    campaign, _ = load_campaign(path)
    assert campaign.campaign.summary == "Cài Bluezone 👨\u200d👩\u200d👧"


def test_an_invisible_character_in_a_csv_cell_is_refused_at_its_cell(tmp_path):
    rows = [HEADER, ["Xã Tứ\u202eXã", "tu-xa", "0210 3829 214", "Đài", "1250", ""],
            ["Xã Sơn Vi", "son-vi", "0210 3825\u200b111", "Đài", "980", ""]]
    (tmp_path / "xa.csv").write_text(csv_text(rows), encoding="utf-8")
    where = tmp_path / "xa.csv"
    assert problems_of(script_for(tmp_path, "xa.csv")) == [
        f"{where}:A2: name: {HOLDS.format(char=named('202E', 'right-to-left override'))}",
        f"{where}:C3: hotline: {HOLDS.format(char=named('200B', 'zero width space'))}"]


def test_validate_stops_at_a_workbook_s_soft_hyphen_with_exit_1(tmp_path):
    book = openpyxl.Workbook()
    for row in [HEADER, ["Xã Hùng\u00adSơn", "hung-son", "0210 3826 035", "Đài", "2104", ""]]:
        book.active.append(row)
    book.save(tmp_path / "xa.xlsx")
    result = run_cli("validate", str(script_for(tmp_path, "xa.xlsx")))
    assert (result.returncode, result.stderr.splitlines()) == (1, [
        f"{tmp_path / 'xa.xlsx'}:Sheet!A2: name: {HOLDS.format(char=named('00AD', 'soft hyphen'))}",
        "1 error found."])


def test_a_tcvn3_text_s_letter_is_not_taken_for_a_soft_hyphen(tmp_path):
    """A text typed in TCVN3 holds "ư" as the byte 0xAD, a soft hyphen when read as Unicode:
    deleting it, as the soft hyphen's message says, would destroy the letter. The text's own
    warning says to convert it; a soft hyphen in a Unicode text is still refused."""
    path = write(tmp_path, MINIMAL.replace("UBND xã Sơn Vi", "UBND x· §\u00adêng L\u00adu"))
    campaign, warnings = load_campaign(path)
    assert campaign.campaign.issuer == "UBND x· §\u00adêng L\u00adu"
    assert [(w.path, "TCVN3/VNI" in w.message) for w in warnings] == [("campaign.issuer", True)]
    unicode_text = write(tmp_path, MINIMAL.replace("Sơn Vi", "Sơn\u00adVi"), "u.yaml")
    assert [p.split(": ", 2)[1] for p in problems_of(unicode_text)] == ["campaign.issuer"]
