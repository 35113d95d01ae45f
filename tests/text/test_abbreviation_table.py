"""The shipped abbreviation table is read as it is written: each entry once."""

from __future__ import annotations

from collections import Counter

from bzmedia.text.abbreviations import table


def test_no_abbreviation_is_listed_twice() -> None:
    # The same letters may be read one way in running text and another in a document number
    # (CT Chủ tịch, CT Chỉ thị in 05-CT/TW), so the key is the letters with their flags.
    counts = Counter((e.written, e.ignore_case, e.document_only) for e in table())
    assert [key for key, count in counts.items() if count > 1] == []
