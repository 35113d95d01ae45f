"""The one way bzmedia finds and runs ffmpeg: the imageio-ffmpeg binary, always with a timeout.

Every ffmpeg run (audio decode and encode, MP4 loops, probes) goes through :func:`run`, so a
missing, broken, garbage-printing or hanging ffmpeg ends in one located :class:`FfmpegError`
line, never a traceback or a build that never finishes.  On Linux the child is told to die with
its parent, so a killed build leaves no ffmpeg behind.
"""

from __future__ import annotations

import errno
import math
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from bzmedia.cache import final_names
from bzmedia.errors import BuildError
from bzmedia.i18n import _

DEFAULT_TIMEOUT_S = 600.0
"""Longest a single ffmpeg run may take (a 40 s 1080p loop takes ~6 s on one core here);
``$BZMEDIA_FFMPEG_TIMEOUT`` (seconds) overrides it."""
SHORT_TIMEOUT_S = 120.0
"""For runs that only read or probe a file."""


class FfmpegError(BuildError):
    """ffmpeg is missing, failed, printed something unreadable, or did not finish in time."""

    def __init__(self, message: str) -> None:
        super().__init__([message])

    def __reduce__(self):  # travels back from worker processes intact
        return (type(self), (self.messages[0],))


class FfmpegTimeout(FfmpegError):
    """ffmpeg did not finish in time and was stopped (a caller may try the work another way)."""


@cache
def _located_exe() -> str:
    import imageio_ffmpeg

    # Honours $IMAGEIO_FFMPEG_EXE; raises RuntimeError when the wheel's binary is not there.
    return imageio_ffmpeg.get_ffmpeg_exe()


def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary, checked to exist and be runnable."""
    try:
        exe = _located_exe()
    except (RuntimeError, OSError) as exc:
        raise FfmpegError(_("ffmpeg not found: {reason}; reinstall bzmedia (pip install imageio-ffmpeg)"
                            ).format(reason=exc)) from None
    path = Path(exe)
    if os.sep in exe or (os.altsep and os.altsep in exe):
        if not path.is_file():
            raise FfmpegError(_("ffmpeg not found at {path} (check $IMAGEIO_FFMPEG_EXE or reinstall "
                                "imageio-ffmpeg)").format(path=exe))
        if not os.access(path, os.X_OK):
            raise FfmpegError(_("ffmpeg at {path} is not executable").format(path=exe))
    return exe


def timeout_s(default: float = DEFAULT_TIMEOUT_S) -> float:
    """The timeout to use: ``$BZMEDIA_FFMPEG_TIMEOUT`` when set to a positive number."""
    try:
        value = float(os.environ.get("BZMEDIA_FFMPEG_TIMEOUT", ""))
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


@cache
def _prctl():
    """libc's ``prctl``, looked up in the parent: the child between fork and exec must not load
    libraries (another thread may hold the loader's lock), only call what is already there."""
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _die_with_parent_hook():
    """A ``preexec_fn`` that asks the kernel to kill ffmpeg when its parent dies (Linux)."""
    prctl = _prctl() if sys.platform.startswith("linux") else None
    if prctl is None:
        return None

    def die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    return die_with_parent


def run(args: list[str], what: str, *, input: bytes | None = None,
        timeout: float | None = None, check: bool = True,
        writes: Path | Sequence[Path] | None = None) -> subprocess.CompletedProcess:
    """Run ``ffmpeg args`` and return its result (stdout and stderr as bytes).

    ``what`` names the work for messages ("encoding 01-thong-bao.mp3").  A run that failed
    writing the file ``writes`` (or one of them) on a full disk raises that OSError (see
    :func:`write_failure`),
    checked or not; with ``check`` any other non-zero exit raises :class:`FfmpegError` with
    ffmpeg's last line of complaint.
    """
    what = final_names(what)
    limit = timeout_s(timeout or DEFAULT_TIMEOUT_S)
    command = [ffmpeg_exe(), *args]
    hook = _die_with_parent_hook()
    extra = {"preexec_fn": hook} if hook else {}
    try:
        result = subprocess.run(command, input=input, capture_output=True, timeout=limit,
                                check=False, **extra)
    except subprocess.TimeoutExpired:
        raise FfmpegTimeout(_("ffmpeg did not finish {what} within {seconds} s and was stopped "
                              "(set BZMEDIA_FFMPEG_TIMEOUT to allow longer)").format(
                                  what=what, seconds=f"{limit:g}")) from None
    except OSError as exc:
        raise FfmpegError(_("ffmpeg at {path} could not be run for {what}: {reason}").format(
            path=command[0], what=what, reason=exc.strerror or exc)) from None
    full = write_failure(result.stderr, writes) if result.returncode and writes is not None else None
    if full is not None:
        raise full
    if check and result.returncode != 0:
        raise FfmpegError(_("ffmpeg failed {what}: {complaint}").format(
            what=what, complaint=last_line(result.stderr, result.returncode)))
    return result


def write_failure(stderr: bytes, target: Path | Sequence[Path]) -> OSError | None:
    """What an ffmpeg run met writing ``target`` when its complaint says the disk is full (or
    the quota used up), as the OSError a write of ours would raise, named by the file; None for
    any other failure.  ffmpeg's own words ("Error closing file: No space left on device") name
    neither the file nor its folder, and a full cache disk then reads as the kit's.  Of several
    targets (loop pieces for the cache, a slide's frame kept in the kit's scratch folder), the
    one on the disk with the least room left is named."""
    text = stderr.decode("utf-8", "replace")
    for code in (errno.ENOSPC, errno.EDQUOT):
        if os.strerror(code) in text:  # ffmpeg words them as the C library does
            return OSError(code, os.strerror(code), str(_on_fullest_disk(target)))
    return None


def _on_fullest_disk(targets: Path | Sequence[Path]) -> Path:
    if isinstance(targets, Path):
        return targets

    def room(path: Path) -> float:
        try:
            return shutil.disk_usage(path.parent).free
        except OSError:
            return math.inf
    return min(targets, key=room)


def last_line(stderr: bytes, returncode: int) -> str:
    """ffmpeg's last non-empty line of complaint (printable only), or its exit status."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    if not lines:
        return _("exit status {code}").format(code=returncode)
    return "".join(ch if ch.isprintable() else "?" for ch in lines[-1])[:300]
