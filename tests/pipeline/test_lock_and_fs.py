"""Issue 10 items 4 and 5: the lock, and the file system refusing (one line, exit 1, lock released)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from minimal_script import MINIMAL
from pipeline_helpers import SCRIPT, build_notes, write_script

from bzmedia.buildstate import BuildState
from bzmedia.errors import BuildError
from bzmedia.kitlock import start_time

HERE = Path(__file__).resolve().parent


def cli_build(script: Path, out: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bzmedia", "-q", "build", str(script), "-o", str(out)],
                          capture_output=True, text=True, timeout=120, **kwargs)


def driver(folder: Path, builder: str, workers: int, **kwargs) -> subprocess.CompletedProcess:
    """A build with a test channel in a fresh process, printing errors as the CLI does."""
    code = (f"import sys; sys.path.insert(0, {str(HERE)!r})\n"
            "from pathlib import Path\nimport pipeline_helpers as h\nfrom bzmedia.errors import BuildError\n"
            "from bzmedia.kit.builder import KitBuilder\n"
            f"try:\n    h.build_notes(Path({str(folder)!r}), builders=[h.{builder}(), KitBuilder()], "
            f"workers={workers})\n"
            "except BuildError as exc:\n    exc.show()\n    sys.exit(1)\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          **kwargs)


@pytest.mark.parametrize("holder", ["1", json.dumps({"pid": 1, "start": "0", "host": os.uname().nodename})])
def test_a_lock_held_by_an_unrelated_live_process_is_taken_over(tmp_path, holder):
    lock = tmp_path / "out" / "demo" / ".bzmedia" / "lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(holder)
    report = build_notes(tmp_path)
    assert len(report.ran) == 5 and not lock.exists()


def test_a_lock_of_a_running_build_says_how_to_clear_it(tmp_path):
    lock = tmp_path / "out" / "demo" / ".bzmedia" / "lock"
    lock.parent.mkdir(parents=True)
    me = {"pid": os.getpid(), "start": start_time(os.getpid()), "host": os.uname().nodename}
    lock.write_text(json.dumps(me))
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path)
    assert caught.value.messages == [
        f"another build (process {os.getpid()} on {os.uname().nodename}) is writing {lock.parent.parent}; "
        f"wait for it to finish; if no build is running, delete {lock}"]
    assert lock.exists()  # not ours to remove


@pytest.mark.parametrize("blocker", ["demo", "demo/.bzmedia"])
def test_a_file_where_the_kit_needs_a_folder_is_one_line(tmp_path, blocker):
    script = write_script(tmp_path / "c")
    (tmp_path / "out" / blocker).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "out" / blocker).write_text("x")
    proc = cli_build(script, tmp_path / "out", env=dict(os.environ, BZMEDIA_CACHE=str(tmp_path / "cache")))
    assert proc.returncode == 1
    assert proc.stderr == (f"{tmp_path / 'out' / blocker}: is a file, but a folder is needed there; "
                           "move or delete it\n1 error; the build stopped.\n")


def test_a_file_where_a_channel_folder_belongs_stops_the_move_in_before_anything_moves(tmp_path):
    build_notes(tmp_path)
    kit = tmp_path / "out" / "demo"
    for name in ("note.txt", "index.txt"):
        (kit / "son-vi/note" / name).unlink()
    (kit / "son-vi/note").rmdir()
    (kit / "son-vi/note").write_text("x")
    renamed = SCRIPT.replace('"xã Tứ Xã"', '"xã Tứ Xã mới"')  # so tu-xa's note is made again too
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, renamed)
    # The note is made (into the stage); it is moving it in that finds the file in the way, before
    # anything is moved.
    assert caught.value.messages == [f"{kit / 'son-vi/note'}: is a file, but a folder is needed there; "
                                     "move or delete it"]
    assert caught.value.outcome == "nothing was published, the previous kit is unchanged"
    assert (kit / "son-vi/note").read_text() == "x"
    assert (kit / "tu-xa/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Tứ Xã\n"
    (kit / "son-vi/note").unlink()
    # the staged notes are published as they are, and (the last build having stopped) every
    # publishing job runs once more
    assert set(build_notes(tmp_path, renamed).ran) == {"note/son-vi/index", "note/tu-xa/index",
                                                       "kit/*/page"}
    assert (kit / "son-vi/note/note.txt").is_file()
    assert (kit / "tu-xa/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Tứ Xã mới\n"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_size_limit_is_one_line_not_a_killed_process(tmp_path, workers):
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    proc = driver(tmp_path, "BigNoteBuilder", workers, preexec_fn=limit,
                  env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    kit = tmp_path / "out" / "demo"
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    stage = kit / ".bzmedia/stage"
    assert proc.stderr == (f"note/son-vi/note: {stage / 'son-vi/note/note.txt'}: cannot write: "
                           f"{os.strerror(errno.EFBIG)}\nnote/tu-xa/note: {stage / 'tu-xa/note/note.txt'}: "
                           f"cannot write: {os.strerror(errno.EFBIG)}\n2 errors; the build stopped: "
                           "no kit was published.\n")
    assert not (kit / ".bzmedia" / "lock").exists()


def test_a_full_disk_is_one_line_and_the_state_stays_valid(small_disk):
    proc = driver(small_disk, "BigNoteBuilder", 1)
    kit = small_disk / "out" / "demo"
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"note/son-vi/note: {kit / '.bzmedia/stage/son-vi/note/note.txt'}: "
                                  "cannot write: "
                                  f"{os.strerror(errno.ENOSPC)}\n")
    assert proc.stderr.endswith("; the build stopped: no kit was published.\n")
    assert not (kit / ".bzmedia" / "lock").exists()
    assert not list(kit.rglob("*.bzpart*"))
    warnings: list[str] = []
    BuildState.load(kit, warnings)
    assert warnings == []  # the state left behind is sound


def test_a_read_only_kit_is_one_line(small_disk):
    script = write_script(small_disk.parent / "c")
    env = dict(os.environ, BZMEDIA_CACHE=str(small_disk.parent / "cache"))
    assert cli_build(script, small_disk / "out", env=env).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    proc = cli_build(script, small_disk / "out", env=env)  # nothing to do, but the lock is a write
    lock = small_disk / "out" / "demo" / ".bzmedia" / "lock"
    assert proc.returncode == 1
    assert proc.stderr == (f"{lock}: cannot create the build lock: {os.strerror(errno.EROFS)}\n"
                           "1 error; the build stopped.\n")


def test_a_full_cache_disk_names_the_cache_not_an_entry_and_publishes_nothing(small_disk, tmp_path):
    """The kit's disk has room, the cache's has none: every job that files an entry says the
    cache folder is full (an entry's hashed name, or ffmpeg's own words, would not tell which
    disk to clear), exit 1, nothing published, and with room again the build goes through."""
    spot = 'audio:\n  spots:\n    - {id: a, text: "Xin chào bà con."}\n'
    script = write_script(tmp_path / "c", MINIMAL + spot)
    cache = small_disk / "cache"
    cache.mkdir()
    filler = small_disk / "filler"
    # the cache's disk full to the last block
    with filler.open("wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(bytes(4096))
    env = dict(os.environ, BZMEDIA_CACHE=str(cache))
    proc = cli_build(script, tmp_path / "out", env=env)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [f"audio/all/01-a: {cache}: cannot write: {os.strerror(errno.ENOSPC)}",
                                        "1 error; the build stopped: no kit was published."]
    assert not (tmp_path / "out" / "demo" / "manifest.json").exists()
    assert not [p for p in small_disk.rglob("*") if ".bzpart" in p.name]
    filler.unlink()
    assert cli_build(script, tmp_path / "out", env=env).returncode == 0


def test_a_write_that_finds_no_room_names_the_file_it_was_writing(tmp_path):
    """``write()`` and ``close()`` on a full disk name no file; an atomic write names its target.
    An error of another kind in the block may be about another file: it is left as it is."""
    from bzmedia.cache import atomic_path
    from bzmedia.oserrors import os_problem

    target = tmp_path / "kit" / "a.txt"
    for code, expected in ((errno.ENOSPC, f"{target}: cannot write: {os.strerror(errno.ENOSPC)}"),
                           (errno.EIO, f"cannot read or write: {os.strerror(errno.EIO)}")):
        with pytest.raises(OSError) as caught, atomic_path(target):
            raise OSError(code, os.strerror(code))
        assert os_problem(caught.value) == expected
    assert list(target.parent.iterdir()) == []


def test_id3_tags_on_a_full_disk_name_the_spot_not_an_unexpected_error(small_disk):
    """mutagen wraps the OSError of a full disk in its own error type, which read as a bug
    ("unexpected error: [Errno 28] ...") when the kit's disk filled as a spot was tagged."""
    from bzmedia.audio.export import Tags, write_tags

    spot = small_disk / "01-a.mp3"
    spot.write_bytes(bytes(8192))  # whole pages: the tag needs a new one
    with (small_disk / "filler").open("wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(bytes(4096))
    with pytest.raises(OSError) as caught:
        write_tags(spot, Tags(title="Thông báo", artist="UBND xã Sơn Vi", album="Bluezone", year="2020",
                              track=1, tracks=1))
    assert (caught.value.errno, caught.value.filename) == (errno.ENOSPC, str(spot))
