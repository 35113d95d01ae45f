"""Issue 11: jobs known to be quick run in the build process instead of starting a pool for them
(a fork server and two workers cost about a CPU-second, more than an SMS text or a schedule)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pipeline_helpers import SCRIPT, ProcessNoteBuilder, build_notes

import bzmedia.buildpool as buildpool
from bzmedia.errors import BuildError


def makers(tmp_path: Path) -> set[int]:
    return {json.loads(p.read_text())["pid"] for p in (tmp_path / "out" / "demo").glob("*/note/note.txt")}


class LightNoteBuilder(ProcessNoteBuilder):
    """Notes that say they only write text."""

    light_jobs = frozenset({"note", "index"})


def test_jobs_known_to_be_quick_run_here_and_others_on_workers(tmp_path, monkeypatch):
    build_notes(tmp_path, builders=[LightNoteBuilder()], workers=2)
    assert os.getpid() not in makers(tmp_path)  # never seen: their cost is unknown, so workers
    renamed = SCRIPT.replace("xã Sơn Vi", "xã Sơn Vi mới").replace("xã Tứ Xã", "xã Tứ Xã mới")
    report = build_notes(tmp_path, renamed, builders=[LightNoteBuilder()], workers=2)
    assert len(report.ran) == 4
    assert makers(tmp_path) == {os.getpid()}  # milliseconds each last time: made here
    monkeypatch.setattr(buildpool, "IN_PROCESS_SECONDS", 0.0)  # as if they had been slow
    report = build_notes(tmp_path, SCRIPT, builders=[LightNoteBuilder()], workers=2)
    assert len(report.ran) == 4
    assert os.getpid() not in makers(tmp_path)


def test_quick_jobs_their_builder_does_not_call_light_run_on_workers(tmp_path):
    """A job runs because its key changed and may then do what it did not last time (a spot's
    new text: speech, online): being quick last time is not enough to run it here."""
    build_notes(tmp_path, builders=[ProcessNoteBuilder()], workers=2)
    renamed = SCRIPT.replace("xã Sơn Vi", "xã Sơn Vi mới").replace("xã Tứ Xã", "xã Tứ Xã mới")
    report = build_notes(tmp_path, renamed, builders=[ProcessNoteBuilder()], workers=2)
    assert len(report.ran) == 4
    assert os.getpid() not in makers(tmp_path)


@pytest.mark.parametrize("error", [EOFError, ConnectionResetError])
def test_a_fork_server_that_died_outright_is_a_build_error(tmp_path, monkeypatch, error):
    """When the fork server is gone, ``submit`` fails on its socket rather than with
    BrokenProcessPool.  Simulated (a pool whose ``submit`` raises what that socket raises): killing
    the real server at the right moment cannot be timed in a test, and Python restarts one found
    dead before a fork."""

    class DeadServerPool:
        def submit(self, *args, **kwargs):
            raise error("the fork server's socket closed")

    monkeypatch.setattr(buildpool.JobRunner, "_get_pool", lambda self: DeadServerPool())
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, builders=[ProcessNoteBuilder()], workers=2)
    assert "a worker process ended unexpectedly" in str(caught.value)
