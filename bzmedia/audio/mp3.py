"""Reading back an exported spot in this process (libsndfile's mpg123), not by a second ffmpeg.

Every exported MP3 is decoded and measured (:mod:`bzmedia.audio.export`).  An ffmpeg process for
that cost 0.2 CPU-s a minute of audio (its start, and 10 MB of float samples down a pipe);
libsndfile, bundled by the ``soundfile`` wheel (Windows and Linux), decodes the same file in a
fifth of that.  Both are players' decoders (mpg123 here, ffmpeg's mp3float there): the samples
agree to a few millionths and both honour the file's gapless header, so the decoded length is the
spot's own sample count, give or take the end padding ffmpeg's muxer writes (up to a few
dozen samples more; the tests hold both decoders to the same length).

A file that decodes to more than 576 samples off the spot's length (cut short by a full disk,
damaged: a lost frame is 1,152 samples at 32-48 kHz; at 22,050 Hz a frame is 576, and one lost
frame is not seen) is decoded once more by ffmpeg; if that is off too, it is a
:class:`DecodeError` naming the file, never a measurement of half a spot.  What mpg123 says
about such a file on stderr is kept off the terminal (:func:`_mpg123_quiet`): the build's one
located error says it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from bzmedia.audio.lame import FRAME_SAMPLES  # how far a decoded length may be off the spot's
from bzmedia.cache import final_names  # the file being written, not its temporary name
from bzmedia.i18n import _
from bzmedia.tts.pcm import DecodeError, Sound, decode


@functools.cache
def _soundfile():
    """The ``soundfile`` module when its libsndfile reads MP3 (1.1 and later), else ``None``."""
    try:
        import soundfile
    except (ImportError, OSError):  # not installed, or no libsndfile for this platform
        return None
    return soundfile if "MP3" in soundfile.available_formats() else None


def read_in_process(path: Path, rate: int) -> Sound | None:
    """The file's samples (float32) decoded here, or ``None`` when this process cannot (no
    libsndfile with MP3, another sample rate, not mono, not a file libsndfile reads): the caller
    then asks ffmpeg."""
    soundfile = _soundfile()
    if soundfile is None:
        return None
    try:
        with _mpg123_quiet(), soundfile.SoundFile(str(path)) as source:
            if source.samplerate != rate or source.channels != 1:
                return None
            samples = source.read(dtype="float32")
    except (soundfile.LibsndfileError, RuntimeError):
        # libsndfile says "does not exist or is not a regular file" for any file it cannot open,
        # which misleads; ffmpeg then tries, and its complaint is the one reported.
        return None
    if samples.size == 0:
        return None
    return Sound(np.ascontiguousarray(samples, np.float32), rate)


_quiet_lock = threading.Lock()


@contextlib.contextmanager
def _mpg123_quiet() -> Iterator[None]:
    """Within the block, file descriptor 2 is the null device.

    libmpg123 (inside libsndfile) prints its complaints about a damaged file ("big_values too
    large!", "Illegal Audio-MPEG-Header", "Xing stream size off") straight to the process's
    stderr, beside the one located error the build reports for that file.  Nothing else writes
    there meanwhile: a worker runs one job at a time on one thread (the build process too, when
    it runs a job itself), the lock keeps two decodes in one process from undoing each other's
    redirection, and the block is the decode alone (13 us to redirect and restore).  Where the
    descriptor cannot be redirected, the decode runs as it is (only the noise stays); on Windows a
    library with a C runtime of its own may keep its stderr (not tried there).
    """
    with _quiet_lock:
        saved = _null_stderr()
        try:
            yield
        finally:
            if saved is not None:
                os.dup2(saved, 2)
                os.close(saved)


def _null_stderr() -> int | None:
    """Point fd 2 at the null device; a duplicate of what it was, or ``None`` if it was left."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()  # what Python holds for the terminal goes there first
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 (a service without a console) or no descriptor left
        return None
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 2)
        finally:
            os.close(null)
    except OSError:
        os.close(saved)
        return None
    return saved


def _off(decoded: Sound | None, length: int | None) -> bool:
    return length is not None and decoded is not None and (
        abs(decoded.samples.size - length) > FRAME_SAMPLES // 2)


def read_exported(path: Path, rate: int, length: int | None = None) -> Sound:
    """A file just exported, decoded as a player decodes it, at ``rate``.

    ``length`` is the sample count the spot has: a decoding more than half a frame off it is tried
    again with ffmpeg, and if that one is off too the file is reported cut short or damaged.
    """
    decoded = read_in_process(path, rate)
    if decoded is None or _off(decoded, length):
        decoded = decode(path, rate)
    if _off(decoded, length):
        raise DecodeError(_("{file} decodes to {got} samples, not the {length} written: the file is cut "
                            "short or damaged").format(file=final_names(path.name), got=decoded.samples.size,
                                                       length=length))
    return decoded
