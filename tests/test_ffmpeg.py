"""A missing, failing, garbage-printing or hanging ffmpeg ends in one located line (issue 10, item 4).

Each case runs the real CLI in a child process with ``$IMAGEIO_FFMPEG_EXE`` pointing at a stand-in
(a clearly named fake: a shell script), so nothing here depends on the real ffmpeg misbehaving.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import stand_in_ffmpeg
from minimal_script import MINIMAL

from bzmedia.cache import final_names

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the stand-in ffmpegs are shell scripts")

SCRIPT = MINIMAL + """\
audio:
  spots:
    - {id: a, intro: none, text: "Xin chào bà con."}
  export: {sample_rate: 22050}  # MPEG-2: ffmpeg encodes it (44.1 kHz spots need no ffmpeg at all)
"""
FAKE_FFMPEGS = {
    "hanging": "sleep 60",
    "failing": 'echo "Unknown encoder libmp3lame" >&2; exit 1',
    "garbage": 'printf "\\033[31mjunk\\001" >&2; printf "junk!"; exit 0',
    "disk-full": 'echo "[out#0/mp3 @ 0x5581] Error closing file: No space left on device" >&2; exit 1',
}


def run_cli(tmp_path: Path, exe: str, *args: str) -> tuple[int, str, float]:
    env = {**os.environ, "IMAGEIO_FFMPEG_EXE": exe, "BZMEDIA_FFMPEG_TIMEOUT": "2",
           "BZMEDIA_CACHE": str(tmp_path / "cache")}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "bzmedia", *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120, check=False)
    return done.returncode, done.stdout + done.stderr, time.monotonic() - started


def fake_ffmpeg(tmp_path: Path, kind: str) -> str:
    return stand_in_ffmpeg(tmp_path, f"fake-ffmpeg-{kind}", FAKE_FFMPEGS[kind])


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def build(tmp_path: Path, script: Path, exe: str) -> tuple[int, list[str], float]:
    code, output, seconds = run_cli(tmp_path, exe, "build", str(script), "-o", "out", "-j1")
    assert "Traceback" not in output
    assert not (tmp_path / "out" / "demo" / "manifest.json").exists()
    return code, output.strip().splitlines(), seconds


def test_a_missing_ffmpeg_is_named(tmp_path, script):
    code, lines, _ = build(tmp_path, script, "/nonexistent/ffmpeg")
    assert code == 1
    assert lines == ["ffmpeg not found at /nonexistent/ffmpeg (check $IMAGEIO_FFMPEG_EXE or reinstall "
                     "imageio-ffmpeg)", "1 error; the build stopped: no kit was published."]


def test_a_hanging_ffmpeg_is_stopped_after_its_timeout(tmp_path, script):
    code, lines, seconds = build(tmp_path, script, fake_ffmpeg(tmp_path, "hanging"))
    assert code == 1
    assert lines == ["ffmpeg did not finish encoding 01-a.mp3 as MP3 within 2 s and was stopped "
                     "(set BZMEDIA_FFMPEG_TIMEOUT to allow longer)",
                     "1 error; the build stopped: no kit was published."]
    assert seconds < 40  # the fake would sleep 60 s


def test_a_failing_ffmpeg_gives_its_last_complaint(tmp_path, script):
    code, lines, _ = build(tmp_path, script, fake_ffmpeg(tmp_path, "failing"))
    assert code == 1
    assert lines == ["ffmpeg failed encoding 01-a.mp3 as MP3: Unknown encoder libmp3lame",
                     "1 error; the build stopped: no kit was published."]


def test_an_ffmpeg_that_fills_the_disk_names_the_file_it_was_writing(tmp_path, script):
    """ffmpeg's own words name neither the file nor its disk (a full cache disk read as the
    kit's); the message is the one a full disk gives any other write."""
    code, lines, _ = build(tmp_path, script, fake_ffmpeg(tmp_path, "disk-full"))
    assert code == 1
    assert lines == ["audio/all/01-a: out/demo/.bzmedia/stage/all/audio/01-a.mp3: cannot write: "
                     "No space left on device",
                     "1 error; the build stopped: no kit was published."]


def test_of_several_files_a_run_writes_the_one_on_the_full_disk_is_named(tmp_path, small_disk):
    """A loop's encode run writes its pieces to the cache and a slide's converted frame to the
    kit's scratch folder: a full kit disk read as the cache's ("/cache: cannot write")."""
    from bzmedia.ffmpeg import write_failure

    with contextlib.suppress(OSError), (small_disk / "filler").open("wb") as filler:
        while True:
            filler.write(b"x" * 65536)
            filler.flush()
    piece = tmp_path / "cache" / ".piece.bzpart.h264"
    piece.parent.mkdir()
    kept = small_disk / "scratch" / "kept1.yuv"
    kept.parent.mkdir(exist_ok=True)
    words = b"[out#1/rawvideo] Error writing trailer: No space left on device"
    for targets in ([piece, kept], [kept, piece]):
        failure = write_failure(words, targets)
        assert (failure.errno, failure.filename) == (errno.ENOSPC, str(kept))
    assert write_failure(words, piece).filename == str(piece)
    assert write_failure(b"Invalid data found when processing input", [piece, kept]) is None


def test_an_ffmpeg_printing_garbage_is_a_located_error(tmp_path, script):
    code, lines, _ = build(tmp_path, script, fake_ffmpeg(tmp_path, "garbage"))
    assert code == 1
    assert lines == [f"{script}:8:7: audio.spots[0]: all (UBND xã Sơn Vi): all/audio/01-a.mp3: ffmpeg "
                     "gave 5 bytes that are not audio samples",
                     "1 error; the build stopped: no kit was published."]


def test_say_reports_a_missing_ffmpeg_like_build(tmp_path, script):
    code, output, _ = run_cli(tmp_path, "/nonexistent/ffmpeg", "say", "Xin chào", "-o", "x.mp3",
                              "--script", str(script))
    assert code == 1
    assert "Traceback" not in output
    assert output.splitlines()[0].endswith("ffmpeg not found at /nonexistent/ffmpeg (check "
                                           "$IMAGEIO_FFMPEG_EXE or reinstall imageio-ffmpeg)")
    assert len(output.splitlines()) == 1  # say is not a build: no "the build stopped" after it
    assert not (tmp_path / "x.mp3").exists()


def test_temporary_names_become_the_names_being_written():
    assert final_names("encoding .01-a.1f2e3d4c.bzpart.mp3 as MP3") == "encoding 01-a.mp3 as MP3"
    assert final_names("/k/s/.loop.0a0b0c0d.bzpart.mp4: x") == "/k/s/loop.mp4: x"
    assert final_names("plain.mp3 and .hidden.mp3") == "plain.mp3 and .hidden.mp3"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_killed_parent_takes_its_ffmpeg_along(tmp_path):
    code = "from bzmedia import ffmpeg; ffmpeg.run(['-i', 'x'], 'testing', timeout=100)"
    env = {**os.environ, "IMAGEIO_FFMPEG_EXE": fake_ffmpeg(tmp_path, "hanging")}
    parent = subprocess.Popen([sys.executable, "-c", code], env=env)
    children: list[str] = []
    for _ in range(100):  # until the parent has started its ffmpeg
        children = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True,
                                  text=True, check=False).stdout.split()
        if children:
            break
        time.sleep(0.1)
    assert children
    parent.kill()
    parent.wait(10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(running(pid) for pid in children):
        time.sleep(0.1)
    assert not any(running(pid) for pid in children)


def running(pid: str) -> bool:
    """Whether process ``pid`` still runs (a zombie waiting to be reaped does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
