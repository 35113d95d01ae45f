"""The no-op shortcut: a build whose inputs are all as the last successful build left them
answers without loading the script, planning or reading the build state.

After a successful build, a record in the build's cache folder (:func:`record_path`: in the
cache, not the kit, because a kit may come from elsewhere and nothing outside it is read because
of what a file inside it says) holds everything that build's main process read, as found at its
end:

- every file it opened, every folder it listed and every path it looked at with ``stat`` (a
  layout looked up in the content folder and not found there is a path that must stay missing).
  They are collected as the build runs (:class:`InputLog`): an audit hook sees every ``open``,
  ``os.listdir`` and ``os.scandir`` of the process, and ``os.stat``/``os.lstat``, which raise no
  audit event, are wrapped while the log is on.  A reader in C that opened files by itself would
  escape both; the spreadsheet reader hands python-calamine bytes read by Python, PyYAML and the
  JSON decoder read Python streams, so none does today (a test watches this list).
  A file counts by git's rule (size, mtime, ctime, inode, device: writing a file always moves
  its ctime, which cannot be set back); one up to :data:`HASH_BYTES` that fails it (copied,
  touched) still counts as unchanged when its bytes (SHA-256) are;
- the code: every module file the process had loaded and every ``.py`` of bzmedia (size and
  mtime), and the Python version;
- the command: the script and output folder (absolute), ``--only``, ``--locality``; the language
  (the script's warnings are shown in it); the environment variables bzmedia reads;
- the kit: ``state.json``'s stamp (any build that ran a job rewrites it), ``manifest.json``'s, and
  every file the state lists, checked exactly as the state's load and a current job's files are
  (:class:`bzmedia.buildstate.KitPaths`, :func:`bzmedia.buildstate.file_untouched`).

What a build reads beyond its kit and cache is not trusted when it changed during the build: if
any input's ctime is not older than the build's start (git's "racy" rule), no record is written.
Every build removes the record once it holds the kit lock, and only a successful one writes it
again, inside the lock: a failed or killed build leaves none.  Anything missing, unreadable or
different means the ordinary build, never an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

RECORDS = "noop"
"""The records' folder in the cache: one per kit."""
FORMAT = 1
HASH_BYTES = 4 << 20
"""Files up to this size are compared by content (the script, sheets and layouts are KB)."""
RACY_NS = 50_000_000
"""A file changed this little before the build started may still have been changed during it
(the kernel stamps files from a coarse clock): such a build records nothing."""
COARSE_RACY_NS = 2_000_000_000
"""The same, for a file system that stamps whole seconds (or FAT's two)."""
ENV_PREFIX = "BZMEDIA_"
OTHER_ENV = ("HOME", "XDG_DATA_HOME", "LOCALAPPDATA")
"""Read by bzmedia besides ``BZMEDIA_*`` (where piper voices are looked for)."""
SKIP_ROOTS = ("/proc", "/sys", "/dev")


def record_path(cache_dir: Path, kit_dir: Path) -> Path:
    """The record of the kit ``kit_dir``, named by a CRC of its absolute path (the record names
    its kit, so two kits of one name only take turns)."""
    import zlib  # builtin and cheap, unlike hashlib's OpenSSL

    name = zlib.crc32(os.fsencode(os.path.abspath(kit_dir)))
    return cache_dir / RECORDS / f"{name:08x}.json"


def forget(cache_dir: Path, kit_dir: Path) -> None:
    """Remove the kit's record: called by every build once it holds the kit lock."""
    with contextlib.suppress(OSError):
        os.unlink(record_path(cache_dir, kit_dir))


class InputLog:
    """What the main process opens, lists and stats while the block runs (paths as given)."""

    def __init__(self) -> None:
        self.opened: set[Any] = set()
        self.listed: set[Any] = set()
        self.looked: dict[Any, str] = {}
        """Path -> what the first ``stat`` found there: ``missing``, ``dir`` or ``other``."""
        self.started_ns = 0

    def __enter__(self) -> InputLog:
        global _current
        _install_hook()
        self.started_ns = time.time_ns()
        _current = self
        if not _originals:
            _wrap_lookups()
        return self

    def __exit__(self, *exc) -> None:
        global _current
        _current = None
        for (module, name), real in _originals.items():
            setattr(module, name, real)
        _originals.clear()


_current: InputLog | None = None
_originals: dict[tuple[Any, str], Any] = {}
"""(module, name) -> the function the log replaced while it is on."""
_hooked = False
_STAT_LOOKUPS = ("isfile", "isdir", "exists")
"""``os.path`` functions that follow links: on Windows with Python 3.13 they are in C and call
no ``os.stat``, so a layout looked for and not found would escape the log."""


def _wrap_lookups() -> None:
    # each wrapper closes over the real function: a thread calling it just after __exit__ still works
    real_stat, real_lstat = os.stat, os.lstat
    wrappers = {(os, "stat"): _logged(real_stat), (os, "lstat"): _logged(real_lstat),
                (os.path, "lexists"): _logged_test(os.path.lexists, real_lstat)}
    for name in _STAT_LOOKUPS:
        wrappers[(os.path, name)] = _logged_test(getattr(os.path, name), real_stat)
    for (module, name), wrapper in wrappers.items():
        _originals[(module, name)] = getattr(module, name)
        setattr(module, name, wrapper)


def _logged(real):
    def logged_stat(path, *args, **kwargs):
        return _looked_at(real, path, args, kwargs)

    return logged_stat


def _logged_test(real, real_stat):
    def logged_test(path):
        if _current is not None:  # what a stat finds there, recorded as the stat wrapper does
            with contextlib.suppress(OSError, TypeError, ValueError):
                _looked_at(real_stat, path, (), {})
        return real(path)

    return logged_test


def _install_hook() -> None:
    global _hooked
    if not _hooked:  # an audit hook cannot be removed: one for the process, idle without a log
        sys.addaudithook(_audit)
        _hooked = True


def _audit(event: str, args: tuple) -> None:
    log = _current
    if log is None:
        return
    if event == "open" and not isinstance(args[0], int):
        log.opened.add(args[0])
    elif event in ("os.listdir", "os.scandir") and args and not isinstance(args[0], int | None):
        log.listed.add(args[0])


def _looked_at(real, path, args, kwargs):
    log = _current
    if log is None or isinstance(path, int) or kwargs.get("dir_fd") is not None:
        return real(path, *args, **kwargs)
    try:
        info = real(path, *args, **kwargs)
    except FileNotFoundError:
        log.looked.setdefault(path, "missing")
        raise
    except OSError:
        log.looked.setdefault(path, "other")
        raise
    log.looked.setdefault(path, "dir" if stat.S_ISDIR(info.st_mode) else "other")
    return info


def _absolute(path: Any) -> str | None:
    try:
        return os.path.abspath(os.fsdecode(os.fspath(path)))
    except (TypeError, ValueError):
        return None


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def skipped_roots(kit_dir: Path, cache_dir: Path) -> list[str]:
    """Folders whose files are not inputs: the kit (its files are checked as outputs), what the
    cache writes (entries are keyed by content; only its own folders: ``BZMEDIA_CACHE`` may be a
    folder that holds the campaign), /proc and the like, and the Python install (its modules are
    part of the code, see :func:`code_stamps`)."""
    roots = {os.path.abspath(p) for p in (kit_dir, sys.prefix, sys.base_prefix, sys.exec_prefix)}
    roots |= {os.path.abspath(cache_dir / name) for name in cache_folders()}
    roots |= {os.path.realpath(p) for p in roots}
    return sorted(roots | set(SKIP_ROOTS))


def cache_folders() -> tuple[str, ...]:
    """The folders a build writes in its cache: the store, checked layouts, these records and
    the online voices' pacing files (the cache folder itself is only looked at and created)."""
    from bzmedia.cache import STORE_LAYOUT

    return (STORE_LAYOUT, "loaded", RECORDS, "tts")


def package_files(package: str | None = None) -> list[tuple[str, int, int]]:
    """``(path, bytes, mtime_ns)`` of every ``.py`` of bzmedia (or of the folder ``package``), in
    a stable order: a worker loads more than the main process, and
    :func:`bzmedia.loadcache.code_identity` is made of them too (here, not there: the shortcut
    must not import the cache's hashing)."""
    package = package or os.path.dirname(os.path.abspath(__file__))
    found = []
    for folder, folders, names in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(n for n in names if n.endswith(".py")):
            path = os.path.join(folder, name)
            stamp = file_stamp(path)
            if stamp is not None:  # a file removed meanwhile: the list of paths differs anyway
                found.append((path, *stamp))
    return found


def code_stamps(package: list[tuple[str, int, int]]) -> dict[str, list[int] | None]:
    """``[bytes, mtime_ns]`` of every file of a loaded module and every ``.py`` of bzmedia
    (``package``, from :func:`package_files`: not stat'ed again)."""
    stamps: dict[str, list[int] | None] = {path: [size, mtime] for path, size, mtime in package}
    loaded = {getattr(module, "__file__", None) for module in list(sys.modules.values())}
    for path in (os.path.abspath(f) for f in loaded if isinstance(f, str)):
        if path not in stamps:
            stamps[path] = file_stamp(path)
    return dict(sorted(stamps.items()))


def file_stamp(path: str | os.PathLike) -> list[int] | None:
    """``[bytes, mtime_ns]`` of a file, ``None`` when it is not there."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def input_stamp(path: str, listed: bool, known: list | None = None) -> list:
    """What a build saw at ``path``: missing, a folder (with its listing if it was listed), a
    file by git's stat signature and, up to :data:`HASH_BYTES`, its SHA-256 (computed only when
    the signature differs from ``known``'s: then the bytes decide)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return ["missing"]
    except OSError as exc:
        return ["error", exc.errno]
    if stat.S_ISDIR(info.st_mode):
        if not listed:
            return ["dir"]
        try:
            return ["dir", sorted(os.listdir(path))]
        except OSError as exc:
            return ["error", exc.errno]
    if not stat.S_ISREG(info.st_mode):
        return ["other", info.st_mode]
    signature = [info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
    if info.st_size > HASH_BYTES:
        return ["big", info.st_size, signature]
    if known is not None and known[:2] == ["file", info.st_size] and known[3] == signature:
        return known
    import hashlib  # only for a file that changed, or a new record

    try:
        with open(path, "rb") as handle:
            data = handle.read(HASH_BYTES + 1)
    except OSError as exc:
        return ["error", exc.errno]
    return ["file", len(data), hashlib.sha256(data).hexdigest(), signature]


def same_input(seen: list, now: list) -> bool:
    """Whether ``now`` (:func:`input_stamp`) is what was ``seen``: a small file by its bytes."""
    if seen[0] == "file" and now[0] == "file":
        return seen[1:3] == now[1:3]
    return seen == now


def _racy(path: str, seen: list, first: str | None, started_ns: int) -> bool:
    """True when ``path`` may have changed since the build looked at it: a path only looked at
    whose kind (missing, folder) is not what it was, or a file or listed folder changed so near
    the build's start that it may have changed during it (a folder that was only looked at, such
    as /tmp, changes all the time without mattering)."""
    if seen[0] == "missing" or seen == ["dir"]:
        return first is not None and first != seen[0]
    try:
        info = os.stat(path)
    except OSError:
        return False
    coarse = info.st_ctime_ns % 1_000_000_000 == 0
    return info.st_ctime_ns >= started_ns - (COARSE_RACY_NS if coarse else RACY_NS)


def command_identity(script: Path, output: Path, only: tuple[str, ...], locality: tuple[str, ...]) -> dict:
    """What of the command line changes the kit (``-j``, ``-q`` and ``-v`` do not)."""
    from bzmedia.i18n import language

    env = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIX) or k in OTHER_ENV}
    return {"script": os.path.abspath(script), "output": os.path.abspath(output), "only": list(only),
            "locality": list(locality), "language": language(), "env": env, "python": sys.version,
            "executable": sys.executable}


def kit_files(state) -> list[list]:
    """``[path, bytes, mtime_ns, sha256]`` of every file the state lists."""
    return [[r["path"], r["bytes"], r["mtime_ns"], r["sha256"]]
            for entry in state.jobs.values() for r in entry["outputs"]]


def write_record(log: InputLog, command: dict, kit_dir: Path, cache_dir: Path, state, planned: int,
                 warnings: list[str]) -> bool:
    """Write the record of a build that just succeeded (inside its lock); False when an input
    changed during the build, so nothing may be trusted."""
    skip = skipped_roots(kit_dir, cache_dir)
    package = os.path.dirname(os.path.abspath(__file__))
    # the import system lists every sys.path folder it searches: which modules were loaded, and
    # from where, is the code's part (a new .py of bzmedia is seen by package_files)
    search = {p for p in map(_absolute, sys.path) if p}
    listed = {p for p in map(_absolute, log.listed) if p and p not in search}
    first = {}
    for path, kind in log.looked.items():
        first.setdefault(_absolute(path), kind)
    paths = {p for p in map(_absolute, log.opened) if p} | set(first) | listed
    cache_root = {os.path.abspath(cache_dir), os.path.realpath(cache_dir)}  # created by the build
    paths = {p for p in paths if p and p not in cache_root and not _under(p, skip)
             and not (_under(p, [package]) and (p.endswith((".py", ".pyc")) or p.endswith("__pycache__")))}
    inputs = {p: input_stamp(p, p in listed) for p in sorted(paths)}
    if any(_racy(p, seen, first.get(p), log.started_ns) for p, seen in inputs.items()):
        return False
    package_now = package_files()
    code = code_stamps(package_now)  # a module edited while the build ran: this build ran the old one
    if any(_racy(p, ["file"], None, log.started_ns) for p in code):
        return False
    record = {"format": FORMAT, "command": command, "kit": os.path.abspath(kit_dir),
              "planned": planned, "warnings": warnings, "inputs": inputs,
              "code": code, "modules": [path for path, _, _ in package_now],
              "state": _kit_stamp(kit_dir / ".bzmedia" / "state.json"),
              "manifest": state.manifest_stamp, "files": kit_files(state)}
    from bzmedia.cache import atomic_write

    with contextlib.suppress(OSError):
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        atomic_write(record_path(cache_dir, kit_dir), text)
        return True
    return False


def _kit_stamp(path: Path) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def find_record(output: Path, cache_dir: Path, command: dict) -> tuple[Path, dict, bytes] | None:
    """The kit under ``output`` whose record is of this very command, with that record (parsed
    and as bytes: :func:`still_current` makes sure, inside the lock, that it is still there)."""
    try:
        names = os.listdir(output)
    except OSError:
        return None
    for name in sorted(names):
        if name.startswith("."):
            continue
        kit_dir = output / name
        try:
            with open(record_path(cache_dir, kit_dir), "rb") as handle:
                raw = handle.read()
            record = json.loads(raw)
        except (OSError, ValueError, RecursionError):
            continue
        if isinstance(record, dict) and record.get("format") == FORMAT and record.get("command") == command:
            return kit_dir, record, raw
    return None


def still_current(kit_dir: Path, record: dict, raw: bytes | None = None,
                  cache_dir: Path | None = None) -> bool:
    """True when every input, code file and kit file is as the record says (and, with ``raw``
    and ``cache_dir``, the record is still that one: a build that ran since it was read removed
    or replaced it)."""
    from bzmedia.buildstate import KitPaths, file_untouched

    try:
        if raw is not None and cache_dir is not None:
            with open(record_path(cache_dir, kit_dir), "rb") as handle:
                if handle.read() != raw:
                    return False
        if record["kit"] != os.path.abspath(kit_dir) or type(record["planned"]) is not int:
            return False
        if not all(isinstance(line, str) for line in record["warnings"]):
            return False  # what the shortcut shows must be what a build showed
        if _kit_stamp(kit_dir / ".bzmedia" / "state.json") != record["state"]:
            return False
        manifest = _kit_stamp(kit_dir / "manifest.json")
        if manifest is None or manifest[:2] != record["manifest"]:
            return False
        package_now = package_files()
        if [path for path, _, _ in package_now] != record["modules"]:
            return False
        known = {path: [size, mtime] for path, size, mtime in package_now}
        if any((known.get(path) or file_stamp(path)) != seen for path, seen in record["code"].items()):
            return False
        inputs = record["inputs"]
        if not all(same_input(seen, input_stamp(path, seen[0] == "dir" and len(seen) == 2, seen))
                   for path, seen in inputs.items()):
            return False
        files = record["files"]
        # As the state's load checks: a kit folder turned into a symlink to elsewhere means the
        # ordinary build refuses its files.  The paths passed its lexical check when recorded.
        folders = {entry[0].rpartition("/")[0] for entry in files}
        if not all(map(KitPaths(kit_dir).folder_inside, folders)):
            return False
        kit = os.fspath(kit_dir)
        return all(file_untouched(kit, *entry) for entry in files)
    except (OSError, KeyError, TypeError, ValueError, IndexError, AttributeError):
        return False  # a damaged record: the ordinary build
