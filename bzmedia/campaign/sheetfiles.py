"""Reading a spreadsheet's cells: ``.xlsx`` through python-calamine, ``.csv`` through the csv module.

What offices' files really are decides the rules here:

- Excel's "CSV UTF-8" starts with a BOM; plain "CSV" on a Vietnamese Windows is Windows-1258,
  which writes a toned vowel as its base letter and a combining tone mark (``a`` + U+0301);
  "Unicode Text" is UTF-16 with a BOM and tabs.  So: a BOM first, then strict UTF-8, then
  Windows-1258, and every cell NFC (composed) as the rest of bzmedia expects.  A file that is
  UTF-8 except for some bytes is reported at the row of the first bad byte rather than read as
  Windows-1258 (which would turn its every accented letter into two wrong ones).
- A Vietnamese-locale Excel separates with ``;`` (the comma is the decimal sign there); tabs
  come from "Unicode Text"; otherwise commas.
- A workbook is a zip: its parts are capped by their declared sizes before anything is
  inflated (a zip bomb is refused, not unpacked); zipfile and calamine's unzipper both stop at a
  part's declared size (a part that inflates further is refused: "Bad CRC-32", "File is larger
  than its declared uncompressed size"), and both take the last of two parts of one name.
  calamine holds a sheet as one dense rectangle from A1 to its farthest value, so that rectangle
  is measured in the XML first; then a sheet is read only as far as a list of localities can
  reach (rows and columns capped).
- calamine reads every Excel number as a float: integral ones are given back as ints, as
  openpyxl (the reader before it) gave them, so ``8713`` stays a count and an id stays ``123``.
- Control characters are refused cell by cell where a cell is read (:func:`held_control`), not
  for the whole file: a CSV of any encoding and a workbook alike (calamine turns Excel's
  ``_x001B_`` escapes into the characters themselves), and a notes column nobody reads may keep
  its line breaks.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

from bzmedia.campaign.yamlsource import CONTROL, describe_char
from bzmedia.i18n import _, number

MAX_ROWS = 1_000
"""Rows a localities file may have (as many as ``localities:`` may list)."""
MAX_BYTES = 20_000_000
HEADER_SEARCH_ROWS = 30
"""Rows looked through for the header when ``header_row`` is not given."""
READ_ROWS = MAX_ROWS + HEADER_SEARCH_ROWS + 1_000
"""Rows read from a sheet at most (blank rows included): a longer one is refused as too long."""
MAX_COLUMNS = 200
"""Columns read from a sheet: headings beyond are not looked for (a sheet's declared size may
claim all 16,384 of Excel's columns)."""
MAX_UNZIPPED = 50_000_000
"""Bytes a workbook's parts may unpack to, all together (a list of localities needs far less)."""
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""A compound file: an old .xls, or an .xlsx saved with a password (Office encrypts it so)."""
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
"""A UTF-8 multi-byte letter; Windows-1258 text almost never holds one (its tone marks are
followed by ASCII letters)."""
DELIMITERS = ("\t", ";", ",")
MAX_CELL_CHARS = 10_000
"""Characters kept of a CSV cell (more is reported as too long by the variable's own limit)."""


class SheetError(Exception):
    """The file cannot be read as a table at all; the message says why, in one line."""


def read_rows(path: Path, sheet: str | None) -> tuple[str, list[list[object]]]:
    """(sheet name, rows of cell values) of an ``.xlsx`` or ``.csv`` file."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SheetError(_("cannot be read ({reason})").format(reason=exc.strerror or exc)) from None
    if len(data) > MAX_BYTES:
        raise SheetError(_("is larger than {most} MB; a list of localities is far smaller").format(
            most=MAX_BYTES // 1_000_000))
    if not data.strip():
        raise SheetError(_("is empty; it needs a header row and one row per locality"))
    if data.startswith(OLE_MAGIC):
        raise SheetError(_compound_file_reason(data))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return "", csv_rows(data)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(data, sheet)
    raise SheetError(_("is neither an .xlsx workbook nor a .csv file"))


def _compound_file_reason(data: bytes) -> str:
    """Why an OLE compound file is refused: Office keeps a password-protected .xlsx in one (as
    an ``EncryptedPackage`` stream); an Excel 97-2003 .xls is one too (a ``Workbook`` stream)."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _("is password-protected; open it in Excel, remove the password (File > Info > "
                 "Protect Workbook > Encrypt with Password) and save it again")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return _("is an old Excel 97-2003 .xls workbook; save it as an Excel workbook (.xlsx) or as CSV")
    return _("is an Office file but not a workbook; save the commune list as .xlsx or CSV")


# -- CSV -----------------------------------------------------------------------------------------
def decode_text(data: bytes) -> tuple[str, str]:
    """(text in NFC, the encoding it was read as): BOM, then strict UTF-8, then Windows-1258."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], encoding, data, len(bom)), encoding
    if b"\x00" in data:
        row = _row_at(data, data.index(b"\x00"))
        raise SheetError(_("is not a CSV text file (row {row} holds a NUL byte; UTF-16 text needs "
                           "its byte order mark, as Excel's 'Unicode Text' writes it)").format(row=row))
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        if UTF8_SEQUENCE.search(data):  # UTF-8 letters and a broken byte: not Windows-1258
            raise SheetError(_("is UTF-8 text with a broken byte {byte} on row {row}; retype that row "
                               "or save the file again as 'CSV UTF-8'").format(
                byte=f"0x{data[exc.start]:02X}", row=_row_at(data, exc.start))) from None
    return _decode(data, "cp1258", data, 0), "cp1258"


def _decode(body: bytes, encoding: str, data: bytes, offset: int) -> str:
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        where = offset + exc.start
        what = (_("is neither UTF-8 nor Windows-1258 (Vietnamese Windows) text") if encoding == "cp1258"
                else _("is not {encoding} text").format(encoding=encoding.upper()))
        raise SheetError(_("{what}: byte {byte} on row {row} cannot be read; save it from Excel as "
                           "'CSV UTF-8'").format(what=what, byte=f"0x{data[where]:02X}",
                                                 row=_row_at(data, where))) from None
    return unicodedata.normalize("NFC", text)


def _row_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def pick_delimiter(text: str) -> str:
    """Tab, ``;`` or ``,``: the one the first rows hold most of (commas on a tie)."""
    head = text[:8192].splitlines()[:HEADER_SEARCH_ROWS]
    counts = {d: sum(line.count(d) for line in head) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def csv_rows(data: bytes) -> list[list[object]]:
    text, _encoding = decode_text(data)
    delimiter = pick_delimiter(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for row in reader:
            rows.append([cell[:MAX_CELL_CHARS] for cell in row[:MAX_COLUMNS]])
            if len(rows) >= READ_ROWS:
                break
        return rows
    except csv.Error as exc:
        raise SheetError(_("is not a well-formed CSV file ({reason})").format(reason=exc)) from None


# -- xlsx ----------------------------------------------------------------------------------------
MAX_GRID_CELLS = 2_000_000
"""Cells of the rectangle from A1 to a sheet's farthest value.  calamine holds that whole
rectangle in memory, so two values at A1 and XFD1048576 would ask it for terabytes (and abort
the process, which no ``except`` catches): a sheet reaching further is refused before it reads."""
SHEET_TAG = re.compile(rb"""<(?:[\w.-]+:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""")
"""A row or cell element of a worksheet part (any namespace prefix), its attributes (a quoted
value may hold ``>``), and ``/`` when it is empty (a formatted cell without a value)."""
ATTRIBUTE = re.compile(rb"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
"""One attribute: taken whole, so ``foo=' r="A1"'`` is not read as an ``r``."""
ELEMENT_NAME = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])")
ANY_REFERENCE = re.compile(rb"""\br\s*=\s*(?:"([^"]*)"|'([^']*)')""")
"""Every ``r`` attribute and anything that looks like one (inside another value too): the
quick bound may count too far, never too near."""
REFERENCE = re.compile(rb"\$?([A-Za-z]*)\$?([0-9]*)")
"""A cell reference as a reader may take it (``XFD9``, ``xfd9``, ``$A$1``); any other is taken
to point past any real sheet."""
LETTER_RUN = re.compile(rb"[A-Za-z]+")
DIGIT_RUN = re.compile(rb"[0-9]+")
FAR = 10**12
"""Where a reference too long to be real (``r="A99999999999999"``) is taken to point."""


def unpacked_parts(data: bytes) -> dict[str, bytes]:
    """A workbook's parts, unpacked by zipfile: capped at :data:`MAX_UNZIPPED` by their declared
    sizes first (zipfile never inflates a part past its declared size, and checks its CRC)."""
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            total = sum(info.file_size for info in members)
            if total > MAX_UNZIPPED:
                raise SheetError(_("unpacks to {size} MB (at most {most} MB); a list of localities is "
                                   "far smaller: is it the right file?").format(
                    size=number(round(total / 1e6)), most=MAX_UNZIPPED // 1_000_000))
            return {info.filename: archive.read(info) for info in members}
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError,
            NotImplementedError, KeyError) as exc:
        raise SheetError(_("is not an Excel workbook (.xlsx) that can be read ({reason})").format(
            reason=type(exc).__name__)) from None


def column_number(letters: bytes) -> int:
    """b"A" -> 1, b"XFD" -> 16384 (:data:`FAR` for more letters than any sheet has)."""
    if len(letters) > 4:
        return FAR
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def quick_extent(part: bytes) -> tuple[int, int]:
    """An upper bound of :func:`sheet_extent` at C speed (the exact walk takes 2-3 ms for the
    example's sheet): the farthest reference anywhere, plus one step for every row or cell
    element (an element without a reference steps one further than the one before)."""
    names = ELEMENT_NAME.findall(part)
    refs = [double or single for double, single in ANY_REFERENCE.findall(part)]
    if not all(REFERENCE.fullmatch(ref) for ref in refs):
        return FAR, FAR  # the exact walk tells a real reference from text inside another value
    joined = b" ".join(refs)
    far_row = max((int(run) if len(run) <= 12 else FAR for run in DIGIT_RUN.findall(joined)), default=0)
    far_col = max((column_number(run) for run in set(LETTER_RUN.findall(joined))), default=0)
    return far_row + names.count(b"row"), far_col + names.count(b"c")


def sheet_extent(part: bytes) -> tuple[int, int]:
    """(last row, last column) holding a value in a worksheet part, as calamine places them: a
    ``r`` reference where given, else the next row or column (both attributes are optional)."""
    row = col = last_row = last_col = 0
    for match in SHEET_TAG.finditer(part):
        tag, attributes, empty = match.groups()
        col_given, row_given = _reference(attributes)
        if tag == b"row":
            row, col = (row + 1 if row_given is None else row_given), 0
            continue
        col = col + 1 if col_given is None else col_given
        row = max(row, 1) if row_given is None else row_given
        if not empty:
            last_row, last_col = max(last_row, row), max(last_col, col)
    return last_row, last_col


def _reference(attributes: bytes) -> tuple[int | None, int | None]:
    """(column, row) of an element's ``r`` attribute, ``None`` for a part it does not give; any
    namespace prefix, the farther of two."""
    col = row = None
    for name, double, single in ATTRIBUTE.findall(attributes):
        if name.rsplit(b":", 1)[-1] == b"r":
            given_col, given_row = _place(double or single)
            col = col if given_col is None else max(col or 0, given_col)
            row = row if given_row is None else max(row or 0, given_row)
    return col, row


def _place(value: bytes) -> tuple[int | None, int | None]:
    """(column, row) of a reference, ``None`` for a part it leaves out (:data:`FAR` for both
    when it is not a reference at all: no reader must place it nearer than the cap thinks)."""
    found = REFERENCE.fullmatch(value)
    if found is None:
        return FAR, FAR
    letters, digits = found.groups()
    col = column_number(letters) if letters else None
    row = (int(digits) if len(digits) <= 12 else FAR) if digits else None
    return col, row


def check_sheet_extents(parts: dict[str, bytes]) -> None:
    """Refuse a workbook with a worksheet reaching past :data:`MAX_GRID_CELLS` (every worksheet
    part is looked at: which one a sheet name means is calamine's to find)."""
    for part in parts.values():
        if b"sheetData" not in part:
            continue
        rows, cols = quick_extent(part)
        if rows * cols > MAX_GRID_CELLS:  # then the exact walk, element by element
            rows, cols = sheet_extent(part)
        if rows >= FAR or cols > 16_384:
            raise SheetError(_("has a cell reference no Excel sheet can hold (a damaged or hand-made "
                               "file?); save the table again from Excel"))
        if rows * cols > MAX_GRID_CELLS:
            raise SheetError(_("has values as far as row {row} and column {column}; a list of "
                               "localities is far smaller: delete what lies below and right of the "
                               "table in Excel (or copy the table into a new workbook)").format(
                row=number(rows), column=column_letters(cols)))


def column_letters(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class CellError(str):
    """A cell Excel shows as an error (``#N/A``, ``#DIV/0!``) or as a formula never computed
    (``=SUM(B2:B9)``: a file written by a program and never opened in Excel has no value to
    read).  calamine reads both as empty, which would drop a hotline or a count without a word;
    they are kept as what Excel would show, to be reported at their cell."""

    never_computed: bool = False


CELL_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)</(?:[\w.-]+:)?v>")
CELL_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f(?=[\s/>])[^>]*?(?:/>|>([^<]*)</(?:[\w.-]+:)?f>)")
CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")


def error_cells(part: bytes) -> dict[tuple[int, int], CellError]:
    """(row, column) -> :class:`CellError` for a worksheet part's error and uncomputed cells
    (only cells with a reference: Excel and every writer seen give one)."""
    if b"<f" not in part and b"t=\"e\"" not in part and b"t='e'" not in part:
        return {}  # the common case, at the speed of two byte searches
    found: dict[tuple[int, int], CellError] = {}
    for match in SHEET_TAG.finditer(part):
        tag, attributes, empty = match.groups()
        if tag != b"c" or empty:
            continue
        col, row = _reference(attributes)
        end = CELL_END.search(part, match.end())
        if col is None or row is None or end is None:
            continue
        body = part[match.end():end.start()]
        value = CELL_VALUE.search(body)
        shown = value.group(1).decode("utf-8", "replace") if value else ""
        kinds = {name.rsplit(b":", 1)[-1]: double or single
                 for name, double, single in ATTRIBUTE.findall(attributes)}
        if kinds.get(b"t") == b"e":
            found[(row, col)] = CellError(shown or "#VALUE!")
        elif not shown and kinds.get(b"t") != b"str" and (formula := CELL_FORMULA.search(body)):
            error = CellError("=" + (formula.group(1) or b"").decode("utf-8", "replace"))
            error.never_computed = True
            found[(row, col)] = error
    return found


def sheet_part(parts: dict[str, bytes], sheet: str) -> bytes | None:
    """The worksheet part of the sheet named ``sheet``, through the workbook and its relations
    (``None`` if they do not say: calamine, which found the sheet, read it anyway)."""
    import xml.etree.ElementTree as ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        book = ElementTree.fromstring(parts.get("xl/workbook.xml", b""))
        rels = ElementTree.fromstring(parts.get("xl/_rels/workbook.xml.rels", b""))
    except ElementTree.ParseError:
        return None
    rel_id = next((node.get(f"{rel_ns}id") for node in book.iter(f"{main}sheet")
                   if node.get("name") == sheet), None)
    target = next((node.get("Target", "") for node in rels if node.get("Id") == rel_id), None)
    if not target:
        return None
    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts.get(path)


def mark_error_cells(grid: list[list[object]], part: bytes | None) -> None:
    """Put each error or uncomputed cell of ``part`` into ``grid`` (rows and columns from A1)."""
    for (row, col), error in (error_cells(part) if part else {}).items():
        if row <= len(grid) and col <= len(grid[row - 1]):
            grid[row - 1][col - 1] = error


def cell_error_message(error: CellError) -> str:
    """What to say of a :class:`CellError` at its cell."""
    if error.never_computed:
        return _("holds the formula {formula}, which was never computed (the file was written by a "
                 "program, not saved from Excel); open and save it in Excel, or type the value").format(
            formula=str(error))
    return _("holds the Excel error {code}; correct its formula in Excel, or type the value").format(
        code=str(error))


CELL_CONTROL = re.compile(f"{CONTROL.pattern}|[\t\n\r\u2028\u2029]")
"""Characters a cell that is read may not hold: those no script may hold, and tabs and line breaks
inside its text (a name, an id, a phone number or a count is one line: an Alt+Enter in Excel would
break a slide's line or a file's row, and the unaccented SMS drops a tab).  Outer ones are
dropped with the outer spaces."""


def held_control(value: object) -> str | None:
    """The first :data:`CELL_CONTROL` character of a cell's text, ``None`` when it holds none."""
    found = CELL_CONTROL.search(value.strip(" \t\r\n")) if isinstance(value, str) else None
    return found.group() if found else None


def cell_control_message(char: str) -> str:
    """What to say of a cell holding ``char``: the script's words for it (``U+001B (ESC)``)."""
    return _("the text holds {char}; retype the cell without it (it may not show on screen)").format(
        char=describe_char(char))


def cell_value(value: object) -> object:
    """A cell as openpyxl gave it: calamine reads every Excel number as a float, and a count, an
    id or a hotline typed as a number is an integral one (``1250.0`` -> ``1250``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _xlsx_rows(data: bytes, sheet: str | None) -> tuple[str, list[list[object]]]:
    parts = unpacked_parts(data)
    check_sheet_extents(parts)
    from python_calamine import CalamineWorkbook  # only for scripts that name a workbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as exc:  # calamine's own errors, and a Rust panic (a BaseException)
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise SheetError(_("is not an Excel workbook that can be read ({reason})").format(
            reason=_reason(exc))) from None
    with book:
        chosen = _chosen_sheet(book, sheet)
        try:  # rows counted from A1: row and column numbers in messages are Excel's own
            grid = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False, nrows=READ_ROWS)
        except BaseException as exc:  # a chart sheet, a damaged sheet part: say so in one line
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            raise SheetError(_("has a sheet '{sheet}' that cannot be read as a table ({reason})").format(
                sheet=chosen, reason=_reason(exc))) from None
    rows = [[cell_value(value) for value in row[:MAX_COLUMNS]] for row in grid]
    mark_error_cells(rows, sheet_part(parts, chosen))
    return chosen, rows


def _chosen_sheet(book, sheet: str | None) -> str:
    """The sheet named, else the first worksheet (a chart sheet placed first holds no table)."""
    from python_calamine import SheetTypeEnum

    names = book.sheet_names
    if sheet is not None and sheet not in names:
        raise SheetError(_("has no sheet '{sheet}'; its sheets: {names}").format(
            sheet=sheet, names=", ".join(names)))
    tables = [meta.name for meta in book.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
    if sheet is None and not tables:
        raise SheetError(_("is not an Excel workbook that can be read (it has no worksheet)"))
    if sheet is not None and sheet not in tables:
        raise SheetError(_("has a sheet '{sheet}' that is not a table (a chart or macro sheet); its "
                           "worksheets: {names}").format(sheet=sheet, names=", ".join(tables) or _("none")))
    return sheet if sheet is not None else tables[0]


def _reason(exc: BaseException) -> str:
    """calamine's message on one line (a Rust error may span several)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
