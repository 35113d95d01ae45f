"""The kit's build lock and the loop pieces' claims name their holder in one format, written and
read by one pair of functions (:func:`bzmedia.kitlock.write_holder`, :func:`~bzmedia.kitlock.read_holder`);
where the two readers differ (a bare pid), each keeps its own rule.  Real files, real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bzmedia.kitlock import KitLock, holder_running, read_holder, start_time
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
    for text in ("\x00{not json", "[" * 100_000, "[1, 2]", "-"):
        for bare_pid in (False, True):
            assert read_holder(aged(tmp_path / "old", text), bare_pid) == {"pid": 0}, (text, bare_pid)
            assert read_holder(aged(tmp_path / "new", text, seconds=0), bare_pid) is None, (text, bare_pid)
    deep = aged(tmp_path / ".deep.h264.claim", "[" * 100_000)
    assert piececlaim.claim(deep) is True  # stale, not a RecursionError out of the build
    with pytest.raises(Exception) as caught:
        json.loads("[" * 100_000)
    assert isinstance(caught.value, RecursionError)  # what read_holder must catch
