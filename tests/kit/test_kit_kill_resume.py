"""A build killed outright (``kill -9`` of the build and all its processes) in the middle of its
work, then run again, gives the very kit a clean build gives: the same bytes in every file,
nothing half-written left in the kit, and a build after it that has nothing to do; what the
killed processes left half-written in the cache, the sweep removes once it is an hour old.

The build runs as a separate process, the way a culture office's PC runs it; it is killed once
its first loop piece is filed (signage half done, spots being made in the other worker), and
its output is read to the end before it is reaped, as a program that runs bzmedia reads it.
A longer soak of the same kind (random moments, the example campaign, fresh and shared caches)
found no difference either: 15 kills of a cold build, 6 of a build after an edit.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cli_helpers import stand_in_ffmpeg
from kit_helpers import BuiltKit, run_build, write_campaign

from bzmedia.cachesweep import sweep
from bzmedia.ffmpeg import ffmpeg_exe

REPO = Path(__file__).resolve().parents[2]


def digests(kit: Path) -> dict[str, str]:
    """sha256 of every file of the kit but the build's own records."""
    return {str(p.relative_to(kit)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(kit.rglob("*")) if p.is_file() and ".bzmedia" not in p.relative_to(kit).parts}


def killed_mid_build(script: Path, output: Path, cache: Path, seconds: float = 120.0,
                     until: Callable[[], bool] | None = None, **env: str) -> bool:
    """Run ``bzmedia build`` in a process group of its own and kill the whole group once the
    cache holds a loop piece (or ``until`` says so); whether it was still running then."""
    if until is None:
        def until() -> bool:
            return cache.is_dir() and next(cache.rglob("*.h264"), None) is not None
    env = {**os.environ, "BZMEDIA_CACHE": str(cache), "PYTHONPATH": str(REPO), **env}
    build = subprocess.Popen([sys.executable, "-m", "bzmedia", "-q", "build", str(script), "-o", str(output)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + seconds
    try:
        while build.poll() is None and time.monotonic() < deadline:
            if until():
                break
            time.sleep(0.05)
        running = build.poll() is None
        if running:
            os.killpg(build.pid, signal.SIGKILL)
        build.communicate(timeout=60)
        return running
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()


def test_a_build_killed_midway_and_run_again_gives_the_clean_kit(small_kit: BuiltKit, tmp_path):
    script = write_campaign(tmp_path / "campaign", small_kit.script.read_text(encoding="utf-8"))
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert killed_mid_build(script, output, cache)
    kit = output / small_kit.kit.name
    assert not (kit / "manifest.json").exists()  # killed before it published

    run_build(script, output, cache)
    assert digests(kit) == digests(small_kit.kit)
    assert [p for p in output.rglob("*") if ".bzpart" in p.name] == []
    assert " 0 made" in run_build(script, output, cache)

    # What the killed processes were writing in the cache stays until it is an hour old (another
    # build sharing the cache could be writing it); then the sweep knows it for a leftover.
    left = [p for p in cache.rglob("*") if ".bzpart" in p.name or p.name.endswith(".claim")]
    hours_ago = time.time() - 7200
    for path in left:
        os.utime(path, (hours_ago, hours_ago))
    sweep(cache, time.time())
    assert [p for p in left if p.exists()] == []


def test_a_build_killed_while_encoding_leaves_nothing_in_the_systems_temporary_folder(
        small_kit: BuiltKit, tmp_path):
    """The raw frames of a loop being encoded (6 MB a slide) are in the kit's scratch folder, so
    the kill leaves them where the next build removes them; only multiprocessing's own folder of
    its fork server's socket (``pymp-*``, empty once the socket is gone) stays behind."""
    script = write_campaign(tmp_path / "campaign", small_kit.script.read_text(encoding="utf-8"))
    output, cache = tmp_path / "output", tmp_path / "cache"
    # short: the fork server's socket lives in it, and an AF_UNIX path has at most 107 bytes
    system_temp = Path(tempfile.mkdtemp(prefix="bz-", dir="/tmp"))
    scratch = output / small_kit.kit.name / ".bzmedia" / "scratch"

    def encoding() -> bool:
        return any(next(folder.glob("bzmedia-frames-*/*"), None) is not None
                   for folder in (system_temp, scratch))

    # Each ffmpeg run waits a second before it starts, so an encode run's frames are on disk long
    # enough to be seen however busy the machine is (an encode takes 0.3 s).
    slow = stand_in_ffmpeg(tmp_path, "slow-ffmpeg", f'sleep 1\nexec "{ffmpeg_exe()}" "$@"')
    try:
        assert killed_mid_build(script, output, cache, until=encoding, TMPDIR=str(system_temp),
                                IMAGEIO_FFMPEG_EXE=slow)
        # (what the encode run had in flight, if it was still there at the kill, is in the scratch)
        assert [p.name for p in system_temp.iterdir() if not p.name.startswith("pymp-")] == []
    finally:
        shutil.rmtree(system_temp)
    run_build(script, output, cache)
    assert not scratch.exists()
    assert digests(output / small_kit.kit.name) == digests(small_kit.kit)
