"""Names and titles are one line: a line break in them is refused at its key.

A spot's title with a line break (``"Tin 1\\n#EXTINF:-1,evil\\nhttp://evil.example/x.mp3"``) added
an entry pointing at a remote MP3 to every ``lich-*.m3u`` of the kit and split the lines of
``schedule.txt``, and the build said nothing.  A commune list read from a spreadsheet already
refused line breaks in its cells; the script's own names, titles and variables now do too
(``one_line`` in the field's metadata), while texts where a line break means a new paragraph or
a new printed line keep them.
"""

from __future__ import annotations

import re

import pytest
from campaign_helpers import MINIMAL, write

from bzmedia.campaign import CampaignError, load_campaign
from bzmedia.campaign.editor_schema import campaign_schema

EVIL = "Tin 1\\n#EXTINF:-1,evil\\nhttp://evil.example/x.mp3"
SPOT = 'audio:\n  spots:\n    - id: tin-1\n      text: "Xin chào."\n'


def problems_of(path) -> list[str]:
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    return [str(p) for p in caught.value.problems]


def holds(char: str) -> str:
    return f"the text must be one line, but it holds {char} (line break); write it on one line"


def test_a_line_break_in_a_spot_title_is_refused_at_the_title(tmp_path):
    path = write(tmp_path, MINIMAL + SPOT + f'      title: "{EVIL}"\n'
                 '    - {id: tin-2, text: "Xin chào.", title: "Tin 2\\rB"}\n'
                 '    - id: tin-3\n      text: "Xin chào."\n      title: |\n        Tin 3\n        evil\n')
    assert problems_of(path) == [
        f"{path}:10:14: audio.spots[0].title: {holds('U+000A')}",
        f"{path}:11:45: audio.spots[1].title: {holds('U+000D')}",
        f"{path}:14:14: audio.spots[2].title: the text must be one line, but this '|' block holds "
        "several; write the text on one line after the key"]


def test_names_and_hotlines_are_one_line_and_variables_may_hold_paragraphs(tmp_path):
    """A commune's name, hotline and the campaign's issuer are one line by nature; a variable may
    be a contact block of several lines (the writers fold it where it fills a one-line text)."""
    script = (MINIMAL.replace('"UBND xã Sơn Vi"', '"UBND\\u2029xã"')
              + 'variables:\n  lien_he: "Trạm y tế xã\\nĐiện thoại: 0210 3825 368"\n'
              + 'localities:\n  - id: son-vi\n    name: "xã\\u2028Sơn Vi"\n    hotline: "0210\\n3825"\n'
              + '    vars: {station: "Đài\\nxã"}\n'
              + 'stats: {date: 2020-08-13, unit: "lượt\\ncài", values: {son-vi: "12"}}\n'
              + SPOT + '      title: "{locality.name} – {lien_he}"\n')
    path = write(tmp_path, script)
    assert problems_of(path) == [
        f"{path}:4:11: campaign.issuer: {holds('U+2029')}",
        f"{path}:10:11: localities[0].name: {holds('U+2028')}",
        f"{path}:11:14: localities[0].hotline: {holds('U+000A')}",
        f"{path}:13:33: stats.unit: {holds('U+000A')}"]


def test_a_one_line_block_is_one_line(tmp_path):
    """A ``|`` block of one line ends in a line break of YAML's own: it is dropped, not refused."""
    path = write(tmp_path, MINIMAL.replace('"Cài đặt Bluezone"', "|\n    Cài đặt Bluezone")
                 + SPOT + "      title: |\n        Tin 1\n")
    campaign, _ = load_campaign(path)
    assert campaign.campaign.title == "Cài đặt Bluezone"
    assert campaign.audio.spots[0].title == "Tin 1"


def test_texts_made_of_lines_keep_their_line_breaks(tmp_path):
    """A spot's text (paragraphs), a leaflet's headline (its printed lines), a slide's title
    (the slide folds it) and the campaign's summary may hold line breaks."""
    path = write(tmp_path, MINIMAL + '  summary: "Một.\\nHai."\n'
                 + 'audio:\n  spots:\n    - {id: tin-1, text: "Câu một.\\n\\nCâu hai."}\n'
                 + 'print:\n  - {id: to-roi, kind: leaflet, headline: "Cài đặt\\nBluezone"}\n'
                 + 'signage:\n  slides:\n    - {id: mo-dau, kind: title, title: "Cài đặt\\nBluezone"}\n')
    campaign, _ = load_campaign(path)
    assert campaign.audio.spots[0].text == "Câu một.\n\nCâu hai."
    assert campaign.print_[0].headline == "Cài đặt\nBluezone"
    assert campaign.signage.slides[0].title == "Cài đặt\nBluezone"


def test_the_editor_schema_refuses_what_the_loader_refuses():
    schema = campaign_schema()
    pattern = schema["$defs"]["Spot"]["properties"]["title"]["pattern"]
    one_line = re.compile(pattern)
    assert [bool(one_line.search(t)) for t in ("Tin 1", "Tin 1\n", "Tin 1\nevil", "Tin\u20281")] == [
        True, True, False, False]
    assert "pattern" not in schema["$defs"]["Spot"]["properties"]["text"]
