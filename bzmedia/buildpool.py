"""Running jobs: in this process, or on one process pool kept for the whole build.

Workers end with the build: on Linux the kernel kills a worker when the process that started it
dies (``PR_SET_PDEATHSIG``), and everywhere a watchdog thread in each worker exits it within a
second of the build process going away.  (Windows has no death signal; the watchdog covers it.
A Job Object with KILL_ON_JOB_CLOSE would be the native way, not done here.)

Workers are forked from a small fork server (``forkserver`` start method), not from the build
process: by the time jobs run, the build process holds the planned campaign, every job's inputs
and the state (about 100 MB at 120 communes), and a worker forked from it would carry all of that.
The server imports the heavy libraries and does the builders' warm-ups once, for the builders
whose jobs the build runs (:mod:`bzmedia.prewarm`), so workers start with them shared (a pool
retired and forked anew pays nothing again).  It is started before the preflight, which runs
while it loads, and stopped when the pool closes, so each build's workers see its environment
and folder.  The server ends with the build too (it stops when its client's pipe closes).

Jobs are handed out a few at a time, longest expected first, so both cores stay busy to the end:
how long a job takes is known from the last build (``BuildState`` keeps its seconds); for a builder
never seen, one of its jobs goes first to learn its cost.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bzmedia import scratch
from bzmedia.builder import Builder, Job, JobContext
from bzmedia.buildstate import file_record, lexically_inside, scratch_path
from bzmedia.cache import Store
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.oserrors import os_problem

if TYPE_CHECKING:  # the pool machinery is imported only when a pool is needed
    import concurrent.futures as futures

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0
IN_PROCESS_SECONDS = 1.0
"""Light jobs (:attr:`bzmedia.builder.Builder.light_jobs`) that took less than this in all last
time (every one of them known) run in the build process: starting the fork server and two
workers costs about a CPU-second, more than an SMS text or the kit page to remake."""
RECYCLE_AFTER_JOBS = 160
"""A pool takes this many jobs, then is retired (its workers finish what they hold and exit) and a
fresh one forked from the server takes the next: what a worker keeps between jobs (caches of
fitted texts and glyphs, prepared phrases, a fragmented heap) grows with every commune it
serves, and at 120 communes reached 300 MB; new workers keep the peak flat in N (they start with
the server's imports and warm-ups; only what they kept from earlier jobs is made again)."""


def ignore_file_size_signal() -> None:
    """``ulimit -f`` then gives an OSError (EFBIG) we can report instead of killing the process."""
    if hasattr(signal, "SIGXFSZ") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def init_worker(build_pid: int) -> None:
    """Pool initializer: survive ``ulimit -f`` as an error, and never outlive the build."""
    ignore_file_size_signal()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's handler: terminate() must end us
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog below still ends us
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, build_pid), name="bzmedia-watchdog",
                     daemon=True).start()


def _watch(parent: int, build_pid: int) -> None:
    from bzmedia.kitlock import process_alive

    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent or not process_alive(build_pid):
            os._exit(1)


@dataclass
class JobResult:
    """What a job made, measured in the worker (which has the files hot): records for the state."""

    records: list[dict[str, Any]]
    warnings: list[str]
    seconds: float


def run_job(builder: Builder, job: Job, root: Path, store: Store, kit_dir: Path | None = None) -> JobResult:
    """Make one job's files under ``root`` (the stage the kit is published from; tests: the kit
    itself); every failure comes back as a one-line BuildError naming the job.  A file the job
    kept as it is in the kit ``kit_dir`` (:meth:`JobContext.keep`) is recorded from there."""
    started = time.monotonic()
    ctx = JobContext(job, root, store, kit_dir)
    try:
        with scratch.kept_in(None if kit_dir is None else scratch_path(kit_dir)):
            outputs = builder.make(job, ctx)
        records = []
        for out in outputs:
            where = ctx.kit_dir if out.path in ctx.kept else root
            if not lexically_inside(out.path) or not (where / out.path).is_file():
                raise BuildError([f"{job.id}: " + _(
                    "builder {builder} reported {path} but did not write it").format(
                    builder=builder.name, path=out.path)])
            records.append(file_record(where, out.path, out.kind, job.locality, out.meta))
    except BuildError:
        raise
    except OSError as exc:
        raise BuildError([f"{job.id}: {os_problem(exc)}"]) from None
    except Exception as exc:  # a bug: one located line; the traceback is kept for -v
        import traceback

        raise BuildError([f"{job.id}: " + _("unexpected {error}: {reason}").format(
            error=type(exc).__name__, reason=exc)], details=(traceback.format_exc(),)) from None
    # The store reports the damaged entries it dropped (and remade) during this job.
    return JobResult(records, ctx.warnings + ctx.cache.take_warnings(), time.monotonic() - started)


Finish = Callable[[Job, Callable[[], JobResult]], None]


@dataclass
class _Queue:
    """Jobs waiting, per builder, handed out longest expected first."""

    known: Callable[[str], float | None]
    """Seconds a job took last time, by job id."""
    waiting: dict[str, deque[Job]] = field(default_factory=dict)
    took: dict[str, list[float]] = field(default_factory=dict)
    """Seconds of jobs finished in this build, per builder."""

    def add(self, jobs: list[Job]) -> None:
        for job in sorted(jobs, key=lambda j: -(self.known(j.id) or 0.0)):
            self.waiting.setdefault(job.builder, deque()).append(job)

    def __bool__(self) -> bool:
        return any(self.waiting.values())

    def learn(self, job: Job, seconds: float) -> None:
        self.took.setdefault(job.builder, []).append(seconds)

    def _estimate(self, job: Job, fallback: float) -> float:
        seconds = self.known(job.id)
        if seconds is None and self.took.get(job.builder):
            seconds = sum(self.took[job.builder]) / len(self.took[job.builder])
        return fallback if seconds is None else seconds

    def pop(self, probed: set[str]) -> Job:
        """A first job of a builder not yet measured, else the longest expected job."""
        heads = {name: queue[0] for name, queue in self.waiting.items() if queue}
        for name, head in heads.items():
            if name not in probed and self.known(head.id) is None and not self.took.get(name):
                probed.add(name)
                return self.waiting[name].popleft()
        means = [sum(v) / len(v) for v in self.took.values() if v]
        fallback = sum(means) / len(means) if means else 1.0
        name = max(heads, key=lambda n: self._estimate(heads[n], fallback))
        return self.waiting[name].popleft()


class JobRunner:
    """Runs jobs on one pool for the whole build (created on first need, closed by ``close``)."""

    def __init__(self, root: Path, kit_dir: Path, store: Store, workers: int,
                 known: Callable[[str], float | None]) -> None:
        self.root, self.kit_dir, self.store = root, kit_dir, store
        """Where the jobs write (the stage), and the kit it is published into (:func:`run_job`)."""
        self.workers = workers or _cores()
        self.known = known
        self._pool: futures.ProcessPoolExecutor | None = None
        self._retired: list[tuple[futures.ProcessPoolExecutor, dict]] = []
        self._taken = 0
        """Jobs given to the current pool."""
        self._preload: list[str] = []
        """What the fork server loads: set by the first run that needs a pool."""
        self._server = False
        """True once this build started a fork server (``close`` stops it)."""
        self.broken = False

    def start(self, jobs: list[Job], builders: dict[str, Builder]) -> None:
        """Start the workers' server loading what ``jobs`` need, without waiting for it: called
        before the preflight, which then runs while the server imports (both serial steps before
        the first job).  Nothing when the jobs will run in this process."""
        if self._preload or self._here(jobs, builders):
            return
        from bzmedia.prewarm import modules_for

        # later stages (the kit) reuse the server: it loads what they need too
        self._preload = modules_for({job.builder for job in jobs}
                                    | {name for name, b in builders.items() if not b.channel})
        if _worker_context(self._preload).get_start_method() == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()  # spawns it and returns; it imports on its own
            self._server = True

    def run(self, jobs: list[Job], builders: dict[str, Builder], finish: Finish) -> None:
        """Run ``jobs``; ``finish(job, result)`` is called in this process as each one ends."""
        if self._here(jobs, builders):
            for job in jobs:
                finish(job, lambda job=job: run_job(builders[job.builder], job, self.root, self.store,
                                                    self.kit_dir))
            return
        import concurrent.futures as futures

        self.start(jobs, builders)
        queue = _Queue(self.known)
        queue.add(jobs)
        running: dict[futures.Future, Job] = {}
        probed: set[str] = set()
        while (queue and not self.broken) or running:
            # one job more than workers, so no worker waits while this process records a result
            while queue and not self.broken and len(running) < self.workers + 1:
                job = queue.pop(probed)
                running[self._submit(run_job, builders[job.builder], job)] = job
                self._taken += 1
            done, _ = futures.wait(running, return_when=futures.FIRST_COMPLETED)
            for future in done:
                job = running.pop(future)
                finish(job, lambda future=future, job=job: self._result(future, job, queue))

    def _here(self, jobs: list[Job], builders: dict[str, Builder]) -> bool:
        """True when ``jobs`` run in this process: one job, one worker, or (no pool started yet)
        light jobs known to be quicker than starting one.  Last time's seconds alone do not say
        it: a job runs because its key changed (a spot's text), and may then do what it did not
        do last time (speech, online), one after another here, where a crash in C ends the build."""
        if len(jobs) <= 1 or self.workers <= 1:
            return True
        if self._preload or not all(job.name in builders[job.builder].light_jobs for job in jobs):
            return False
        total = 0.0
        for job in jobs:
            seconds = self.known(job.id)
            if seconds is None:
                return False
            total += seconds
        return total < IN_PROCESS_SECONDS

    def _submit(self, function, builder: Builder, job: Job) -> futures.Future:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._get_pool().submit(function, builder, job, self.root, self.store, self.kit_dir)
        except (BrokenProcessPool, EOFError, ConnectionError):  # the fork server died outright
            raise self._worker_died(job) from None

    def _result(self, future: futures.Future, job: Job, queue: _Queue) -> JobResult:
        from concurrent.futures.process import BrokenProcessPool

        try:
            result = future.result()
        except BrokenProcessPool:
            raise self._worker_died(job) from None
        except BuildError:
            raise
        except Exception as exc:  # the job could not even reach a worker (e.g. not picklable)
            raise BuildError([f"{job.id}: " + _("unexpected {error}: {reason}").format(
                error=type(exc).__name__, reason=exc)]) from None
        queue.learn(job, result.seconds)
        return result

    def _worker_died(self, job: Job) -> BuildError:
        self.broken = True  # nothing more can run on this pool; the build stops
        return BuildError([f"{job.id}: " + _(
            "a worker process ended unexpectedly (out of memory, or killed); run the build again")])

    def _get_pool(self) -> futures.ProcessPoolExecutor:
        import concurrent.futures as futures

        if self._pool is not None and self._taken >= RECYCLE_AFTER_JOBS:
            # Not ``max_tasks_per_child``: in 3.11-3.13 it can deadlock (CPython gh-115634).
            self._retire()
        if self._pool is None:
            self._taken = 0
            self._pool = futures.ProcessPoolExecutor(max_workers=self.workers,
                                                     mp_context=_worker_context(self._preload),
                                                     initializer=init_worker,
                                                     initargs=(os.getpid(),))
        return self._pool

    def close(self, wait: bool = True) -> None:
        """End the workers; ``wait=False`` when interrupted: running jobs are stopped, not awaited."""
        if self._pool is not None:
            self._retire(cancel=True)
        for _pool, processes in self._retired:
            for process in list(processes.values()):
                if not wait:  # the executor has no public way to stop a running job
                    process.terminate()
                process.join()  # a retired pool's shutdown no longer waits for its workers
        if self._retired or self._server:
            self._retired, self._server = [], False
            _stop_fork_server()

    def _retire(self, cancel: bool = False) -> None:
        """Take no more jobs on the current pool: its workers finish what they hold (unless
        ``cancel``: what they have not started is dropped), then exit."""
        pool, self._pool = self._pool, None
        # The executor forgets its processes on shutdown; ``close`` joins them from this dict,
        # which its manager thread keeps up to date.
        self._retired.append((pool, getattr(pool, "_processes", None) or {}))
        pool.shutdown(wait=False, cancel_futures=cancel)


def _worker_context(preload: list[str]):
    """The fork server where there is one (Linux, macOS), else the platform's default (spawn);
    the server imports ``preload`` before it forks (a module that is missing is skipped; the job
    that needs it says so)."""
    import multiprocessing

    # Each worker is one of the build's parallel jobs: a numpy product big enough to wake
    # OpenBLAS's own threads (262,144 multiply-adds) would put two threads on each core and cost
    # many times the CPU (40x measured on a 2-core machine).  Read when numpy loads, so set before
    # the server or a spawned worker imports it (here, in the build process's own environment,
    # which its later subprocesses inherit too: none of them wants more); a value the user set is
    # kept.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()
    if not _server_socket_fits():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload)
    return context


def _server_socket_fits() -> bool:
    """Whether the fork server's socket, in a new folder of the temporary folder, has a path
    AF_UNIX takes (at most 107 bytes): a long ``TMPDIR`` stopped every build with "AF_UNIX path
    too long".  Workers are then spawned, each importing what its jobs need."""
    import tempfile

    return len(os.fsencode(tempfile.gettempdir())) + len("/pymp-12345678/listener-12345678") <= 107


def _stop_fork_server() -> None:
    """Stop the fork server and wait for it, so the next build's starts afresh (its environment,
    folder and ``sys.path``) and its CPU time is counted as this process's children's."""
    import multiprocessing.forkserver as forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:  # a private helper of CPython's (3.8+); without it the server ends with us
        with contextlib.suppress(OSError, ChildProcessError):
            stop()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
