"""Quantities with a unit, money, percent, ratios, ranges and the symbols left at the end.

``8,82%`` tám phẩy tám mươi hai phần trăm; ``500.000đ`` năm trăm nghìn đồng; ``37,5°C`` ba mươi
bảy phẩy năm độ xê; ``2m`` hai mét; ``40/63`` bốn mươi trên sáu mươi ba; ``10-15 phút`` mười đến
mười lăm phút (the range joins two numbers already read, whatever their kind).
"""

from __future__ import annotations

import re

from bzmedia.text import numbers
from bzmedia.text.frozen import CLOSE, NUMERIC_KINDS, OPEN
from bzmedia.text.reading import Reading

NUMBER = r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?"

# Written unit -> spoken unit.  Matched case-sensitively right after a number.
UNITS = {
    "%": "phần trăm", "‰": "phần nghìn",
    "đ": "đồng", "Đ": "đồng", "₫": "đồng", "đồng": "đồng", "VNĐ": "đồng", "VND": "đồng",
    "vnđ": "đồng", "vnd": "đồng", "USD": "đô la Mỹ", "$": "đô la", "€": "ơ rô", "EUR": "ơ rô",
    "k": "nghìn", "tr": "triệu",
    "km/h": "ki lô mét trên giờ", "km²": "ki lô mét vuông", "km2": "ki lô mét vuông",
    "km": "ki lô mét", "m²": "mét vuông", "m2": "mét vuông", "m³": "mét khối", "m3": "mét khối",
    "cm": "xen ti mét", "mm": "mi li mét", "m": "mét", "ha": "héc ta",
    "kg": "ki lô gam", "mg": "mi li gam", "g": "gam", "ml": "mi li lít", "l": "lít", "lít": "lít",
    "°C": "độ xê", "℃": "độ xê", "ºC": "độ xê", "oC": "độ xê", "độ C": "độ xê", "°": "độ",
    "kWh": "ki lô oát giờ", "kW": "ki lô oát", "MW": "mê ga oát", "W": "oát", "V": "vôn",
    "GB": "gi ga bai", "MB": "mê ga bai", "KB": "ki lô bai", "Mbps": "mê ga bít trên giây",
    "mmHg": "mi li mét thủy ngân", "MHz": "mê ga héc", "kHz": "ki lô héc", "GHz": "gi ga héc",
    "Hz": "héc", "p": "phút", "ph": "phút",
}
_UNIT_ALTERNATIVES = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_MEASURE = re.compile(rf"(?<![\w.,]){NUMBER}\s?({_UNIT_ALTERNATIVES})(?![\w²³]|[.,]\d)")
# Read before _MEASURE: "1/2 kg" is half a kilogram, not "1/" and "2 kg".
_FRACTION_MEASURE = re.compile(rf"(?<![\w.,/])(\d)/(\d)\s?({_UNIT_ALTERNATIVES})(?![\w²³]|[.,]\d)")
_UNIT_AFTER = re.compile(rf"\s?(?:{_UNIT_ALTERNATIVES})(?![\w²³]|[.,]\d)")
_MONEY_BEFORE = re.compile(rf"(\$|€)\s?{NUMBER}(?![\w]|[.,]\d)")
_RATIO = re.compile(rf"(?<![\w.,/]){NUMBER}\s?/\s?{NUMBER}(?![\w/]|[.,]\d)")
_DEGREE_C = re.compile(r"(?<!\w)độ C(?!\w)")


# Words right after "15/20" that make it a count ("15/20 xã" mười lăm trên hai mươi xã), not a date.
RATIO_AFTER = {"xã", "phường", "huyện", "tỉnh", "thành", "hộ", "người", "đơn", "cơ", "trường",
               "điểm", "câu", "lớp", "học", "thôn", "tổ", "khu", "bản", "làng", "xóm", "doanh",
               "cán", "số", "phiếu", "tiêu", "chỉ", "nhà", "phòng", "ca", "mẫu", "lần", "trận"}


def is_simple_fraction(numerator: str, denominator: str) -> bool:
    """1/2, 2/3, 3/4: single digits, numerator below denominator (as dates: early in the year)."""
    return len(numerator) == len(denominator) == 1 and 0 < int(numerator) < int(denominator)


def fraction_words(numerator: str, denominator: str, dialect: str) -> str:
    """``1``, ``2`` -> "một phần hai"; a quarter is "phần tư", as people say it (ba phần tư)."""
    below = "tư" if denominator == "4" else numbers.number_words(denominator, dialect)
    return f"{numbers.number_words(numerator, dialect)} phần {below}"


def unit_follows(text: str, pos: int) -> bool:
    """Whether a unit ``read_measures`` reads starts at ``text[pos]`` (after at most one space)."""
    return bool(_UNIT_AFTER.match(text, pos))


def quantity_words(integer_part: str, fraction_part: str | None, reading: Reading) -> str:
    return numbers.decimal_words(integer_part, fraction_part or "", reading.dialect)


def read_measures(text: str, reading: Reading) -> str:
    """A number followed by a unit, currency or percent sign; "$5" style money too."""
    def measure(match: re.Match[str]) -> str:
        unit = UNITS[match.group(3)]
        return f"{quantity_words(match.group(1), match.group(2), reading)} {unit}"

    def money_before(match: re.Match[str]) -> str:
        return f"{quantity_words(match.group(2), match.group(3), reading)} {UNITS[match.group(1)]}"

    def fraction_measure(match: re.Match[str]) -> str | None:
        if not is_simple_fraction(match.group(1), match.group(2)):
            return None
        return f"{fraction_words(match.group(1), match.group(2), reading.dialect)} {UNITS[match.group(3)]}"

    text = reading.frozen.sub(_FRACTION_MEASURE, fraction_measure, text, "unit")
    text = reading.frozen.sub(_MEASURE, measure, text, "unit")
    text = reading.frozen.sub(_MONEY_BEFORE, money_before, text, "unit")
    return reading.frozen.sub(_DEGREE_C, lambda m: "độ xê", text, "word")


# Nouns that make "5/8 xã" five out of eight communes (trên), not five eighths (phần);
# "2/3 số hộ" and "1/2 diện tích" stay fractions.
COUNTED_NOUNS = RATIO_AFTER - {"số", "diện"}


def read_ratios(text: str, reading: Reading) -> str:
    """``40/63`` bốn mươi trên sáu mươi ba; after "thứ" the first number is an ordinal."""
    def ratio(match: re.Match[str]) -> str:
        head = text[max(0, match.start() - 6):match.start()].lower()
        after_rank = re.search(r"thứ\s*$", head)
        plain = not (match.group(2) or match.group(4))
        counted = re.match(r"\s*(\w+)", text[match.end():match.end() + 20])
        counted_noun = bool(counted) and counted.group(1).lower() in COUNTED_NOUNS  # "5/8 xã"
        simple = is_simple_fraction(match.group(1), match.group(3))
        if plain and simple and not after_rank and not counted_noun:
            return fraction_words(match.group(1), match.group(3), reading.dialect)
        if after_rank and not match.group(2):
            first = numbers.ordinal_words(match.group(1), reading.dialect)
        else:
            first = quantity_words(match.group(1), match.group(2), reading)
        return f"{first} trên {quantity_words(match.group(3), match.group(4), reading)}"

    return reading.frozen.sub(_RATIO, ratio, text, "number")


# Units said after "per" without a number of their own: đồng/kWh, đồng/m2.
_PER_UNITS = {unit: spoken for unit, spoken in UNITS.items() if unit not in {"k", "tr", "p", "ph", "%"}}
# Words that may follow "per" (1.500.000 đồng/người/tháng); others after a slash are a list
# ("40/63 tỉnh/thành" is "tỉnh, thành").
PER_WORDS = {"người", "ngày", "tháng", "năm", "tuần", "quý", "giờ", "phút", "lần", "hộ", "ca", "suất",
             "liều", "buổi", "đợt", "kỳ", "con", "cái", "chiếc", "bao", "hộp", "sào", "mẫu", "tấn",
             "lít", "khẩu", "xuất", "lượt", "trẻ", "em", "học", "ngôi"}
# Nouns that make the number before them a count, whatever word came earlier: "Tổng số 113 ca
# mắc", "112 giường bệnh", "1022 người" (not the emergency lines or the 1022 portal).  Time words
# are left out: "Cổng 1022 ngày 5/8" is still the portal.
COUNT_NOUNS = COUNTED_NOUNS | {"giường", "lượt", "nhân", "trẻ", "cháu", "em", "bệnh", "liều", "mũi",
                               "suất", "khẩu", "con", "cái", "chiếc", "tấn", "đối", "gia", "hồ", "lao"}
_PER_ALTERNATIVES = "|".join(re.escape(w) for w in sorted({*PER_WORDS, *_PER_UNITS}, key=len, reverse=True))


def read_per_unit(text: str, reading: Reading) -> str:
    """"500.000đ/người" năm trăm nghìn đồng một người, "3 lần/ngày" ba lần một ngày.

    A slash after a quantity (with up to two counted words) means "per" when what follows is
    a unit or a word things are counted per.
    """
    quantity = reading.frozen.pattern(NUMERIC_KINDS)
    per_word = rf"(?:{_PER_ALTERNATIVES})(?![\w²³])"
    # A number not read yet counts too, so "120 người/km2" is per unit before km2 is spelled.
    number = r"(?<![\w.,])\d+(?:[.,]\d+)*"
    chain = re.compile(rf"((?:{quantity}|{number})(?:\s+[^\W\d_]+){{0,2}})((?:\s*/\s*{per_word})+)")

    def per(match: re.Match[str]) -> str:
        units = re.split(r"\s*/\s*", match.group(2).strip(" /"))
        return match.group(1) + "".join(f" một {_PER_UNITS.get(unit, unit)}" for unit in units)

    return chain.sub(per, text)


# Thousands written with spaces (1 500 000, Word's no-break spaces made plain by ``prepare``) or
# English commas (1,000,000) are rewritten to the Vietnamese dots (1.500.000), so the measure,
# money and plain-number rules read them as one quantity.
# A first group led by 0 is no thousands (0,125 is a decimal, 0210 ... a phone).
_SPACED_GROUPS = re.compile(r"(?<![\w.,])([1-9]\d{0,2})((?: \d{3})+)(?!\d|[.,]\d)")
_COMMA_GROUPS = re.compile(r"(?<![\w.,])([1-9]\d{0,2})((?:,\d{3})+)(?!\d|[.,]\d)")
# English decimal point: one or two digits after a dot (three are the Vietnamese thousands dot).
_DECIMAL_POINT = re.compile(r"(?<![\w.,])(\d+)\.(\d{1,2})(?!\d|[.,]\d)")
_WORD_AFTER = re.compile(r" ?([^\W\d_]+|[%$€₫°‰])")
# Written and (where the abbreviation table read them first: VND, USD) spoken currency words.
_MONEY_UNITS = {unit for unit, spoken in UNITS.items() if spoken in {"đồng", "đô la Mỹ", "đô la"}} | {"đô"}
# Counted nouns that never take a fraction ("2,5 tấn", "1,5 lần" do).
_WHOLE_COUNT_NOUNS = COUNT_NOUNS - {"lần", "tấn", "mẫu", "điểm"}
_SCALE_WORDS = {"nghìn", "ngàn", "triệu", "tỷ", "tỉ"}
# Words before a number that labels something: "lớp 5 120 học sinh" is class 5, 120 pupils;
# "thôn 1-5", "tầng 1-5", "số nhà 19-5" are numbers or ranges, not the 1st of May (dates.py).
LABEL_BEFORE = {"lớp", "khu", "tổ", "thôn", "xóm", "ấp", "bản", "phố", "nhà", "dãy", "tầng", "ô", "lô",
                "nhóm", "đội", "phòng", "số", "bước", "điều", "khoản", "mục", "thứ", "đợt", "mũi", "lần",
                "kỳ", "khóa", "khoá", "giải", "hạng", "cấp", "bậc", "khối", "ngày", "tháng", "năm", "quý",
                "tuần", "phần", "chương", "trang", "câu", "bài", "tập", "đoạn"}


def read_foreign_separators(text: str, reading: Reading) -> str:
    """"1 500 000 đồng", "Có 2 000 người", "1,000,000 đồng", "50,000 VND" as one quantity each;
    "0.5 mg", "1.5 triệu" with a decimal comma.

    Two or more groups of exactly three digits after the first are thousands whatever follows,
    since a Vietnamese decimal has one comma.  A single group is ambiguous: "50,000" could be
    50 with a decimal comma and "5 120" two numbers.  With a comma it is thousands only before a
    currency (đồng has no decimals, "$1,500" is English style) or a counted noun (2,500 người:
    people are not counted in fractions); before a unit or a scale word ("2,500 tỷ", "1,250 km")
    it stays a decimal.  With a space it is thousands before a unit, currency, scale word or
    counted noun, unless the number before labels something ("lớp 5 120 học sinh").  A dot with
    one or two digits after it is an English decimal point before a unit or scale word.
    """
    def after(match: re.Match[str]) -> str:
        """The word after, read back if an abbreviation already took it (VND is in the table)."""
        # (after a letter, so the restore does not take the slice for a sentence start to capitalise)
        word = _WORD_AFTER.match(reading.frozen.restore("x" + text[match.end():match.end() + 30])[1:])
        return word.group(1) if word else ""

    def before(match: re.Match[str]) -> str:
        words = re.findall(r"[^\W\d_]+", text[max(0, match.start() - 20):match.start()])
        return words[-1].lower() if words else ""

    def spaced(match: re.Match[str]) -> str | None:
        word = after(match)
        if match.group(2).count(" ") == 1 and (before(match) in LABEL_BEFORE or not (
                word in UNITS or word.lower() in COUNT_NOUNS | _SCALE_WORDS)):
            return None
        return match.group(1) + match.group(2).replace(" ", ".")

    def comma(match: re.Match[str]) -> str | None:
        word = after(match)
        money = word in _MONEY_UNITS or text[:match.start()].rstrip().endswith("$")
        if match.group(2).count(",") == 1 and not (money or word.lower() in _WHOLE_COUNT_NOUNS):
            return None
        return match.group(1) + match.group(2).replace(",", ".")

    def decimal_point(match: re.Match[str]) -> str | None:
        """Only before a unit or a scale word: elsewhere "1.2" is a section number (một chấm hai)."""
        word = after(match)
        if not (word in UNITS or word.lower() in _SCALE_WORDS):
            return None
        return f"{match.group(1)},{match.group(2)}"

    rewrites = ((_SPACED_GROUPS, spaced), (_COMMA_GROUPS, comma), (_DECIMAL_POINT, decimal_point))
    for pattern, rewrite in rewrites:
        text = pattern.sub(lambda m, rewrite=rewrite: rewrite(m) or m.group(0), text)
    return text


def read_minus_signs(text: str, reading: Reading) -> str:
    """"-5°C" âm năm độ xê, "từ -2 đến 5 độ", "lãi -1.500.000 đồng": espeak says nothing for "-".

    A dash glued to a reading is a sign unless a reading stands right before it (then it is a
    range, "5 -7 người", read by ``read_ranges``) or it opens a line (a list bullet, "-5 hộ").
    """
    frozen = reading.frozen
    numeric = frozen.pattern(NUMERIC_KINDS)
    after_reading = re.compile(rf"{frozen.pattern({*NUMERIC_KINDS, 'phone', 'code'})}\s*$")
    sign = re.compile(rf"(?<![\w.,\-–−])[-−](?={numeric})")

    def minus(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 12):match.start()]
        if not before.strip() or before.rstrip(" \t").endswith("\n") or after_reading.search(before):
            return match.group(0)
        return frozen.freeze("âm", "word") + " "

    return sign.sub(minus, text)


def read_ranges(text: str, reading: Reading) -> str:
    """Two numbers, times or dates joined by a dash: "10-15 phút" mười đến mười lăm phút."""
    numeric = reading.frozen.pattern(NUMERIC_KINDS)
    pattern = re.compile(rf"({numeric})\s*[-–—]\s*({numeric})")
    for _ in range(3):  # chains such as 7h30-11h00-13h30 collapse in steps
        text, count = pattern.subn(lambda m: f"{m.group(1)} đến {m.group(2)}", text)
        if not count:
            break
    return text


_SYMBOLS = (
    (re.compile(r"\s*&\s*"), " và "),
    (re.compile(r"\s*@\s*"), " a còng "),
    (re.compile(r"\s*\+\s*"), " cộng "),
    (re.compile(r"(?<=\s)=(?=\s)"), " bằng "),
    (re.compile(r"\s*%"), " phần trăm"),
    (re.compile(r"[~≈]\s*"), "khoảng "),
    (re.compile(r"\s*±\s*"), " cộng trừ "),
    (re.compile(r"≥\s*"), "từ "),
    (re.compile(r"≤\s*"), "không quá "),
    (re.compile(rf"(?<=[\w{CLOSE}])\s*/\s*(?=[\w{OPEN}])"), ", "),  # also between two readings
    (re.compile(r"[*•●▪■□◦·#_<>|\\^`]+"), " "),
    (re.compile(r"(?<!\w)/|/(?!\w)"), " "),
)


def read_symbols(text: str, reading: Reading) -> str:
    """Symbols no rule claimed: & và, @ a còng, word/word as a pause; decoration dropped."""
    for pattern, spoken in _SYMBOLS:
        text = pattern.sub(spoken, text)
    return text
