"""Dates, times, months and ordinals as an announcer reads them.

``03/8/2020`` ba tháng tám năm hai nghìn không trăm hai mươi; ``8/2020`` tháng tám năm ...;
``20/8`` hai mươi tháng tám (unless it is a ratio such as "thứ 40/63" or "15/20 xã"; "1/2" to
"8/9" may be a fraction instead, see ``_is_fraction``);
``6h30`` sáu giờ ba mươi phút; ``17h00`` mười bảy giờ; ``tháng 4`` tháng tư; ``thứ 2`` thứ hai.
"""

from __future__ import annotations

import re

from bzmedia.text import measures, numbers
from bzmedia.text.reading import Reading

_SEP = r"[/.\-]"
_FULL_DATE = re.compile(rf"(?<![\w/.,])(\d{{1,2}})({_SEP})(\d{{1,2}})\2(\d{{4}})(?![\w/]|[.,]\d)")
_ISO_DATE = re.compile(r"(?<![\w/.,\-–])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w/\-–]|[.,]\d)")  # 2020-08-05
_DAY_RANGE_DATE = re.compile(
    r"(?<![\w/.,])(\d{1,2})\s*[-–]\s*(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\w/]|[.,]\d)")
_DAY_MONTH = re.compile(r"(?<![\w/.,])(\d{1,2})/(\d{1,2})(?![\w/]|[.,]\d)")
_DASH_DAY_MONTH = re.compile(r"(?<![\w/.,\-–])(\d{1,2})[-–](\d{1,2})(?![\w/\-–%°]|[.,]\d)")  # 2-9
_EARLIER_DASH_DATE = re.compile(r"(\d{1,2})[-–](\d{1,2})\s*(?:,|và|hoặc|đến|tới)\s*$")
_MONTH_YEAR = re.compile(r"(?<![\w/.,])(\d{1,2})[/\-](\d{4})(?![\w/]|[.,]\d)")
_TIME = re.compile(
    r"(?<![\w.,:])(\d{1,2})\s?(?:h|g|:)\s?(\d{2})(?:\s?(?::|p|ph|phút\s)\s?(\d{2}))?['’′]?"
    r"(?![\w]|[.,:]\d)")
_ZERO_MINUTES = re.compile(r"(?<=giờ)\s+00(?:\s+phút)?(?![\w]|[.,]\d)")  # "8 giờ 00": tám giờ
_HOUR = re.compile(r"(?<![\w.,:])(\d{1,2})\s?h(?!\w)")
_MONTH_WORD = re.compile(r"(?<!\w)([Tt]háng)(\s+)(0?\d{1,2})(?![\w/]|[.,]\d)")
_ORDINAL = re.compile(r"(?<!\w)([Tt]hứ)(\s+)(\d+)(?![\w/]|[.,]\d)")
_RANK = re.compile(r"(?<!\w)([Gg]iải|[Hh]ạng)(\s+)(\d)(?![\w/]|[.,]\d)")
# Roman numerals are numbers only after the words that take them (quý III, khóa XV, Đại hội
# XIII, lần thứ IV); elsewhere "CD" or "MC" is an abbreviation.
_ROMAN_CONTEXT = (r"quý|khóa|khoá|thứ|kỳ|chương|phần|mục|đợt|đại hội|lần|giai đoạn|thế kỷ|"
                  r"cấp độ|cấp|nhóm|loại|hạng|vùng|điều|khu vực|tập|số")
_ROMAN = re.compile(rf"(?<!\w)((?i:{_ROMAN_CONTEXT}))(\s+)([IVXLCDM]+)(?:/(\d{{4}}))?(?![\w/])")
# The numerals of these texts are small (quý I-IV, khóa XV, thế kỷ XXI): after other words a
# numeral with L, C, D or M is a letter or a size ("hạng C", "cỡ L, loại M", "số CD").
_LARGE_ROMAN_CONTEXT = {"thế kỷ", "đại hội"}
_ROMAN_HEADING = re.compile(r"(?m)(?<=^)(\s*)([IVX]{1,5})(?=[.)]\s)")
_ROMAN_VALUE = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

# Words right before "15/20" (or, in measures.RATIO_AFTER, right after it) that make it a count,
# not a date.
RATIO_BEFORE = {"thứ", "hạng", "đạt", "được", "có", "gồm", "tổng", "tỷ", "tỉ", "lệ", "số", "là", "trên"}


# Words after which "3/2020" numbers a quarter, a round or a resolution of that year, not a month.
NUMBERED_BEFORE = {"quý", "đợt", "kỳ", "tuần", "số", "khóa", "khoá", "phiên", "quyết", "định", "thị",
                   "tư", "luật", "lệnh", "hoạch", "báo", "văn"}

# "2-9" is a date after these words; elsewhere a dash between two numbers is a range (5-7 người).
DASH_DATE_BEFORE = {"ngày", "mùng", "mồng", "hôm", "lễ", "dịp", "khánh", "tết"}
# Days the country marks, written "2-9", "30-4": dates even without a date word, unless a word
# around them counts something ("lớp 1-5", "từ 1-5 ngày", "tỷ số 3-2").
HOLIDAYS = {(2, 9), (30, 4), (1, 5), (19, 5), (27, 7), (20, 11), (8, 3), (1, 6), (3, 2), (22, 12),
            (20, 10), (26, 3), (19, 8), (10, 10), (7, 5), (9, 1)}
# A label ("thôn 1-5", "tầng 1-5", "số nhà 19-5") or an amount before the pair; "đường 3-2" and
# "đường 30-4" are streets named after the holidays, so "đường" is no label here.
RANGE_BEFORE = measures.LABEL_BEFORE | {"từ", "khoảng", "tầm", "chừng", "có", "gồm", "tỷ", "tỉ", "thắng",
                                        "thua", "hòa", "tuổi", "mất", "trong", "còn"}
RANGE_AFTER = measures.RATIO_AFTER | {"tuổi", "ngày", "tháng", "năm", "giờ", "phút", "giây", "tuần", "mũi",
                                      "liều", "triệu", "nghìn", "ngàn", "tỷ", "trăm", "con", "cái", "chiếc",
                                      "km", "m", "kg", "tấn", "độ", "bàn", "điểm", "lít"}

# Words after which "24/7" is still a date.
DATE_BEFORE = {"ngày", "từ", "đến", "tới", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "trước",
               "sau", "hết", "vào", "và", "mai", "nay", "qua", "mùng", "mồng"}

# "1/2" to "8/9" may be a fraction or a date early in the year; see _is_fraction for the cues.
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|cn)"
# Before the number: "ngày 1/2", "mùng 2/9", "Chủ nhật, 1/3", "Thứ Hai (1/3)", "Lịch tiêm: 1/3",
# "Hạn chót nộp hồ sơ 1/4".
_DATE_CUE_BEFORE = re.compile(
    rf"(?i)(?<!\w)(?:ngày|mùng|mồng|hôm|sáng|trưa|chiều|tối|đêm|hạn chót(?:\s+[^\W\d_]+){{0,4}}\s*:?"
    rf"|lịch(?:(?:\s+[^\W\d_]+){{1,2}}\s*:)?"
    rf"|{_WEEKDAY}\s*[,(]?)\s*$")
_DATE_IS = re.compile(r"(?i)(?:^|[.,;:!?(\n]\s*)(?:ngày|hạn chót|hạn|thời hạn|lịch)(?:\s+[^\W\d_]+){0,4}"
                      r"\s+là\s*$")
"""A clause that names a date and then says it: "Hạn chót là 5/8", "Ngày khai giảng là 5/9" (a
"là" alone makes a ratio: "Tỷ lệ là 5/8"; "Số ngày nghỉ là 5/8" does not begin with the date)."""
FRACTION_BEFORE = {"chỉ", "gần", "hơn", "khoảng", "tầm", "chừng", "chiếm", "nhận", "còn", "bằng", "quá",
                   "giảm", "tăng", "mất", "dưới", "thêm"}
FRACTION_AFTER = {"số", "diện", "dân", "tổng", "lượng", "khối", "quãng", "đoạn", "thời", "giá", "mức",
                  "viên", "cốc", "thìa", "chén", "bát", "liều", "quả", "phần", "của", "còn"}
# "1/2 chiều dài" is a fraction, "họp 2/8 chiều" the afternoon of a date.
_DIMENSION_AFTER = re.compile(r"(?i)\s*chiều\s+(?:dài|rộng|cao|sâu)")
# Lengths of time: "nghỉ 1/2 ngày", "1/3 tháng"; not when a number or a weekday follows
# ("1/2 năm 2021", "2/8 ngày Chủ nhật").
DURATION_AFTER = {"ngày", "giờ", "tuần", "tháng", "năm", "buổi", "phút", "giây", "quý"}
_NOT_DURATION = re.compile(rf"(?i)\s*\w+\s+(?:\d|{_WEEKDAY})")
# "1/2 và 1/3", "1/2, 3/4", "từ 1/2 đến 1/3": the second of a list is what the first is.
_EARLIER_DAY_MONTH = re.compile(r"(?<![\w/.,])(\d{1,2})/(\d{1,2})\s*(?:,|và|hoặc|đến|tới|[-–])\s*$")


def _date_cue_after(text: str, pos: int, reading: Reading) -> bool:
    """ "1/6 là ngày ...", "1/2 năm 2021", "1/2 lúc 7h", "1/2, 7h30" (times are read already),
    "1/2 (Thứ Hai)", "2/8 chiều"."""
    time = reading.frozen.pattern({"time"})
    cue = (rf"(?i)\s*(?:là\s+ngày|năm\s+\d{{4}}|(?:sáng|trưa|chiều|tối)(?!\w)"
           rf"|[,(]?\s*(?:lúc|{time}|{_WEEKDAY}(?!\w)))")
    return bool(re.match(cue, text[pos:pos + 60]))


def _is_fraction(text: str, start: int, end: int, denominator: int, reading: Reading) -> bool:
    """Whether "1/2" ... "8/9" (a simple fraction that is also a date) is the fraction.

    The words around it decide, nearest and surest first: a date word right before it ("ngày",
    "mùng", a weekday, "lịch", "hạn chót", "sáng") makes it a date; then a unit, a counted noun,
    a length of time or a fraction word after it ("1/2 kg", "1/4 trẻ em", "nghỉ 1/2 ngày",
    "1/3 còn lại") or an amount word before it ("chỉ", "gần", "khoảng", "nhận") makes it a
    fraction; then the one before it in a list decides ("1/2 và 1/3", "ngày 1/2 và 1/3"); then
    "là ngày", a time or a weekday after it, or a weaker date word before it ("từ 1/2", "vào
    1/3"), makes it a date.  With no cue the denominator decides: 1/2, 1/3, 2/3, 1/4 and 3/4 are
    the common fractions, while campaign letters write 1/6, 2/8, 2/9 as dates.
    """
    if _DATE_CUE_BEFORE.search(text, max(0, start - 40), start):
        return False
    before, after = _word_before(text, start), _word_after(text, end)
    duration = after in DURATION_AFTER and not _NOT_DURATION.match(text, end)
    if (before in FRACTION_BEFORE or after in FRACTION_AFTER | measures.COUNT_NOUNS or duration
            or measures.unit_follows(text, end) or _DIMENSION_AFTER.match(text, end)):
        return True
    earlier = _EARLIER_DAY_MONTH.search(text, max(0, start - 20), start)
    if earlier:
        first, second = earlier.groups()
        return measures.is_simple_fraction(first, second) and _is_fraction(
            text, earlier.start(), earlier.end(2), int(second), reading)
    if _date_cue_after(text, end, reading) or before in DATE_BEFORE:
        return False
    return denominator <= 4


def valid_date(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def date_words(day: str, month: str, year: str | None, dialect: str) -> str:
    """The words of a calendar date (without a leading "ngày", which the writer adds or not)."""
    day_words = numbers.number_words(day.lstrip("0") or "0", dialect)
    spoken = f"{day_words} tháng {numbers.month_words(month, dialect)}"
    if year:
        spoken += f" năm {numbers.number_words(year, dialect)}"
    return spoken


def _word_before(text: str, pos: int) -> str:
    match = re.search(r"(\w+)\W*$", text[max(0, pos - 30):pos])
    return match.group(1).lower() if match else ""


def _word_after(text: str, pos: int) -> str:
    match = re.match(r"\s*(\w+)", text[pos:pos + 30])
    return match.group(1).lower() if match else ""


def _read_full_date(match: re.Match[str], reading: Reading) -> str | None:
    day, month, year = match.group(1), match.group(3), match.group(4)
    if not valid_date(int(day), int(month)):
        return None
    return date_words(day, month, year, reading.dialect)


def _read_day_range(match: re.Match[str], reading: Reading) -> str | None:
    first, last, month, year = match.groups()
    if not (valid_date(int(first), int(month)) and valid_date(int(last), int(month))):
        return None
    start = numbers.number_words(first.lstrip("0") or "0", reading.dialect)
    return f"{start} đến {date_words(last, month, year, reading.dialect)}"


def _read_day_month(match: re.Match[str], text: str, reading: Reading) -> str | None:
    day, month = match.group(1), match.group(2)
    if not valid_date(int(day), int(month)):
        return None
    before, after = _word_before(text, match.start()), _word_after(text, match.end())
    if (before in RATIO_BEFORE or after in measures.RATIO_AFTER) and not _DATE_IS.search(
            text, max(0, match.start() - 60), match.start()):
        return None
    if measures.is_simple_fraction(day, month) and _is_fraction(
            text, match.start(), match.end(), int(month), reading):
        return None  # read by measures: "1/2 diện tích", "hơn 2/3", "1/2 kg"
    if (day, month) == ("24", "7") and before not in DATE_BEFORE:
        return None  # "trực 24/7": round the clock, not the 24th of July
    return date_words(day, month, None, reading.dialect)


def _read_iso_date(match: re.Match[str], reading: Reading) -> str | None:
    year, month, day = match.groups()
    if not valid_date(int(day), int(month)):
        return None
    return date_words(day, month, year, reading.dialect)


def _is_dash_date(text: str, start: int, end: int, day: int, month: int) -> bool:
    """Whether "2-9" at text[start:end] is a date: a date word before it, a dash date just
    before it ("30-4 và 1-5", "từ ngày 3-8 đến 5-8"), or a holiday no label or count word
    surrounds; after a pair that is no date ("thôn 2-9 và 1-5") it is none either."""
    if not valid_date(day, month) or _word_after(text, end) == "tháng":
        return False  # "ngày 3-5 tháng 8": the 3rd to the 5th
    before = _word_before(text, start)
    if before in DASH_DATE_BEFORE:
        return True
    earlier = _EARLIER_DASH_DATE.search(text, max(0, start - 20), start)
    if earlier:  # one of a list: "30-4 và 1-5" are dates, "thôn 2-9 và 1-5" are not
        return _is_dash_date(text, earlier.start(), earlier.end(2), *map(int, earlier.groups()))
    return ((day, month) in HOLIDAYS and before not in RANGE_BEFORE
            and _word_after(text, end) not in RANGE_AFTER)


def _read_dash_date(match: re.Match[str], text: str, reading: Reading) -> str | None:
    day, month = match.groups()
    if not _is_dash_date(text, match.start(), match.end(), int(day), int(month)):
        return None
    return date_words(day, month, None, reading.dialect)


def _read_month_year(match: re.Match[str], text: str, reading: Reading) -> str | None:
    """"8/2020" tháng tám năm ...; after quý, đợt, số ... "Quý 3/2020" quý ba năm ..."""
    number, year = match.group(1), match.group(2)
    year_words = numbers.number_words(year, reading.dialect)
    before = _word_before(text, match.start())
    if before in NUMBERED_BEFORE:
        return f"{numbers.number_words(number.lstrip('0') or '0', reading.dialect)} năm {year_words}"
    if not 1 <= int(number) <= 12:
        return None
    prefix = "" if before == "tháng" else "tháng "
    return f"{prefix}{numbers.month_words(number, reading.dialect)} năm {year_words}"


def time_words(hours: str, minutes: str | None, seconds: str | None, dialect: str) -> str | None:
    """``6``, ``30`` -> "sáu giờ ba mươi phút"; whole hours have no minutes (17h00 mười bảy giờ)."""
    if int(hours) > 24 or (minutes and int(minutes) > 59) or (seconds and int(seconds) > 59):
        return None
    spoken = f"{numbers.number_words(hours.lstrip('0') or '0', dialect)} giờ"
    if minutes and int(minutes):
        spoken += f" {numbers.number_words(minutes.lstrip('0'), dialect)} phút"
    if seconds and int(seconds):
        spoken += f" {numbers.number_words(seconds.lstrip('0'), dialect)} giây"
    return spoken


def read_dates_and_times(text: str, reading: Reading) -> str:
    """Full dates, day ranges in one month, times, then the shorter date forms."""
    frozen, dialect = reading.frozen, reading.dialect
    text = frozen.sub(_FULL_DATE, lambda m: _read_full_date(m, reading), text, "date")
    text = frozen.sub(_ISO_DATE, lambda m: _read_iso_date(m, reading), text, "date")
    text = frozen.sub(_DAY_RANGE_DATE, lambda m: _read_day_range(m, reading), text, "date")
    text = _ZERO_MINUTES.sub("", text)
    text = frozen.sub(_TIME, lambda m: time_words(m.group(1), m.group(2), m.group(3), dialect), text, "time")
    text = frozen.sub(_HOUR, lambda m: time_words(m.group(1), None, None, dialect), text, "time")
    text = frozen.sub(_MONTH_YEAR, lambda m: _read_month_year(m, text, reading), text, "date")
    text = frozen.sub(_DAY_MONTH, lambda m: _read_day_month(m, text, reading), text, "date")
    return frozen.sub(_DASH_DAY_MONTH, lambda m: _read_dash_date(m, text, reading), text, "date")


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral, else None."""
    if not numeral or not _ROMAN_VALUE.fullmatch(numeral):
        return None
    values = [_ROMAN_DIGITS[ch] for ch in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def read_roman_numerals(text: str, reading: Reading) -> str:
    """"Quý III/2021" quý ba năm hai nghìn không trăm hai mươi mốt; "lần thứ IV" lần thứ tư;
    a heading "II. NỘI DUNG" hai."""
    def heading(match: re.Match[str]) -> str | None:
        value = roman_value(match.group(2))
        return None if value is None else numbers.number_words(str(value), reading.dialect)

    text = reading.frozen.sub(_ROMAN_HEADING, heading, text, "number")
    def roman(match: re.Match[str]) -> str | None:
        value = roman_value(match.group(3))
        large = not set(match.group(3)) <= set("IVX")
        if value is None or (large and match.group(1).lower() not in _LARGE_ROMAN_CONTEXT):
            return None
        ordinal = match.group(1).lower() == "thứ"
        spoken = (numbers.ordinal_words if ordinal else numbers.number_words)(str(value), reading.dialect)
        if match.group(4):
            spoken += f" năm {numbers.number_words(match.group(4), reading.dialect)}"
        return f"{match.group(1)}{match.group(2)}{spoken}"

    return reading.frozen.sub(_ROMAN, roman, text, "number")


def read_ordinals_and_months(text: str, reading: Reading) -> str:
    """"thứ 2" thứ hai, "thứ 4" thứ tư, "thứ 1" thứ nhất; "tháng 4" tháng tư."""
    dialect = reading.dialect

    def ordinal(match: re.Match[str]) -> str:
        return f"{match.group(1)}{match.group(2)}{numbers.ordinal_words(match.group(3), dialect)}"

    def month(match: re.Match[str]) -> str | None:
        if not 1 <= int(match.group(3)) <= 12:
            return None
        return f"{match.group(1)}{match.group(2)}{numbers.month_words(match.group(3), dialect)}"

    def rank(match: re.Match[str]) -> str:
        return f"{match.group(1)}{match.group(2)}{numbers.rank_words(match.group(3), dialect)}"

    text = reading.frozen.sub(_ORDINAL, ordinal, text, "number")
    text = reading.frozen.sub(_RANK, rank, text, "number")
    return reading.frozen.sub(_MONTH_WORD, month, text, "number")
