"""Every error a user can see, under one base class (after MkDocs' ``exceptions.py``).

Every mistake a user can make in a campaign script is a :class:`Problem` with a place in a file.
They are collected, never raised one by one, and shown together as
``file:line:col: key.path: message``.  All errors here are :class:`BzmediaError`, a
``click.ClickException``, so the CLI prints them and exits 1 without a traceback.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from bzmedia.i18n import _, ngettext


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about a campaign script, with the place it was found."""

    file: str
    """The script (or layout) file, as the user named it."""
    line: int
    """1-based line; 0 when the file could not be read at all."""
    col: int
    """1-based column."""
    path: str
    """Where in the script: ``audio.spots[1].text``; ``syntax`` or ``file`` when there is no key."""
    message: str
    """What is wrong and, where we can tell, what to do instead."""
    warning: bool = False
    """A warning is shown but does not stop the build."""
    cell: str = ""
    """In a spreadsheet, the cell (``Sheet1!C14``) shown instead of ``line:col`` (line is the row,
    col the column number, so problems still sort in file order)."""

    def __str__(self) -> str:
        kind = _("warning: ") if self.warning else ""
        place = self.cell or f"{self.line}:{self.col}"
        return f"{self.file}:{place}: {self.path}: {kind}{self.message}"


class BzmediaError(click.ClickException):
    """Base of every error bzmedia reports to the user: printed without a traceback, exit 1."""

    exit_code = 1


class CampaignError(BzmediaError):
    """One or more user mistakes; the CLI prints every one and exits with status 1."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # travels back from worker processes intact
        return (CampaignError, (self.problems,))

    def show(self, file=None) -> None:
        click.echo(self.format_message(), file=file or sys.stderr)
        errors = sum(not p.warning for p in self.problems)
        click.echo(ngettext("{count} error found.", "{count} errors found.", errors).format(count=errors),
                   file=file or sys.stderr)


class BuildError(BzmediaError):
    """A build that cannot finish for a reason the user can fix (text too long, engine offline)."""

    exit_code = 1

    def __init__(self, messages: list[str], outcome: str = "", details: tuple[str, ...] = ()) -> None:
        self.messages = messages
        self.outcome = outcome
        """What the stop left behind, e.g. ``nothing was published, the previous kit is unchanged``."""
        self.details = tuple(details)
        """Tracebacks of unexpected failures, shown with ``-v`` only."""
        super().__init__("\n".join(messages))

    def __reduce__(self):  # travels back from worker processes intact
        return (BuildError, (self.messages, self.outcome, self.details))

    def show(self, file=None) -> None:
        click.echo(self.format_message(), file=file or sys.stderr)
        count = len(self.messages)
        if self.outcome:  # a msgid (build.py marks its outcomes), translated where it is shown
            line = ngettext("{count} error; the build stopped: {outcome}.",
                            "{count} errors; the build stopped: {outcome}.", count)
        else:
            line = ngettext("{count} error; the build stopped.", "{count} errors; the build stopped.",
                            count)
        outcome = _(self.outcome) if self.outcome else ""  # _("") would be the catalog's header
        click.echo(line.format(count=count, outcome=outcome), file=file or sys.stderr)
