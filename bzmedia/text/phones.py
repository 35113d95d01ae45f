"""Telephone numbers, read digit by digit in the groups people write and say them in.

``0912 345 678`` không chín một hai, ba bốn năm, sáu bảy tám; ``0210.3846.123`` ...;
``1900 9095`` một chín không không, chín không chín năm; the emergency lines 111-115 and
service numbers such as the 1022 portal are read digit by digit where the sentence shows they
are numbers to call (after "gọi", "tổng đài", "Cổng" ...), since "113 người" is a count.
"""

from __future__ import annotations

import re

from bzmedia.text import numbers
from bzmedia.text.measures import COUNT_NOUNS
from bzmedia.text.reading import Reading

# Separated groups: 0912 345 678, 0210.3846.123, (024) 3825 1234, +84 912 345 678; or an area
# code (mobile prefix) and the rest unbroken, as letterheads write it: 0210.3825368, 0912 345678,
# (+84) 912345678.
# A slash may join two numbers for one contact (0912345678/0987654321), so it ends a number only
# before another one (a 0 or +84 lead); "/2021" after digits is something else.
_END = r"(?![\w]|[.,]\d|/(?!0\d)\d)"
# The country code as letterheads write it: +84, (+84), (84), "+84 (0)" with the dropped trunk 0.
_COUNTRY = r"(?:\(\+?84\)|\+84)(?: ?\(0\))?"
_GROUPED = re.compile(
    rf"(?<![\w.,+])({_COUNTRY}|\(0\d{{1,3}}\)|0\d{{1,4}})"
    r"((?:[ .\-]\d{1,4})?[ .\-]\d{6,9}|(?:[ .\-]\d{1,4}){1,4})" + _END)
_SOLID = re.compile(r"(?<![\w.,+])(\+84\d{9,10}|0\d{9,10})" + _END)
_HOTLINE = re.compile(r"(?<![\w.,/])(1[89]00)([ .\-]?)(\d{4}|\d{2}[ .\-]?\d{2}[ .\-]?\d{2}|\d{6})"
                      r"(?![\w]|[.,/]\d)")
_SERVICE = re.compile(r"(?<![\w.,/])(11[1-5]|1022|18001\d{3})(?![\w]|[.,/]\d)")
# Words after which 113, 1022 ... are numbers to call: up to three words may come between
# ("gọi ngay cho 115"); "số" and "trung tâm" name many things ("Số ca mắc là 114"), so they
# count only right before the number ("qua số 113", "Trung tâm 115").
_CALL_WORDS = re.compile(
    r"(?:(?:gọi|tổng đài|đường dây|hotline|cổng|liên hệ|đầu số|số máy|điện thoại|bấm|quay|khẩn cấp|"
    r"cấp cứu|cứu hỏa|cứu nạn|\()\W*(?:\w+\W+){0,3}|(?:số|trung tâm)\W*)$", re.IGNORECASE)
# A landline written without its area code (3825111, 3.825.111) is a phone number only right
# after a phone word; elsewhere "3.825.111" is a quantity.
_LOCAL = re.compile(r"(?<![\w.,/])(?:\d{7,8}|\d{1,4}(?:[ .\-]\d{2,4}){1,3})(?![\w]|[.,/]\d)")
_PHONE_WORDS = re.compile(r"(điện thoại|gọi|tổng đài|đường dây nóng|hotline|fax|số máy|tel)\W*$",
                          re.IGNORECASE)


def _group_words(group: str) -> str:
    return numbers.digit_words(group)


def _split_long_group(group: str) -> list[str]:
    """The unbroken rest after an area code, in the groups it is said in: 345678 as 345, 678;
    3825368 as 3825, 368 (like a local landline); 38251234 as 3825, 1234; 912345678 as 3-3-3."""
    if len(group) <= 4:
        return [group]
    if len(group) == 9:
        return [group[:3], group[3:6], group[6:]]
    head = 3 if len(group) in (5, 6) else 4
    return [group[:head], group[head:]]


def _default_groups(digits: str) -> list[str]:
    """How an unseparated number is said: mobile 4-3-3, Hà Nội/HCM landline 3-4-4, others 4-4-3."""
    if len(digits) == 10:
        return [digits[:4], digits[4:7], digits[7:]]
    if len(digits) == 11 and digits[:3] in ("024", "028"):
        return [digits[:3], digits[3:7], digits[7:]]
    if len(digits) == 11:
        return [digits[:4], digits[4:8], digits[8:]]
    return [digits[i:i + 4] for i in range(0, len(digits), 4)]


def phone_words(groups: list[str]) -> str:
    """Groups read digit by digit, a comma (a short pause) between groups."""
    spoken = []
    for group in groups:
        if group == "+84":
            spoken.append("cộng tám tư")  # the country code as people say it, not digit by digit
        elif group.startswith("+"):
            spoken.append("cộng " + numbers.digit_words(group[1:]))
        else:
            spoken.append(_group_words(group))
    return ", ".join(part for part in spoken if part)


def _read_grouped(match: re.Match[str]) -> str | None:
    head = match.group(1).strip("()")
    if not head.startswith("0"):  # +84, (84), "+84 (0)"
        head = "+84"
    rest = [part for group in re.split(r"[ .\-]", match.group(2).strip(" .-"))
            for part in _split_long_group(group)]
    groups = [head, *rest]
    digits = "".join(groups).lstrip("+")
    expected = range(10, 13) if head.startswith("+") else range(10, 12)
    if len(digits) not in expected:
        return None
    return phone_words([g for g in groups if g])


def _read_solid(match: re.Match[str]) -> str:
    return _solid_words(match.group(1))


def _solid_words(number: str) -> str:
    if number.startswith("+84"):
        national = number[3:]
        if len(national) == 9:
            return phone_words(["+84", national[:3], national[3:6], national[6:]])
        return phone_words(["+84", national[:2], national[2:6], national[6:]])
    return phone_words(_default_groups(number))


def _read_hotline(match: re.Match[str]) -> str:
    rest = re.sub(r"\D", "", match.group(3))
    tail = [rest] if len(rest) == 4 else [rest[:3], rest[3:]]
    return phone_words([match.group(1), *tail])


def read_phone_numbers(text: str, reading: Reading) -> str:
    """Mobile, landline, 1900/1800 lines, and service numbers in a calling context."""
    frozen = reading.frozen
    text = frozen.sub(_HOTLINE, _read_hotline, text, "phone")
    text = frozen.sub(_GROUPED, _read_grouped, text, "phone")
    text = frozen.sub(_SOLID, _read_solid, text, "phone")

    def context(match: re.Match[str]) -> tuple[str, str]:
        """The text before a number as it stands (a phone read earlier counts as one word) and
        read back (so an abbreviation already replaced, such as "ĐT:", shows its words)."""
        raw = text[max(0, match.start() - 40):match.start()]
        return raw, frozen.restore(raw)

    def called(match: re.Match[str], words: re.Pattern[str]) -> bool:
        return any(words.search(before) for before in context(match))

    def service(match: re.Match[str]) -> str | None:
        noun = re.match(r"\s*(\w+)", text[match.end():match.end() + 20])
        if noun and noun.group(1).lower() in COUNT_NOUNS:  # "Tổng số 113 ca mắc" is a count
            return None
        return numbers.digit_words(match.group(1)) if called(match, _CALL_WORDS) else None

    def local(match: re.Match[str]) -> str | None:
        groups = re.split(r"[ .\-]", match.group(0))
        digits = "".join(groups)
        if len(digits) not in (7, 8) or not called(match, _PHONE_WORDS):
            return None
        if len(groups) == 1:
            groups = [digits[:4], digits[4:]]
        return phone_words(groups)

    text = frozen.sub(_LOCAL, local, text, "phone")
    text = frozen.sub(_SERVICE, service, text, "phone")
    # "0912345678/0987654321": two numbers to try, not a fraction or a list pause.
    phone = frozen.pattern({"phone"})
    return re.sub(rf"({phone})\s*/\s*(?={phone})", r"\1 hoặc ", text)
