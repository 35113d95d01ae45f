"""Keeping the build cache bounded: after a successful full build, what no build used lately goes.

The cache (``BZMEDIA_CACHE``, else ``output/.cache``) only ever grows by itself: every edited
sentence, slide or commune list files new entries, and nothing reads the old ones again.  After a
successful full build (not ``--only``/``--locality``, not a failed build, not the no-op shortcut)
:func:`sweep` removes entries, least recently used first, while the cache is over its limit:

- "used" is an entry's modification time: the store marks an entry when a build reads it
  (:func:`bzmedia.cache.mark_used`) and a new entry is new;
- never removed: what this build used, and anything used in the last :data:`RECENT_S` (another
  build sharing the cache may be using it);
- the limit is ``BZMEDIA_CACHE_LIMIT`` (``500MB``, ``2GB``, ``off``), else :data:`USE_FACTOR`
  times the most a full build used in the last :data:`USAGE_DAYS` (kept in
  :data:`USAGE_RECORD`: an incremental build uses only what its jobs read), at least
  :data:`FLOOR_BYTES`.

A job the build did not run reads nothing, so what only an unchanged commune's jobs made (its
speech, its loop's pieces) ages while it is still part of the kit; under pressure it may go, and
is made again when a later change needs it: a cost, never a wrong kit (the state does not record
which entries each job read).

A kit's no-op record (:mod:`bzmedia.buildinputs`: a few KB, read without a mark by the
shortcut that answers an unchanged build in 0.2 s) is not in that count: it goes only once the
kit it names is gone.

Leftovers of dead processes (locks, loop-piece claims, half-written files, a checksum whose
entry a killed sweep removed) go whatever the limit once an hour old, and the synthesis log is cut
to its newest lines.

Only files it can prove are bzmedia's own are touched: names of the store's, the checked
layouts' and the no-op records' patterns, in those folders only (symbolic links are not
followed), so a ``BZMEDIA_CACHE`` pointed by mistake at a folder of documents loses nothing.
An entry goes before its checksum, under the lock the store files it under: a sweep cut short
leaves a miss (an entry without its checksum never exists), never an entry that reads as good
and is not.  It is renamed aside first, so a build reading it at that moment takes it for a miss
or keeps it (see :func:`_remove_entry`), never holds a path that is gone.  A file that cannot be
removed (open elsewhere on Windows, not permitted, gone meanwhile) is counted and skipped; the
sweep never fails a build.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from bzmedia.buildinputs import RECORDS
from bzmedia.cache import (
    CHECKSUM_SUFFIX,
    PART_SUFFIX,
    STORE_LAYOUT,
    TOUCH_EVERY_S,
    _fallback_roots,
    _lock_path,
    atomic_write,
    fallback_in_use,
    try_file_lock,
)
from bzmedia.cachedir import fallback_folders, old_random_fallbacks
from bzmedia.i18n import _, decimal, ngettext

LIMIT_VARIABLE = "BZMEDIA_CACHE_LIMIT"
FLOOR_BYTES = 2 * 10**9
"""The default limit is never below this: a 120-commune kit's cache (about 1 GB) with room for
a few campaigns' or edits' worth of entries, on a small office disk."""
USE_FACTOR = 3
"""The default limit is at least this many times what the build used: a cold build of a large
province, then two rounds of edits, stay whole."""
USAGE_RECORD = "sweep-usage.json"
"""In the cache: what recent full builds used (time and bytes), for the default limit."""
USAGE_FORMAT = 1
USAGE_DAYS = 30
"""The default limit follows the largest use of this many days' full builds."""
RECENT_S = 3600.0
"""Entries used this recently are kept whatever the limit (a build sharing the cache may need them)."""
CLOCK_SLACK_S = 2.0
"""Modification times on FAT drives are kept to 2 seconds."""
ASIDE_SUFFIX = ".sweeping"
"""A store entry is renamed to ``.<name>.sweeping`` while the sweep removes it."""
CHECKSUM_BYTES = 65
"""A checksum file: 64 hex digits and a newline."""
SYNTHESIS_LOG = ("tts", "synthesized.jsonl")  # bzmedia.tts.segments.LOG_NAME
LOG_BYTES = 1 << 20
"""The synthesis log (a line per phrase synthesized, for tests and benchmarks) is cut to its newest
half when it grows past this (a cold 120-commune build adds about 50 KB)."""

_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12,
          "ki": 2**10, "mi": 2**20, "gi": 2**30, "ti": 2**40}
_SIZE = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*([kmgt]i?)?b?\s*", re.IGNORECASE)
_SUFFIX = r"\.[a-z0-9]{1,10}"
_PART = rf"\.[0-9a-f]{{8}}{re.escape(PART_SUFFIX)}"
_STORE_ENTRY = re.compile(rf"(?P<key>[0-9a-f]{{64}}){_SUFFIX}")
_STORE_SIDECAR = re.compile(rf"(?P<entry>[0-9a-f]{{64}}{_SUFFIX}){re.escape(CHECKSUM_SUFFIX)}")
_STORE_LEFTOVER = re.compile(rf"\.(?:[0-9a-f]{{64}}{_SUFFIX}\.(?:lock|making|claim)"
                             rf"|[0-9a-f]{{64}}(?:{_SUFFIX})?{_PART}(?:{_SUFFIX})?|probe{_PART})")
_STORE_ASIDE = re.compile(rf"\.(?P<entry>[0-9a-f]{{64}}{_SUFFIX}){re.escape(ASIDE_SUFFIX)}")
_LOADED_ENTRY = re.compile(r"(?P<key>[0-9a-f]{64})\.pickle")
_LOADED_LEFTOVER = re.compile(rf"\.[0-9a-f]{{64}}{_PART}\.pickle")
_RECORD = re.compile(r"[0-9a-f]{8}\.json")
_RECORD_LEFTOVER = re.compile(rf"\.[0-9a-f]{{8}}{_PART}\.json")
_SHARD = re.compile(r"[0-9a-f]{2}")


def configured_limit(environ: dict[str, str] | os._Environ = os.environ) -> float | None:
    """``BZMEDIA_CACHE_LIMIT`` in bytes, ``math.inf`` for ``off``, ``None`` when not set (the
    default limit then depends on the build); a malformed value is a :class:`BuildError`."""
    text = environ.get(LIMIT_VARIABLE, "").strip()
    if not text:
        return None
    if text.lower() in ("off", "none", "unlimited"):
        return math.inf
    found = _SIZE.fullmatch(text)
    if found is None or (found[2] is None and float(found[1].replace(",", ".")) != 0):
        from bzmedia.errors import BuildError

        raise BuildError([_("{variable}: '{value}' is not a cache size; write it like 500MB or 2GB "
                            "(or off for no limit)").format(variable=LIMIT_VARIABLE, value=text)])
    return float(found[1].replace(",", ".")) * _UNITS[(found[2] or "").lower()]


@dataclass
class _Unit:
    """Files that go together, in the order they are removed (an entry before its checksum)."""

    files: list[str]
    sizes: list[int]
    """Each file's bytes (what removing it frees)."""
    used: float
    """When a build last used it (the entry's modification time)."""
    locked: str | None = None
    """The store entry whose lock (the one it is filed under) is held while it is removed."""

    @property
    def size(self) -> int:
        return sum(self.sizes)


@dataclass
class SweepReport:
    """What a sweep found and did."""

    root: Path
    limit: float
    before: int = 0
    """Bytes of bzmedia's files in the cache before the sweep."""
    used: int = 0
    """Bytes of entries this build used."""
    removed_files: int = 0
    removed_bytes: int = 0
    """Bytes of the files this sweep removed."""
    skipped: int = 0
    """Files that could not be removed (open elsewhere, not permitted, locked by a build)."""
    vanished: int = 0
    """Entries gone between the scan and their removal (another build's sweep)."""
    vanished_bytes: int = 0
    """Their bytes: not this sweep's to report, but no longer in the cache either (counted as
    removed, two builds' sweeps would each take what the other freed, down past the limit)."""
    seconds: float = 0.0
    units: int = 0

    @property
    def after(self) -> int:
        return self.before - self.removed_bytes - self.vanished_bytes

    def summary(self) -> str:
        """The line ``-v`` shows."""
        limit = _("no limit") if self.limit == math.inf else size_text(self.limit)
        return ngettext("cache: {root} holds {size} (limit {limit}); swept {files} file, {removed}, "
                        "in {seconds} s",
                        "cache: {root} holds {size} (limit {limit}); swept {files} files, {removed}, "
                        "in {seconds} s",
                        self.removed_files).format(root=self.root, size=size_text(self.after), limit=limit,
                                          files=self.removed_files, removed=size_text(self.removed_bytes),
                                          seconds=decimal(self.seconds, 2))

    def warning(self) -> str | None:
        """Said on a normal run only when files that should go could not, leaving it over its limit."""
        if not self.skipped or self.after <= self.limit:
            return None
        return ngettext("cache: {count} file under {root} could not be removed (in use or not permitted); "
                        "it holds {size}, over its limit of {limit}",
                        "cache: {count} files under {root} could not be removed (in use or not permitted); "
                        "it holds {size}, over its limit of {limit}", self.skipped).format(
            count=self.skipped, root=self.root, size=size_text(self.after), limit=size_text(self.limit))


def size_text(count: float) -> str:
    """Bytes as a person reads them: 840 KB, 12.5 MB, 2.0 GB (decimal units, like the limit)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= scale:
            return f"{decimal(count / scale, 1)} {unit}"
    return f"{int(count)} B"


def sweep(configured: Path, build_started: float, limit: float | None = None) -> SweepReport:
    """Remove bzmedia's unused cache files, least recently used first, until under ``limit``
    (bytes; ``None``: the default for what this build used), from the cache folder
    ``configured``, or from the temporary one the build's stores used instead when it cannot be
    written (:func:`swept_root`).  ``build_started`` is the build's start as :func:`time.time`:
    entries marked since then (less the store's marking interval) are this build's.  Never raises
    for a file it cannot remove."""
    started = time.monotonic()
    this_build = build_started - TOUCH_EVERY_S - CLOCK_SLACK_S
    keep_after = min(this_build, time.time() - RECENT_S)
    root = swept_root(Path(configured))
    if root is None:  # nothing this build's stores could have filed
        return SweepReport(Path(configured), math.inf if limit is None else limit)
    units, leftovers, records = [], [], []
    live, dead = _swept_folders(Path(configured), root)
    for folder in live:
        for group, found in zip((units, leftovers, records), _scan(folder), strict=True):
            group += found
    for folder in dead:  # nobody reads them again: all of it goes once an hour old
        leftovers += [unit for group in _scan(folder) for unit in group]
    report = SweepReport(root, math.inf, units=len(units))
    report.before = sum(u.size for group in (units, leftovers, records) for u in group)
    report.used = sum(u.size for u in units if u.used >= this_build)
    largest = _largest_recent_use(root, report.used)
    report.limit = max(FLOOR_BYTES, USE_FACTOR * largest) if limit is None else limit
    # A dead process's lock or half-written file: nobody will finish it.  Stale locks first: a
    # sweep killed holding one left what it had renamed aside, removed under that same lock.
    for unit in sorted(leftovers, key=lambda u: not u.files[0].endswith(".lock")):
        if unit.used < keep_after:
            _remove(unit, keep_after, report)
    for record in records:  # a kit's no-op shortcut: a few KB, kept while its kit is there
        if record.used < keep_after and _kit_gone(record.files[0]):
            _remove(record, keep_after, report)
    for folder in live:
        _trim_log(os.path.join(folder, *SYNTHESIS_LOG), keep_after)
    if report.after > report.limit:
        for unit in sorted((u for u in units if u.used < keep_after), key=lambda u: u.used):
            _remove(unit, keep_after, report)
            if report.after <= report.limit:
                break
    report.seconds = time.monotonic() - started
    return report


def swept_root(configured: Path) -> Path | None:
    """The cache folder the build's stores filed in: ``configured``, else (it cannot be written:
    a read-only drive, a file in its place) the temporary folder they moved to, which would
    otherwise grow without bound.  A folder that cannot be written is never swept: every removal
    would fail, and say so after every build."""
    moved = _fallback_roots.get(str(configured))  # this process's stores moved
    if moved is not None:
        return moved
    if _takes_files(configured):
        return configured
    return fallback_in_use(configured)  # the workers' stores moved (the same folder for all)


def _swept_folders(configured: Path, root: Path) -> tuple[list[Path], list[Path]]:
    """The folders swept with ``root`` (:func:`swept_root`) as one cache, and those whose files
    all go once an hour old.  When ``root`` is a temporary folder an unwritable ``configured``
    moved to, this user's other such folders for it (processes that found none at once each
    made one) are part of it, and this user's random ones from older versions, which nobody can
    find to read, are dead: only folders, never links, that can be written."""
    if root == configured:
        return [root], []
    others = [folder for folder in fallback_folders(configured) if folder != root and _takes_files(folder)]
    return [root, *others], [folder for folder in old_random_fallbacks() if _takes_files(folder)]


def _takes_files(root: Path) -> bool:
    """Whether the store can file entries under ``root`` (as far as permissions tell)."""
    store = os.path.join(root, STORE_LAYOUT)
    if os.path.lexists(store):
        return os.path.isdir(store) and os.access(store, os.W_OK)
    return os.path.isdir(root) and os.access(root, os.W_OK)


def _largest_recent_use(root: Path, used: int) -> int:
    """The most any full build of the last :data:`USAGE_DAYS` used, this one's ``used`` included,
    from the record kept in the cache (then updated).  An incremental build uses only what its
    few jobs read: a default limit of that alone would sweep what the next edit needs."""
    path = root / USAGE_RECORD
    now = time.time()
    builds = _read_usage(path)
    if builds is None:  # a file of that name that is not bzmedia's: left as it is
        return used
    builds = sorted([(t, u) for t, u in builds if now - USAGE_DAYS * 86400 < t <= now] + [(now, used)])
    kept: list[tuple[float, int]] = []
    for when, size in reversed(builds):  # one older and smaller than a later one never counts again
        if not kept or size > kept[-1][1]:
            kept.append((when, size))
    with contextlib.suppress(OSError):
        atomic_write(path, json.dumps({"format": USAGE_FORMAT, "builds": kept[::-1]}))
    return kept[-1][1]


def _read_usage(path: Path) -> list[tuple[float, int]] | None:
    """The recorded (time, bytes) of recent full builds; ``[]`` when there is no record (or it
    cannot be read), ``None`` when ``path`` is not such a record."""
    try:
        with open(path, "rb") as handle:
            found = json.load(handle)
        if found.get("format") != USAGE_FORMAT:
            return None
        return [(float(when), int(size)) for when, size in found["builds"]]
    except FileNotFoundError:
        return []
    except OSError:
        return [] if not os.path.lexists(path) else None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _scan(root: Path) -> tuple[list[_Unit], list[_Unit], list[_Unit]]:
    """Every entry (with its checksum), every leftover and every no-op record of bzmedia's under
    ``root``.

    Paths are strings, and a checksum is not stat'ed (its size is known): at 10,000 entries
    ``Path`` objects and the second stat were two thirds of the scan."""
    units: list[_Unit] = []
    leftovers: list[_Unit] = []
    records: list[_Unit] = []
    for shard, name in _folders(os.path.join(root, STORE_LAYOUT), _SHARD):
        _scan_store_shard(shard, name, units, leftovers)
    for shard, shard_name in _folders(os.path.join(root, "loaded"), _SHARD):
        for item in _files(shard):
            if _LOADED_ENTRY.fullmatch(item.name) and item.name[:2] == shard_name:
                _add(units, item)
            elif _LOADED_LEFTOVER.fullmatch(item.name):
                _add(leftovers, item)
    for item in _files(os.path.join(root, RECORDS)):
        if _RECORD.fullmatch(item.name):
            _add(records, item)
        elif _RECORD_LEFTOVER.fullmatch(item.name):
            _add(leftovers, item)
    return units, leftovers, records


def _kit_gone(record: str) -> bool:
    """Whether the kit the no-op record ``record`` is of (:mod:`bzmedia.buildinputs`: its absolute
    path under ``kit``) is no longer there; a record that does not say is left alone."""
    try:
        with open(record, "rb") as handle:
            kit = json.load(handle).get("kit")
    except (OSError, ValueError, RecursionError, AttributeError):
        return False
    return isinstance(kit, str) and os.path.isabs(kit) and not os.path.isdir(kit)


def _add(units: list[_Unit], item: os.DirEntry, locked: str | None = None) -> _Unit | None:
    """``item`` as a unit of its own, if it is still a regular file."""
    try:
        info = item.stat(follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    unit = _Unit([item.path], [info.st_size], info.st_mtime, locked)
    units.append(unit)
    return unit


def _scan_store_shard(shard: str, shard_name: str, units: list[_Unit], leftovers: list[_Unit]) -> None:
    entries: list[os.DirEntry] = []
    sidecars: dict[str, os.DirEntry] = {}
    for item in _files(shard):
        name = item.name
        if (found := _STORE_ENTRY.fullmatch(name)) and found["key"][:2] == shard_name:
            entries.append(item)
        elif (found := _STORE_SIDECAR.fullmatch(name)) and name[:2] == shard_name:
            sidecars[found["entry"]] = item
        elif _STORE_LEFTOVER.fullmatch(name):
            _add(leftovers, item)
        elif (found := _STORE_ASIDE.fullmatch(name)) and name[1:3] == shard_name:
            _add(leftovers, item, locked=os.path.join(shard, found["entry"]))  # as the entry was
    for item in entries:
        unit = _add(units, item, locked=item.path)
        sidecar = sidecars.pop(item.name, None)
        if unit is not None and sidecar is not None:
            unit.files.append(sidecar.path)
            unit.sizes.append(CHECKSUM_BYTES)
    for name, item in sidecars.items():  # its entry is gone (a sweep cut short): a miss either way
        _add(leftovers, item, locked=os.path.join(shard, name))


def _folders(parent: str, pattern: re.Pattern) -> list[tuple[str, str]]:
    """(path, name) of the sub-folders of ``parent`` named by ``pattern``, not through links
    (nor ``parent`` itself one: ``v2``, ``loaded`` or ``noop`` linked elsewhere is not swept)."""
    if not _real_folder(parent):
        return []
    try:
        with os.scandir(parent) as listing:
            return [(e.path, e.name) for e in listing
                    if pattern.fullmatch(e.name) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _files(folder: str) -> list[os.DirEntry]:
    """Files in ``folder`` that are not links or folders; an unreadable folder, or a link, has none."""
    if not _real_folder(folder):
        return []
    try:
        with os.scandir(folder) as listing:
            return [item for item in listing if item.is_file(follow_symlinks=False)]
    except OSError:
        return []


def _real_folder(path: str) -> bool:
    """Whether ``path`` is a folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _remove(unit: _Unit, keep_after: float, report: SweepReport) -> None:
    """Remove ``unit``'s files unless a build used it since the scan or holds its lock."""
    lock = os.fspath(_lock_path(Path(unit.locked))) if unit.locked else None
    try:
        held = try_file_lock(lock) if lock else None
    except OSError:  # cannot be made: a read-only cache, where no build files anything
        held = None
    if held is False:  # being filed or dropped right now, or a young stale lock: left for the
        report.skipped += 1  # leftover pass, which removes it once it is an hour old
        return
    try:
        first, size = unit.files[0], unit.sizes[0]
        if not (_remove_entry if first == unit.locked else _remove_file)(first, size, keep_after, report):
            return
        for path, size in zip(unit.files[1:], unit.sizes[1:], strict=True):
            if not _unlink(path, size, report):
                return
    finally:
        if held:
            with contextlib.suppress(OSError):
                os.unlink(lock)


def _remove_file(path: str, size: int, keep_after: float, report: SweepReport) -> bool:
    """Remove ``path`` unless a build used it since the scan; True when it is gone."""
    try:
        if os.stat(path, follow_symlinks=False).st_mtime >= keep_after:
            return False  # a build read it since the scan
    except FileNotFoundError:
        report.vanished += 1  # another sweep took it: what follows it (its checksum) goes still
        report.vanished_bytes += size
        return True
    except OSError:
        report.skipped += 1
        return False
    return _unlink(path, size, report)


def _remove_entry(path: str, size: int, keep_after: float, report: SweepReport) -> bool:
    """Remove the store entry ``path`` (its lock held) unless a build used it since the scan;
    True when it is gone.

    A reader checks an entry's bytes, then marks it, then uses it, without the lock (a lock per
    read would cost a file made and removed).  So the entry is renamed aside before it goes: a
    reader marking it after that finds it gone and takes it for a miss
    (:func:`bzmedia.cache.mark_used`), and one that marked it before moved the time read here and
    gets it back.  (A reader that marked it in the microseconds between the first look and the
    rename finds it missing for as long, as it would a sweep that came a little earlier.)"""
    aside = _aside_of(path)
    try:
        if os.stat(path, follow_symlinks=False).st_mtime >= keep_after:
            return False  # a build read it since the scan
        os.replace(path, aside)
    except FileNotFoundError:
        report.vanished += 1
        report.vanished_bytes += size
        return True
    except OSError:  # open elsewhere on Windows, not permitted
        report.skipped += 1
        return False
    try:
        marked = os.stat(aside, follow_symlinks=False).st_mtime >= keep_after
    except OSError:
        marked = False
    if marked:
        try:
            os.replace(aside, path)
            return False
        except OSError:
            pass  # cannot be put back: it goes with its checksum, a miss
    if _unlink(aside, size, report):
        return True
    with contextlib.suppress(OSError):  # its checksum stays, so the entry must be back beside it
        os.replace(aside, path)
    return False


def _unlink(path: str, size: int, report: SweepReport) -> bool:
    """Remove ``path``; True when it is gone (also when it already was)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        report.vanished_bytes += size  # gone all the same, but not by this sweep
        return True
    except OSError:  # open elsewhere on Windows, not permitted: its checksum must stay
        report.skipped += 1
        return False
    report.removed_files += 1
    report.removed_bytes += size
    return True


def _trim_log(path: str, keep_after: float) -> None:
    """Cut the synthesis log to its newest lines when it is large and nobody wrote to it lately
    (an appending build would lose a line); left as it is unless its lines are bzmedia's."""
    try:
        info = os.stat(path, follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode) or info.st_size <= LOG_BYTES or info.st_mtime >= keep_after:
            return
        with open(path, "rb") as log:
            log.seek(info.st_size - LOG_BYTES // 2)
            kept = log.read().partition(b"\n")[2]
        if not all(_is_synthesis(line) for line in kept.splitlines()):
            return
        atomic_write(Path(path), kept)
    except (OSError, ValueError):
        pass  # a log only counts and times: keeping it whole is no harm


def _is_synthesis(line: bytes) -> bool:
    try:
        fields = json.loads(line)
    except ValueError:
        return False
    return isinstance(fields, dict) and {"engine", "key", "text"} <= fields.keys()


def _aside_of(entry: str) -> str:
    """Where a store entry is renamed while it is removed (a killed sweep's is a leftover)."""
    folder, name = os.path.split(entry)
    return os.path.join(folder, f".{name}{ASIDE_SUFFIX}")
