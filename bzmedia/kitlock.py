"""One build at a time per kit folder: a lock file created exclusively, stale ones taken over."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from bzmedia.errors import BuildError


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
        return bool(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class KitLock:
    """Context manager holding ``path`` while a build writes the kit.

    A lock left by a build that died (its process is gone) is taken over, so a crash never
    blocks the next build; a live one makes the second build stop with a clear message.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> KitLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                holder = self._holder()
                if holder and _process_alive(holder):
                    raise BuildError([f"another build (process {holder}) is writing "
                                      f"{self.path.parent.parent}; wait for it to finish"]) from None
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()  # stale: its build died
                continue
            with os.fdopen(fd, "w") as handle:
                handle.write(str(os.getpid()))
            return self
        raise BuildError([f"could not take the build lock {self.path}"])

    def _holder(self) -> int | None:
        try:
            return int(self.path.read_text().strip() or 0)
        except (OSError, ValueError):
            return None

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
