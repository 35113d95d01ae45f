"""Vietnamese display of numbers, sizes, durations and dates (``1,2 MB``, ``1 phút 5 giây``).

Vietnamese writes a decimal comma and groups thousands with dots: 1.234,5.
"""

from __future__ import annotations

from bzmedia.text.written_dates import short_date


def number_vi(value: float, decimals: int = 0) -> str:
    """``value`` with Vietnamese separators: ``number_vi(1234.5, 1) == "1.234,5"``."""
    text = f"{abs(value):,.{decimals}f}"  # 1,234.5
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"-{text}" if value < 0 and float(text.replace(".", "").replace(",", ".")) else text


def size_vi(size: int) -> str:
    """A file size the way Windows Explorer counts it (1 KB = 1024 bytes): ``850 KB``, ``1,2 MB``."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{number_vi(value, 1 if value < 10 else 0)} {unit}"


def duration_vi(seconds: float) -> str:
    """A playing time in words: ``45 giây``, ``1 phút 5 giây``, ``1 giờ 2 phút``."""
    total = round(seconds)
    if total < 60:
        return f"{total} giây"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} giờ {minutes} phút" if minutes else f"{hours} giờ"
    return f"{minutes} phút {secs} giây" if secs else f"{minutes} phút"


def date_vi(iso: str | None) -> str | None:
    """``2020-08-05`` as ``05/8/2020``: the official documents' rule, kept in one place."""
    return short_date(iso) if iso else None
