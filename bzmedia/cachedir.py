"""Where a build's cache lives, in a module of its own: the no-op shortcut needs the folder
without importing the cache (its hashing loads OpenSSL).

When that folder cannot be written, the store files in a folder of this user's own in the
temporary directory instead (:func:`fallback_folder`), named after the configured folder so that
every process of the build, and the next build, use the same one and the sweep finds it.  If
that name is taken by another user (or is a link, or a folder others may write to), the folder
gets a random suffix on the same name: still found by its name and its owner, so it is reused
and swept too, never one of another user's.  A folder of this user's that group or others may
write to counts as another user's: anyone could plant entries (or links) in it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from pathlib import Path

FALLBACK_PREFIX = "bzmedia-cache-"
"""Every temporary cache folder's name starts so."""
_RANDOM_SUFFIX = "-[a-z0-9_]{8}"
"""What :func:`tempfile.mkdtemp` adds to a prefix (its 8 characters of ``abc...xyz012...9_``)."""
_OLD_RANDOM = "[a-z0-9_]{8}"
"""What followed the prefix in random folders made before they were named after their cache."""


def default_cache_dir(output_root: Path) -> Path:
    """Where the shared store lives: ``$BZMEDIA_CACHE``, else ``<output>/.cache``."""
    override = os.environ.get("BZMEDIA_CACHE")
    return Path(override) if override else output_root / ".cache"


def this_user() -> int:
    """This process's uid (0 where there are none: Windows)."""
    return os.getuid() if hasattr(os, "getuid") else 0


def shared_fallback(configured: Path) -> tuple[Path, int]:
    """The temporary folder every process of this user uses for the unwritable ``configured``,
    and the user (its uid; 0 where there are none)."""
    import hashlib
    import tempfile

    name = hashlib.sha256(str(configured.absolute()).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    uid = this_user()
    return Path(tempfile.gettempdir()) / f"{FALLBACK_PREFIX}{uid}-{name}", uid


def temp_folders_tried() -> str:
    """The folders Python looks in for a temporary directory, for a message saying none is usable."""
    import tempfile

    candidates = getattr(tempfile, "_candidate_tempdir_list", list)  # private, as old as tempfile
    return ", ".join(candidates()) or "$TMPDIR"


def own_folder(path: Path | str, uid: int) -> bool:
    """Whether ``path`` is a folder of user ``uid`` that only it may write to (not a link to one,
    which is never followed; on POSIX, no write or other permission for its group or others)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not hasattr(os, "getuid"):  # Windows: no owner uid, and modes say nothing of who may write
        return stat.S_ISDIR(info.st_mode)
    return stat.S_ISDIR(info.st_mode) and info.st_uid == uid and stat.S_IMODE(info.st_mode) & 0o077 == 0


def ensure_own_folder(path: Path) -> None:
    """Make the fallback folder ``path`` again if it has gone (a temporary-file cleaner, during a
    long build), private; OSError if what is there is not a private folder of this user's."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)
    if not own_folder(path, this_user()):
        # Refused in the OS's words, as every other reason in that message is (no English of our own).
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


def fallback_folders(configured: Path) -> list[Path]:
    """This user's temporary folders for ``configured``, in the order a store picks them: the
    shared one if it is this user's, then those with a random suffix, by name."""
    try:
        shared, uid = shared_fallback(configured)
    except OSError:  # no usable temporary directory: nothing can have been filed in one
        return []
    named = re.compile(re.escape(shared.name) + _RANDOM_SUFFIX)
    return ([shared] if own_folder(shared, uid) else []) + _own_in_temp(shared.parent, named, uid)


def old_random_fallbacks() -> list[Path]:
    """This user's temporary cache folders from before random ones were named after their
    cache: no build reads them again (only the process that made one knew its name)."""
    import tempfile

    old = re.compile(re.escape(FALLBACK_PREFIX) + _OLD_RANDOM)
    try:
        temp = Path(tempfile.gettempdir())
    except OSError:  # none is usable
        return []
    return _own_in_temp(temp, old, this_user())


def _own_in_temp(temp: Path, pattern: re.Pattern, uid: int) -> list[Path]:
    try:
        with os.scandir(temp) as listing:
            names = sorted(item.name for item in listing if pattern.fullmatch(item.name))
    except OSError:
        return []
    return [temp / name for name in names if own_folder(temp / name, uid)]


def fallback_folder(configured: Path) -> Path:
    """A folder of this user's own in the temporary directory for the unwritable ``configured``,
    shared by the build's processes and kept for the next build; OSError if none can be made."""
    shared, _uid = shared_fallback(configured)
    with contextlib.suppress(OSError):  # a file, a link or another user's folder: not ours
        shared.mkdir(mode=0o700, exist_ok=True)
    found = fallback_folders(configured)
    if found:
        return found[0]
    import tempfile

    return Path(tempfile.mkdtemp(prefix=f"{shared.name}-", dir=shared.parent))
