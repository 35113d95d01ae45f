"""What operators read: the broadcast schedule, one playlist per time slot, each spot's transcript.

All in Vietnamese, UTF-8 text.  The schedule says which spot plays at which time of day and from
which day to which; each ``.m3u`` lists the files of one time slot in play order, so an operator
(or an IP loudspeaker controller) loads one playlist per slot.

Every name and title is written on one line (:func:`one_line`): the script already refuses line
breaks in them, and a line break in a playlist's title would add an entry of its own (a
``#EXTINF`` and a path, a remote one even) that every player follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bzmedia.audio.script import Block
from bzmedia.text.written_dates import DATE_RULE, short_date


@dataclass(frozen=True)
class ScheduledSpot:
    """One spot as the schedule lists it."""

    file: str
    """File name inside the audio folder, e.g. ``01-thong-bao.mp3``."""
    title: str
    times: tuple[str, ...]


@dataclass(frozen=True)
class ScheduleInputs:
    """Everything a locality's schedule is made from (the schedule job's inputs)."""

    locality_id: str
    locality_name: str
    campaign_title: str
    issuer: str
    start: str | None
    end: str | None
    spots: tuple[ScheduledSpot, ...]
    date_rule: str = DATE_RULE
    """How the dates are written (in the key: a new rule remakes every schedule)."""
    title_rule: str = "one-line"
    """How titles are written (:func:`one_line`; in the key like ``date_rule``)."""


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, line breaks included, folded to one space."""
    return " ".join(text.split())


def slot_file(time: str) -> str:
    """Playlist file name of a time slot: ``05:30`` -> ``lich-05h30.m3u`` (no colon: Windows)."""
    return f"lich-{time.replace(':', 'h')}.m3u"


def slots(inputs: ScheduleInputs) -> list[tuple[str, list[ScheduledSpot]]]:
    """(time, spots in play order) for every time of day any spot is played, earliest first."""
    times = sorted({t for spot in inputs.spots for t in spot.times})
    return [(t, [s for s in inputs.spots if t in s.times]) for t in times]


def _period(inputs: ScheduleInputs) -> str:
    if inputs.start and inputs.end:
        days = (date.fromisoformat(inputs.end) - date.fromisoformat(inputs.start)).days + 1
        return (f"Từ ngày {short_date(inputs.start)} đến hết ngày "
                f"{short_date(inputs.end)} ({days} ngày), phát hằng ngày.")
    if inputs.start:
        return f"Từ ngày {short_date(inputs.start)}, phát hằng ngày cho đến khi có thông báo mới."
    if inputs.end:
        return f"Phát hằng ngày đến hết ngày {short_date(inputs.end)}."
    return "Phát hằng ngày (kịch bản không ghi ngày bắt đầu và kết thúc)."


def schedule_text(inputs: ScheduleInputs) -> str:
    """``schedule.txt``: the broadcast schedule in Vietnamese."""
    lines = ["LỊCH PHÁT THANH TRÊN LOA TRUYỀN THANH", "",
             f"Chiến dịch: {one_line(inputs.campaign_title)}",
             f"Đơn vị ban hành: {one_line(inputs.issuer)}",
             f"Địa bàn: {one_line(inputs.locality_name)}",
             f"Thời gian: {_period(inputs)}", "",
             "GIỜ PHÁT VÀ BẢN TIN (phát theo thứ tự từ trên xuống):"]
    timed = slots(inputs)
    for time, spots in timed:
        lines.append("")
        lines.append(f"{time}  (danh sách phát: {slot_file(time)})")
        lines += [f"    {index}. {spot.file}  {one_line(spot.title)}" for index, spot in enumerate(spots, 1)]
    if not timed:
        lines += ["", "    (không có giờ phát cố định: các bản tin phát khi cần)"]
    lines += ["", "CÁC BẢN TIN:"]
    for spot in inputs.spots:
        when = f"phát lúc {', '.join(spot.times)}" if spot.times else "phát khi cần, không theo giờ"
        lines.append(f"    {spot.file}  {one_line(spot.title)}  ({when})")
    lines += ["", "Mỗi bản tin có một bản chữ cùng tên (.txt) để đọc trực tiếp khi cần."]
    return "\n".join(lines) + "\n"


def playlist(spots: list[ScheduledSpot]) -> str:
    """An extended M3U playlist (UTF-8, paths relative to the audio folder)."""
    # UTF-8 with no BOM, in a `.m3u` (not `.m3u8` twins), on purpose.  Only the #EXTINF titles
    # may be outside ASCII: the paths are the spots' ids (a-z, 0-9, '-'), so a player that reads
    # the file in the Windows code page still plays every entry and only shows a garbled title.
    # A BOM can hide the `#EXTM3U` header from a player or IP controller that compares the first
    # line byte for byte (it then takes "\ufeff#EXTM3U" for a file name, or the file for a plain
    # list), a worse loss than a garbled title; twins would put two playlists per slot before an
    # operator who loads one.  `#EXTENC` names the encoding for the players that read it.
    lines = ["#EXTM3U", "#EXTENC: UTF-8"]
    for spot in spots:
        lines += [f"#EXTINF:-1,{one_line(spot.title)}", spot.file]
    return "\n".join(lines) + "\n"


SECTION_NAMES = {"ident": "Giới thiệu", "text": "Nội dung", "repeat": "Nhắc lại",
                 "closing": "Kết thúc"}


def transcript(title: str, locality_name: str, chime: bool, blocks: list[Block]) -> str:
    """A spot's transcript: the text as written (variables filled), then as the voice reads it."""
    lines = [title.upper(), f"Địa bàn: {locality_name}", "",
             "VĂN BẢN (đọc trực tiếp trên loa khi cần):", ""]
    if chime:
        lines += ["[Nhạc hiệu]", ""]
    for block in blocks:
        lines += [block.written.strip(), ""]
    lines += ["", "BẢN MÁY ĐỌC (số, ngày tháng, chữ viết tắt đã được viết thành lời):", ""]
    for block in blocks:
        lines.append(f"[{SECTION_NAMES[block.section]}]")
        for paragraph in block.spoken:
            lines += [*paragraph, ""]  # one sentence a line, as the voice pauses
    return "\n".join(lines).rstrip() + "\n"
