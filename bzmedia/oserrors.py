"""File-system failures (disk full, read-only, a file where a folder should be) as one line.

Used by the build in the main process and in its workers: whatever the OS refused becomes a
message naming the path and the reason, never a traceback.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from bzmedia.i18n import _

_WRITE_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM,
                 errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG}


def os_problem(exc: OSError, doing: str = "") -> str:
    """``<path>: cannot write: <reason>`` for ``exc``; ``doing`` (a translated phrase such as
    ``_("create the build lock")``) replaces ``write``."""
    filename = exc.filename
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in (errno.ENOTDIR, errno.EEXIST) and filename is not None:
        blocker = _file_in_the_way(Path(os.fsdecode(filename)))
        if blocker is not None:
            return _("{path}: is a file, but a folder is needed there; move or delete it").format(
                path=blocker)
    verb = doing or (_("write") if exc.errno in _WRITE_ERRORS else _("read or write"))
    if filename is None:
        return _("cannot {doing}: {reason}").format(doing=verb, reason=reason)
    from bzmedia.cache import final_names  # imported here: the kit lock needs this module, and a
    # no-op build that only takes the lock need not load the cache's hashing

    return _("{path}: cannot {doing}: {reason}").format(path=final_names(os.fsdecode(filename)),
                                                       doing=verb, reason=reason)


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest ancestor of ``path`` (or ``path``) that exists and is not a folder."""
    for candidate in (path, *path.parents):
        try:
            if candidate.exists():
                return None if candidate.is_dir() else candidate
        except OSError:
            return None
    return None


def with_filename(exc: OSError, path: Path) -> OSError:
    """``exc`` naming ``path`` when it names no file (a failed ``write()`` does not)."""
    if exc.filename is not None:
        return exc
    return OSError(exc.errno, exc.strerror or str(exc) or type(exc).__name__, str(path))
