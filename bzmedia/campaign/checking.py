"""What every ``check(ctx)`` hook of the model is handed: where to report a located problem.

A script's objects get a :class:`CheckContext` (the campaign and its folder besides); a layout
file's objects, checked on their own before any campaign uses them, a bare :class:`ProblemSink`.
Both report as ``file:line:col: key.path: message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bzmedia.campaign.variables import locality_variables
from bzmedia.errors import Problem

if TYPE_CHECKING:
    from pathlib import Path

    from bzmedia.campaign.model import Campaign
    from bzmedia.campaign.schema import Located


class ProblemSink:
    """Collects the problems of one file, each at the line of the object and field it is about."""

    def __init__(self, shown_name: str) -> None:
        self.shown_name = shown_name
        self.problems: list[Problem] = []

    def error(self, obj: Located, field_name: str | None, message: str, *, warning: bool = False) -> None:
        line, col = obj.mark(field_name)
        self.problems.append(Problem(self.shown_name, line, col, obj.keypath(field_name),
                                     message, warning))

    def warning(self, obj: Located, field_name: str | None, message: str) -> None:
        self.error(obj, field_name, message, warning=True)


class CheckContext(ProblemSink):
    """Handed to each campaign object's ``check(ctx)``: the campaign, its folder, a problem sink."""

    def __init__(self, shown_name: str, campaign: Campaign, fit_texts: bool = True) -> None:
        super().__init__(shown_name)
        self.campaign = campaign
        self.base_dir: Path = campaign.base_dir
        self.fit_texts = fit_texts
        """False: texts are fitted to their boxes later, by the build's preflight, and only when
        a job that draws them is to run (a no-op build does not fit them)."""
        self._locality_values: list[tuple[str, dict[str, str]]] | None = None

    def locality_values(self) -> list[tuple[str, dict[str, str]]]:
        """``(locality id, its variables)`` of every locality of the kit, made once for all the
        checks that fill texts."""
        if self._locality_values is None:
            self._locality_values = [(loc.id, locality_variables(self.campaign, loc))
                                     for loc in self.campaign.kit_localities()]
        return self._locality_values


def run_checks(objects: Iterable[object], ctx: ProblemSink) -> None:
    """Every object's own ``check`` hook, in the order the file holds them."""
    for obj in objects:
        check = getattr(obj, "check", None)
        if check is not None:
            check(ctx)
