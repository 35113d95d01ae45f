"""File-system failures (disk full, read-only, a file where a folder should be) as one line.

Used by the build in the main process and in its workers: whatever the OS refused becomes a
message naming the path and the reason, never a traceback.
"""

from __future__ import annotations

import errno
import functools
import os
from pathlib import Path

from bzmedia.i18n import _

WINDOWS_PATH_LIMIT = 259
"""Characters a whole path may have on Windows (MAX_PATH, 260 with the ending NUL) unless long
paths are turned on for the machine: past it, Windows answers "file not found" or "invalid
name", which reads like a bug to an office whose folder is right there."""

ON_WINDOWS = os.name == "nt"

_WRITE_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM,
                 errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG}


def os_problem(exc: OSError, doing: str = "") -> str:
    """``<path>: cannot write: <reason>`` for ``exc``; ``doing`` (a translated phrase such as
    ``_("create the build lock")``) replaces ``write``."""
    filename = exc.filename
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in (errno.ENOTDIR, errno.EEXIST) and filename is not None:
        blocker = file_in_the_way(Path(os.fsdecode(filename)))
        if blocker is not None:
            return _("{path}: is a file, but a folder is needed there; move or delete it").format(
                path=blocker)
    verb = doing or (_("write") if exc.errno in _WRITE_ERRORS else _("read or write"))
    if filename is not None and ON_WINDOWS:
        too_long = _too_long_for_windows(os.fsdecode(filename))
        if too_long:
            reason = too_long
    if filename is None:
        return _("cannot {doing}: {reason}").format(doing=verb, reason=reason)
    from bzmedia.cache import final_names  # imported here: the kit lock needs this module, and a
    # no-op build that only takes the lock need not load the cache's hashing

    return _("{path}: cannot {doing}: {reason}").format(path=final_names(os.fsdecode(filename)),
                                                       doing=verb, reason=reason)


def _too_long_for_windows(filename: str) -> str | None:
    """Why ``filename`` failed when it is longer than Windows allows (``None`` if it is not, or
    the machine allows long paths): its length, the limit, and what to do."""
    length = len(os.path.abspath(filename))
    if length <= WINDOWS_PATH_LIMIT or _long_paths_enabled():
        return None
    return _("the path is {length} characters long and Windows allows {limit}: build into a shorter "
             "folder (for example -o C:\\bzmedia) or turn on long paths in Windows").format(
        length=length, limit=WINDOWS_PATH_LIMIT)


@functools.cache
def _long_paths_enabled() -> bool:
    """Whether Windows lets programs use paths past :data:`WINDOWS_PATH_LIMIT` (the machine's
    ``LongPathsEnabled``; Python's own manifest asks for them)."""
    try:
        import winreg

        folder = r"SYSTEM\CurrentControlSet\Control\FileSystem"
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, folder) as key:
            return winreg.QueryValueEx(key, "LongPathsEnabled")[0] == 1
    except (ImportError, OSError):
        return False


def file_in_the_way(path: Path) -> Path | None:
    """The nearest ancestor of ``path`` (or ``path``) that exists and is not a folder (a link
    that leads nowhere counts: it is in the way too)."""
    for candidate in (path, *path.parents):
        try:
            if os.path.lexists(candidate):
                return None if candidate.is_dir() else candidate
        except OSError:
            return None
    return None


_FAILED_WRITES = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
"""Errors only a write meets (a full disk, a quota, a file size limit), whose ``write()`` or
``close()`` names no file."""


def failed_write(exc: OSError) -> bool:
    """Whether ``exc`` is a write that found no room (a full disk, a quota, a file size limit)."""
    return exc.errno in _FAILED_WRITES


def names_file_in(exc: OSError, folder: Path) -> bool:
    """Whether ``exc`` is about ``folder`` or a file under it, or names no file at all (a
    failed ``write()``): the folder a block was writing in is then the one to blame."""
    if not isinstance(exc.filename, str | bytes | os.PathLike):
        return True
    named = os.path.abspath(os.fsdecode(exc.filename))
    inside = os.path.abspath(folder)
    return named == inside or named.startswith(inside.rstrip(os.sep) + os.sep)


def written_to(exc: OSError, path: Path) -> OSError:
    """``exc`` naming ``path`` when it is a failed write that names no file; else ``exc`` as it
    is (an error of another kind inside a block that writes ``path`` may be about another file)."""
    if not failed_write(exc):
        return exc
    return with_filename(exc, path)


def with_filename(exc: OSError, path: Path) -> OSError:
    """``exc`` naming ``path`` when it names no file (a failed ``write()`` does not)."""
    if exc.filename is not None:
        return exc
    return OSError(exc.errno, exc.strerror or str(exc) or type(exc).__name__, str(path))
