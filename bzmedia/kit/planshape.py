"""The shape of a kit's pack plan (``packs/index.json``) and manifest, checked as a whole.

Both files sit inside the kit and may have been edited by hand.  A plan that would lay out a zip
no unzip reads right (an entry named ``""`` or ``/audio/x.mp3``, month 13, a comment past the
65,535 bytes a zip holds, one name twice) is refused here, every problem at once and each naming
the file and the pack, before any zip is laid out: else ``pack`` stopped with a traceback and
``serve`` dropped the connection.  Kept apart from :mod:`bzmedia.kit.offer`, which reads the
plan and lays out packs, so each stays one concern.

Whether a member names a file inside the kit is judged later, on the disk
(:func:`bzmedia.kit.offer.safe_kit_path`); here only what the JSON itself says.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from bzmedia.buildstate import lexically_inside
from bzmedia.errors import BuildError
from bzmedia.i18n import _

NAME = re.compile(r"[a-z0-9][a-z0-9-]*\.zip")
NAME_MAX = 255
"""Bytes most file systems take in one file name: a longer pack could never be written."""
SHA256 = re.compile(r"[0-9a-f]{64}")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
LAST_ZIP_YEAR = 2107
"""A zip stores the year as 7 bits from 1980."""
MANIFEST = "manifest.json"

Member = tuple[str, str, int]


def located(where: str, problem: str) -> str:
    return _("{where}: {problem}; run `bzmedia build` again").format(where=where, problem=problem)


def zip_date(value: Any) -> tuple[int, ...] | None:
    """``value`` as the timestamp of every zip entry, or None when a zip cannot hold it (a DOS
    date: 1980 to 2107, a real day, and a time of day)."""
    if not (isinstance(value, list) and len(value) == 6 and all(type(v) is int for v in value)):
        return None
    if not ZIP_EPOCH[0] <= value[0] <= LAST_ZIP_YEAR:
        return None
    try:
        datetime.datetime(*value)
    except ValueError:  # month 13, 30 February, hour 99
        return None
    return tuple(value)


def member_triple(item: Any) -> Member | None:
    """``[path, sha256, bytes]`` as a tuple, or None when it is not one."""
    ok = (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
          and isinstance(item[1], str) and SHA256.fullmatch(item[1])
          and type(item[2]) is int and item[2] >= 0)
    return (item[0], item[1], item[2]) if ok else None


def members_problems(members: list[Member | None], root: str, where: str, malformed: str) -> list[str]:
    """What is wrong with a pack's members (None: not a member, said by ``malformed``): each must
    be a file under ``root`` (so its name in the zip, the path less ``root``, is a relative path,
    never empty) and listed once."""
    problems, seen = [], set()
    for member in members:
        if member is None:
            problems.append(malformed)
        elif not lexically_inside(member[0]):
            problems.append(located(where, _("{path} is not a path inside the kit").format(
                path=repr(member[0]))))
        elif not member[0].startswith(root) or member[0] == root:
            problems.append(located(where, _("{path} is not inside the pack's folder {root}").format(
                path=member[0], root=repr(root))))
        elif member[0] in seen:
            problems.append(located(where, _("{path} is listed twice").format(path=member[0])))
        else:
            seen.add(member[0])
    return problems


def _root_ok(root: Any) -> bool:
    """The kit folder a pack's members are named from: none (``""``), or ``<folder>/``."""
    return isinstance(root, str) and (root == "" or (root.endswith("/") and lexically_inside(root[:-1])))


def _name_and_key_problems(raw: dict[str, Any], where: str, names: set[str]) -> list[str]:
    name, problems = raw.get("name"), []
    if not (isinstance(name, str) and NAME.fullmatch(name) and len(name) <= NAME_MAX):
        problems.append(located(where, _("{name} is not a pack file name (a-z, 0-9 and -, then "
                                         ".zip)").format(name=repr(name)[:80])))
    elif name in names:
        problems.append(located(where, _("the pack is listed twice")))
    if not (isinstance(raw.get("key"), str) and SHA256.fullmatch(raw["key"])):
        problems.append(located(where, _("its key is not 64 hexadecimal digits")))
    return problems


def pack_problems(raw: Any, index: int, plan_path: Path, names: set[str]) -> list[str]:
    """What is wrong with the plan's pack number ``index`` (``names``: those seen before it)."""
    name = raw.get("name") if isinstance(raw, dict) else None
    ok_name = isinstance(name, str) and NAME.fullmatch(name) is not None
    where = f"{plan_path}: {name}" if ok_name else f"{plan_path}: packs[{index}]"
    if not isinstance(raw, dict):
        return [located(where, _("not an object"))]
    problems = _name_and_key_problems(raw, where, names)
    names.add(name)
    root = raw.get("root", "")
    if not _root_ok(root):
        problems.append(located(where, _("its root {root} is neither empty nor a folder of the kit "
                                         "ending in /").format(root=repr(root)[:80])))
    for field in ("locality", "audience"):
        if not isinstance(raw.get(field, ""), str):
            problems.append(located(where, _("'{field}' is not text").format(field=field)))
    members = raw.get("members")
    if not isinstance(members, list):
        problems.append(_("{where}: the member list is not a list; run `bzmedia build` again").format(
            where=where))
    elif _root_ok(root):
        malformed = _("{where}: a member is not [path, sha256, bytes]; run `bzmedia build` again").format(
            where=where)
        problems += members_problems([member_triple(m) for m in members], root, where, malformed)
    return problems


def plan_problems(plan: dict[str, Any], plan_path: Path) -> list[str]:
    """Every problem of a pack plan (an object of this bzmedia's format), located."""
    problems = []
    if "date" in plan and zip_date(plan["date"]) is None:  # none: a zip's own epoch
        problems.append(located(str(plan_path), _("'date' is not [year, month, day, hour, minute, "
                                                  "second] from 1980 to 2107")))
    packs, names = plan.get("packs", []), set()
    if not isinstance(packs, list):
        problems.append(located(str(plan_path), _("'packs' is not a list")))
        packs = []
    for index, raw in enumerate(packs):
        problems += pack_problems(raw, index, plan_path, names)
    whole = plan.get("whole")
    if whole is not None:
        where = f"{plan_path}: whole"
        if not isinstance(whole, dict):
            problems.append(located(where, _("not an object")))
        else:
            problems += _name_and_key_problems(whole, where, names)
    listed = plan.get("audiences", [])
    if not (isinstance(listed, list) and all(isinstance(a, str) for a in listed)):
        problems.append(located(str(plan_path), _("'audiences' is not a list of names")))
    return list(dict.fromkeys(problems))  # one line for the same problem met twice


def _file_member(entry: Any) -> Member | None:
    if not isinstance(entry, dict):
        return None
    return member_triple([entry.get("path"), entry.get("sha256"), entry.get("bytes")])


def manifest_members(manifest: Any, path: Path) -> tuple[Member, ...]:
    """The files the manifest lists, as the whole-kit pack's members; BuildError (every problem,
    located) when it is not a manifest a pack can be made of."""
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, list):
        raise BuildError([located(str(path), _("not a kit manifest (an object with a list of "
                                               "files)"))])
    members = [_file_member(entry) for entry in files]
    malformed = located(str(path), _("a file entry lacks its path, sha256 or bytes"))
    problems = members_problems(members, "", str(path), malformed)
    if any(member and member[0] == MANIFEST for member in members):
        problems.append(located(str(path), _("lists {path}, which the whole-kit pack adds "
                                             "itself").format(path=MANIFEST)))
    if problems:
        raise BuildError(list(dict.fromkeys(problems)))
    return tuple(members)  # type: ignore[arg-type]  # no None left: each would be a problem
