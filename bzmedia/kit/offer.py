"""The packs a built kit offers, read from its ``packs/index.json`` and ``manifest.json``.

The page job writes ``packs/index.json`` (the same pack plan the page was drawn from); ``serve``
streams those packs on the fly and ``bzmedia pack`` writes them to disk.  Both files live inside
the kit and may have been edited, so every path they name is checked here before anything is read:
relative, no ``..``, no hidden part, and, once symlinks are resolved, still inside the kit.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from bzmedia.buildstate import read_regular
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.kit.packs import Member, Pack, member_crc, read_comment
from bzmedia.kit.planshape import MANIFEST, SHA256, ZIP_EPOCH, manifest_members, plan_problems, zip_date

PACKS_DIR = "packs"
PLAN_FILE = "packs/index.json"
AVAILABLE_FILE = "packs/available.js"
PLAN_FORMAT = 1
MAX_JSON_BYTES = 64 << 20
"""A manifest of 120 communes is about 2 MB; anything far bigger is not one of ours."""


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


def _read_json(path: Path) -> tuple[Any, bytes]:
    """A kit file's JSON and its bytes; one located line when it cannot be read (a FIFO or device
    put in its place is refused without waiting on it)."""
    try:
        data = read_regular(path, MAX_JSON_BYTES)
        return json.loads(data.decode("utf-8")), data
    except (OSError, ValueError, RecursionError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise BuildError([_("{path}: cannot read it ({reason}); run `bzmedia build` again").format(
            path=path, reason=reason)]) from exc


@dataclass(frozen=True)
class PackEntry:
    """One pack the kit offers: its file name, key and members (kit path, sha256, bytes)."""

    name: str
    key: str
    root: str
    members: tuple[tuple[str, str, int], ...]
    locality: str = ""
    audience: str = ""
    manifest: bytes | None = None
    """The whole-kit pack's ``manifest.json``, as read once for its member list (no other pack)."""


def _entry(raw: dict[str, Any]) -> PackEntry:
    """A pack of a plan whose shape :func:`plan_problems` found right."""
    return PackEntry(raw["name"], raw["key"], raw.get("root", ""), tuple(tuple(m) for m in raw["members"]),
                     raw.get("locality", ""), raw.get("audience", ""))


def pack_key(path: Path) -> str | None:
    """The pack key (64 hex digits) in the comment of the zip at ``path``, as ``bzmedia pack``
    writes it; None when it is not there, not a regular file (a FIFO so named would block the
    read) or carries no such key (a zip someone else put there)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
    except OSError:  # not there
        return None
    key = read_comment(path)
    return key if key is not None and SHA256.fullmatch(key) else None


class KitOffer:
    """The packs of one kit folder, as its last successful build planned them."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        plan_path = self.root / PLAN_FILE
        plan, _data = _read_json(plan_path)
        if not isinstance(plan, dict) or plan.get("format") != PLAN_FORMAT:
            raise BuildError([_("{path}: not a pack plan of this bzmedia; run `bzmedia build` again").format(
                path=plan_path)])
        problems = plan_problems(plan, plan_path)
        if problems:
            raise BuildError(problems)
        self.date = zip_date(plan.get("date")) or ZIP_EPOCH
        self.packs: dict[str, PackEntry] = {raw["name"]: _entry(raw) for raw in plan.get("packs", [])}
        listed = plan.get("audiences")
        seen = {entry.audience for entry in self.packs.values()}  # a plan from before the list
        self.audiences: tuple[str, ...] = tuple(listed) if listed is not None else tuple(sorted(seen))
        """Every pack audience the kit's channels have, with files or not (the registry's, at build)."""
        whole = plan.get("whole")
        self.whole = PackEntry(whole["name"], whole["key"], "", ()) if whole else None

    def names(self) -> list[str]:
        return sorted(self.packs) + ([self.whole.name] if self.whole else [])

    def entry(self, name: str) -> PackEntry | None:
        if self.whole and name == self.whole.name:
            return self._whole_entry()
        return self.packs.get(name)

    def _whole_entry(self) -> PackEntry:
        """The whole-kit pack: every file of the manifest (channel files, previews, page, pack
        plan) and the manifest itself, read once so the list and the bytes packed agree."""
        manifest, data = _read_json(safe_kit_path(self.root, MANIFEST))
        members = manifest_members(manifest, self.root / MANIFEST)
        return PackEntry(self.whole.name, self.whole.key, "", members, manifest=data)

    def members(self, entry: PackEntry) -> list[Member]:
        """The pack's members with their files checked to be inside the kit (KitPathError if not)."""
        members = []
        for path, sha256, size in entry.members:
            source = safe_kit_path(self.root, path)
            members.append(Member(path.removeprefix(entry.root), source, size=size, sha256=sha256))
        if entry.manifest is not None:
            members.append(Member.of_data(MANIFEST, entry.manifest))
        return members

    def pack(self, entry: PackEntry, crc_of=member_crc) -> Pack:
        return Pack(self.members(entry), self.date, entry.key, crc_of)

    def available_script(self, names: list[str]) -> str:
        """``packs/available.js``: which packs the page may link (name -> key)."""
        keys = {name: self.entry_key(name) for name in names if self.entry_key(name)}
        return f"window.bzmediaPacks = {json.dumps(keys, sort_keys=True)};\n"

    def on_disk(self) -> tuple[list[str], list[str]]:
        """This kit's packs in ``packs/``: (current ones, stale ones: its key is another's).

        Only the names this plan gives are looked at, and only regular files (a FIFO so named
        would block the read): a zip of another kit or campaign, or one someone put there, is
        not ours to remove, whatever its comment.  A stale one is a zip of this name carrying a
        pack key (64 hex digits): what ``bzmedia pack`` wrote from an earlier build.
        """
        current, stale = [], []
        for name in self.names():
            key = pack_key(self.root / PACKS_DIR / name)
            if key is not None:
                (current if key == self.entry_key(name) else stale).append(name)
        return current, stale

    def entry_key(self, name: str) -> str | None:
        if self.whole and name == self.whole.name:
            return self.whole.key
        entry = self.packs.get(name)
        return entry.key if entry else None
