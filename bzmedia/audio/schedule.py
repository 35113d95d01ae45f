"""What operators read: the broadcast schedule, one playlist per time slot, each spot's transcript.

All in Vietnamese, UTF-8 text.  The schedule says which spot plays at which time of day and from
which day to which; each ``.m3u`` lists the files of one time slot in play order, so an operator
(or an IP loudspeaker controller) loads one playlist per slot.
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
             f"Chiến dịch: {inputs.campaign_title}",
             f"Đơn vị ban hành: {inputs.issuer}",
             f"Địa bàn: {inputs.locality_name}",
             f"Thời gian: {_period(inputs)}", "",
             "GIỜ PHÁT VÀ BẢN TIN (phát theo thứ tự từ trên xuống):"]
    for time, spots in slots(inputs):
        lines.append("")
        lines.append(f"{time}  (danh sách phát: {slot_file(time)})")
        lines += [f"    {index}. {spot.file}  {spot.title}" for index, spot in enumerate(spots, 1)]
    lines += ["", "CÁC BẢN TIN:"]
    for spot in inputs.spots:
        lines.append(f"    {spot.file}  {spot.title}  (phát lúc {', '.join(spot.times)})")
    lines += ["", "Mỗi bản tin có một bản chữ cùng tên (.txt) để đọc trực tiếp khi cần."]
    return "\n".join(lines) + "\n"


def playlist(spots: list[ScheduledSpot]) -> str:
    """An extended M3U playlist (UTF-8, paths relative to the audio folder)."""
    lines = ["#EXTM3U", "#EXTENC: UTF-8"]
    for spot in spots:
        lines += [f"#EXTINF:-1,{spot.title}", spot.file]
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
