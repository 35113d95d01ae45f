"""Dates as Vietnamese official documents write them: the one rule for the print channel, the
loudspeaker schedule and the kit page (they printed 05/8/2020 and 05/08/2020 for the same day).

Decree 30/2020/NĐ-CP on administrative documents (Appendix I): Arabic digits, and a day below 10
and the months 1 and 2 get a leading zero (so no digit can be put in front of them afterwards):
``ngày 05 tháng 8 năm 2020``, ``ngày 15 tháng 02 năm 2021``.  The Phú Thọ letters in the project's
seeds write the short form the same way in running text: ``ngày 04/8/2020``, ``ngày 18/4/2020``.
"""

from __future__ import annotations

from datetime import date

DATE_RULE = "nd30-2020"
"""Names the rule below.  Jobs that keep ISO dates in their inputs and write them in ``make`` put
this in their inputs too, so changing the rule remakes every file that shows a date."""


def _parts(iso: str) -> tuple[str, str, str]:
    """Day, month and year of ``YYYY-MM-DD`` as the decree writes them."""
    day = date.fromisoformat(iso)
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}", month, f"{day.year:04d}"


def short_date(iso: str) -> str:
    """``2020-08-05`` -> ``05/8/2020``; ``2021-02-15`` -> ``15/02/2021``."""
    return "/".join(_parts(iso))


def long_date(iso: str) -> str:
    """``2020-08-05`` -> ``ngày 05 tháng 8 năm 2020`` (the date line of a letter)."""
    day, month, year = _parts(iso)
    return f"ngày {day} tháng {month} năm {year}"
