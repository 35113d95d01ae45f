"""The build pipeline: plan -> jobs -> run (process pool) -> manifest, incremental by content hash.

Only this module and :mod:`bzmedia.cache` decide what is stale.  State lives in
``<kit>/.bzmedia/state.json``: for every job its key and the files it made (size, mtime, sha256).
A job whose key is unchanged and whose files are untouched is not run again; its files stay listed.
State is saved after every job, so an interrupted build resumes where it stopped.
"""

from __future__ import annotations

import concurrent.futures as futures
import importlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bzmedia.builder import Builder, Job, JobContext, Output, Plan
from bzmedia.cache import Store, atomic_write, default_cache_dir, merge_warnings, sha256_file, sweep_partials
from bzmedia.campaign.model import Campaign
from bzmedia.campaign.variables import for_locality
from bzmedia.errors import BuildError
from bzmedia.kitlock import KitLock

BUILDERS = (
    "bzmedia.audio.builder:AudioBuilder",
    "bzmedia.printing.builder:PrintBuilder",
    "bzmedia.signage.builder:SignageBuilder",
    "bzmedia.kit.builder:KitBuilder",
)
"""Every channel, as ``module:Class``; a channel whose module is not there yet is skipped."""

CHANNELS = ("audio", "print", "signage")
"""Names ``--only`` accepts; the kit stage always runs after them."""


def load_builders() -> list[Builder]:
    """Instances of every available builder, in stage order."""
    found = []
    for spec in BUILDERS:
        module_name, class_name = spec.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that channel has not landed yet
            raise
        found.append(getattr(module, class_name)())
    return sorted(found, key=lambda b: b.stage)


@dataclass
class BuildOptions:
    """What the user asked of this build."""

    output_root: Path = Path("output")
    only: tuple[str, ...] = ()
    locality: tuple[str, ...] = ()
    workers: int = 0
    """0 means one per core."""
    cache_dir: Path | None = None


@dataclass
class BuildReport:
    """What a build did, for the CLI's summary line and for tests."""

    kit_dir: Path
    planned: int = 0
    ran: list[str] = field(default_factory=list)
    reused: int = 0
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Progress:
    """Told how many jobs a stage plans and when each finishes; the CLI draws a bar from it."""

    def planned(self, count: int) -> None:
        """A stage planned ``count`` more jobs."""

    def finished(self, job: Job, ran: bool) -> None:
        """``job`` is done; ``ran`` is False when its files were already up to date."""


def build(campaign: Campaign, options: BuildOptions, progress: Progress | None = None,
          builders: list[Builder] | None = None) -> BuildReport:
    """Bring ``output/<campaign-id>/`` up to date; raises :class:`BuildError` on user problems."""
    started = time.monotonic()
    kit_dir = options.output_root / campaign.campaign.id
    report = BuildReport(kit_dir)
    builders = builders if builders is not None else load_builders()
    localities = _chosen_localities(campaign, options.locality)
    store = Store(options.cache_dir or default_cache_dir(options.output_root))
    with KitLock(kit_dir / ".bzmedia" / "lock"):
        sweep_partials(kit_dir)
        state = BuildState.load(kit_dir)
        plan = Plan(campaign, localities, {loc.id: for_locality(campaign, loc) for loc in localities})
        runner = _Runner(kit_dir, store, state, report, options.workers, progress)
        for stage in sorted({b.stage for b in builders}):
            stage_builders = [b for b in builders if b.stage == stage and _wanted(b, options)]
            plan.produced = state.manifest_entries()
            jobs = [job for b in stage_builders for job in b.jobs(plan)]
            runner.run(jobs, {b.name: b for b in stage_builders})
            runner.prune({b.name for b in stage_builders}, {j.id for j in jobs}, localities, options)
        if runner.errors:
            state.save()
            raise BuildError(runner.errors)
        state.save()
        state.write_manifest(campaign)
    report.seconds = time.monotonic() - started
    return report


def _wanted(builder: Builder, options: BuildOptions) -> bool:
    return not options.only or builder.name in options.only or builder.name not in CHANNELS


def _chosen_localities(campaign: Campaign, wanted: Iterable[str]):
    available = campaign.kit_localities()
    wanted = list(wanted)
    if not wanted:
        return available
    known = {loc.id for loc in available}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise BuildError([f"unknown locality '{w}'; the script has: {', '.join(sorted(known))}"
                          for w in unknown])
    return [loc for loc in available if loc.id in wanted]


class BuildState:
    """What earlier builds made: job id -> key and output records. Saved atomically."""

    def __init__(self, kit_dir: Path, jobs: dict[str, dict[str, Any]]) -> None:
        self.kit_dir = kit_dir
        self.jobs = jobs

    @classmethod
    def load(cls, kit_dir: Path) -> BuildState:
        path = kit_dir / ".bzmedia" / "state.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            jobs = data["jobs"] if data.get("format") == 1 else {}
        except (OSError, ValueError, KeyError, TypeError):
            jobs = {}  # no or unreadable state: everything is rebuilt, which is always safe
        return cls(kit_dir, jobs)

    def save(self) -> None:
        atomic_write(self.kit_dir / ".bzmedia" / "state.json",
                     json.dumps({"format": 1, "jobs": self.jobs}, ensure_ascii=False, indent=1))

    def is_current(self, job: Job) -> bool:
        """True when the job's key is unchanged and every file it made is still as it was."""
        entry = self.jobs.get(job.id)
        if not entry or entry["key"] != job.key:
            return False
        for record in entry["outputs"]:
            path = self.kit_dir / record["path"]
            try:
                stat = path.stat()
            except OSError:
                return False
            if stat.st_size != record["bytes"]:
                return False
            if stat.st_mtime_ns != record["mtime_ns"] and sha256_file(path) != record["sha256"]:
                return False
        return True

    def record(self, job: Job, outputs: list[Output]) -> None:
        records = []
        for out in outputs:
            path = self.kit_dir / out.path
            stat = path.stat()
            records.append({"path": out.path, "kind": out.kind, "locality": job.locality,
                            "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                            "sha256": sha256_file(path), "meta": out.meta})
        self.jobs[job.id] = {"key": job.key, "outputs": records}

    def manifest_entries(self) -> list[dict[str, Any]]:
        entries = []
        for job_id in sorted(self.jobs):
            for record in self.jobs[job_id]["outputs"]:
                entry = {k: record[k] for k in ("path", "kind", "locality", "bytes", "sha256")}
                entry.update(record["meta"])
                entry["job"] = job_id
                entries.append(entry)
        return sorted(entries, key=lambda e: e["path"])

    def write_manifest(self, campaign: Campaign) -> None:
        """``manifest.json``: every file of the kit; rewritten only when its content changes."""
        manifest = {
            "campaign": {"id": campaign.campaign.id, "title": campaign.campaign.title,
                         "issuer": campaign.campaign.issuer, "url": campaign.campaign.url},
            "localities": [{"id": loc.id, "name": loc.name} for loc in campaign.kit_localities()],
            "files": [{k: v for k, v in e.items() if k != "job"} for e in self.manifest_entries()],
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        path = self.kit_dir / "manifest.json"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            atomic_write(path, text)


class _Runner:
    """Runs the jobs that are not current, in a process pool when there is more than one."""

    def __init__(self, kit_dir, store, state, report, workers, progress) -> None:
        self.kit_dir, self.store, self.state, self.report = kit_dir, store, state, report
        self.workers = workers or os.cpu_count() or 1
        self.progress = progress or Progress()
        self.errors: list[str] = []

    def run(self, jobs: list[Job], builders: dict[str, Builder]) -> None:
        self.report.planned += len(jobs)
        self.progress.planned(len(jobs))
        todo = []
        for job in jobs:
            if self.state.is_current(job):
                self.report.reused += 1
                self.progress.finished(job, False)
            else:
                todo.append(job)
        if len(todo) > 1 and self.workers > 1:
            with futures.ProcessPoolExecutor(max_workers=min(self.workers, len(todo))) as pool:
                pending = {pool.submit(run_job, builders[j.builder], j, self.kit_dir, self.store): j
                           for j in todo}
                for done in futures.as_completed(pending):
                    self._finish(pending[done], done.result)
        else:
            for job in todo:
                self._finish(job, lambda job=job: run_job(builders[job.builder], job, self.kit_dir,
                                                          self.store))

    def _finish(self, job: Job, result: Callable[[], tuple[list[Output], list[str]]]) -> None:
        try:
            outputs, warnings = result()
        except BuildError as exc:
            self.errors.extend(exc.messages)
            self.state.jobs.pop(job.id, None)
        else:
            self.state.record(job, outputs)
            self.state.save()  # so an interrupted build resumes after this job
            self.report.ran.append(job.id)
            # merge_warnings: each job's store reports its own damaged entries; say the sum once.
            self.report.warnings[:] = merge_warnings([*self.report.warnings, *warnings])
        self.progress.finished(job, True)

    def prune(self, builder_names, current_ids, localities, options: BuildOptions) -> None:
        """Forget jobs of these builders that the plan no longer has, and delete their files.

        Jobs of localities outside ``--locality`` are kept: a partial build removes nothing else.
        """
        chosen = {loc.id for loc in localities}
        kept_paths = {r["path"] for job_id in current_ids if job_id in self.state.jobs
                      for r in self.state.jobs[job_id]["outputs"]}
        for job_id in list(self.state.jobs):
            builder, locality, _ = job_id.split("/", 2)
            if builder not in builder_names or job_id in current_ids:
                continue
            if options.locality and locality not in chosen and locality != "*":
                continue
            for record in self.state.jobs.pop(job_id)["outputs"]:
                if record["path"] not in kept_paths:
                    (self.kit_dir / record["path"]).unlink(missing_ok=True)
                    self.report.removed.append(record["path"])


def run_job(builder: Builder, job: Job, kit_dir: Path, store: Store):
    """Make one job's files (in a worker process); returns its outputs and warnings."""
    ctx = JobContext(job, kit_dir, store)
    outputs = builder.make(job, ctx)
    for out in outputs:
        if not (kit_dir / out.path).is_file():
            raise RuntimeError(f"builder {builder.name} reported {out.path} but did not write it")
    return outputs, ctx.warnings + store.take_warnings()
