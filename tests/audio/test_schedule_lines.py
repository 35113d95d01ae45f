"""The schedule and the playlists keep one line per entry, and a spot without times is played when needed.

A line break in a spot's title once added an entry of its own to every ``lich-*.m3u`` (a remote
MP3 even) and split ``schedule.txt``; the script now refuses it (tests/campaign/
test_one_line_fields.py), and the writers also fold every title to one line, whatever reaches
them.  ``times: []`` made a schedule line "(phát lúc )": such a spot is played when needed.
"""

from __future__ import annotations

from audio_helpers import build_audio
from mutagen.id3 import ID3

from bzmedia.audio.schedule import ScheduledSpot, ScheduleInputs, playlist, schedule_text, slots
from bzmedia.campaign import load_campaign

HEAD = 'campaign: {id: x, title: "T", issuer: "U", url: https://example.org}\n'
EVIL = "Tin 1\n#EXTINF:-1,evil\r\nhttp://evil.example/x.mp3\u2028\tB"


def test_a_title_with_line_breaks_stays_one_entry_of_the_playlist():
    spots = [ScheduledSpot("01-tin-1.mp3", EVIL, ("06:00",)), ScheduledSpot("02-b.mp3", "B", ("06:00",))]
    assert playlist(spots) == ("#EXTM3U\n#EXTENC: UTF-8\n"
                               "#EXTINF:-1,Tin 1 #EXTINF:-1,evil http://evil.example/x.mp3 B\n01-tin-1.mp3\n"
                               "#EXTINF:-1,B\n02-b.mp3\n")


def test_the_schedule_writes_each_name_and_title_on_its_line():
    inputs = ScheduleInputs("son-vi", "xã\nSơn Vi", "Cài\r\nBluezone", "UBND\u2029xã", None, None,
                            (ScheduledSpot("01-tin-1.mp3", EVIL, ("06:00", "17:00")),))
    lines = schedule_text(inputs).splitlines()
    assert lines[2:5] == ["Chiến dịch: Cài Bluezone", "Đơn vị ban hành: UBND xã", "Địa bàn: xã Sơn Vi"]
    title = "Tin 1 #EXTINF:-1,evil http://evil.example/x.mp3 B"
    assert lines[9:12] == ["06:00  (danh sách phát: lich-06h00.m3u)", f"    1. 01-tin-1.mp3  {title}", ""]
    assert f"    01-tin-1.mp3  {title}  (phát lúc 06:00, 17:00)" in lines
    assert not any(line.startswith(("#EXTINF", "http")) for line in lines)


def test_a_spot_without_times_is_played_when_needed_not_at_no_time(tmp_path):
    """``times: []`` made a schedule line "(phát lúc )": such a spot is played by hand (an urgent
    notice), in no playlist, and the schedule says so."""
    script = tmp_path / "c.yaml"
    script.write_text(HEAD + "audio:\n  spots:\n    - {id: a, text: Xin chào.}\n"
                      "    - {id: khan, text: Khẩn cấp., times: []}\n", encoding="utf-8")
    campaign, _ = load_campaign(script)
    assert [campaign.audio.times_for(spot) for spot in campaign.audio.spots] == [["06:00", "17:00"], []]
    spots = (ScheduledSpot("01-a.mp3", "A", ("06:00",)), ScheduledSpot("02-khan.mp3", "Khẩn", ()))
    inputs = ScheduleInputs("son-vi", "xã Sơn Vi", "Cài Bluezone", "UBND xã", None, None, spots)
    assert [time for time, _ in slots(inputs)] == ["06:00"]
    lines = schedule_text(inputs).splitlines()
    assert "    02-khan.mp3  Khẩn  (phát khi cần, không theo giờ)" in lines
    assert not any("phát lúc )" in line for line in lines)
    by_hand = ScheduleInputs("son-vi", "xã Sơn Vi", "Cài Bluezone", "UBND xã", None, None, spots[1:])
    assert "    (không có giờ phát cố định: các bản tin phát khi cần)" in schedule_text(by_hand).splitlines()


def test_a_title_written_as_a_block_or_filled_with_lines_builds_one_entry(tmp_path):
    """A one-line ``|`` block ends in YAML's own line break, which once put an empty line after
    the title's ``#EXTINF`` and in the schedule: the title is its line alone.  A variable of
    several lines filled into a title is written on one line, in the tags and transcript too."""
    script = tmp_path / "c.yaml"
    spot = "      intro: none\n      ident: false\n      closing: false\n      text: Xin chào.\n"
    script.write_text(HEAD + 'variables: {ghi: "Tin\\n  2"}\n'
                      "localities:\n  - {id: son-vi, name: xã Sơn Vi}\naudio:\n"
                      "  spots:\n    - id: tin-1\n" + spot + "      title: |\n        Tin 1\n"
                      "    - id: tin-2\n" + spot + "      title: '{ghi}'\n"
                      "  schedule: {times: ['06:00']}\n", encoding="utf-8")
    build_audio(script, tmp_path / "out", tmp_path / "cache", workers=1, locality=("son-vi",))
    folder = tmp_path / "out" / "x" / "son-vi" / "audio"
    assert (folder / "lich-06h00.m3u").read_bytes() == (
        b"#EXTM3U\n#EXTENC: UTF-8\n#EXTINF:-1,Tin 1\n01-tin-1.mp3\n#EXTINF:-1,Tin 2\n02-tin-2.mp3\n")
    schedule = (folder / "schedule.txt").read_text(encoding="utf-8")
    assert "    01-tin-1.mp3  Tin 1  (phát lúc 06:00)\n" in schedule
    assert "    02-tin-2.mp3  Tin 2  (phát lúc 06:00)\n" in schedule
    assert (folder / "02-tin-2.txt").read_text(encoding="utf-8").startswith("TIN 2\nĐịa bàn")
    assert ID3(folder / "02-tin-2.mp3")["TIT2"].text == ["Tin 2"]
