"""A job's temporary files: in the kit's ``.bzmedia/scratch/`` while a build runs the job.

Raw frames for ffmpeg (6 MB a 1080p slide) and samples for an encoder are written there rather
than in the system's temporary folder: a build killed mid-job left them in the system's folder
for good; in the kit, the next build removes them (:mod:`bzmedia.build`).  Only the channel code
that makes such files asks for this folder (:func:`temporary_folder`); the process-wide
``tempfile.tempdir`` is left alone, so what belongs in the system's folder stays there (the
cache's fallback folder, which later builds reuse).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bzmedia.oserrors import written_to

_folder: Path | None = None


@contextlib.contextmanager
def kept_in(folder: Path | None) -> Iterator[None]:
    """Within the block, :func:`temporary_folder` makes its folders in ``folder`` (made if
    needed); ``None``: in the system's temporary folder.  A worker runs one job at a time."""
    global _folder
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    before, _folder = _folder, folder
    try:
        yield
    finally:
        _folder = before


def temporary_folder(prefix: str) -> tempfile.TemporaryDirectory:
    """A temporary folder for this job, removed when its block ends."""
    return tempfile.TemporaryDirectory(prefix=prefix, dir=_folder)


def write_temporary(path: Path, data: bytes | memoryview) -> None:
    """Write a temporary file for ffmpeg to read: a full disk names that file (a failed
    ``write()`` names none, and the block it runs in would take the blame)."""
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise written_to(exc, path) from None
