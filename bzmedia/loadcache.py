"""Checked layout files remembered across runs, so a no-op build does not convert them again.

Reading a layout file into its typed, checked form (print and slide layouts, 8 files for the
example) was a third of a no-op build's script loading: about 70 ms of YAML composing, typed
conversion and checks, every run, for files that rarely change.  :func:`remembered` keeps the
result (the layout and its problems) as a pickle under the build's cache folder, keyed by:

- the file's bytes (read again after loading: a file changed meanwhile is not stored);
- the caller's own arguments (the name shown in messages, the path the layout records);
- the code: the size and modification time of every module of the ``bzmedia`` package, the
  Python and PyYAML versions.  An edited or upgraded bzmedia converts every layout again.

Only the build turns it on (:func:`remembering_in`, with its cache folder); ``validate`` and tests
that do not ask load as before.  The cache folder is trusted like ``__pycache__`` (it is the
user's own; a kit copied from elsewhere never holds it), and each entry carries a SHA-256 of its
bytes: a damaged entry is loaded again from the file and rewritten.  Any failure to read or
write an entry only means loading the file as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from bzmedia.cache import atomic_write, mark_used

T = TypeVar("T")
FORMAT = b"bzmedia-loaded-1\n"
"""Leads every key: bump it when what is stored changes shape."""
MAX_BYTES = 4 << 20
"""Larger files are loaded as before, not kept (a layout is a few KB)."""
_root: Path | None = None
_code: bytes | None = None


@contextlib.contextmanager
def remembering_in(folder: Path) -> Iterator[None]:
    """Within the block, keep loaded files under ``folder`` (and use those kept there)."""
    global _root
    outer, _root = _root, folder
    try:
        yield
    finally:
        _root = outer


def remembered(kind: str, path: Path, arguments: tuple[str, ...], load: Callable[[], T]) -> T:
    """``load()`` of the file ``path``, or what an earlier run's ``load()`` gave for the same
    bytes, arguments and code."""
    if _root is None:
        return load()
    try:  # a FIFO or device must not hang the build here, nor a huge file fill memory
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return load()  # load() says what is wrong with it
        before = path.read_bytes()
    except (OSError, ValueError):
        return load()
    key = _key(kind, os.fspath(path), arguments, before)
    entry = _root / key[:2] / f"{key}.pickle"
    found = _read(entry)
    if found is not None:
        with contextlib.suppress(OSError):  # so the cache sweep keeps what builds still read
            mark_used(entry, os.stat(entry).st_mtime)
        return found[0]
    value = load()
    with contextlib.suppress(OSError, ValueError):
        if path.read_bytes() == before:  # else the value may be of other bytes than the key's
            payload = pickle.dumps((value,), protocol=pickle.HIGHEST_PROTOCOL)
            atomic_write(entry, hashlib.sha256(payload).digest() + payload)
    return value


def _key(kind: str, path: str, arguments: tuple[str, ...], data: bytes) -> str:
    from bzmedia.i18n import language

    digest = hashlib.sha256(FORMAT + code_identity())
    # The problems are stored as shown, so in the language of the run that found them.
    for part in (kind, path, language(), *arguments):
        text = part.encode("utf-8", "surrogatepass")
        digest.update(len(text).to_bytes(8, "big") + text)  # lengths: no two splits hash alike
    digest.update(data)
    return digest.hexdigest()


def _read(entry: Path) -> tuple | None:
    """The stored ``(value,)``, or ``None`` when missing, damaged or made by other classes."""
    try:
        raw = entry.read_bytes()
    except (OSError, ValueError):
        return None
    payload = raw[32:]
    if len(raw) < 32 or hashlib.sha256(payload).digest() != raw[:32]:
        return None
    try:
        value = pickle.loads(payload)
    except Exception:  # a class renamed or moved since it was stored: load the file again
        return None
    return value if isinstance(value, tuple) and len(value) == 1 else None


def code_identity() -> bytes:
    """What the conversion code is, for this process: every bzmedia module's path, size and
    modification time, and the Python and PyYAML versions (a few hundred ``stat`` calls)."""
    global _code
    if _code is None:
        import yaml

        from bzmedia.buildinputs import package_files

        package = os.path.dirname(os.path.abspath(__file__))
        digest = hashlib.sha256(f"{sys.version}\0{yaml.__version__}\0{package}".encode())
        for path, size, mtime_ns in package_files(package):
            digest.update(f"{path[len(package):]}\0{size}\0{mtime_ns}\n".encode())
        _code = digest.digest()
    return _code
