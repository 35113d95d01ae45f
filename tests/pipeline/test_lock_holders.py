"""The kit's build lock and the loop pieces' claims name their holder in one format, written and
read by one pair of functions (:func:`bzmedia.kitlock.write_holder`, :func:`~bzmedia.kitlock.read_holder`);
where the two readers differ (a bare pid), each keeps its own rule.  Real files, real processes."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bzmedia.kitlock import HOLDER_BYTES, KitLock, holder_running, process_alive, read_holder, start_time
from bzmedia.signage import piececlaim


def aged(path: Path, text: str, seconds: float = 60.0) -> Path:
    path.write_text(text, encoding="utf-8")
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_a_claim_and_the_kit_lock_name_their_holder_alike_and_read_back(tmp_path):
    claim = tmp_path / ".piece.h264.claim"
    assert piececlaim.claim(claim) is True
    me = {"pid": os.getpid(), "start": start_time(os.getpid()), "host": os.uname().nodename}
    assert json.loads(claim.read_text(encoding="utf-8")) == me == read_holder(claim)
    lock = tmp_path / "kit" / ".bzmedia" / "lock"
    with KitLock(lock):
        assert json.loads(lock.read_text(encoding="utf-8")) == {**me, "program": "bzmedia"}
        assert read_holder(lock, bare_pid=True) == {**me, "program": "bzmedia"}
    assert not lock.exists()


@pytest.fixture
def bzmedia_like():
    """A live process whose command line mentions bzmedia (as an older build's would)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "bzmedia"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def test_a_bare_pid_names_a_kit_lock_s_holder_but_is_a_garbled_claim(tmp_path, bzmedia_like):
    """An older bzmedia wrote only its pid in the kit lock; no claim was ever written so."""
    lock = aged(tmp_path / "lock", f"{bzmedia_like}\n")
    assert read_holder(lock, bare_pid=True) == {"pid": bzmedia_like}
    assert holder_running(read_holder(lock, bare_pid=True))  # a live bzmedia: the lock is held
    claim = aged(tmp_path / ".piece.h264.claim", str(bzmedia_like))
    assert read_holder(claim) == {"pid": 0} and not piececlaim.held_by_another(claim)  # stale
    young = aged(tmp_path / ".young.h264.claim", str(bzmedia_like), seconds=0)
    assert read_holder(young) is None and piececlaim.held_by_another(young)  # may be mid-write


def test_gone_garbled_and_too_deeply_nested_holder_files(tmp_path):
    gone = tmp_path / "gone"
    assert read_holder(gone) == {"pid": 0} == read_holder(gone, bare_pid=True)  # a dead holder
    me = json.dumps({"pid": os.getpid()})
    # Too deep for json (a RecursionError) within the 4 KB read, and a holder padded past them.
    for text in ("\x00{not json", "[" * 4000, "[" * 100_000, "[1, 2]", "-", me + " " * HOLDER_BYTES):
        for bare_pid in (False, True):
            assert read_holder(aged(tmp_path / "old", text), bare_pid) == {"pid": 0}, (text, bare_pid)
            assert read_holder(aged(tmp_path / "new", text, seconds=0), bare_pid) is None, (text, bare_pid)
    deep = aged(tmp_path / ".deep.h264.claim", "[" * 4000)
    assert piececlaim.claim(deep) is True  # stale, not a RecursionError out of the build


READ_HOLDERS = """
import json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # a runaway read: MemoryError, not swapping
from bzmedia.kitlock import read_holder
print(json.dumps([read_holder(Path(path), bare_pid=True) for path in sys.argv[1:]]))
"""


def read_holders_apart(*paths: Path) -> list:
    """read_holder of each path, in a process of its own: one that hangs (on a FIFO) is stopped."""
    done = subprocess.run([sys.executable, "-c", READ_HOLDERS, *map(str, paths)], capture_output=True,
                          text=True, timeout=20, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_a_fifo_a_device_or_a_link_in_place_of_a_holder_file_reads_as_garbled(tmp_path):
    """Never waited on (a FIFO), never read whole (a link to /dev/zero), never read through a link."""
    holder = tmp_path / "holder"
    holder.write_text(json.dumps({"pid": os.getpid()}), encoding="utf-8")
    odd = {"fifo": None, "zero": "/dev/zero", "link": holder}
    for name, target in odd.items():
        if target is None:
            os.mkfifo(tmp_path / name)
        else:
            (tmp_path / name).symlink_to(target)
    young = read_holders_apart(*(tmp_path / name for name in odd))
    for name in odd:
        then = time.time() - 60
        os.utime(tmp_path / name, (then, then), follow_symlinks=False)
    assert young == [None] * 3 and read_holders_apart(*(tmp_path / name for name in odd)) == [{"pid": 0}] * 3
    lock = tmp_path / "kit" / ".bzmedia" / "lock"
    lock.parent.mkdir(parents=True)
    os.mkfifo(lock)
    aged_fifo = time.time() - 60
    os.utime(lock, (aged_fifo, aged_fifo))
    with KitLock(lock) as taken:  # stale: taken over, as a garbled lock is
        assert taken.took_over and lock.is_file()


def test_a_holder_that_cannot_be_written_closes_its_file(tmp_path, monkeypatch):
    """The holder's file is closed whatever fails (the kit lock then removes a closed file)."""
    import bzmedia.kitlock as kitlock

    def no_host() -> str:
        raise OSError("no host name")

    monkeypatch.setattr(kitlock, "host_name", no_host)
    fd = os.open(tmp_path / "claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    with pytest.raises(OSError, match="no host name"):
        kitlock.write_holder(fd)
    with pytest.raises(OSError) as caught:
        os.fstat(fd)
    assert caught.value.errno == errno.EBADF


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="zombies are read from /proc")
def test_a_holder_that_exited_but_was_not_reaped_is_gone(tmp_path):
    """A killed build whose parent has not waited for it yet is a zombie: signal 0 still reaches
    it, but it runs no more, so its kit lock is taken over and its workers do not wait for it."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 10
        while (start_time(child.pid) is None or process_alive(child.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(child.pid, 0)  # still there, as a zombie
        holder = {"pid": child.pid, "start": start_time(child.pid), "host": os.uname().nodename}
        assert holder["start"] is not None
        assert not process_alive(child.pid) and not holder_running(holder)
        lock = tmp_path / "kit" / ".bzmedia" / "lock"
        lock.parent.mkdir(parents=True)
        aged(lock, json.dumps({**holder, "program": "bzmedia"}))
        with KitLock(lock) as taken:
            assert taken.took_over
    finally:
        child.wait()
    assert process_alive(os.getpid())
