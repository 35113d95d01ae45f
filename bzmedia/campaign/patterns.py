"""The written forms of the script's values, one home each: ids, dates, web addresses.

Every spec module and the spreadsheets take these checks from here, so an id or a date is the
same thing in ``localities:``, ``print:``, ``signage.slides`` and ``audio.spots``.
"""

from __future__ import annotations

import re

from bzmedia.campaign.schema import pattern_check
from bzmedia.i18n import N_

ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,62}"
"""An id: also a folder or file name in the kit, so lowercase ASCII, digits and '-' only."""
SLUG = pattern_check(ID_PATTERN, N_("a valid id (lowercase letters a-z, digits and '-', e.g. 'son-vi')"))
DATE = pattern_check(r"\d{4}-\d{2}-\d{2}", N_("a date written YYYY-MM-DD (e.g. 2020-08-05)"))
URL = pattern_check(r"https?://\S+", N_("a web address starting with http:// or https://"))

_ID = re.compile(ID_PATTERN)


def is_id(name: str) -> bool:
    """True when ``name`` is written as an id (a built-in layout's name, for instance)."""
    return _ID.fullmatch(name) is not None
