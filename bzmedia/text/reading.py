"""What every speech rule is handed: :class:`Reading`, and the shape of a rule.

Its own small module so the rule modules (abbreviations, dates, measures, phones, urls) and
:mod:`bzmedia.text.speech`, which runs them, import it instead of each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bzmedia.text import numbers
from bzmedia.text.frozen import Frozen


@dataclass
class Reading:
    """Everything a rule needs: the placeholder store, the dialect and the campaign's words."""

    frozen: Frozen = field(default_factory=Frozen)
    dialect: str = "north"
    pronunciations: Mapping[str, str] = field(default_factory=dict)

    def number(self, digits: str) -> str:
        return numbers.number_words(digits, self.dialect)


Rule = Callable[[str, Reading], str]
"""A rule reads one kind of written form in the text and returns the text with it parked."""
