"""One build at a time per kit folder: a lock file created exclusively, stale ones taken over.

The lock file says who holds it: process id, the process's start time (Linux: field 22 of
``/proc/<pid>/stat``, clock ticks since boot; Windows: its creation time from ``GetProcessTimes``)
and the host name.  A lock is taken over when its process is gone, or when its pid now belongs to
another program (pids are reused: a different start time, or for an old lock without one, a
process that is not bzmedia).  On another host, or where start times cannot be read, a live pid
counts as a running build; the message then says how to clear the lock by hand.  Loop-piece
claims (:mod:`bzmedia.signage.piececlaim`) name their holder the same way (:func:`write_holder`,
:func:`read_holder`).

On Windows a process that has exited can still be opened while anyone holds a handle to it, so
"alive" there means its exit code is still ``STILL_ACTIVE``.  (This Windows code is checked by
reading only: the tests run on Linux.)
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import time
from functools import cache
from pathlib import Path

from bzmedia.buildstate import is_linked
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.oserrors import os_problem

FRESH_SECONDS = 10.0
"""An unreadable lock younger than this may be one another build is just writing: not stale."""


def host_name() -> str:
    """This machine's name (``os.uname`` where there is one: importing socket costs a no-op build)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, exited but not yet reaped, does not)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        pass
    # A process that has exited stays a zombie until its parent waits for it, and signal 0 still
    # reaches a zombie.  A program that runs ``bzmedia build`` and reads its output before waiting
    # for it keeps a killed build a zombie for as long as the build's workers hold that output
    # open: counted alive, the workers waited for it and it for them, for ever.
    fields = _proc_stat(pid)
    return fields is None or fields[0] not in ("Z", "X")


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the name, from the state (field 3) on; None
    where there is no /proc (macOS) or the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except (OSError, ValueError):
        return None
    return text[text.rfind(")") + 2:].split()  # the name (field 2) may hold spaces and ')'


def start_time(pid: int) -> str | None:
    """When process ``pid`` started (Linux clock ticks since boot, Windows 100 ns steps since
    1601), or None where unknown."""
    if os.name == "nt":
        return _windows_start_time(pid)
    fields = _proc_stat(pid)
    return fields[19] if fields is not None and len(fields) > 19 else None  # field 22


PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
"""Enough to read a process's exit code and times; granted for most processes of other users."""
STILL_ACTIVE = 259
"""The exit code Windows reports for a process that has not exited."""
ERROR_ACCESS_DENIED = 5


@cache
def _kernel32():
    """kernel32 with the types of the calls used here (a handle is pointer-sized: the default
    ``int`` result would cut it on 64-bit Windows)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # its own copy: windll's stays untyped
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.GetProcessTimes.restype = wintypes.BOOL
    kernel32.GetProcessTimes.argtypes = (wintypes.HANDLE, *[ctypes.POINTER(wintypes.FILETIME)] * 4)
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    return kernel32


@contextlib.contextmanager
def _windows_process(pid: int):
    """An open handle to process ``pid`` (None if it cannot be opened), and the open's error."""
    import ctypes

    kernel32 = _kernel32()
    try:
        handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    except ctypes.ArgumentError:  # not a DWORD: no process has that id
        yield None, 0
        return
    error = 0 if handle else ctypes.get_last_error()
    try:
        yield handle or None, error
    finally:
        if handle:
            kernel32.CloseHandle(handle)


def _windows_process_alive(pid: int) -> bool:
    import ctypes
    from ctypes import wintypes

    with _windows_process(pid) as (handle, error):
        if handle is None:
            return error == ERROR_ACCESS_DENIED  # it exists, but will not say more
        code = wintypes.DWORD()
        if not _kernel32().GetExitCodeProcess(handle, ctypes.byref(code)):
            return True  # cannot tell: never take over what may be a live build's lock or claim
        # Exited processes stay openable while any handle to them is held (a parent's, say).
        return code.value == STILL_ACTIVE


def _windows_start_time(pid: int) -> str | None:
    import ctypes
    from ctypes import wintypes

    with _windows_process(pid) as (handle, _error):
        if handle is None:
            return None
        times = [wintypes.FILETIME() for _slot in range(4)]  # creation, exit, kernel, user
        if not _kernel32().GetProcessTimes(handle, *[ctypes.byref(t) for t in times]):
            return None
        return str(times[0].dwHighDateTime << 32 | times[0].dwLowDateTime)


def _runs_bzmedia(pid: int) -> bool | None:
    """Whether ``pid``'s command line mentions bzmedia; None where that cannot be read."""
    try:
        return b"bzmedia" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def holder_running(holder: dict) -> bool:
    """True unless the lock's holder is certainly gone (or its pid belongs to someone else)."""
    pid = holder.get("pid")
    if not isinstance(pid, int) or isinstance(pid, bool):
        return False
    if holder.get("host") not in (None, host_name()):
        return True  # another machine's process: we cannot look, so we must not take it over
    if not process_alive(pid):
        return False
    recorded, now = holder.get("start"), start_time(pid)
    if recorded is not None and now is not None:
        return recorded == now
    if recorded is None:  # a lock written by an older bzmedia: just a pid
        return _runs_bzmedia(pid) is not False
    return True


def write_holder(fd: int, program: str | None = None) -> None:
    """Name this process as the holder of the lock or claim file just created exclusively as ``fd``
    (then closed): pid, start time and host, and ``program`` if given (the kit lock's says bzmedia).
    Raises OSError when it cannot be written."""
    with os.fdopen(fd, "w", encoding="utf-8") as handle:  # first: ``fd`` is closed whatever fails next
        me = {"pid": os.getpid(), "start": start_time(os.getpid()), "host": host_name()}
        if program is not None:
            me["program"] = program
        handle.write(json.dumps(me))


HOLDER_BYTES = 4096
"""The most of a holder file read (what :func:`write_holder` writes is about 100 bytes)."""
_HOLDER_OPEN = os.O_RDONLY | sum(getattr(os, flag, 0) for flag in ("O_BINARY", "O_NONBLOCK", "O_NOFOLLOW"))
"""Read-only, not waiting for a FIFO's writer, not through a link (each where the platform has it)."""


def read_holder(path: Path, bare_pid: bool = False) -> dict | None:
    """Who holds the lock or claim file ``path`` (:func:`write_holder`), for :func:`holder_running`.

    A file that is gone (or cannot be opened) gives a dead process's stand-in (``{"pid": 0}``: the
    next attempt creates it anew).  One garbled (not a holder, longer than :data:`HOLDER_BYTES`,
    or not a regular file: a FIFO, a device, a link, never opened through) gives the same once
    older than :data:`FRESH_SECONDS`, and None while younger: its holder may be writing it right
    now, so it counts as held.  ``bare_pid``: a file holding just a number names that pid (the
    kit lock of an older bzmedia; claims never were).
    """
    try:
        text, age = _holder_text(path)
    except OSError:
        return {"pid": 0}
    try:
        holder = None if text is None else (
            {"pid": int(text)} if bare_pid and not text.startswith("{") else json.loads(text))
    except (ValueError, RecursionError):  # RecursionError: a garbled file nested too deep for json
        holder = None
    if not isinstance(holder, dict):
        return None if age < FRESH_SECONDS else {"pid": 0}
    return holder


def _holder_text(path: Path) -> tuple[str | None, float]:
    """The text of the holder file ``path`` (None if it is not a regular file of at most
    :data:`HOLDER_BYTES`) and its age in seconds.  Opened without waiting (a FIFO would block
    until written) and not through a link (one to ``/dev/zero`` never ends)."""
    try:
        fd = os.open(path, _HOLDER_OPEN)
    except OSError:
        info = os.lstat(path)  # OSError if gone
        if not stat.S_ISLNK(info.st_mode):
            raise
        return None, time.time() - info.st_mtime  # a link: O_NOFOLLOW refused it
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):  # unreadable, as it always was (a take-over says it cannot go)
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            return None, time.time() - info.st_mtime
        data = os.read(fd, HOLDER_BYTES + 1)
    finally:
        os.close(fd)
    age = time.time() - info.st_mtime
    return (None if len(data) > HOLDER_BYTES else data.decode("utf-8", errors="replace").strip()), age


def _refuse_linked(folder: Path) -> None:
    """The kit's own folder (``.bzmedia``: the lock, the state, the stage) must be a folder of
    the kit: made a link (or a Windows junction) it would take the build's writes, and the stage's
    removal, to wherever it leads."""
    if is_linked(folder):  # absent or unreadable: mkdir or the lock names the problem
        raise BuildError([_("{path}: is a link; bzmedia keeps a kit's build records in a folder of "
                            "its own inside the kit and does not write through a link: remove the "
                            "link (the folder is made again)").format(path=folder)])


class KitLock:
    """Context manager holding ``path`` while a build writes the kit.

    A lock left by a build that died is taken over (``took_over`` is then True, so the build can
    sweep what the dead one left); a live one makes the second build stop with a clear message.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.took_over = False

    def __enter__(self) -> KitLock:
        _refuse_linked(self.path.parent)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BuildError([os_problem(exc)]) from None
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                self._take_over_or_stop()
                continue
            except OSError as exc:
                raise BuildError([os_problem(exc, _("create the build lock"))]) from None
            try:
                write_holder(fd, program="bzmedia")
            except OSError as exc:
                self._release()
                raise BuildError([os_problem(exc, _("write the build lock"))]) from None
            return self
        raise BuildError([_("{path}: could not take the build lock; if no build is running, delete "
                            "this file").format(path=self.path)])

    def _take_over_or_stop(self) -> None:
        holder = read_holder(self.path, bare_pid=True)
        if holder is None or holder_running(holder):
            who = _("process {pid}").format(pid=holder["pid"]) if holder else _("a process")
            if holder and holder.get("host"):
                who = _("{process} on {host}").format(process=who, host=holder["host"])
            raise BuildError([_("another build ({process}) is writing {kit}; wait for it to finish; if no "
                                "build is running, delete {lock}").format(
                process=who, kit=self.path.parent.parent, lock=self.path)])
        self.took_over = True
        try:
            self.path.unlink(missing_ok=True)  # stale: its build died
        except OSError as exc:
            raise BuildError([os_problem(exc, _("remove the stale build lock"))]) from None

    def _release(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()

    def __exit__(self, *exc) -> None:
        self._release()
