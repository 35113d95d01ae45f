"""Content hashes, atomic writes and the content-addressed store (TTS segments and the like).

Nothing bzmedia writes is ever seen half-made: every file is written to a temporary name in the
same folder and renamed into place (``os.replace`` is atomic on one file system, Windows included).
An interrupted build leaves only ``*.bzpart`` leftovers, which the next build sweeps away.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import math
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring as _json_string  # the C encoder of json.dumps
from pathlib import Path, PurePath
from typing import Any

from bzmedia.cachedir import (
    default_cache_dir,  # noqa: F401  (where it always was, for its callers)
    ensure_own_folder,
    fallback_folder,
    fallback_folders,
    temp_folders_tried,
)
from bzmedia.i18n import _, ngettext
from bzmedia.oserrors import failed_write, names_file_in, written_to

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


_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}
"""Dataclass type -> its init fields, sorted, each with its JSON key prefix (``{"name":``, then
``,"name":``)."""
_memo: dict[int, tuple[Any, str]] | None = None
"""While :func:`fingerprint_memo` is active: id of a dataclass instance -> (it, its JSON text)."""
_memo_files: dict[str, str] = {}
"""While :func:`fingerprint_memo` is active: a file's path -> its encoding (name and digest)."""
_file_digests: dict[str, tuple[tuple[int, ...], str]] = {}
"""Path -> (stat signature, sha256) of files fingerprinted by this process (:func:`file_digest`)."""


def file_digest(path: Path) -> str:
    """``sha256_file(path)``, remembered for this process while the file's stat is unchanged.

    Planning names the same logo in every job of every commune (720 times at 120 communes); it
    is read once.  The rule is git's: a file is read again when its size, mtime, ctime, inode or
    device differ.  Writing a file always moves its ctime, and ctime cannot be set back (touching
    the mtime back moves it too), so a changed file is never taken for the old one.
    """
    info = os.stat(path)
    signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
    key = os.fspath(path)
    known = _file_digests.get(key)
    if known is not None and known[0] == signature:
        return known[1]
    digest = sha256_file(path)
    _file_digests[key] = (signature, digest)
    return digest


@contextlib.contextmanager
def fingerprint_memo() -> Iterator[None]:
    """Within the block each dataclass instance is encoded once, however many keys include it.

    Planning shares one loaded layout among every commune's jobs: at 120 communes the same
    layout objects were walked 1,561 times.  The block must not change an instance it has
    fingerprinted (planning builds inputs and never edits the model; the layout caches already
    share these objects between jobs on the same condition).
    """
    global _memo
    outer, _memo = _memo, ({} if _memo is None else _memo)
    try:
        yield
    finally:
        _memo = outer
        if _memo is None:
            _memo_files.clear()


def _float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _encode(value: Any, out: list[str]) -> None:
    """Append the JSON text of ``value``'s canonical form (see :func:`fingerprint`) to ``out``.

    The text is exactly ``json.dumps(canonical, ensure_ascii=False, sort_keys=True,
    separators=(",", ":"))``, written in one pass (keys stay what they were before this encoder).
    """
    kind = type(value)
    if kind is str:
        out.append(_json_string(value))
    elif kind is int:
        out.append(int.__repr__(value))
    elif value is None:
        out.append("null")
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is float:
        out.append(_float_text(value))
    elif kind is list or kind is tuple:
        _encode_sequence(value, out)
    elif kind in _FIELDS:
        _encode_dataclass(value, _FIELDS[kind], out)
    else:
        _encode_other(value, out)


def _encode_sequence(values: Any, out: list[str]) -> None:
    append = out.append
    append("[")
    comma = ""
    for item in values:
        if comma:
            append(comma)
        comma = ","
        if type(item) is str:  # most leaves: no call (a 120-commune plan encodes 140,000 values)
            append(_json_string(item))
        else:
            _encode(item, out)
    append("]")


def _encode_dataclass(value: Any, fields: tuple[tuple[str, str], ...], out: list[str]) -> None:
    """``fields``: (name, its key text with the ``{`` or ``,`` before it), sorted by name."""
    if _memo is not None:
        known = _memo.get(id(value))
        if known is not None:
            out.append(known[1])
            return
    start = len(out)
    append = out.append
    if not fields:
        append("{")
    for name, label in fields:
        append(label)
        item = getattr(value, name)
        kind = type(item)
        if kind is str:
            append(_json_string(item))
        elif item is None:
            append("null")
        elif kind is int:
            append(int.__repr__(item))
        else:
            _encode(item, out)
    append("}")
    if _memo is not None:
        text = "".join(out[start:])
        del out[start:]
        out.append(text)
        _memo[id(value)] = (value, text)  # holding the instance keeps its id from being reused


def _encode_other(value: Any, out: list[str]) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = sorted(f.name for f in dataclasses.fields(value) if f.init)
        _FIELDS[type(value)] = tuple((name, ("," if index else "{") + _json_string(name) + ":")
                                     for index, name in enumerate(names))
        _encode(value, out)
    elif isinstance(value, dict):
        items = {str(k): v for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        out.append("{")
        for index, name in enumerate(sorted(items)):
            out.append(("," if index else "") + _json_string(name) + ":")
            _encode(items[name], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        _encode_sequence(value, out)
    elif isinstance(value, PurePath):
        out.append(_encode_file(value))
    elif isinstance(value, str):
        out.append(_json_string(value))
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float_text(value))
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}")


def _encode_file(value: PurePath) -> str:
    """A file counts by what it holds, so editing a logo rebuilds what shows it.  Within
    :func:`fingerprint_memo` each file is looked at once (every commune's jobs name the logo)."""
    key = os.fspath(value)
    if _memo is not None and key in _memo_files:
        return _memo_files[key]
    path = Path(value)
    digest = file_digest(path) if path.is_file() else None
    text = ('{"file":' + _json_string(path.name) + ',"sha256":'
            + (f'"{digest}"' if digest else "null") + "}")
    if _memo is not None:
        _memo_files[key] = text
    return text


def fingerprint(*parts: Any) -> str:
    """A stable hash of everything that affects an output (texts, settings, asset contents).

    Dataclasses count as their init fields, dicts by sorted string keys, tuples as lists, files
    (``Path``) by name and content; the hash is of that canonical form as compact sorted JSON.
    """
    out: list[str] = []
    _encode_sequence(parts, out)
    # surrogatepass: a lone surrogate in a text still hashes (to its own key) instead of failing.
    return hashlib.sha256("".join(out).encode("utf-8", "surrogatepass")).hexdigest()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` if the block succeeds.

    The temporary name keeps the target's extension, so tools that pick a format by extension
    (ffmpeg, Pillow) write the right thing.  On error the partial file is removed.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    # the stem cut to 100 bytes: a name legal for the target (255 bytes) stays legal for its temporary
    stem = target.stem.encode("utf-8", "surrogateescape")[:100].decode("utf-8", "ignore")
    temp = target.with_name(f".{stem}.{secrets.token_hex(4)}{PART_SUFFIX}{target.suffix}")
    try:
        try:
            yield temp
        except OSError as exc:  # a full disk: say where
            raise written_to(exc, temp) from None
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


def try_file_lock(path: Path | str) -> bool:
    """Take the lock ``path`` without waiting: True when this call created it (the caller holds
    it until it removes the file), False when it exists, held or left by a process that died: how
    old a lock must be to be broken is the caller's rule.  OSError when it cannot be made at all."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


@contextlib.contextmanager
def file_mutex(path: Path, stale_s: float = 5.0) -> Iterator[None]:
    """Exclusive across processes and threads: whoever creates ``path`` holds the lock.

    Meant for locks held for microseconds; one older than ``stale_s`` was left by a process that
    died holding it and is broken.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    while not try_file_lock(path):
        with contextlib.suppress(FileNotFoundError):
            if time.time() - path.stat().st_mtime > stale_s:
                path.unlink()
        time.sleep(0.002)
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
MAKING_STALE_S = 30.0
"""A lock on making an entry older than this was left by a process that died making it."""
TOUCH_EVERY_S = 60.0
"""A store entry read again within this many seconds of its last mark is not marked again
(:func:`mark_used`); the sweep counts anything marked this long before a build began as used by it."""
_writable_folders: set[str] = set()
"""Store folders this process has already made and written to: probed once, not for every entry
(creating a file is the costliest system call of a build here: an inode allocation)."""
_fallback_roots: dict[str, Path] = {}
"""Configured store folder -> the temporary folder this process uses instead (it was unwritable)."""


def damage_warning(count: int, root: Path | str) -> str:
    """The one warning a build gives about damaged store entries under ``root``."""
    return _damage_template(count).format(count=count, root=root)


def _damage_template(count: int) -> str:
    return ngettext("cache: {count} damaged entry under {root} was dropped and made again",
                    "cache: {count} damaged entries under {root} were dropped and made again", count)


def _damage_found(warning: str) -> re.Match | None:
    """``warning`` read back as a :func:`damage_warning` (in the language it was made in, the
    build's), with its ``count`` and ``root``."""
    templates = tuple(dict.fromkeys(_damage_template(count) for count in (1, 2)))
    for pattern in _damage_patterns(templates):
        found = pattern.fullmatch(warning)
        if found:
            return found
    return None


@functools.lru_cache(maxsize=8)
def _damage_patterns(templates: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    """The singular and plural warnings as patterns, made once per language (the build merges
    its warnings after every job)."""
    return tuple(re.compile(re.escape(template).replace(r"\{count\}", r"(?P<count>\d+)")
                            .replace(r"\{root\}", "(?P<root>.+)")) for template in templates)


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
        found = _damage_found(warning)
        if found:
            root = found.group("root")
            if root not in damaged:
                merged.append(root)  # placeholder, keeps the place of the first report
                damaged[root] = 0
            damaged[root] += int(found.group("count"))
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
    temporary folder once and says so.  An entry read is marked used (:func:`mark_used`), so the
    sweep after a full build keeps what builds still read.
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
            info = os.stat(path)
        except OSError:  # missing, or a folder that cannot be read: a cache with nothing to give
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        if self._intact(path):
            # Gone since it was checked: another build's sweep took it (a miss, made again).
            return path if mark_used(path, info.st_mtime) else None
        # Another process may be filing the same key right now: look again under its lock (and
        # mark it there, or a sweep could take what this answers once the lock is released).
        return self._locked(path, lambda: path if self._intact(path) and mark_used(path, info.st_mtime)
                            else self._drop(path))

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
            try:
                yield temp
                if not temp.is_file():
                    raise FileNotFoundError(f"nothing was written to {temp}")
                digest = sha256_file(temp)
                # Checksum first, entry second, both under the entry's lock: a reader never takes
                # a half-filed entry for a damaged one.
                with file_mutex(_lock_path(target)):
                    atomic_write(_checksum_path(target), digest + "\n")
                    os.replace(temp, target)
            except OSError as exc:
                cache = target.parents[2]
                if failed_write(exc) and names_file_in(exc, cache):
                    # a full cache disk: name the cache (the one the entry is filed in: a
                    # fallback folder when the configured one refused), not its hash; a full
                    # disk elsewhere (the kit's, where a loop's frames wait) keeps its own name
                    raise OSError(exc.errno, exc.strerror or os.strerror(exc.errno), str(cache)) from None
                raise
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
        moved = self.root != self.configured
        try:
            if moved:  # a temporary folder: made again (private) if a cleaner took it, never others'
                ensure_own_folder(self.root)
            if str(target.parent) in _writable_folders and target.parent.is_dir():
                return target  # probed before; a stat (not a file made and removed) sees it is still there
            target.parent.mkdir(parents=True, exist_ok=True)
            probe = target.with_name(f".probe.{secrets.token_hex(4)}{PART_SUFFIX}")
            probe.touch(exist_ok=False)
            probe.unlink()
            _writable_folders.add(str(target.parent))
            return target
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if moved:
                raise _unwritable_error(self.configured, self.root, reason) from exc
        import tempfile  # only here: no build that can write its cache pays for the import

        try:  # once: with none usable, each call looks again and raises
            temporary = tempfile.gettempdir()
        except OSError as exc:  # "No usable temporary directory found in [...]": name the folders once
            why = (exc.strerror or str(exc)).partition(" found in ")[0]
            raise _unwritable_error(self.configured, temp_folders_tried(), why) from exc
        try:
            self.root = _fallback_root(self.configured)
        except OSError as exc:
            raise _unwritable_error(self.configured, temporary, exc.strerror or str(exc)) from exc
        self._notes.append(_("cache: {path} cannot be written ({reason}); this build used a temporary cache "
                             "in {temporary} (set BZMEDIA_CACHE to a writable folder to keep made speech "
                             "and images between builds)").format(
            path=self.configured, reason=reason, temporary=self.root))
        return self._writable(self.path_for(key, suffix), key, suffix)


def mark_used(path: Path, modified: float) -> bool:
    """Record that a build used the cache entry ``path`` (its modification time says when), so the
    sweep (:mod:`bzmedia.cachesweep`) keeps it; ``modified`` is its current one, from a stat the
    caller made anyway.  False when ``path`` is gone: a sweep took it after the caller looked, and
    the caller must not use it.

    An entry marked within :data:`TOUCH_EVERY_S` is not marked again: a slide shared by 120
    communes costs one ``utime``, not 120 (the sweep never takes an entry marked in the last hour).
    A mark that fails otherwise (a read-only cache; on Windows, a file another process holds open)
    is skipped: the entry then looks older than it is, and the sweep, which re-checks before
    deleting, can at worst fail to delete a file that is open.
    """
    if time.time() - modified > TOUCH_EVERY_S:
        try:
            os.utime(path)
        except FileNotFoundError:
            return False
        except OSError:
            pass
    return True


def _checksum_path(entry: Path) -> Path:
    return entry.with_name(entry.name + CHECKSUM_SUFFIX)


def _lock_path(entry: Path, purpose: str = "lock") -> Path:
    return entry.with_name(f".{entry.name}.{purpose}")


def fallback_in_use(configured: Path) -> Path | None:
    """The temporary folder stores use instead of the unwritable ``configured``, if there is one:
    this process's, else the one the build's workers share (none of another user's)."""
    known = _fallback_roots.get(str(configured))
    if known is not None:
        return known
    found = fallback_folders(configured)
    return found[0] if found else None


def _fallback_root(configured: Path) -> Path:
    """This process's folder for the unwritable ``configured`` (:func:`~bzmedia.cachedir.fallback_folder`)."""
    root = _fallback_roots[str(configured)] = fallback_folder(configured)
    return root


def _unwritable_error(configured: Path, fallback: Path | str, reason: str) -> Exception:
    from bzmedia.errors import BuildError

    return BuildError([_("cache: neither {path} nor {fallback} can be written ({reason}); set BZMEDIA_CACHE "
                         "to a writable folder").format(path=configured, fallback=fallback,
                                                        reason=reason)])

