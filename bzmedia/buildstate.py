"""What earlier builds made: ``<kit>/.bzmedia/state.json``, checked before anything trusts it.

For every job: its key, how long it took, and the files it made (size, mtime, sha256).  The file
sits inside the kit, so it may have been edited or copied from another office: it is validated as
a whole on load (a wrong shape means a full rebuild, with one warning) and every path in it must
name a file inside the kit, symlinks resolved, or the entry is dropped before anything stats,
hashes or deletes that path.

``published`` is true only after a build finished the whole kit (kit stage and manifest).  A build
that stopped after some jobs ran leaves it false, so the next build publishes again even when
every job is current.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
import stat
import time
from pathlib import Path
from typing import Any

from bzmedia.i18n import _, ngettext
from bzmedia.oserrors import with_filename

FORMAT = 1
MAX_STATE_BYTES = 256 << 20
"""Far above any real kit's state (a 120-commune kit's is a few MB)."""
_SHA256 = re.compile(r"[0-9a-f]{64}")
_RECORD_TYPES = {"path": str, "kind": str, "locality": str, "bytes": int, "mtime_ns": int,
                 "sha256": str, "meta": dict}


class StateShapeError(ValueError):
    """The state file is valid JSON but not what a build writes."""


def state_path(kit_dir: Path) -> Path:
    return kit_dir / ".bzmedia" / "state.json"


def stage_path(kit_dir: Path) -> Path:
    """Where a build's jobs write until it publishes (:mod:`bzmedia.kitstage`)."""
    return kit_dir / ".bzmedia" / "stage"


def scratch_path(kit_dir: Path) -> Path:
    """Where a build's jobs keep their temporary files (ffmpeg's frames, samples for an encoder):
    inside the kit, not the system's temporary folder, so that a build killed mid-job leaves
    nothing behind that the next build does not remove (:mod:`bzmedia.buildpool`)."""
    return kit_dir / ".bzmedia" / "scratch"


def _check_record(record: Any) -> None:
    if not isinstance(record, dict):
        raise StateShapeError(_("a file record is not an object"))
    for name, kind in _RECORD_TYPES.items():
        value = record.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise StateShapeError(_("a file record's '{name}' is missing or not a {kind}").format(
                name=name, kind=kind.__name__))
    if record["bytes"] < 0 or not _SHA256.fullmatch(record["sha256"]):
        raise StateShapeError(_("a file record has a negative size or a malformed sha256"))


def _check_shape(data: Any) -> tuple[dict[str, dict[str, Any]], bool, list[str]]:
    """The jobs, the published flag and the dropped files of a parsed state file;
    StateShapeError if it is not one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StateShapeError(_("not an object with format {format}").format(format=FORMAT))
    jobs = data.get("jobs")
    if not isinstance(jobs, dict):
        raise StateShapeError(_("'jobs' is not an object"))
    for job_id, entry in jobs.items():
        if len(job_id.split("/", 2)) != 3:
            raise StateShapeError(_("job id {job} is not builder/locality/name").format(
                job=repr(job_id[:60])))
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise StateShapeError(_("job {job} has no key").format(job=repr(job_id[:60])))
        if not isinstance(entry.get("outputs"), list):
            raise StateShapeError(_("job {job}: 'outputs' is not a list").format(job=repr(job_id[:60])))
        seconds = entry.get("seconds", 0.0)
        if not isinstance(seconds, int | float) or isinstance(seconds, bool):
            raise StateShapeError(_("job {job}: 'seconds' is not a number").format(job=repr(job_id[:60])))
        for record in entry["outputs"]:
            _check_record(record)
    dropped = data.get("dropped", [])
    if not isinstance(dropped, list) or not all(isinstance(path, str) for path in dropped):
        raise StateShapeError(_("'dropped' is not a list of paths"))
    return jobs, data.get("published") is True, dropped


_OPEN_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
"""Read-only without waiting: a FIFO's open blocks until a writer comes, and one may be put in
place between a ``stat`` and the ``open``, so the kind is judged on the open file."""


def read_regular(path: Path, limit: int = MAX_STATE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes: a FIFO or device in its place (a
    kit file, so anyone may have put one there) is refused, never waited on or read forever."""
    fd = os.open(path, _OPEN_READ)
    with open(fd, "rb", closefd=True) as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, _("a folder, not a file"), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, _("not a regular file"), str(path))
        data = handle.read(limit + 1)  # limit + 1: a file growing after the fstat is still caught
    if max(info.st_size, len(data)) > limit:
        raise OSError(errno.EFBIG, _("larger than {size} MB").format(size=limit >> 20), str(path))
    return data


JUNCTION = 0xA0000003
"""Windows' IO_REPARSE_TAG_MOUNT_POINT (the ``stat`` module defines it only on Windows): a
junction, which anyone may make without administrator rights, leads elsewhere like a link."""


def is_link(info: os.stat_result) -> bool:
    """Whether an ``lstat`` result is a link: a symlink, or a Windows junction (which Python 3.11
    reports as a plain folder)."""
    return stat.S_ISLNK(info.st_mode) or getattr(info, "st_reparse_tag", 0) == JUNCTION


def is_linked(path: Path) -> bool:
    """Whether ``path`` itself is a link (:func:`is_link`); False when it is not there or cannot
    be looked at (what then uses it names that problem)."""
    try:
        return is_link(os.lstat(path))
    except OSError:
        return False


def lexically_inside(relative: str) -> bool:
    """True for a plain relative POSIX path with no way out of the folder it is joined to."""
    if not relative or any(c in relative for c in ("\x00", "\\", ":")) or relative.startswith("/"):
        return False
    parts = relative.split("/")
    # .bzmedia holds this very state and the lock: no entry may name (and so delete) them, in any
    # case or with trailing dots or spaces (the same folder on Windows and macOS)
    return (parts[0].rstrip(". ").casefold() != ".bzmedia"
            and all(part not in ("", ".", "..") for part in parts))


def leads_outside(folder: Path) -> str:
    """The message for a folder of the kit that is a link out of it (nothing is written there)."""
    return _("{path}: this folder leads outside the kit (a link); the kit's files are never written "
             "there").format(path=folder)


class KitPaths:
    """Decides whether a path taken from a kit file names a file inside the kit."""

    def __init__(self, kit_dir: Path) -> None:
        self.kit_dir = kit_dir
        self.root = kit_dir.resolve()
        self._folders: dict[str, bool] = {"": True}

    def inside(self, relative: str) -> bool:
        """True when ``relative`` stays in the kit, with every folder on the way resolved."""
        if not lexically_inside(relative):
            return False
        return self.folder_inside(relative.rpartition("/")[0])

    def folder_inside(self, folder: str) -> bool:
        """True when the kit's ``folder`` (relative, lexically checked) is not reached through a
        symlink out of the kit.  Each folder is looked at once, by one ``lstat`` below its parent
        (a 120-commune kit has 1,500 files in a few hundred folders): only a symlink is resolved
        as a whole."""
        known = self._folders.get(folder)
        if known is not None:
            return known
        inside, prefix = True, ""
        for part in folder.split("/"):  # a loop, not recursion: a state may nest 10,000 deep
            prefix = f"{prefix}/{part}" if prefix else part
            known = self._folders.get(prefix)
            if known is None:
                known = self._folders[prefix] = inside and not self._link_outside(prefix)
            inside = known
        return inside

    def _link_outside(self, folder: str) -> bool:
        path = os.path.join(self.kit_dir, folder)
        try:
            if not is_link(os.lstat(path)):
                return False
        except (OSError, ValueError):
            return False  # a folder that is not there leads nowhere else
        try:
            real = Path(path).resolve()
        except (OSError, RuntimeError):  # a symlink loop
            return True
        return not real.is_relative_to(self.root)


class BuildState:
    """Job id -> key, seconds and output records. Saved atomically; validated on load."""

    def __init__(self, kit_dir: Path, jobs: dict[str, dict[str, Any]], published: bool = False,
                 manifest_stamp: list[int] | None = None) -> None:
        self.kit_dir = kit_dir
        self.jobs = jobs
        self.published = published
        self.manifest_stamp = manifest_stamp
        """``[bytes, mtime_ns]`` of ``manifest.json`` as the last build left it: a build that ran
        and removed nothing need not remake it (9,000 lines at 120 communes) while it is so."""
        self.dirty = False
        self.dropped: set[str] = set()
        """Files a job made before and no longer makes (a slide taken out of the deck): removed
        from the kit when a build publishes, not before (a failed build removes nothing)."""
        self._kit = os.fspath(kit_dir)
        self.staged: set[str] = set()
        """Files a stopped build left in the stage (:mod:`bzmedia.kitstage`), by kit path: a
        job's file found there as recorded is current, and is moved into the kit when the build
        publishes."""
        self._stage = os.fspath(stage_path(kit_dir))

    @classmethod
    def load(cls, kit_dir: Path, warnings: list[str]) -> BuildState:
        """The state of ``kit_dir``; an unusable file adds one warning and means a full rebuild."""
        path = state_path(kit_dir)
        try:
            data = json.loads(read_regular(path))
            jobs, published, dropped = _check_shape(data)
        except FileNotFoundError:
            return cls(kit_dir, {})
        except (OSError, ValueError, RecursionError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)[:200]
            warnings.append(_("{path}: cannot use the record of earlier builds ({reason}); every file will "
                              "be made again").format(path=path, reason=reason))
            if path.is_dir() and not path.is_symlink():  # else no new state could ever be saved
                with contextlib.suppress(OSError):
                    path.rename(path.with_name(f"state.json.folder-{int(time.time())}"))
            return cls(kit_dir, {})
        stamp = data.get("manifest")
        if not (isinstance(stamp, list) and len(stamp) == 2 and all(type(v) is int for v in stamp)):
            stamp = None  # an older state, or a damaged stamp: the manifest is written again
        state = cls(kit_dir, jobs, published, stamp)
        state.dropped = set(dropped)
        state._drop_outside(warnings)
        return state

    def _drop_outside(self, warnings: list[str]) -> None:
        """Forget every job that lists a file outside the kit; those paths are never touched."""
        paths = KitPaths(self.kit_dir)
        self.dropped = {path for path in self.dropped if paths.inside(path)}  # never deleted
        refused = [record["path"] for entry in self.jobs.values() for record in entry["outputs"]
                   if not paths.inside(record["path"])]
        if not refused:
            return
        bad = set(refused)
        self.jobs = {job_id: entry for job_id, entry in self.jobs.items()
                     if not any(r["path"] in bad for r in entry["outputs"])}
        self.dirty = True
        count = len(refused)
        warnings.append(ngettext(
            "{path}: ignored {count} entry naming files outside the kit (first: {first}); those files "
            "were not touched", "{path}: ignored {count} entries naming files outside the kit (first: "
            "{first}); those files were not touched", count).format(
            path=state_path(self.kit_dir), count=count, first=repr(refused[0][:80])))

    def save(self) -> None:
        from bzmedia.cache import atomic_write  # not needed by the no-op shortcut's checks

        path = state_path(self.kit_dir)
        text = json.dumps({"format": FORMAT, "published": self.published,
                           "manifest": self.manifest_stamp, "dropped": sorted(self.dropped),
                           "jobs": self.jobs},
                          ensure_ascii=False, separators=(",", ":"))
        try:
            atomic_write(path, text)
        except OSError as exc:
            raise with_filename(exc, path) from None
        self.dirty = False

    def is_current(self, job_id: str, key: str) -> bool:
        """True when the job's key is unchanged and every file it made is still as it was, in the
        stage (made by a build that stopped before publishing) or else in the kit.

        A file whose bytes are the recorded ones under another mtime (a kit copied without its
        times, restored, synced) has its new mtime recorded: hashed once, not by every build
        (a 120-commune kit is 2 GB)."""
        entry = self.jobs.get(job_id)
        if not entry or entry["key"] != key:
            return False
        for record in entry["outputs"]:
            mtime = None
            for root in (self._stage, self._kit) if record["path"] in self.staged else (self._kit,):
                mtime = untouched_mtime(root, record["path"], record["bytes"], record["mtime_ns"],
                                        record["sha256"])
                if mtime is not None:
                    break
            if mtime is None:
                return False
            if mtime != record["mtime_ns"]:
                record["mtime_ns"] = mtime
                self.dirty = True
        return True

    def record(self, job_id: str, key: str, records: list[dict[str, Any]], seconds: float) -> None:
        earlier = self.jobs.get(job_id)
        made = {r["path"] for r in records}
        self.dropped -= made  # made again (a slide taken out, then put back)
        if earlier:
            self.dropped |= {r["path"] for r in earlier["outputs"]} - made
        self.jobs[job_id] = {"key": key, "seconds": round(seconds, 3), "outputs": records}
        self.dirty = True

    def seconds(self, job_id: str) -> float | None:
        entry = self.jobs.get(job_id)
        return float(entry.get("seconds", 0.0)) or None if entry else None

    def manifest_entries(self, leave_out: set[str] = frozenset()) -> list[dict[str, Any]]:
        """Every recorded file as a manifest entry (with its job id), except jobs ``leave_out``."""
        entries = []
        for job_id in sorted(self.jobs):
            if job_id in leave_out:
                continue
            for record in self.jobs[job_id]["outputs"]:
                entry = {k: record[k] for k in ("path", "kind", "locality", "bytes", "sha256")}
                entry.update(record["meta"])
                entry["job"] = job_id
                entries.append(entry)
        return sorted(entries, key=lambda e: e["path"])

    def listed(self) -> set[str]:
        """Every file some job records (kit paths)."""
        return {record["path"] for entry in self.jobs.values() for record in entry["outputs"]}

    def forget(self, job_ids: set[str]) -> list[str]:
        """Drop these jobs and delete their files, and the files jobs no longer make, unless a job
        still lists them (moved to another job, or one a partial build did not plan); the paths
        removed."""
        gone = set(self.dropped)
        for job_id in job_ids:
            gone.update(record["path"] for record in self.jobs.pop(job_id)["outputs"])
        self.dirty |= bool(job_ids or self.dropped)
        listed = self.listed()
        # what is still to remove stays dropped until it is gone: a removal that fails (a file
        # open on Windows) is tried again by the next build that publishes
        self.dropped = gone - listed
        removed = []
        for relative in sorted(self.dropped):
            path = self.kit_dir / relative
            if path.is_symlink() or path.is_file():
                path.unlink()
                removed.append(relative)
            self.dropped.discard(relative)
        return removed


def file_untouched(kit: str, relative: str, size: int, mtime_ns: int, sha256: str) -> bool:
    """True when the kit's file is still the one recorded: a regular file of that size, with that
    mtime or else those bytes.  Also what the no-op shortcut checks (:mod:`bzmedia.buildinputs`)."""
    return untouched_mtime(kit, relative, size, mtime_ns, sha256) is not None


def untouched_mtime(kit: str, relative: str, size: int, mtime_ns: int, sha256: str) -> int | None:
    """The kit file's mtime when it is still the one recorded (:func:`file_untouched`), else None."""
    path = f"{kit}/{relative}"  # plain strings, no os.path.join: this runs per file (9,000 at
    # 120 communes); a recorded path is a plain relative POSIX path (lexically_inside)
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size != size:
        return None
    if info.st_mtime_ns == mtime_ns:
        return mtime_ns
    from bzmedia.cache import sha256_file

    # The mtime read before the bytes: a write after the hash moves it again (hashed next time).
    return info.st_mtime_ns if sha256_file(path) == sha256 else None


def published_before(kit_dir: Path, leave_out: set[str]) -> set[str]:
    """The files the kit's ``manifest.json`` lists, but not ``leave_out``, that are still exactly
    as it lists them (size and sha256): what an earlier build published.  Read when the last build
    did not publish or the state was lost (deleted, damaged, left by another version), so that a
    full build can remove those no job makes any more (a commune or a slide taken out meanwhile),
    as it would have with its state; never a file changed since, nor one bzmedia did not make,
    nor one reached through a link out of the kit."""
    try:
        data = json.loads(read_regular(kit_dir / "manifest.json"))
    except (OSError, ValueError, RecursionError):
        return set()
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return set()
    paths, kit = KitPaths(kit_dir), os.fspath(kit_dir)
    found = set()
    for entry in files:
        if not isinstance(entry, dict):
            continue
        path, size, digest = entry.get("path"), entry.get("bytes"), entry.get("sha256")
        if not (isinstance(path, str) and type(size) is int and isinstance(digest, str)) or path in leave_out:
            continue
        try:
            if paths.inside(path) and untouched_mtime(kit, path, size, -1, digest) is not None:
                found.add(path)
        except ValueError:  # a name no file system takes (a lone surrogate, a NUL): none of ours
            continue
    return found


def file_record(kit_dir: Path, relative: str, kind: str, locality: str, meta: dict[str, Any]) -> dict:
    """What the state remembers of a file a job just made (run in the worker that made it)."""
    from bzmedia.cache import sha256_file

    path = kit_dir / relative
    info = os.stat(path)
    return {"path": relative, "kind": kind, "locality": locality, "bytes": info.st_size,
            "mtime_ns": info.st_mtime_ns, "sha256": sha256_file(path), "meta": json_safe(meta)}


def json_safe(value: Any) -> Any:
    """``value`` with NaN and infinities as None: JSON has no such numbers (the loudness of
    silence is -inf), and a manifest holding them would not parse."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value
