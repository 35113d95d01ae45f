"""Issue 10 item 5: pool workers end when the build process is killed outright."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pipeline_helpers import SCRIPT, build_notes

HERE = Path(__file__).resolve().parent


def gone(pid: int) -> bool:
    """True when ``pid`` has exited (a zombie waiting for its reaper counts as exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def all_gone(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not all(gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return all(gone(pid) for pid in pids)


def slow_build(folder: Path, output: int) -> tuple[subprocess.Popen, list[int]]:
    """A build in a process of its own whose two jobs sleep a minute in two real workers, and
    those workers' pids, once both jobs have started; ``output``: where its stdout and stderr go."""
    pids = folder / "pids"
    pids.mkdir()
    code = (f"import sys; sys.path.insert(0, {str(HERE)!r})\n"
            "from pathlib import Path\nimport pipeline_helpers as h\n"
            f"h.build_notes(Path({str(folder)!r}), builders=[h.SlowBuilder()], workers=2)\n")
    build = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ, BZMEDIA_TEST_PIDS=str(pids)),
                             stdout=output, stderr=output)
    deadline = time.monotonic() + 30
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.1)
    return build, [int(p.name) for p in pids.iterdir()]


def test_killing_the_build_ends_its_workers_within_seconds(tmp_path):
    build, workers = slow_build(tmp_path, subprocess.DEVNULL)
    try:
        assert len(workers) == 2 and build.pid not in workers  # both jobs sleep in real workers
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=10)
        assert all_gone(workers, 5)
        # the lock it left is taken over and what the killed build left half-written is swept
        report = build_notes(tmp_path, workers=1)
        assert len(report.ran) == 5
        assert not list((tmp_path / "out").rglob("*.bzpart*"))
    finally:
        if build.poll() is None:
            build.kill()


def test_a_killed_build_whose_parent_reads_its_output_before_waiting_does_not_hang(tmp_path):
    """A program that runs the build with its output piped (``communicate()``, a GUI, a CI
    runner) reads until the pipes close and only then reaps the build.  Killed, the build stayed
    a zombie; its workers, counting a zombie alive, held the pipes open and waited for it for
    ever (found by a kill-and-resume soak of the example campaign)."""
    build, workers = slow_build(tmp_path, subprocess.PIPE)
    try:
        assert len(workers) == 2
        os.kill(build.pid, signal.SIGKILL)
        # not reaped: read to the end first, as communicate() does
        build.communicate(timeout=20)
        assert all_gone(workers, 5)
    finally:
        if build.poll() is None:
            build.kill()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_a_terminated_build_stops_its_workers_saves_its_state_and_releases_the_lock(tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    code = (f"import sys, signal; sys.path.insert(0, {str(HERE)!r})\n"
            "from pathlib import Path\nimport pipeline_helpers as h\nfrom bzmedia.cli import _terminated\n"
            "signal.signal(signal.SIGTERM, _terminated)\n"
            f"h.build_notes(Path({str(tmp_path)!r}), builders=[h.SlowBuilder()], workers=2)\n")
    build = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ, BZMEDIA_TEST_PIDS=str(pids)),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p.name) for p in pids.iterdir()]
        build.terminate()
        assert build.wait(timeout=10) == 128 + signal.SIGTERM
        assert "Traceback" not in build.stderr.read()
        assert all_gone(workers, 5)
        kit = tmp_path / "out" / "demo"
        assert not (kit / ".bzmedia" / "lock").exists()
        assert not list(kit.rglob("*.bzpart*"))
    finally:
        if build.poll() is None:
            build.kill()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_do_not_carry_the_build_process_memory(tmp_path, monkeypatch):
    """Issue 11: workers start from a small fork server, not from the build process, which by then
    holds the planned campaign (here 300 MB of ballast); they see this build's folder and
    environment (the server is started per build)."""
    import json

    from pipeline_helpers import ProcessNoteBuilder

    ballast = bytearray(b"\x01") * (300 << 20)  # written, so resident
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BZMEDIA_TEST_MARK", "first")
    build_notes(Path("."), builders=[ProcessNoteBuilder()], workers=2)
    notes = [json.loads(p.read_text()) for p in Path("out/demo").glob("*/note/*.txt")]
    workers = {n["pid"] for n in notes}
    assert os.getpid() not in workers and len(workers) >= 1
    assert all(n["parent"] != os.getpid() for n in notes)  # forked by the server
    assert max(n["peak_kb"] for n in notes) < 150 * 1024, notes
    assert {n["cwd"] for n in notes} == {str(tmp_path)} and {n["mark"] for n in notes} == {"first"}
    monkeypatch.setenv("BZMEDIA_TEST_MARK", "second")
    shutil.rmtree("out")
    build_notes(Path("."), builders=[ProcessNoteBuilder()], workers=2)
    assert {json.loads(p.read_text())["mark"] for p in Path("out/demo").glob("*/note/*.txt")} == {"second"}
    assert len(ballast) == 300 << 20


def test_a_pool_is_replaced_after_its_share_of_jobs_and_every_job_still_reports(tmp_path, monkeypatch):
    """Issue 11: workers are retired after RECYCLE_AFTER_JOBS (their caches grow with every
    commune); the build is complete, and no worker of any pool outlives it."""
    import json

    from pipeline_helpers import ProcessNoteBuilder

    import bzmedia.buildpool as buildpool

    monkeypatch.setattr(buildpool, "RECYCLE_AFTER_JOBS", 3)
    places = "".join(f'  - {{id: xa-{k}, name: "xã {k}"}}\n' for k in range(8))
    script = SCRIPT.split("localities:")[0] + "localities:\n" + places
    report = build_notes(tmp_path, script, builders=[ProcessNoteBuilder()], workers=2)
    assert len(report.ran) == 16
    notes = [json.loads(p.read_text()) for p in (tmp_path / "out" / "demo").glob("*/note/*.txt")]
    assert len(notes) == 16
    workers = {n["pid"] for n in notes}
    assert len(workers) > 2  # 16 jobs, 3 a pool: several generations of workers
    assert all_gone(sorted(workers), 5)
