"""Issue 11: the fork server loads and warms what the build's jobs need, once, for every worker."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

import pytest
from pipeline_helpers import ProcessNoteBuilder, build_notes

import bzmedia.prewarm as prewarm
from bzmedia.builder import Job, JobContext, Output
from bzmedia.buildpool import JobRunner
from bzmedia.cache import Store

HERE = Path(__file__).resolve().parent
needs_forkserver = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork server, /proc")


class WarmthBuilder(ProcessNoteBuilder):
    """Notes saying what the worker had when the job began: named ``audio`` so the server warms
    the audio channel for it (the job itself never normalizes a text)."""

    name = "audio"

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        from bzmedia.text import abbreviations

        rel = f"{job.locality}/note/{job.name}.txt"
        ctx.write(rel, json.dumps({"pid": os.getpid(),
                                   "matchers": abbreviations._matchers.cache_info().currsize,
                                   "reportlab": "reportlab" in sys.modules}))
        return [Output(rel, "note")]


@needs_forkserver
def test_workers_start_with_the_warm_up_of_their_jobs_builders_and_nothing_else(tmp_path):
    report = build_notes(tmp_path, builders=[WarmthBuilder()], workers=2)
    assert len(report.ran) == 4
    notes = [json.loads(p.read_text()) for p in (tmp_path / "out" / "demo").glob("*/note/*.txt")]
    assert len(notes) == 4 and all(n["pid"] != os.getpid() for n in notes)
    # the normalizer's tables were compiled in the server, before any job of any worker
    assert all(n["matchers"] == 1 for n in notes), notes
    # no print, signage or kit job: reportlab is not loaded for nothing
    assert not any(n["reportlab"] for n in notes), notes


def test_the_server_loads_only_the_modules_of_the_builders_named():
    assert prewarm.modules_for(["audio"]) == [*prewarm.COMMON, "bzmedia.prewarm.audio"]
    assert prewarm.modules_for(["kit", "print", "a-channel-without-warm-up"]) == [
        *prewarm.COMMON, "bzmedia.prewarm.kit", "bzmedia.prewarm.printing"]


@pytest.mark.parametrize("module", sorted(prewarm.FOR_BUILDER.values()))
def test_each_warm_up_runs_without_error(module):
    """In the server a failing warm-up is skipped silently: here it must not fail (a renamed
    function would otherwise quietly make every worker start cold again)."""
    importlib.import_module(module).warm()


@needs_forkserver
def test_a_warm_up_that_fails_leaves_the_build_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setitem(prewarm.FOR_BUILDER, "where", "broken_warm")
    report = build_notes(tmp_path, builders=[ProcessNoteBuilder()], workers=2)
    assert len(report.ran) == 4


@needs_forkserver
def test_a_server_started_before_the_preflight_is_stopped_when_no_job_runs(tmp_path):
    """The server starts loading while the preflight checks the texts; a preflight that stops
    the build leaves no server behind."""
    from multiprocessing import forkserver

    runner = JobRunner(tmp_path, tmp_path, Store(tmp_path / "cache"), 2, lambda _id: None)
    builder = ProcessNoteBuilder()
    jobs = [builder.job(k, "note", {"name": k}, (f"{k}/note/note.txt",)) for k in ("a", "b")]
    runner.start(jobs, {builder.name: builder})
    pid = forkserver._forkserver._forkserver_pid
    assert pid is not None
    runner.close()
    assert forkserver._forkserver._forkserver_pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: it ended


class BlasThreadsBuilder(ProcessNoteBuilder):
    """Notes with the worker's thread count before and after a numpy product large enough for
    OpenBLAS to use threads of its own (400 x 400 x 400: 64 M multiply-adds)."""

    name = "audio"

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        before = len(os.listdir("/proc/self/task"))
        import numpy as np

        square = np.ones((400, 400))
        _ = square @ square
        rel = f"{job.locality}/note/{job.name}.txt"
        ctx.write(rel, json.dumps({"before": before, "after": len(os.listdir("/proc/self/task"))}))
        return [Output(rel, "note")]


@needs_forkserver
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: OpenBLAS starts no threads anyway")
def test_a_workers_numpy_products_start_no_blas_threads(tmp_path, monkeypatch):
    """Each worker is one of the build's parallel jobs: OpenBLAS threads on top of them would put
    two threads on each core (40x the CPU of a product measured on this machine)."""
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.setenv(variable, "")  # so the test's end restores what was there before
        monkeypatch.delenv(variable)
    build_notes(tmp_path, builders=[BlasThreadsBuilder()], workers=2)
    notes = [json.loads(p.read_text()) for p in (tmp_path / "out" / "demo").glob("*/note/*.txt")]
    assert notes and all(n["after"] == n["before"] for n in notes), notes
