"""Content hashes, atomic writes and the content-addressed store (TTS segments and the like).

Nothing bzmedia writes is ever seen half-made: every file is written to a temporary name in the
same folder and renamed into place (``os.replace`` is atomic on one file system, Windows included).
An interrupted build leaves only ``*.bzpart`` leftovers, which the next build sweeps away.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath
from typing import Any

PART_SUFFIX = ".bzpart"
"""Temporary files end with this until they are complete and renamed into place."""
_PART_NAME = re.compile(r"\.([^/\\\s]+?)\.[0-9a-f]{8}" + re.escape(PART_SUFFIX) + r"([^/\\\s]*)")


def final_names(text: str) -> str:
    """``text`` with :func:`atomic_path`'s temporary names turned into the names being written,
    for messages: ``.01-a.1f2e3d4c.bzpart.mp3`` -> ``01-a.mp3``."""
    return _PART_NAME.sub(lambda m: m[1] + m[2], text)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_SCALARS = frozenset({str, int, float, bool, type(None)})
_INIT_FIELDS: dict[type, tuple[str, ...]] = {}
"""Dataclass type -> its init fields: planning fingerprints every job (1,300 at 120 communes)."""


def _canonical(value: Any) -> Any:
    """A JSON-able form of ``value`` for hashing: dataclasses as dicts, files by their content."""
    kind = type(value)
    if kind in _SCALARS:  # the common cases first, by exact type: same result, half the time
        return value
    if kind is list or kind is tuple:
        return [_canonical(v) for v in value]
    if kind in _INIT_FIELDS:
        return {name: _canonical(getattr(value, name)) for name in _INIT_FIELDS[kind]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        _INIT_FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value) if f.init)
        return {f.name: _canonical(getattr(value, f.name))
                for f in dataclasses.fields(value) if f.init}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, PurePath):
        path = Path(value)
        # A file counts by what it holds, so editing a logo rebuilds what shows it.
        return {"file": path.name, "sha256": sha256_file(path) if path.is_file() else None}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def fingerprint(*parts: Any) -> str:
    """A stable hash of everything that affects an output (texts, settings, asset contents)."""
    text = json.dumps([_canonical(p) for p in parts], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    # surrogatepass: a lone surrogate in a text still hashes (to its own key) instead of failing.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` if the block succeeds.

    The temporary name keeps the target's extension, so tools that pick a format by extension
    (ffmpeg, Pillow) write the right thing.  On error the partial file is removed.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.stem}.{secrets.token_hex(4)}{PART_SUFFIX}{target.suffix}")
    try:
        yield temp
        if not temp.is_file():
            raise FileNotFoundError(f"nothing was written to {temp}")
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def atomic_write(target: Path, data: bytes | str) -> None:
    """Write ``data`` to ``target`` atomically (text as UTF-8)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(target) as temp:
        temp.write_bytes(payload)


def sweep_partials(folder: Path) -> int:
    """Remove leftovers of interrupted writes under ``folder``; returns how many."""
    removed = 0
    if folder.is_dir():
        for leftover in folder.rglob(f"*{PART_SUFFIX}*"):
            if leftover.is_file():
                leftover.unlink()
                removed += 1
    return removed


@contextlib.contextmanager
def file_mutex(path: Path, stale_s: float = 5.0) -> Iterator[None]:
    """Exclusive across processes and threads: whoever creates ``path`` holds the lock.

    Meant for locks held for microseconds; one older than ``stale_s`` was left by a process that
    died holding it and is broken.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            with contextlib.suppress(FileNotFoundError):
                if time.time() - path.stat().st_mtime > stale_s:
                    path.unlink()
            time.sleep(0.002)
            continue
        os.close(fd)
        break
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


CHECKSUM_SUFFIX = ".sha256"
"""Every store entry ``x.wav`` has ``x.wav.sha256`` beside it: the hex SHA-256 of its bytes."""
STORE_LAYOUT = "v2"
"""Entries live in ``<root>/v2/``: entries from before checksums are never looked at (so they are
not reported as damaged after an upgrade)."""
_DAMAGED = re.compile(r"^cache: (\d+) damaged entr(?:y|ies) under (.+) (?:was|were) dropped and made again$")
MAKING_STALE_S = 30.0
"""A lock on making an entry older than this was left by a process that died making it."""
_fallback_roots: dict[str, Path] = {}
"""Configured store folder -> the temporary folder this process uses instead (it was unwritable)."""


def damage_warning(count: int, root: Path | str) -> str:
    """The one warning a build gives about damaged store entries under ``root``."""
    if count == 1:
        return f"cache: 1 damaged entry under {root} was dropped and made again"
    return f"cache: {count} damaged entries under {root} were dropped and made again"


def merge_warnings(warnings: list[str]) -> list[str]:
    """``warnings`` with the store's notes of every job merged: one line per cache folder.

    Jobs run in several processes, each with its own :class:`Store`; each job reports what its
    store dropped, and the build reports the sum once.  Any other line repeated word for word
    (a voice that failed in every spot, say) is kept once.
    """
    merged: list[str] = []
    seen: set[str] = set()
    damaged: dict[str, int] = {}
    for warning in warnings:
        found = _DAMAGED.match(warning)
        if found:
            root = found.group(2)
            if root not in damaged:
                merged.append(root)  # placeholder, keeps the place of the first report
                damaged[root] = 0
            damaged[root] += int(found.group(1))
        elif warning not in seen:  # the same line from several jobs says nothing new
            seen.add(warning)
            merged.append(warning)
    return [damage_warning(damaged[w], w) if w in damaged else w for w in merged]


class Store:
    """A content-addressed folder: a value is filed under the hash of what made it.

    Used for synthesized speech segments, previews and slides, so a phrase said in five
    communes, or in last week's build, is made once.  Safe for several processes: entries appear
    atomically.  Every entry carries its checksum and is verified when read: a damaged entry
    (cut short, overwritten, checksum missing) is deleted and :meth:`get` answers ``None``, so
    the caller makes it again; :meth:`take_warnings` reports how many.  When the folder cannot
    be written (read-only file system, a file in the way), the store moves to a private
    temporary folder once and says so.
    """

    def __init__(self, root: Path) -> None:
        self.configured = Path(root)
        self.root = _fallback_roots.get(str(self.configured), self.configured)
        """The folder in use: ``configured`` unless that could not be written."""
        self.damaged = 0
        """Entries dropped by this process since the last :meth:`take_warnings`."""
        self._notes: list[str] = []

    def __getstate__(self) -> dict[str, Any]:
        return {"root": self.configured}  # counts belong to the process that found them

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["root"])

    def path_for(self, key: str, suffix: str, root: Path | None = None) -> Path:
        return (root or self.root) / STORE_LAYOUT / key[:2] / f"{key}{suffix}"

    def get(self, key: str, suffix: str) -> Path | None:
        """The stored file for ``key`` if it is there and intact, else ``None``."""
        found = self._get(self.path_for(key, suffix))
        if found is None and self.root != self.configured:
            # An unwritable cache may still hold good entries (a read-only copy, say).
            found = self._get(self.path_for(key, suffix, self.configured))
        return found

    def _get(self, path: Path) -> Path | None:
        try:
            if not path.is_file():
                return None
        except OSError:  # a folder that cannot be read is a cache that has nothing to give
            return None
        if self._intact(path):
            return path
        # Another process may be filing the same key right now: look again under its lock.
        return self._locked(path, lambda: path if self._intact(path) else self._drop(path))

    def drop(self, key: str, suffix: str) -> None:
        """Delete an entry its reader found unusable; it counts as damaged."""
        path = self.path_for(key, suffix)
        self._locked(path, lambda: self._drop(path))

    @staticmethod
    def _locked(path: Path, action: Callable[[], Path | None]) -> Path | None:
        """``action()`` under ``path``'s lock (the one :meth:`put` files it under)."""
        try:
            with file_mutex(_lock_path(path)):
                return action()
        except OSError:  # no lock can be made (a read-only cache): nobody files entries there
            return action()

    @contextlib.contextmanager
    def put(self, key: str, suffix: str) -> Iterator[Path]:
        """Yield a temporary path to write the value to; it is filed under ``key`` on success."""
        target = self._writable(self.path_for(key, suffix), key, suffix)
        temp = target.with_name(f".{target.stem}.{secrets.token_hex(4)}{PART_SUFFIX}{target.suffix}")
        try:
            yield temp
            if not temp.is_file():
                raise FileNotFoundError(f"nothing was written to {temp}")
            digest = sha256_file(temp)
            # Checksum first, entry second, both under the entry's lock: a reader never takes a
            # half-filed entry for a damaged one.
            with file_mutex(_lock_path(target)):
                atomic_write(_checksum_path(target), digest + "\n")
                os.replace(temp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()

    @contextlib.contextmanager
    def making(self, key: str, suffix: str) -> Iterator[None]:
        """Held while one process makes the entry for ``key``, so jobs running at the same time
        that need the same entry make it once: look again with :meth:`get` inside the block."""
        with contextlib.ExitStack() as stack:
            with contextlib.suppress(OSError):  # an unwritable cache: everyone makes their own
                stack.enter_context(file_mutex(_lock_path(self.path_for(key, suffix), "making"),
                                               stale_s=MAKING_STALE_S))
            yield

    def take_warnings(self) -> list[str]:
        """What this store has to tell the user since the last call (then forgotten)."""
        notes, self._notes = self._notes, []
        if self.damaged:
            notes.append(damage_warning(self.damaged, self.root))
            self.damaged = 0
        return notes

    def _intact(self, path: Path) -> bool:
        try:
            recorded = _checksum_path(path).read_text(encoding="ascii").strip()
            return recorded == sha256_file(path)
        except (OSError, UnicodeDecodeError):
            return False

    def _drop(self, path: Path) -> None:
        """Delete a damaged entry and its checksum; returns ``None`` (nothing usable)."""
        try:
            path.unlink()
            self.damaged += 1
        except FileNotFoundError:
            pass  # another process dropped it first and counts it
        except OSError:
            self.damaged += 1  # a read-only cache: not used, still worth saying
        with contextlib.suppress(OSError):
            _checksum_path(path).unlink()

    def _writable(self, target: Path, key: str, suffix: str) -> Path:
        """``target`` once its folder exists and takes files, else the same entry elsewhere."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            probe = target.with_name(f".probe.{secrets.token_hex(4)}{PART_SUFFIX}")
            probe.touch(exist_ok=False)
            probe.unlink()
            return target
        except OSError as exc:
            if self.root != self.configured:
                raise _unwritable_error(self.configured, self.root, exc) from exc
            reason = exc.strerror or str(exc)
        import tempfile  # only here: no build that can write its cache pays for the import

        try:
            self.root = _fallback_root(self.configured)
        except OSError as exc:
            raise _unwritable_error(self.configured, Path(tempfile.gettempdir()), exc) from exc
        self._notes.append(f"cache: {self.configured} cannot be written ({reason}); this build "
                           f"used a temporary cache in {self.root} (set BZMEDIA_CACHE to a "
                           "writable folder to keep made speech and images between builds)")
        return self._writable(self.path_for(key, suffix), key, suffix)


def _checksum_path(entry: Path) -> Path:
    return entry.with_name(entry.name + CHECKSUM_SUFFIX)


def _lock_path(entry: Path, purpose: str = "lock") -> Path:
    return entry.with_name(f".{entry.name}.{purpose}")


def _fallback_root(configured: Path) -> Path:
    """A folder of this user's own in the temporary directory, shared by the build's processes."""
    import tempfile

    name = hashlib.sha256(str(configured.absolute()).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    uid = os.getuid() if hasattr(os, "getuid") else 0
    root = Path(tempfile.gettempdir()) / f"bzmedia-cache-{uid}-{name}"
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(root)
        if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != uid):
            root = Path(tempfile.mkdtemp(prefix="bzmedia-cache-"))  # someone else's: not trusted
    except OSError:
        root = Path(tempfile.mkdtemp(prefix="bzmedia-cache-"))
    _fallback_roots[str(configured)] = root
    return root


def _unwritable_error(configured: Path, fallback: Path, exc: OSError) -> Exception:
    from bzmedia.errors import BuildError

    return BuildError([f"cache: neither {configured} nor {fallback} can be written "
                       f"({exc.strerror or exc}); set BZMEDIA_CACHE to a writable folder"])


def default_cache_dir(output_root: Path) -> Path:
    """Where the shared store lives: ``$BZMEDIA_CACHE``, else ``<output>/.cache``."""
    override = os.environ.get("BZMEDIA_CACHE")
    return Path(override) if override else output_root / ".cache"
