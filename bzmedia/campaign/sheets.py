"""Localities from a spreadsheet: ``localities:`` names an ``.xlsx`` or ``.csv`` file.

Offices keep their commune lists in Excel; since the 2025 reform a province has about a hundred
communes and wards, which nobody should type into YAML.  So ``localities:`` either lists its
entries or names a file (``localities: xa-phuong.xlsx``, or a mapping saying which columns to
read).  The file is read by :mod:`.sheetfiles` (python-calamine only when a script names an
``.xlsx``: ``validate`` of other scripts loads nothing; openpyxl only writes ``bzmedia init``'s
template).  Every problem points into the file the way script
problems point into the script, ``xa-phuong.xlsx:Sheet1!C14: hotline: ...``, and all are
reported at once.

Rows above the header (a merged title, a blank line) are skipped: the header is the first row
holding the name column's heading, unless ``header_row`` says where it is.  Empty rows are
skipped.  Ids are the names' diacritic-free slugs when the file has no id column.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bzmedia.campaign.schema import Located, clip, spec
from bzmedia.campaign.sheetfiles import (
    CELL_CONTROL,
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    CellError,
    SheetError,
    cell_control_message,
    cell_error_message,
    column_letters,
    held_control,
    read_rows,
)
from bzmedia.campaign.yamlsource import legacy_letter
from bzmedia.errors import Problem
from bzmedia.i18n import _, number
from bzmedia.text.written_dates import short_date

NAME_HEADINGS = ("name", "tên", "tên xã", "tên xã, phường", "tên xã/phường", "tên xã, phường, thị trấn",
                 "tên đơn vị", "tên địa phương")
"""Headings a names column is found by when ``name:`` is left at its default (folded)."""
PHONE = re.compile(r"\+?[0-9][0-9 .()-]{1,30}")


@dataclass(kw_only=True)
class LocalitySheet(Located):
    """``localities:`` naming a file — the localities read from a spreadsheet (``.xlsx``) or a
    ``.csv`` file (UTF-8, Windows-1258 or UTF-16 as Excel saves it; ``,``, ``;`` or tab between
    cells) instead of listed one by one; each key names the column (by its heading) that gives
    that part of a locality.  ``localities: xa-phuong.xlsx`` alone reads the names from a
    column headed ``name``, ``Tên xã`` or the like, and makes the ids from them."""

    _shorthand = "file"
    file: str = field(metadata=spec(asset="file"))
    """The ``.xlsx`` or ``.csv`` file, inside the campaign folder."""
    sheet: str | None = None
    """The worksheet of an ``.xlsx`` (default: the first)."""
    header_row: int | None = field(default=None, metadata=spec(min=1, max=1_000))
    """Row number of the headings (default: the first row holding the ``name`` heading)."""
    id: str | None = None
    """Heading of the ids column; left out, ids are the names without diacritics (``xa-son-vi``)."""
    name: str = "name"
    """Heading of the names column, e.g. ``Tên xã/phường``; left out, the first column headed
    ``name``, ``Tên``, ``Tên xã``, ``Tên xã, phường``, ``Tên xã/phường`` or ``Tên đơn vị``."""
    parent: str | None = None
    """Heading of the column naming the locality each belongs to (its id or its name)."""
    hotline: str | None = None
    """Heading of the hotline column (format it as text in Excel, or the leading 0 is lost)."""
    vars: dict[str, str] = field(default_factory=dict)
    """More variables: variable name -> heading of its column, e.g. ``{station: Đài xã}``."""


@dataclass
class Cell:
    """One cell's value as read (text, int, float or None) and where it is."""

    value: object
    row: int
    col: int


@dataclass
class Table:
    """A sheet's rows below its header, as headings -> cells, with what names the places."""

    shown: str
    """The file as messages name it."""
    sheet: str
    """``Sheet1`` (xlsx) or empty (csv)."""
    header_row: int = 0
    headings: dict[str, int] = field(default_factory=dict)
    """Folded heading -> column number."""
    shown_headings: list[str] = field(default_factory=list)
    """The headings as written, for messages."""
    name_heading: str = ""
    """The names column's heading as written (one of :data:`NAME_HEADINGS` when ``name:`` was
    left at ``name``)."""
    rows: list[dict[int, Cell]] = field(default_factory=list)

    def place(self, row: int, col: int) -> str:
        """``Sheet1!C14`` (xlsx) or ``C14`` (csv)."""
        ref = f"{column_letters(col)}{row}"
        return f"{self.sheet}!{ref}" if self.sheet else ref

    def problem(self, row: int, col: int, key: str, message: str, warning: bool = False) -> Problem:
        return Problem(self.shown, row, col, key, message, warning, cell=self.place(row, col))

    def control_problem(self, cell: Cell, key: str) -> Problem | None:
        """The problem of ``cell`` read as ``key`` when its text holds a control character."""
        char = held_control(cell.value)
        if char is None or legacy_letter(char, cell.value):
            return None
        return self.problem(cell.row, cell.col, key, cell_control_message(char))

    def column(self, heading: str) -> int | None:
        return self.headings.get(fold(heading))


@dataclass
class SheetPlace:
    """Where a value read from a table lives, for messages about it later (the preflight)."""

    shown: str
    sheet: str

    def cell(self, row: int, col: int) -> str:
        ref = f"{column_letters(col)}{row}"
        return f"{self.sheet}!{ref}" if self.sheet else ref


def fold(text: str) -> str:
    """A heading as compared: NFC, case-folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def slug(name: str) -> str:
    """The diacritic-free id of a name: ``Xã Đắk R'Lấp`` -> ``xa-dak-rlap``."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:63].rstrip("-")


def text_of(value: object) -> str:
    """A cell as text: Excel numbers without a trailing ``.0``, Excel dates as Vietnamese write
    them (``20/8/2020``), NFC, outer spaces removed."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):  # a datetime too: Excel stores days as datetimes
        return short_date(value.date().isoformat() if isinstance(value, datetime.datetime)
                          else value.isoformat())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


# -- rows to localities --------------------------------------------------------------------------
def read_table(spec_: LocalitySheet, base_dir: Path, shown: str, problems: list[Problem],
               script: str) -> Table | None:
    """The table below the header row; ``None`` (after a problem at the script's key) when the
    file cannot be read or has no header."""
    try:
        sheet, rows = read_rows(base_dir / spec_.file, spec_.sheet)
    except SheetError as exc:
        line, col = spec_.mark("file")
        problems.append(Problem(script, line, col, spec_.keypath("file"), f"'{spec_.file}' {exc}"))
        return None
    table = Table(shown, sheet)
    header, table.name_heading = _header_index(rows, spec_)
    if header is None:
        where = _("row {row}").format(row=spec_.header_row) if spec_.header_row else \
            _("the first {count} rows").format(count=HEADER_SEARCH_ROWS)
        line, col = spec_.mark("name")
        heading = (f"'{spec_.name}'" if fold(spec_.name) != "name" else
                   _("'name' or 'Tên xã' (say which with name: <heading>)"))
        problems.append(Problem(script, line, col, spec_.keypath("name"),
                                _("no column headed {heading} in {where} of '{file}'{hint}").format(
                                    heading=heading, where=where, file=spec_.file,
                                    hint=_headings_hint(rows, spec_))))
        return None
    table.header_row = header + 1
    for col, value in enumerate(rows[header], 1):
        if text_of(value):
            table.headings.setdefault(fold(text_of(value)), col)
            table.shown_headings.append(text_of(value))
    for row_number, row in enumerate(rows[header + 1:], header + 2):
        cells = {col: Cell(value, row_number, col) for col, value in enumerate(row, 1)
                 if text_of(value)}
        if cells:
            table.rows.append(cells)
    return table


def _header_index(rows: list[list[object]], spec_: LocalitySheet) -> tuple[int | None, str]:
    """The row holding the names column's heading, and that heading as written; with ``name:``
    left at ``name``, any of :data:`NAME_HEADINGS`."""
    wanted = set(NAME_HEADINGS) if fold(spec_.name) == "name" else {fold(spec_.name)}
    candidates = [spec_.header_row - 1] if spec_.header_row is not None else range(HEADER_SEARCH_ROWS)
    for index in candidates:
        if index >= len(rows):
            break
        found = next((text_of(v) for v in rows[index] if fold(text_of(v)) in wanted), None)
        if found is not None:
            return index, found
    return None, ""


def shown_cell(text: str) -> str:
    """A cell's text as a message may quote it: control and invisible characters named where they
    stand (an escape sequence would act on the terminal, and 'Mã' beside 'Mã' + U+200B would look
    the same), a long pasted paragraph clipped."""
    return clip(CELL_CONTROL.sub(lambda found: f"<U+{ord(found.group()):04X}>", text))


def _headings_hint(rows: list[list[object]], spec_: LocalitySheet) -> str:
    index = (spec_.header_row - 1) if spec_.header_row else next(
        (i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if sum(bool(text_of(v)) for v in row) > 1),
        None)
    if index is None or index >= len(rows):
        return ""
    from bzmedia.text.legacy import looks_legacy_encoded

    # As the terminal may show them: a heading's escape sequences would act there, and a long
    # pasted paragraph would bury the message.
    seen = [shown_cell(text_of(v)) for v in rows[index] if text_of(v)]
    if not seen:
        return ""
    legacy = _("; its text looks like TCVN3/VNI (pre-Unicode) encoding: convert the file to Unicode "
               "(e.g. with Unikey's converter)") if looks_legacy_encoded(" ".join(seen)) else ""
    return _(" (row {row} has: {headings}{legacy})").format(row=index + 1, headings=", ".join(seen[:12]),
                                                           legacy=legacy)


def localities_from(table: Table, spec_: LocalitySheet, script: str, problems: list[Problem]) -> list:
    """The table's rows as :class:`~bzmedia.campaign.model.Locality` objects, each remembering its
    cells (``_sheet`` and marks) so later messages about it point into the file."""
    columns = _columns(table, spec_, script, problems)
    if columns is None:
        return []
    if len(table.rows) > MAX_ROWS:
        line, col = spec_.mark("file")
        problems.append(Problem(script, line, col, spec_.keypath("file"),
                                _("'{file}' has more than {most} rows below its header; at most "
                                  "{most} localities are allowed").format(file=spec_.file,
                                                                          most=number(MAX_ROWS))))
        return []
    reader = _RowReader(table, spec_, columns, problems)
    found = [loc for index, cells in enumerate(table.rows)
             if (loc := reader.locality(index, cells)) is not None]
    _resolve_parents(table, found, columns, problems)
    _warn_legacy_cells(table, found, problems)
    return found


def _warn_legacy_cells(table: Table, found: list, problems: list[Problem]) -> None:
    """One warning, at the first cell, when the file's texts look typed in TCVN3/VNI (old
    commune lists typed with .VnTime fonts): they would be spoken and printed as gibberish."""
    from bzmedia.text.legacy import looks_legacy_encoded

    cells = [(loc.mark(key), key) for loc in found for key, text in
             [("name", loc.name), *((f"vars.{k}", v) for k, v in loc.vars.items())]
             if looks_legacy_encoded(text)]
    if cells:
        (row, col), key = cells[0]
        more = ""
        if len(cells) > 1:
            more = _(" (and {count} more cells of this file)").format(count=len(cells) - 1)
        problems.append(table.problem(row, col, key, _(
            "text looks like TCVN3/VNI (pre-Unicode) encoding{more}; convert the file to Unicode (e.g. "
            "with Unikey's converter) and save it again").format(more=more), warning=True))


class _RowReader:
    """Turns rows into localities, remembering ids and names already taken."""

    def __init__(self, table: Table, spec_: LocalitySheet, columns: dict, problems: list[Problem]):
        self.table, self.spec, self.columns, self.problems = table, spec_, columns, problems
        self.place = SheetPlace(table.shown, table.sheet)
        self.first_of_id: dict[str, int] = {}
        self.first_of_name: dict[tuple[str, str], int] = {}

    def locality(self, index: int, cells: dict[int, Cell]):
        from bzmedia.campaign.model import Locality

        row = next(iter(cells.values())).row
        values, marks = self._values(row, cells)
        if values is None:  # said at its cell; the row's own checks would only quote it again
            return None
        loc_id = self._identity(row, values)
        if loc_id is None:
            return None
        hotline = values.get("hotline") or None
        if hotline is not None:
            _check_hotline(self.table, cells[self.columns["hotline"]], hotline, self.problems)
        local_vars = {var: values[f"vars.{var}"] for var in self.spec.vars if values.get(f"vars.{var}")}
        locality = Locality(id=loc_id, name=values["name"], parent=values.get("parent") or None,
                            hotline=hotline, vars=local_vars)
        object.__setattr__(locality, "_marks", marks)
        object.__setattr__(locality, "_path", f"localities[{index}]")
        object.__setattr__(locality, "_sheet", self.place)
        return locality

    def _values(self, row: int, cells: dict[int, Cell]) -> tuple[dict[str, str] | None, dict]:
        """The row's texts by key (``None`` when a cell holds a control character) and its marks."""
        from bzmedia.campaign.variables import MAX_VARIABLE_CHARS

        marks: dict = {None: (row, 1)}
        values: dict[str, str] = {}
        refused = False
        for key, col in self.columns.items():
            cell = cells.get(col)
            marks[key] = (row, col)
            if cell is not None and isinstance(cell.value, CellError):
                self.problems.append(self.table.problem(row, col, key, cell_error_message(cell.value)))
            elif cell is not None and (control := self.table.control_problem(cell, key)):
                self.problems.append(control)
                refused = True
                continue
            values[key] = text_of(cell.value) if cell else ""
            if len(values[key]) > MAX_VARIABLE_CHARS:
                self.problems.append(self.table.problem(row, col, key, _(
                    "{count} characters; at most {most} are allowed").format(
                    count=number(len(values[key])), most=number(MAX_VARIABLE_CHARS))))
        return (None if refused else values), marks

    def _identity(self, row: int, values: dict[str, str]) -> str | None:
        """The row's id (given, or derived from its name), or ``None`` after saying why not."""
        name, given_id = values["name"], values.get("id")
        source = "id" if given_id else "name"

        def refuse(message: str) -> None:
            self.problems.append(self.table.problem(row, self.columns[source], source, message))

        if not name:
            source = "name"
            refuse(_("a row without a name; fill it in or delete the row"))
            return None
        loc_id = given_id or slug(name)
        why = self._id_problem(loc_id, None if given_id else name)
        if why:
            refuse(why)
            return None
        name_key = (fold(name), fold(values.get("parent", "")))
        if name_key in self.first_of_name:
            source = "name"
            refuse(_("duplicate name “{name}” (first on row {row})").format(
                name=name, row=self.first_of_name[name_key]))
            return None
        self.first_of_name[name_key] = row
        if loc_id in self.first_of_id:
            advice = "" if given_id else _(" (the id is derived from the name); add an id column and "
                                           "give one of them another id, e.g. '{id}-2'").format(id=loc_id)
            refuse(_("id '{id}' is also the id of row {row}{advice}").format(
                id=loc_id, row=self.first_of_id[loc_id], advice=advice))
            return None
        self.first_of_id[loc_id] = row
        return loc_id

    def _id_problem(self, loc_id: str, made_from: str | None) -> str | None:
        """Why ``loc_id`` cannot be the row's id (``made_from``: the name it was derived from),
        by the rules of a listed locality's id."""
        from bzmedia.campaign.model import LOCALITY_ID, kit_folder_problem

        if not loc_id:  # derived from a name of punctuation alone
            return f"'': {_('a name without letters or digits')}"
        return LOCALITY_ID(loc_id, made_from, self.spec.id) or kit_folder_problem(loc_id)


def _columns(table: Table, spec_: LocalitySheet, script: str, problems: list[Problem]) -> dict | None:
    """Locality key (``name``, ``vars.station`` ...) -> column number; ``None`` when one is missing."""
    wanted = {"name": table.name_heading, "id": spec_.id, "parent": spec_.parent, "hotline": spec_.hotline,
              **{f"vars.{var}": heading for var, heading in spec_.vars.items()}}
    columns, ok = {}, True
    headings = ", ".join(f"'{shown_cell(h)}'" for h in table.shown_headings[:12])
    for key, heading in wanted.items():
        if heading is None:
            continue
        col = table.column(heading)
        if col is None:
            ok = False
            field_name = "vars" if key.startswith("vars.") else key
            line, col_ = spec_.mark(field_name)
            problems.append(Problem(script, line, col_, spec_.keypath(key),
                                    _("no column headed '{heading}' in row {row} of '{file}' (it has "
                                      "{headings})").format(heading=heading, row=table.header_row,
                                                            file=spec_.file, headings=headings)))
        else:
            columns[key] = col
    return columns if ok else None


def _check_hotline(table: Table, cell: Cell, hotline: str, problems: list[Problem]) -> None:
    if isinstance(cell.value, int | float) and not hotline.startswith("0"):
        problems.append(table.problem(cell.row, cell.col, "hotline", _(
            "{hotline} is typed as a number, so its leading 0 is lost; format the column as text in "
            "Excel and type it again").format(hotline=hotline)))
    elif not PHONE.fullmatch(hotline):
        problems.append(table.problem(cell.row, cell.col, "hotline",
                                      _("“{hotline}” is not a phone number (digits, spaces, dots, "
                                        "'+', '-' and brackets only)").format(hotline=hotline)))


def _resolve_parents(table: Table, found: list, columns: dict, problems: list[Problem]) -> None:
    """A parent may be given by id or by name; it must be another row of the file."""
    by_id = {loc.id: loc for loc in found}
    by_name: dict[str, list] = {}
    for loc in found:
        by_name.setdefault(fold(loc.name), []).append(loc)
    for loc in found:
        if loc.parent is None:
            continue
        row, col = loc.mark("parent")
        named = by_name.get(fold(loc.parent), [])
        parent = by_id.get(loc.parent) or (named[0] if len(named) == 1 else None)
        if parent is None or parent is loc:
            why = (_("“{parent}” names several rows; give the parent's id instead") if len(named) > 1 else
                   _("“{parent}” is not the id or the name of another row of the file"))
            problems.append(table.problem(row, col, "parent", why.format(parent=loc.parent)))
            continue
        loc.parent = parent.id


def shown_file(script: str, name: str) -> str:
    """A file named in the script as messages name it: beside the script as the user named it."""
    folder = Path(script).parent
    return str(folder / name) if folder != Path(".") else name


def apply_files(campaign, script: str) -> list[Problem]:
    """The loader's hook: when ``localities:`` names a file, put its rows in
    ``campaign.localities`` (and the file's description in ``campaign.locality_sheet``), then
    give the localities the variables of ``stats:``; every problem found, in the script or in
    the file."""
    from bzmedia.campaign.assets import asset_problem
    from bzmedia.campaign.stats import apply_stats, column_controls

    problems: list[Problem] = []
    table = None
    spec_ = campaign.localities if isinstance(campaign.localities, LocalitySheet) else None
    if spec_ is not None:
        campaign.locality_sheet, campaign.localities = spec_, []
        if asset_problem(campaign.base_dir, spec_.file) is not None:  # reported with the assets
            return problems
        table = read_table(spec_, campaign.base_dir, shown_file(script, spec_.file), problems, script)
        if table is not None:
            campaign.localities = localities_from(table, spec_, script, problems)
            if not campaign.localities and not problems:
                line, col = spec_.mark("file")
                problems.append(Problem(script, line, col, spec_.keypath("file"),
                                        _("'{file}' has no rows below its header").format(
                                            file=spec_.file)))
    if campaign.stats is not None and all(p.warning for p in problems):
        problems += apply_stats(campaign, table, script)
    elif campaign.stats is not None and table is not None:
        problems += column_controls(campaign.stats, table)
    return problems


TEMPLATE_NAME = "xa-phuong.xlsx"
TEMPLATE_HEADINGS = ("Tên xã, phường", "Mã", "Thuộc", "Đường dây nóng", "Đài truyền thanh", "Lượt cài đặt")
TEMPLATE_ROWS = (("xã Sơn Vi", "son-vi", "", "0210 3825 111", "Đài truyền thanh xã Sơn Vi", 1250),
                 ("xã Tứ Xã", "tu-xa", "", "0210 3829 214", "Đài truyền thanh xã Tứ Xã", 980),
                 ("thị trấn Hùng Sơn", "hung-son", "", "0210 3826 035",
                  "Đài truyền thanh thị trấn Hùng Sơn", 2104))
TEMPLATE_YAML = """localities:
  file: xa-phuong.xlsx
  name: Tên xã, phường
  id: Mã
  parent: Thuộc
  hotline: Đường dây nóng
  vars: {station: Đài truyền thanh}
stats: {date: 2020-08-13, column: Lượt cài đặt}
"""
"""The keys that read :data:`TEMPLATE_NAME` (the example script reads it so)."""
TEMPLATE_TITLE = ("Danh sách xã, phường: mỗi dòng một xã (kịch bản đọc bằng localities:). "
                  "Cột Lượt cài đặt là số minh họa: thay bằng số thật.")
FIXED_TIME = (2020, 8, 5, 0, 0, 0)
"""The date written into the workbook and its zip entries: the same rows give the same file."""


def load_openpyxl():
    """The openpyxl module (it writes the template; calamine reads), imported without numpy and
    Pillow: openpyxl pulls both in when they are installed (for numpy number types and embedded
    images, neither of which a table needs), and ``init`` has no use for them."""
    import sys

    blocked = [name for name in ("numpy", "PIL") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # makes `import numpy` raise ImportError, which openpyxl expects
    try:
        import openpyxl
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return openpyxl


def write_template(path: Path) -> None:
    """A communes workbook to fill in (the example's own, ``content/xa-phuong.xlsx``): a title
    row, the headings, the example's three communes; the hotline column is formatted as text so
    Excel keeps its leading 0.  Its parts are the same on every run (no save time in them)."""
    from bzmedia.cache import atomic_write

    book = load_openpyxl().Workbook()
    sheet = book.active
    sheet.title = "Xã phường"
    sheet.append([TEMPLATE_TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TEMPLATE_HEADINGS))
    sheet.append(list(TEMPLATE_HEADINGS))
    for row in TEMPLATE_ROWS:
        sheet.append(list(row))
    for cells in sheet.iter_rows(min_row=3, max_row=200, min_col=4, max_col=4):
        cells[0].number_format = "@"  # text: a phone number typed here keeps its leading 0
    for letter, width in zip("ABCDEF", (24, 12, 12, 16, 36, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    atomic_write(path, _fixed_bytes(book))


def _fixed_bytes(book) -> bytes:
    """The workbook as bytes, its save time and zip entry times replaced by :data:`FIXED_TIME`
    (openpyxl stamps both with the time of saving)."""
    import io
    import zipfile

    saved, fixed = io.BytesIO(), io.BytesIO()
    book.save(saved)
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIME).encode()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    return fixed.getvalue()
