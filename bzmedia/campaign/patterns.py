"""The written forms of the script's values, one home each: ids, dates, web addresses.

Every spec module and the spreadsheets take these checks from here, so an id or a date is the
same thing in ``localities:``, ``print:``, ``signage.slides`` and ``audio.spots``.
"""

from __future__ import annotations

import re

from bzmedia.campaign.schema import clip, pattern_check
from bzmedia.i18n import N_, _

ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,62}"
"""An id: also a folder or file name in the kit, so lowercase ASCII, digits and '-' only."""
SLUG = pattern_check(ID_PATTERN, N_("a valid id (lowercase letters a-z, digits and '-', e.g. 'son-vi')"))
DATE = pattern_check(r"\d{4}-\d{2}-\d{2}", N_("a date written YYYY-MM-DD (e.g. 2020-08-05)"))
_URL_SHAPE = pattern_check(r"https?://[^\s/?#.{}]+(?:\.[^\s/?#.{}]+)+\.?(?::[0-9]{1,5})?"
                          r"(?:[/?#][^\s{}]*)?",
                          N_("a web address starting with http:// or https:// and a site's name "
                             "(e.g. https://www.bluezone.gov.vn)"))

_BRACES = re.compile(r"\{[^{}]*\}|[{}]")


def URL(value: str) -> str | None:
    """A web address the QR codes, links and print show as written, for every locality.

    A site's name holds a dot (``bluezone.gov.vn``): ``https:///`` or ``https://bluezone`` would
    print and encode an address that opens nothing.  Addresses are never filled with variables
    (``campaign.url`` is also the kit's, and ``{url}`` itself): a ``{locality.id}`` in one would be
    printed and encoded as typed, so a brace is refused here, at its key, not found in the kit.
    """
    if braces := _BRACES.search(value):
        return _("'{braces}' in an address: an address is the same for every locality and is never "
                 "filled with variables; write the address itself (a brace in an address is written "
                 "%7B or %7D)").format(braces=clip(braces.group(0)))
    return _URL_SHAPE(value)


URL.pattern, URL.explain = _URL_SHAPE.pattern, _URL_SHAPE.explain  # the reference and editor schema

_ID = re.compile(ID_PATTERN)


def is_id(name: str) -> bool:
    """True when ``name`` is written as an id (a built-in layout's name, for instance)."""
    return _ID.fullmatch(name) is not None


DEVICE_NAME = "con|prn|aux|nul|com[0-9]|lpt[0-9]"
"""Names Windows keeps for devices: no file or folder there may take one, whatever its case or
extension (``con``, ``CON.pdf``, ``nul.txt``), so a kit holding one cannot be unpacked or opened."""
_DEVICE = re.compile(DEVICE_NAME, re.IGNORECASE)


def is_device_name(name: str) -> bool:
    """True when Windows cannot make a file or folder named ``name``: its part before the first
    dot (Windows ignores trailing spaces there) is a device name, in any case."""
    return _DEVICE.fullmatch(name.split(".", 1)[0].rstrip(" ")) is not None


def device_file_problem(name: str) -> str | None:
    """Why Windows cannot make the file or folder a user named on the command line (``say -o
    con.mp3``, ``init nul``), or ``None``: refused on every system alike, as a kit's ids are."""
    if not is_device_name(name):
        return None
    return _("Windows cannot make a file or folder named '{name}' (a name it keeps for a device); "
             "choose another name").format(name=name)


def device_name_problem(value: str, example: str, made_from: str | None = None,
                        id_column: str | None = None) -> str | None:
    """Why the id ``value`` cannot be a file or folder name in the kit (``None`` when it can).

    ``example`` is another id to suggest; ``made_from`` is the name a spreadsheet row's id was
    derived from (the advice is then to give the row an id: in ``id_column``, the heading of the
    sheet's id column, or in a column to add).
    """
    if not is_device_name(value):
        return None
    why = _("Windows cannot make a file or folder named '{id}' (a name it keeps for a device), so the "
            "kit would not open there").format(id=value)
    if made_from is None:
        advice = _("choose another id, e.g. '{example}'")
    elif id_column:
        advice = _("the id is made from the name “{name}”: give this row another id in column "
                   "'{heading}', e.g. '{example}'")
    else:
        advice = _("the id is made from the name “{name}”: add an id column (and name its heading in "
                   "id:) and give this row another id, e.g. '{example}'")
    return f"{why}; {advice.format(example=example, name=made_from, heading=id_column)}"


def file_id_check(example_prefix: str):
    """The ``check`` of an id that becomes a whole file or folder name in the kit (the campaign's
    folder, a locality's, ``<item>.pdf``): :data:`SLUG`, and not a Windows device name; the
    suggested id puts ``example_prefix`` before the refused one (``xa-con``)."""

    def check(value: str, made_from: str | None = None, id_column: str | None = None) -> str | None:
        """``made_from``, ``id_column``: see :func:`device_name_problem` (a spreadsheet's ids)."""
        return SLUG(value) or device_name_problem(value, f"{example_prefix}{value}", made_from, id_column)

    # The editor schema's pattern refuses device names too, so VS Code underlines `id: con`.
    check.pattern = f"(?!(?:{DEVICE_NAME})$){ID_PATTERN}"
    check.explain = N_("a valid id (lowercase letters a-z, digits and '-', e.g. 'son-vi') that is not "
                       "a name Windows keeps for a device (con, prn, aux, nul, com0-com9, lpt0-lpt9)")
    return check
