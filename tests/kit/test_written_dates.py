"""One rule for written dates (Decree 30/2020: a day under 10 and the months 1 and 2 get a leading
zero), and the print channel, the loudspeaker schedule and the kit page all follow it."""

from __future__ import annotations

import shutil
from pathlib import Path

from bzmedia.audio.schedule import ScheduleInputs, schedule_text
from bzmedia.campaign.loader import load_campaign
from bzmedia.kit.fmt import date_vi
from bzmedia.kit.page import render_page
from bzmedia.printing.content import template_values
from bzmedia.text.written_dates import long_date, short_date

REPO = Path(__file__).resolve().parents[2]


def test_the_rule_of_official_letters() -> None:
    assert short_date("2020-08-05") == "05/8/2020"  # as the seeds' letters: "ngày 04/8/2020"
    assert short_date("2020-04-18") == "18/4/2020"
    assert short_date("2021-02-15") == "15/02/2021"  # months 1 and 2 get their zero
    assert short_date("2021-01-09") == "09/01/2021"
    assert short_date("2020-12-31") == "31/12/2020"
    assert short_date("2020-10-01") == "01/10/2020"
    assert long_date("2020-08-05") == "ngày 05 tháng 8 năm 2020"
    assert long_date("2021-02-05") == "ngày 05 tháng 02 năm 2021"


def _printed(tmp_path: Path, day: str) -> dict[str, str]:
    """The print channel's date values for the example with ``campaign.date: day``."""
    folder = tmp_path / day
    shutil.copytree(REPO / "content", folder)
    script = folder / "bluezone-2020.yaml"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("  date: 2020-08-05", f"  date: {day}"), encoding="utf-8")
    campaign, problems = load_campaign(script)
    assert campaign is not None and not [p for p in problems if not p.warning], problems
    assert campaign.campaign.date == day
    return template_values(campaign, campaign.kit_localities()[0])


def test_print_schedule_and_kit_page_write_the_same_day_the_same_way(tmp_path) -> None:
    # August: the schedule and the page wrote 05/08/2020; February: the print wrote 05/2/2021.
    for start, end, shown_start, shown_end in (("2020-08-05", "2020-08-20", "05/8/2020", "20/8/2020"),
                                               ("2021-02-05", "2021-02-20", "05/02/2021", "20/02/2021")):
        values = _printed(tmp_path, start)
        assert values["date"] == shown_start and values["date.long"] == long_date(start)
        schedule = schedule_text(ScheduleInputs("son-vi", "xã Sơn Vi", "Bluezone", "UBND", start, end, ()))
        assert f"Từ ngày {shown_start} đến hết ngày {shown_end} (16 ngày)" in schedule
        assert date_vi(start) == shown_start
        page = render_page({"campaign": {"id": "c", "title": "T", "issuer": "I", "url": "u", "summary": None,
                                         "date": start, "start": start, "end": end,
                                         "primary": "#000", "accent": "#fff"},
                            "localities": [], "shared": [], "kit_zip": None})
        assert f"Thời gian: {shown_start} – {shown_end} · Ban hành ngày {shown_start}" in page
