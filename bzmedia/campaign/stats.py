"""Figures as data: a ``stats:`` block gives each locality its count and where it stands.

Seed 002 is the case: the Ministry's count of Bluezone installs per district on a date, the
province's share and rank, and a target.  The values come inline (locality id -> count) or from a
column of the spreadsheet ``localities:`` names; each locality then gets variables formatted the
Vietnamese way, which the speech normalizer reads as numbers:

- ``{installs}`` (or the block's ``name``): ``13.404``
- ``{rank}`` and ``{rank_of}``: ``1`` and ``8`` (by count, largest first; ties share a rank)
- ``{percent}``: ``8,82 %`` of the locality's population (when given)
- ``{to_target}``: how many more reach the target share of the population (``0`` once reached)

and every text may use ``{stats_date}`` (``13/8/2020``), ``{stats_unit}``, ``{target}`` (``60 %``),
``{target_date}``, and the whole area's reported ``{total_installs}``, ``{total_percent}``,
``{total_rank}``, ``{total_rank_of}`` (reported, not summed: the Ministry's province total need
not equal the sum of its districts).

A count may be typed ``8713``, ``8.713`` or ``8 713``, as an Excel number or as text: all mean the
same count.  (A workbook whose cell was typed ``8.713`` in an English-locale Excel holds the float
8.713, read as 8,713: a count has no fractions.)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from bzmedia.campaign.patterns import DATE
from bzmedia.campaign.schema import Located, clip, pattern_check, spec
from bzmedia.errors import Problem
from bzmedia.i18n import N_, _
from bzmedia.text.written_dates import short_date

NAME = pattern_check(r"[A-Za-z_]\w{0,40}", N_("a variable name (letters, digits and '_', e.g. installs)"))
THOUSANDS = re.compile(r"\d{1,3}(?:([.,  ])\d{3})(?:\1\d{3})*", re.ASCII)
PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%?", re.ASCII)
DIGITS = re.compile(r"[0-9]+")
r"""0-9 only: ``str.isdigit`` also takes ``²`` and ``①``, which ``int()`` refuses, and ``\d`` other
scripts' digits, which a count typed for a Vietnamese office never holds."""
MAX_COUNT = 10**12
MAX_COUNT_CHARS = 20
"""The longest text a count may be: 10**12 written with separators is 17 characters."""


@dataclass(kw_only=True)
class StatsTotal(Located):
    """``stats.total:`` — the whole area's figures as reported (e.g. the province's)."""

    value: str | None = None
    """The reported count, e.g. ``57.511``; fills ``{total_installs}``."""
    percent: str | None = None
    """The reported share of the population, e.g. ``8,82``; fills ``{total_percent}`` (``8,82 %``)."""
    rank: int | None = field(default=None, metadata=spec(min=1, max=10_000))
    """Where the area ranks, e.g. ``40``; fills ``{total_rank}``."""
    rank_of: int | None = field(default=None, metadata=spec(min=1, max=10_000))
    """Among how many, e.g. ``63``; fills ``{total_rank_of}``."""


@dataclass(kw_only=True)
class StatsSpec(Located):
    """``stats:`` — a figure per locality on a date (e.g. app installs), with an optional target;
    each locality's texts can then say its own number, share and rank."""

    name: str = field(default="installs", metadata=spec(check=NAME))
    """The variable the count fills, e.g. ``installs`` for ``{installs}``."""
    date: str = field(metadata=spec(check=DATE))
    """The day the figures were counted (YYYY-MM-DD); fills ``{stats_date}`` as ``13/8/2020``."""
    unit: str = field(default="", metadata=spec(one_line=True))
    """What is counted, e.g. ``lượt cài đặt``; fills ``{stats_unit}``."""
    values: dict[str, str] = field(default_factory=dict)
    """Inline counts: locality id -> count (``8713`` or ``8.713``)."""
    column: str | None = None
    """Or: the heading of the counts column in the file ``localities:`` names (or in ``file``)."""
    file: str | None = field(default=None, metadata=spec(asset="file"))
    """Or: an ``.xlsx`` or ``.csv`` file of its own with the counts, one row per locality (e.g.
    the Ministry's weekly table); ``match`` and ``column`` name its columns."""
    sheet: str | None = None
    """The worksheet of ``file`` when it is an ``.xlsx`` (default: the first)."""
    match: str = "name"
    """Heading of the column of ``file`` naming each row's locality (by its id or its name)."""
    population: dict[str, str] = field(default_factory=dict)
    """Inline populations: locality id -> people; gives ``{percent}`` and ``{to_target}``."""
    population_column: str | None = None
    """Or: the heading of the population column in the file ``localities:`` names."""
    target: str | None = None
    """The target share of the population in percent, e.g. ``60``; fills ``{target}``."""
    target_date: str | None = field(default=None, metadata=spec(check=DATE))
    """The day the target is due (YYYY-MM-DD); fills ``{target_date}``."""
    total: StatsTotal | None = None
    """The whole area's reported figures; see ``stats.total``."""


# -- Vietnamese numbers --------------------------------------------------------------------------
def parse_count(value: object) -> int | None:
    """A count from a cell or a script: ``8713``, ``8.713``, ``8 713``, ``8,713`` or the floats
    Excel stores (8713.0; 8.713 typed in an English-locale Excel); ``None`` when not a count."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_COUNT else None
    if isinstance(value, float):
        if not math.isfinite(value) or value < 0 or value > MAX_COUNT:
            return None
        if value.is_integer():
            return int(value)
        thousands = round(value * 1000)
        return thousands if abs(thousands - value * 1000) < 1e-6 else None
    text = str(value).strip()
    if len(text) > MAX_COUNT_CHARS:  # int() of thousands of digits costs time and may raise
        return None
    if DIGITS.fullmatch(text) or THOUSANDS.fullmatch(text):
        count = int(re.sub(r"[^0-9]", "", text))
        return count if count <= MAX_COUNT else None
    return None


def parse_percent(value: object) -> float | None:
    """``60``, ``60 %``, ``8,82`` or ``8.82`` -> a number of percent (0 to 100)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        found = PERCENT.fullmatch(str(value).strip())
        if not found:
            return None
        number = float(found.group(1).replace(",", "."))
    return number if 0 <= number <= 100 else None


def count_text(number: int) -> str:
    """57511 -> ``57.511`` (the dot groups thousands in Vietnamese)."""
    return f"{number:,}".replace(",", ".")


def percent_text(number: float) -> str:
    """8.8203 -> ``8,82 %`` (the comma is the decimal sign; two decimals, none when whole)."""
    shown = f"{number:.0f}" if float(number).is_integer() else f"{number:.2f}".replace(".", ",")
    return f"{shown} %"


def date_text(iso: str) -> str:
    """``2020-08-13`` -> ``13/8/2020``: the one written-date rule (:mod:`bzmedia.text.written_dates`)."""
    return short_date(iso)


def ranks(counts: dict[str, float]) -> dict[str, int]:
    """Competition ranking, largest first: 100, 90, 90, 80 -> 1, 2, 2, 4 (one sort: a province's
    hundred communes are ranked once per chart of each of them)."""
    first: dict[float, int] = {}
    for place, value in enumerate(sorted(counts.values(), reverse=True), 1):
        first.setdefault(value, place)
    return {key: first[value] for key, value in counts.items()}


# -- variables -----------------------------------------------------------------------------------
@dataclass
class Figure:
    """One locality's count and population, and where each came from (for messages)."""

    count: int
    population: int | None = None


def campaign_variables(stats: StatsSpec) -> dict[str, str]:
    """The variables every locality shares: the date, the target and the area's totals."""
    found = {"stats_date": date_text(stats.date)}
    if stats.unit:
        found["stats_unit"] = stats.unit
    if stats.target is not None and parse_percent(stats.target) is not None:
        found["target"] = percent_text(parse_percent(stats.target))
    if stats.target_date:
        found["target_date"] = date_text(stats.target_date)
    total = stats.total
    if total is not None:
        if total.value is not None and parse_count(total.value) is not None:
            found[f"total_{stats.name}"] = count_text(parse_count(total.value))
        if total.percent is not None and parse_percent(total.percent) is not None:
            found["total_percent"] = percent_text(parse_percent(total.percent))
        if total.rank is not None:
            found["total_rank"] = str(total.rank)
        if total.rank_of is not None:
            found["total_rank_of"] = str(total.rank_of)
    return found


def locality_figures(stats: StatsSpec, figures: dict[str, Figure]) -> dict[str, dict[str, str]]:
    """Per locality id, the variables its figures give."""
    rank_of = ranks({key: fig.count for key, fig in figures.items()})
    target = parse_percent(stats.target) if stats.target is not None else None
    found = {}
    for key, fig in figures.items():
        values = {stats.name: count_text(fig.count), "rank": str(rank_of[key]),
                  "rank_of": str(len(figures))}
        if fig.population:
            values["percent"] = percent_text(100 * fig.count / fig.population)
            if target is not None:
                values["to_target"] = count_text(max(0, math.ceil(target * fig.population / 100)
                                                     - fig.count))
        found[key] = values
    return found


def check_numbers(stats: StatsSpec, script: str) -> list[Problem]:
    """Inline counts, populations and percentages that are not numbers, at their keys."""
    problems = []

    def bad(obj, field_name: str, key: str, message: str) -> None:
        line, col = obj.mark(field_name)
        problems.append(Problem(script, line, col, f"{obj.keypath(field_name)}{key}", message))

    for field_name in ("values", "population"):
        for loc_id, text in getattr(stats, field_name).items():
            if parse_count(text) is None:
                bad(stats, field_name, f".{loc_id}",
                    _("“{text}” is not a count (write 8713 or 8.713)").format(text=clip(text)))
    if stats.target is not None and parse_percent(stats.target) is None:
        bad(stats, "target", "", _("“{text}” is not a percentage from 0 to 100 (write 60 or 60 %)").format(
            text=stats.target))
    total = stats.total
    if total is not None and total.value is not None and parse_count(total.value) is None:
        bad(total, "value", "", _("“{text}” is not a count (write 57511 or 57.511)").format(
            text=clip(total.value)))
    if total is not None and total.percent is not None and parse_percent(total.percent) is None:
        bad(total, "percent", "", _("“{text}” is not a percentage (write 8,82)").format(text=total.percent))
    return problems


def apply_stats(campaign, table, script: str) -> list[Problem]:
    """Give each locality the variables of its figures (``table``: the localities file, when the
    counts are a column of it); problems at the keys or cells that are wrong."""
    stats: StatsSpec = campaign.stats
    problems = check_numbers(stats, script)
    figures = _inline_figures(campaign, stats, script, problems)
    if stats.file is not None:
        table = _stats_table(campaign, stats, script, problems)
        rows = _rows_by_match(campaign, stats, table, problems) if table is not None else {}
    else:
        by_row = {next(iter(cells.values())).row: cells for cells in table.rows} if table else {}
        rows = {loc.id: by_row[loc.mark()[0]] for loc in campaign.localities if loc.mark()[0] in by_row}
    if table is not None or stats.column is not None or stats.population_column is not None:
        figures.update(_column_figures(campaign, stats, table, rows, script, problems))
    shared = campaign_variables(stats)
    per_locality = locality_figures(stats, figures) if figures else {}
    for name, value in shared.items():
        if name in campaign.variables:
            line, col = campaign.mark("variables")
            problems.append(Problem(script, line, col, f"variables.{name}",
                                    _("stats: gives {{{name}}}; rename this variable").format(name=name)))
        campaign.variables[name] = value
    for loc in campaign.localities:
        for name, value in per_locality.get(loc.id, {}).items():
            if name in loc.vars:
                line, col = loc.mark("vars")
                problems.append(Problem(script, line, col, f"{loc.keypath('vars')}.{name}",
                                        _("stats: gives {{{name}}}; rename this variable").format(name=name)))
                continue
            loc.vars[name] = value
            if getattr(loc, "_sheet", None) is not None and stats.column is not None:
                loc._marks[f"vars.{name}"] = loc._marks.get("stats", loc.mark())
    return problems


def _inline_figures(campaign, stats: StatsSpec, script: str, problems: list[Problem]) -> dict:
    known = {loc.id for loc in campaign.kit_localities()}
    figures = {}
    for field_name in ("values", "population"):
        for loc_id in getattr(stats, field_name):
            if loc_id not in known:
                line, col = stats.mark(field_name)
                problems.append(Problem(script, line, col, f"stats.{field_name}.{loc_id}",
                                        _("'{id}' is not the id of a locality").format(id=loc_id)))
    for loc_id, text in stats.values.items():
        count = parse_count(text)
        if loc_id in known and count is not None:
            population = parse_count(stats.population.get(loc_id, "")) or None
            figures[loc_id] = Figure(count, population)
    return figures


def _stats_table(campaign, stats: StatsSpec, script: str, problems: list[Problem]):
    """The table of ``stats.file``, read as the localities file is (its keys in messages)."""
    from bzmedia.campaign.assets import asset_problem
    from bzmedia.campaign.sheets import LocalitySheet, read_table, shown_file

    if asset_problem(campaign.base_dir, stats.file) is not None:  # reported with the assets
        return None
    as_sheet = LocalitySheet(file=stats.file, sheet=stats.sheet, name=stats.match)
    object.__setattr__(as_sheet, "_marks", {None: stats.mark(), "file": stats.mark("file"),
                                            "name": stats.mark("match")})
    object.__setattr__(as_sheet, "_path", "stats")
    return read_table(as_sheet, campaign.base_dir, shown_file(script, stats.file), problems, script)


def _rows_by_match(campaign, stats: StatsSpec, table, problems: list[Problem]) -> dict:
    """Locality id -> its row of ``stats.file``, the row naming it by id or by name."""
    from bzmedia.campaign.sheets import fold, text_of

    col = table.column(stats.match)
    by_key = {}
    for loc in campaign.kit_localities():
        by_key.setdefault(fold(loc.id), loc.id)
        by_key.setdefault(fold(loc.name), loc.id)
    rows = {}
    for cells in table.rows:
        cell = cells.get(col)
        if cell is None:
            continue
        if control := table.control_problem(cell, "stats.match"):
            problems.append(control)
            continue
        loc_id = by_key.get(fold(text_of(cell.value)))
        if loc_id is None:
            unknown = _("“{text}” is not the id or the name of a locality of the script")
            problems.append(table.problem(cell.row, cell.col, "stats.match",
                                          unknown.format(text=text_of(cell.value))))
        elif loc_id in rows:
            problems.append(table.problem(cell.row, cell.col, "stats.match",
                                          _("a second row for “{text}”").format(text=text_of(cell.value))))
        else:
            rows[loc_id] = cells
    return rows


def _column_figures(campaign, stats: StatsSpec, table, rows: dict, script: str,
                    problems: list[Problem]) -> dict:
    """Counts (and populations) from columns of the localities file or ``stats.file``, checked
    cell by cell (``rows``: each locality's cells)."""
    if table is None:
        if campaign.locality_sheet is None and stats.file is None:
            line, col = stats.mark("column" if stats.column else "population_column")
            problems.append(Problem(script, line, col, stats.keypath("column"),
                                    _("a column needs localities: read from a file (or give the "
                                      "counts under values:)")))
        return {}
    columns = {}
    for key in ("column", "population_column"):
        heading = getattr(stats, key)
        if heading is None:
            continue
        columns[key] = table.column(heading)
        if columns[key] is None:
            line, col = stats.mark(key)
            problems.append(Problem(script, line, col, stats.keypath(key),
                                    _("no column headed '{heading}' in row {row} of '{file}'").format(
                                        heading=heading, row=table.header_row,
                                        file=stats.file or campaign.locality_sheet.file)))
    if None in columns.values():
        return {}
    figures = {}
    for loc in campaign.kit_localities():
        cells = rows.get(loc.id)
        if cells is None:  # not in the stats file: its texts cannot use the figures (reported there)
            continue
        row = next(iter(cells.values())).row
        numbers = _row_numbers(loc, table, row, cells, columns, problems)
        if "column" in columns and stats.file is None:  # the count's cell, for later messages
            loc._marks["stats"] = (row, columns["column"])
        if numbers.get("column") is not None:
            figures[loc.id] = Figure(numbers["column"], numbers.get("population_column"))
    return figures


def _row_numbers(loc, table, row: int, cells: dict, columns: dict[str, int],
                 problems: list[Problem]) -> dict[str, int | None]:
    """A locality's count (and population) from its row's cells, each bad cell said at the cell."""
    from bzmedia.campaign.sheetfiles import CellError, cell_error_message  # a table was read: loaded

    numbers = {}
    for key, col in columns.items():
        cell = cells.get(col)
        if cell is None:
            missing = _("no count for {name}") if key == "column" else _("no population for {name}")
            problems.append(table.problem(row, col, f"stats.{key}", missing.format(name=loc.name)))
            continue
        numbers[key] = parse_count(cell.value)
        if isinstance(cell.value, CellError):
            problems.append(table.problem(row, col, f"stats.{key}", cell_error_message(cell.value)))
        elif control := table.control_problem(cell, f"stats.{key}"):
            problems.append(control)
        elif numbers[key] is None:
            wrong = (_("“{text}” is not a count (write 8713 or 8.713)") if key == "column"
                     else _("“{text}” is not a population (write 8713 or 8.713)"))
            problems.append(table.problem(row, col, f"stats.{key}", wrong.format(text=clip(cell.value))))
    return numbers


def column_controls(stats: StatsSpec, table) -> list[Problem]:
    """Control characters in the counts and population columns of the localities file, when a
    mistake in its localities keeps :func:`apply_stats` from reading them: a file's bad cells
    are all said at once."""
    if stats.file is not None:  # its own file is read by apply_stats only
        return []
    found = []
    for key in ("column", "population_column"):
        heading = getattr(stats, key)
        col = table.column(heading) if heading is not None else None
        for cells in table.rows:
            cell = cells.get(col)
            if cell is not None and (problem := table.control_problem(cell, f"stats.{key}")):
                found.append(problem)
    return found
