"""The packs a built kit offers, read from its ``packs/index.json`` and ``manifest.json``.

The page job writes ``packs/index.json`` (the same pack plan the page was drawn from); ``serve``
streams those packs on the fly and ``bzmedia pack`` writes them to disk.  Both files live inside
the kit and may have been edited, so every path they name is checked here before anything is read:
relative, no ``..``, no hidden part, and, once symlinks are resolved, still inside the kit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.kit.packs import Member, Pack, member_crc, read_comment

PACKS_DIR = "packs"
PLAN_FILE = "packs/index.json"
AVAILABLE_FILE = "packs/available.js"
MANIFEST = "manifest.json"
PLAN_FORMAT = 1
MAX_JSON_BYTES = 64 << 20
"""A manifest of 120 communes is about 2 MB; anything far bigger is not one of ours."""
SHA256 = re.compile(r"[0-9a-f]{64}")
NAME = re.compile(r"[a-z0-9][a-z0-9-]*\.zip")


class KitPathError(ValueError):
    """A path named by a file inside the kit that does not lead to a plain file inside it."""


def safe_kit_path(root: Path, relative: Any) -> Path:
    """``root / relative``, resolved, refusing anything outside ``root`` or hidden (``.x``)."""
    if not isinstance(relative, str) or not relative or "\\" in relative or "\0" in relative:
        raise KitPathError(_("{path} is not a kit path").format(path=repr(relative)))
    rel = PurePosixPath(relative)
    if rel.is_absolute() or any(part.startswith(".") or ":" in part for part in rel.parts):
        raise KitPathError(_("{path} points outside the kit").format(path=relative))
    try:
        real = (root / rel).resolve(strict=True)
        inside = real.relative_to(root)
        if any(part.startswith(".") for part in inside.parts) or not real.is_file():
            raise KitPathError(_("{path} is not a file of the kit").format(path=relative))
    except (OSError, RuntimeError, ValueError) as exc:
        if isinstance(exc, KitPathError):
            raise
        raise KitPathError(_("{path} is not a file of the kit").format(path=relative)) from exc
    return real


def _read_json(path: Path) -> Any:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_JSON_BYTES + 1)
        if len(data) > MAX_JSON_BYTES:
            raise ValueError(_("too large"))
        return json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise BuildError([_("{path}: cannot read it ({reason}); run `bzmedia build` again").format(
            path=path, reason=exc)]) from exc


@dataclass(frozen=True)
class PackEntry:
    """One pack the kit offers: its file name, key and members (kit path, sha256, bytes)."""

    name: str
    key: str
    root: str
    members: tuple[tuple[str, str, int], ...]
    locality: str = ""
    audience: str = ""


def _members(raw: Any, where: str) -> tuple[tuple[str, str, int], ...]:
    if not isinstance(raw, list):
        raise BuildError([_("{where}: the member list is not a list; run `bzmedia build` again").format(
            where=where)])
    members = []
    for item in raw:
        ok = (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
              and isinstance(item[1], str) and SHA256.fullmatch(item[1])
              and isinstance(item[2], int) and not isinstance(item[2], bool) and item[2] >= 0)
        if not ok:
            raise BuildError([_("{where}: a member is not [path, sha256, bytes]; run `bzmedia build` "
                                "again").format(where=where)])
        members.append((item[0], item[1], item[2]))
    return tuple(members)


class KitOffer:
    """The packs of one kit folder, as its last successful build planned them."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        plan = _read_json(self.root / PLAN_FILE)
        if not isinstance(plan, dict) or plan.get("format") != PLAN_FORMAT:
            raise BuildError([_("{path}: not a pack plan of this bzmedia; run `bzmedia build` again").format(
                path=self.root / PLAN_FILE)])
        date = plan.get("date")
        valid_date = (isinstance(date, list) and len(date) == 6 and all(isinstance(v, int) for v in date)
                      and 1980 <= date[0] <= 2107)
        self.date = tuple(date) if valid_date else (1980, 1, 1, 0, 0, 0)
        self.packs: dict[str, PackEntry] = {}
        for raw in plan.get("packs") or []:
            if not isinstance(raw, dict) or not NAME.fullmatch(str(raw.get("name"))):
                continue
            self.packs[raw["name"]] = PackEntry(
                raw["name"], str(raw.get("key", "")), str(raw.get("root", "")),
                _members(raw.get("members"), f"{PLAN_FILE}: {raw['name']}"),
                str(raw.get("locality", "")), str(raw.get("audience", "")))
        listed = plan.get("audiences")
        seen = {entry.audience for entry in self.packs.values()}  # a plan from before the list
        self.audiences: tuple[str, ...] = (tuple(a for a in listed if isinstance(a, str))
                                           if isinstance(listed, list) else tuple(sorted(seen)))
        """Every pack audience the kit's channels have, with files or not (the registry's, at build)."""
        whole = plan.get("whole")
        self.whole = None
        if isinstance(whole, dict) and NAME.fullmatch(str(whole.get("name"))):
            self.whole = PackEntry(whole["name"], str(whole.get("key", "")), "", ())

    def names(self) -> list[str]:
        return sorted(self.packs) + ([self.whole.name] if self.whole else [])

    def entry(self, name: str) -> PackEntry | None:
        if self.whole and name == self.whole.name:
            return PackEntry(self.whole.name, self.whole.key, "", self._whole_members())
        return self.packs.get(name)

    def _whole_members(self) -> tuple[tuple[str, str, int], ...]:
        """Every file of the manifest (channel files, previews, page, pack plan)."""
        manifest = _read_json(self.root / MANIFEST)
        files = manifest.get("files") if isinstance(manifest, dict) else None
        raw = [[f.get("path"), f.get("sha256"), f.get("bytes")] for f in files or [] if isinstance(f, dict)]
        return _members(raw, MANIFEST)

    def members(self, entry: PackEntry) -> list[Member]:
        """The pack's members with their files checked to be inside the kit (KitPathError if not)."""
        members = []
        for path, sha256, size in entry.members:
            source = safe_kit_path(self.root, path)
            members.append(Member(path.removeprefix(entry.root), source, size=size, sha256=sha256))
        if self.whole and entry.name == self.whole.name:
            manifest = safe_kit_path(self.root, MANIFEST).read_bytes()
            members.append(Member.of_data(MANIFEST, manifest))
        return members

    def pack(self, entry: PackEntry, crc_of=member_crc) -> Pack:
        return Pack(self.members(entry), self.date, entry.key, crc_of)

    def available_script(self, names: list[str]) -> str:
        """``packs/available.js``: which packs the page may link (name -> key)."""
        keys = {name: self.entry_key(name) for name in names if self.entry_key(name)}
        return f"window.bzmediaPacks = {json.dumps(keys, sort_keys=True)};\n"

    def on_disk(self) -> tuple[list[str], list[str]]:
        """Packs in ``packs/``: (current ones, stale ones: another key, or a commune gone).

        A zip counts as a pack of ours by its name and its comment (a 64-digit key); any other
        zip someone put there is left alone.
        """
        current, stale = [], []
        try:
            found = sorted(p.name for p in (self.root / PACKS_DIR).glob("*.zip") if p.is_file())
        except OSError:
            found = []
        for name in found:
            key = read_comment(self.root / PACKS_DIR / name)
            if key is not None and key == self.entry_key(name):
                current.append(name)
            elif key is not None and NAME.fullmatch(name) and SHA256.fullmatch(key):
                stale.append(name)
        return current, stale

    def entry_key(self, name: str) -> str | None:
        if self.whole and name == self.whole.name:
            return self.whole.key
        entry = self.packs.get(name)
        return entry.key if entry else None
