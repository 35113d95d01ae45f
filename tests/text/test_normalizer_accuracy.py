"""The table-driven check: how many of the hand-written readings the normalizer gets exactly.

The accuracy is reported as a warning (so it shows in the summary of every run, with or without
-s and under xdist) and must stay above a floor; the misses are listed when it does not.
"""

from __future__ import annotations

import warnings

import pytest
from normalizer_cases import ALL_CASES, MISREADING_CASES, PRONUNCIATION_CASES, SEED_CASES

from bzmedia.text.speech import normalize_for_speech

ACCURACY_FLOOR = 0.97


def _misses(cases: list[tuple[str, str]]) -> list[str]:
    misses = []
    for written, expected in cases:
        got = normalize_for_speech(written)
        if got != expected:
            misses.append(f"{written!r}\n   got  {got!r}\n   want {expected!r}")
    return misses


def test_case_table_is_large_and_unique() -> None:
    written = [case[0] for case in ALL_CASES]
    assert len(written) >= 150
    assert len(set(written)) == len(written), "a case is listed twice"
    assert len(SEED_CASES) >= 40


def test_normalizer_accuracy_on_case_table() -> None:
    misses = _misses(ALL_CASES)
    right = len(ALL_CASES) - len(misses)
    accuracy = right / len(ALL_CASES)
    # A builtin warning class: xdist sends warnings to the controller by pickling them, and a
    # class defined in a test module cannot be unpickled there.
    warnings.warn(f"normalizer accuracy: {right}/{len(ALL_CASES)} = {accuracy:.1%}", UserWarning,
                  stacklevel=1)
    assert accuracy >= ACCURACY_FLOOR, "\n".join(misses)


@pytest.mark.parametrize(("written", "spoken"), MISREADING_CASES)
def test_fixed_misreadings_stay_fixed(written: str, spoken: str) -> None:
    assert normalize_for_speech(written) == spoken


@pytest.mark.parametrize(("written", "pronunciations", "spoken"), PRONUNCIATION_CASES)
def test_campaign_words_keep_out_of_addresses(written: str, pronunciations: dict[str, str],
                                              spoken: str) -> None:
    assert normalize_for_speech(written, pronunciations=pronunciations) == spoken
