"""Where a build's files wait until every job succeeded: ``<kit>/.bzmedia/stage/``.

Every job writes its files into the stage, not into the kit: the channels' files, then the
schedule, playlists, previews and kit page that list them.  Only once every job of the build has
succeeded are they moved into the kit (one rename each: the stage is inside the kit's folder, so
on the same disk), the files jobs no longer make are removed and the manifest is written.  A build
that fails, is interrupted or is killed before that leaves every file of the kit as it was: the
kit page and the files it links never disagree, and an office downloading from the kit
(``bzmedia serve``, a shared folder) never gets half of an edit.

What a stopped build staged is not lost: the state records it (:mod:`bzmedia.buildstate`), so the
next build counts a job whose staged files are still as recorded as done (it is not made again)
and moves those files in when it publishes.  Whatever else is in the stage (a file of a job that
was killed before its result was recorded, a half-written temporary, a file of a job the script
no longer has) is removed then, unpublished.

The price: until a build publishes, the stage holds the new files beside the kit's old ones, so a
build that remakes everything needs room for the kit twice; a full disk stops it with the kit
untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bzmedia.buildstate import KitPaths, is_link, leads_outside, stage_path
from bzmedia.cache import PART_SUFFIX, atomic_path
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.oserrors import file_in_the_way, os_problem


def trusted_stage(stage: Path) -> set[str]:
    """What a stopped build left in ``stage`` (:func:`staged_files`), once it is known to be a
    plain folder of plain folders: the build's jobs are about to write into it, and a link in it
    (or in its place) would take their files out of the kit.  Such a stage is removed (links
    themselves, never what they lead to) and nothing is kept of it."""
    try:
        info = os.lstat(stage)
    except FileNotFoundError:
        return set()
    if stat.S_ISDIR(info.st_mode):
        files, linked = _scan(stage)
        if not linked:
            return files
        remove_tree(stage)
        if os.path.lexists(stage):
            raise BuildError([_("{path}: holds a link, and it could not be removed; delete this "
                                "folder (it holds nothing of the kit's)").format(path=stage)])
    else:
        os.unlink(stage)
    return set()


def staged_files(stage: Path) -> set[str]:
    """Relative POSIX paths of the files under ``stage`` (none when it is absent); links are
    neither listed nor followed."""
    return _scan(stage)[0] if os.path.isdir(stage) else set()


def sweep_partials(kit_dir: Path) -> int:
    """Remove the leftovers of writes a killed build cut short (``*.bzpart*``) anywhere in the
    kit, its stage included; returns how many.  A folder that cannot be read is passed over."""
    removed = 0
    for entry in entries_under(kit_dir, skip_unreadable=True):
        if PART_SUFFIX in entry.name and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed += 1
    return removed


def remove_tree(root: Path) -> None:
    """Remove ``root`` and everything in it, links themselves and never what they lead to; what
    cannot be removed (a file open elsewhere on Windows) stays, harmless, for the next build.
    ``root`` itself a link (or a file) is removed as one: what it leads to is left alone."""
    try:
        info = os.lstat(root)
    except FileNotFoundError:
        return
    if is_link(info) or not stat.S_ISDIR(info.st_mode):
        with contextlib.suppress(OSError):
            if is_link(info):
                _unlink_link(os.fspath(root))
            else:
                os.unlink(root)
        return
    folders = [os.fspath(root)]
    for entry in entries_under(root, skip_unreadable=True):
        if _is_link(entry):
            with contextlib.suppress(OSError):
                _unlink_link(entry.path)
        elif entry.is_dir(follow_symlinks=False):
            folders.append(entry.path)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    for folder in reversed(folders):  # found parents first, so removed children first
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def _scan(stage: Path) -> tuple[set[str], bool]:
    """The files under ``stage`` (relative POSIX paths) and whether it holds a link."""
    found: set[str] = set()
    linked = False
    cut = len(os.fspath(stage)) + 1
    for entry in entries_under(stage):
        if _is_link(entry):
            linked = True
        elif not entry.is_dir(follow_symlinks=False):
            found.add(entry.path[cut:].replace(os.sep, "/"))
    return found, linked


def entries_under(root: Path, skip_unreadable: bool = False) -> Iterator[os.DirEntry]:
    """Every entry under ``root``; folders are entered, links are not followed.  A loop, not
    recursion (nor ``os.walk`` or ``rglob``, recursive in Python 3.11): a kit copied from
    elsewhere may nest thousands of folders deep."""
    pending = [os.fspath(root)]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            if skip_unreadable:
                continue
            raise
        with entries:
            for entry in entries:
                yield entry
                if entry.is_dir(follow_symlinks=False) and not _is_link(entry):
                    pending.append(entry.path)


def _is_link(entry: os.DirEntry) -> bool:
    # a junction is a folder to DirEntry.is_symlink before Python 3.12; its lstat says what it is
    return entry.is_symlink() or (os.name == "nt" and is_link(entry.stat(follow_symlinks=False)))


def _unlink_link(path: str) -> None:
    """Remove a link itself: a symlink by unlink, a Windows junction (a folder to unlink) by rmdir,
    which removes the junction, not what it leads to."""
    try:
        os.unlink(path)
    except OSError:
        os.rmdir(path)


def as_recorded(path: Path | str, record: dict[str, Any]) -> bool:
    """True when ``path`` is a regular file of the recorded size and mtime (the state's own test
    of an untouched file; a rename keeps both)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (stat.S_ISREG(info.st_mode) and info.st_size == record["bytes"]
            and info.st_mtime_ns == record["mtime_ns"])


def to_publish(kit_dir: Path, staged: set[str], records: dict[str, dict[str, Any]]) -> list[str]:
    """The staged files that ``records`` (path -> the state's record of a file of a job the build
    plans) describe, as their kit paths.  If any of them cannot go where it belongs (its folder
    leads out of the kit, or a file or folder of someone else's is in the way), BuildError with
    every such place, before anything is moved."""
    stage = os.fspath(stage_path(kit_dir))  # strings, not Paths: 9,000 files at 120 communes
    # the kit's own top-level files (its page) and its pack plan last: while the files move in,
    # the page a browser or `bzmedia serve` shows is the old one, never one naming missing files
    moving = sorted((path for path in staged
                     if path in records and as_recorded(f"{stage}/{path}", records[path])),
                    key=lambda path: ("/" not in path or path.startswith("packs/"), path))
    problems = _in_the_way(kit_dir, moving)
    if problems:
        raise BuildError(problems)
    return moving


def _in_the_way(kit_dir: Path, moving: list[str]) -> list[str]:
    """One line per place in the kit that would stop a file of ``moving`` from being moved in."""
    paths = KitPaths(kit_dir)
    kit = os.fspath(kit_dir)
    blockers: dict[str, Path | None] = {"": None}  # by folder: a kit has a few hundred
    problems: dict[str, str] = {}
    for path in moving:
        folder = path.rpartition("/")[0]
        if not paths.inside(path):
            problems.setdefault(folder, leads_outside(kit_dir / folder))
            continue
        if folder not in blockers:
            blockers[folder] = file_in_the_way(kit_dir / folder)
        blocker = blockers[folder]
        if blocker is not None:
            problems.setdefault(str(blocker), _("{path}: is a file, but a folder is needed there; move "
                                                "or delete it").format(path=blocker))
        elif os.path.isdir(f"{kit}/{path}"):
            problems.setdefault(path, _("{path}: is a folder, but a file is needed there; move or "
                                        "delete it").format(path=kit_dir / path))
    return list(problems.values())


def publish(kit_dir: Path, moving: list[str], first_moved: Callable[[], None] | None = None) -> None:
    """Move the staged files ``moving`` into the kit, then remove the stage with whatever is left
    in it (never recorded as a job's file: nothing reads it).  ``first_moved`` is called once a
    file is in: from then on the kit is neither the old one nor the new one."""
    stage, kit = os.fspath(stage_path(kit_dir)), os.fspath(kit_dir)
    made: set[str] = set()
    failed: list[str] = []
    for path in moving:
        folder = path.rpartition("/")[0]
        if folder not in made:  # one mkdir per folder (a kit has a few hundred), not per file
            os.makedirs(f"{kit}/{folder}", exist_ok=True)
            made.add(folder)
        try:
            _move(f"{stage}/{path}", f"{kit}/{path}")
        except OSError as exc:  # open in another program on Windows: the others still go in
            failed.append(os_problem(OSError(exc.errno, exc.strerror or str(exc), f"{kit}/{path}")))
        else:
            if first_moved is not None:
                first_moved()
                first_moved = None
    if failed:  # what did not move stays staged: the next build publishes it
        raise BuildError(failed)
    remove_tree(stage_path(kit_dir))


def _move(source: str, target: str) -> None:
    """Rename ``source`` onto ``target``; across disks (a kit folder that is a mount point) a
    copy with the same times, renamed into place."""
    try:
        os.replace(source, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    with atomic_path(Path(target)) as temp:
        shutil.copy2(source, temp)  # the times too: the state knows a file by size and mtime
    with contextlib.suppress(OSError):  # it is in: a staged copy left goes with the stage
        os.unlink(source)
