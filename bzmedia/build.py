"""The build pipeline: plan -> jobs -> run (process pool) -> manifest, incremental by content hash.

Only this module and :mod:`bzmedia.cache` decide what is stale.  What earlier builds made is in
``<kit>/.bzmedia/state.json`` (:mod:`bzmedia.buildstate`).  A job whose key is unchanged and whose
files are untouched is not run again; its files stay listed.

Before the first job that fits text runs (print, signage), the preflight fits every such text
(:func:`check_before_running`), so an unfit text stops the build at once with validate's messages.
Order, so that a failed build publishes nothing: every job writes into the stage
(:mod:`bzmedia.kitstage`), not the kit.  First every channel's making jobs, then the channels'
publishing jobs (``Job.publish``: indexes of other jobs' files), then the later stages (the kit:
previews, charts, the page); if one fails, the build stops there and the kit is as the last
successful build left it, every file of it.  Only when all succeeded are the staged files moved
into the kit, the files of jobs the plan no longer has (and files jobs no longer make) deleted and
``manifest.json`` written.

The state is saved every :data:`SAVE_SECONDS` or more (:data:`SAVE_SHARE`) and when the build
ends, however it ends; a build killed outright makes again only the jobs of its last seconds.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bzmedia.builder import Builder, Job, Plan
from bzmedia.buildinputs import file_stamp
from bzmedia.buildinputs import forget as forget_inputs
from bzmedia.buildpool import JobResult, JobRunner, ignore_file_size_signal
from bzmedia.buildstate import BuildState, published_before, scratch_path, stage_path
from bzmedia.cache import (
    Store,
    atomic_write,
    default_cache_dir,
    fingerprint_memo,
    merge_warnings,
)
from bzmedia.cachesweep import SweepReport, configured_limit, sweep
from bzmedia.campaign.model import Campaign
from bzmedia.campaign.variables import for_locality
from bzmedia.errors import BuildError
from bzmedia.i18n import N_, _, ngettext
from bzmedia.kitlock import KitLock
from bzmedia.kitstage import publish, remove_tree, staged_files, sweep_partials, to_publish, trusted_stage
from bzmedia.oserrors import os_problem, with_filename

BUILDERS = (
    "bzmedia.audio.builder:AudioBuilder",
    "bzmedia.printing.builder:PrintBuilder",
    "bzmedia.signage.builder:SignageBuilder",
    "bzmedia.messages.builder:MessagesBuilder",
    "bzmedia.kit.builder:KitBuilder",
)
"""The one registry, as ``module:Class`` (cheap to import: builders load heavy libraries inside
``make``).  ``--only`` and the channel names come from each class's ``name`` and ``channel``."""

SAVE_SECONDS = 2.0
"""Shortest time between two saves of the state while jobs finish."""
SAVE_SHARE = 0.005
"""At most this share of the build's time goes to saving the state: a 120-commune state is 3.3 MB
(0.13 CPU-s a save, in the process the workers share the cores with), so saves are spaced further
apart as it grows (200 x a save's cost: 26 s at 120 communes, 2 CPU-s over a cold build instead of
8; a build killed outright makes again at most that much of its work)."""

# Outcomes are msgids: BuildError.show translates them.
UNCHANGED = N_("nothing was published, the previous kit is unchanged")
NO_KIT = N_("no kit was published")
HALF_PUBLISHED = N_("publishing was cut short, so the kit may be incomplete until a build succeeds")


def load_builders() -> list[Builder]:
    """Instances of every registered builder, in stage order; one that cannot load is an error."""
    found = []
    for spec in BUILDERS:
        module_name, class_name = spec.split(":")
        try:
            found.append(getattr(importlib.import_module(module_name), class_name)())
        except Exception as exc:  # an install or programming problem, named in one line
            raise BuildError([_("cannot load builder {builder}: {error}: {reason}").format(
                builder=spec, error=type(exc).__name__, reason=exc)]) from None
    return sorted(found, key=lambda b: b.stage)


def channel_names(builders: Iterable[Builder] | None = None) -> list[str]:
    """What ``--only`` accepts: the names of the channel builders, in registry order."""
    return [b.name for b in (load_builders() if builders is None else builders) if b.channel]


@dataclass
class BuildOptions:
    """What the user asked of this build."""

    output_root: Path = Path("output")
    only: tuple[str, ...] = ()
    locality: tuple[str, ...] = ()
    workers: int = 0
    """0 means one per core."""
    cache_dir: Path | None = None
    after_success: Callable[[BuildReport, BuildState], None] | None = None
    """Called inside the kit lock once the build succeeded (the CLI records its inputs)."""


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
    swept: SweepReport | None = None
    """What the cache sweep after a successful full build did (None: no sweep)."""


class Progress:
    """Told how many jobs a stage plans and when each finishes; the CLI draws a bar from it."""

    def planned(self, count: int) -> None:
        """A stage planned ``count`` more jobs."""

    def finished(self, job: Job, ran: bool) -> None:
        """``job`` is done; ``ran`` is True when it made its files (False: up to date, or failed)."""


def build(campaign: Campaign, options: BuildOptions, progress: Progress | None = None,
          builders: list[Builder] | None = None) -> BuildReport:
    """Bring ``output/<campaign-id>/`` up to date; raises :class:`BuildError` on user problems.

    The error's ``report`` attribute is the report so far (its warnings are worth showing too).
    """
    started, started_wall = time.monotonic(), time.time()
    limit = configured_limit()  # a malformed BZMEDIA_CACHE_LIMIT stops the build before any work
    kit_dir = options.output_root / campaign.campaign.id
    report = BuildReport(kit_dir)
    builders = builders if builders is not None else load_builders()
    localities = _chosen_localities(campaign, options.locality)
    ignore_file_size_signal()
    try:
        with KitLock(kit_dir / ".bzmedia" / "lock") as lock:
            # whatever happens now, the next build must not skip its work
            forget_inputs(options.cache_dir or default_cache_dir(options.output_root), kit_dir)
            done = _Build(campaign, options, builders, localities, report, progress or Progress())
            done.run(lock)
            if options.after_success is not None:
                options.after_success(report, done.state)
    except BuildError as exc:
        exc.report = report
        raise
    if not options.only and not options.locality:  # a partial build does not know what is used
        _sweep_cache(options.cache_dir or default_cache_dir(options.output_root), started_wall, limit,
                     report)
    report.seconds = time.monotonic() - started
    return report


def _sweep_cache(cache_dir: Path, started: float, limit: float | None, report: BuildReport) -> None:
    """Keep the cache under its limit (:mod:`bzmedia.cachesweep`).  The kit is published by now:
    nothing the sweep meets fails the build."""
    try:
        report.swept = sweep(cache_dir, started, limit)
    except Exception as exc:  # housekeeping only: a bug here must not undo a good build
        report.warnings.append(_("cache: the sweep of {root} stopped: {error}: {reason}").format(
            root=cache_dir, error=type(exc).__name__, reason=exc))
        return
    warning = report.swept.warning()
    if warning:
        report.warnings.append(warning)


def _chosen_localities(campaign: Campaign, wanted: Iterable[str]):
    available = campaign.kit_localities()
    wanted = list(wanted)
    if not wanted:
        return available
    known = {loc.id for loc in available}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise BuildError([_("unknown locality '{id}'; the script has: {ids}").format(
            id=w, ids=", ".join(sorted(known))) for w in unknown])
    return [loc for loc in available if loc.id in wanted]


class _Build:
    """One build inside the kit lock: stages in order, stopping at the first failed group."""

    def __init__(self, campaign, options: BuildOptions, builders: list[Builder], localities,
                 report: BuildReport, progress: Progress) -> None:
        self.campaign, self.options, self.localities = campaign, options, localities
        self.builders = {b.name: b for b in builders if _wanted(b, options)}
        self.report, self.progress = report, progress
        self.kit_dir = report.kit_dir
        self.publishing = False
        """True once the kit's files may have begun to change (moving in, removing)."""
        self.failed: dict[str, BuildError] = {}
        self.last_save = time.monotonic()
        self.save_every = SAVE_SECONDS

    def run(self, lock: KitLock) -> None:
        self.had_kit = (self.kit_dir / "manifest.json").is_file()
        self.state = BuildState.load(self.kit_dir, self.report.warnings)
        self.force_publish = not self.state.published
        store = Store(self.options.cache_dir or default_cache_dir(self.options.output_root))
        self.stage = stage_path(self.kit_dir)
        self.runner = JobRunner(self.stage, self.kit_dir, store, self.options.workers, self.state.seconds)
        interrupted = True
        try:
            self.state.staged = trusted_stage(self.stage)
            remove_tree(scratch_path(self.kit_dir))  # a killed build's temporary files
            if lock.took_over or not self.state.published:  # an earlier build may have left parts
                sweep_partials(self.kit_dir)
            self._stages()
            interrupted = False
        except OSError as exc:
            interrupted = False
            raise BuildError([os_problem(exc)], self._outcome()) from None
        except BuildError as exc:
            interrupted = False
            raise BuildError(exc.messages, exc.outcome or self._outcome(), exc.details) from None
        finally:
            self.runner.close(wait=not interrupted)
            remove_tree(scratch_path(self.kit_dir))
            if self.state.dirty:  # so the next build resumes; a failure here leaves the old state
                with contextlib.suppress(OSError):
                    self.state.save()

    def _outcome(self) -> str:
        if self.publishing:
            return HALF_PUBLISHED
        return UNCHANGED if self.had_kit else NO_KIT

    def _stages(self) -> None:
        plan = Plan(self.campaign, self.localities,
                    {loc.id: for_locality(self.campaign, loc) for loc in self.localities})
        stale: set[str] = set()
        current: set[str] = set()
        stages = sorted({b.stage for b in self.builders.values()})
        for stage in stages:
            names = {b.name for b in self.builders.values() if b.stage == stage}
            # what earlier stages made (the first stage has none: 8,000 entries at 120 communes)
            plan.produced = self.state.manifest_entries(leave_out=stale) if stage != stages[0] else []
            with fingerprint_memo():  # the jobs of every commune share the same layouts
                jobs = [job for name in sorted(names, key=list(self.builders).index)
                        for job in _planned(self.builders[name], plan)]
            current |= {job.id for job in jobs}
            stale |= self._stale(names, current)
            self._run_group([j for j in jobs if not self._publishes(j)])
            self._run_group([j for j in jobs if self._publishes(j)])
        self._publish(stale)

    def _publishes(self, job: Job) -> bool:
        return job.publish or not self.builders[job.builder].channel

    def _stale(self, names: set[str], current: set[str]) -> set[str]:
        """Jobs of these builders the plan no longer has (a partial build keeps other localities')."""
        chosen = {loc.id for loc in self.localities}
        stale = set()
        for job_id in self.state.jobs:
            builder, locality, _ = job_id.split("/", 2)
            if builder not in names or job_id in current:
                continue
            if self.options.locality and locality not in chosen and locality != "*":
                continue
            stale.add(job_id)
        return stale

    def _run_group(self, jobs: list[Job]) -> None:
        """Run the jobs that are not current (writing into the stage); raise if any failed
        (nothing after them runs)."""
        self.report.planned += len(jobs)
        self.progress.planned(len(jobs))
        todo = []
        for job in jobs:
            forced = self.force_publish and self._publishes(job)
            if not forced and self.state.is_current(job.id, job.key):
                self.report.reused += 1
                self.progress.finished(job, False)
            else:
                todo.append(job)
        if not todo:
            return
        self.runner.start(todo, self.builders)  # the workers' server loads during the preflight
        check_before_running(self.campaign, self.localities, todo)
        self.state.published = False  # from here on the kit is not what the state last published
        self.state.dirty = True
        self.runner.run(todo, self.builders, self._finish)
        if self.failed:  # in plan order, whichever worker finished first
            failed = [(job.id, self.failed[job.id]) for job in todo if job.id in self.failed]
            raise BuildError(one_line_per_cause(failed),
                             details=tuple(d for _id, exc in failed for d in exc.details))

    def _promote(self) -> None:
        """Every job succeeded: move the staged files the state records into the kit (and drop
        the rest).  Those of jobs a partial build (``--only``, ``--locality``) does not plan too:
        the state, and so the manifest, already describes them as the kit's."""
        if not self.stage.exists():
            return
        records = {record["path"]: record for entry in self.state.jobs.values()
                   for record in entry["outputs"]}
        try:
            moving = to_publish(self.kit_dir, staged_files(self.stage), records)
            publish(self.kit_dir, moving, self._publishing_began)
        except OSError as exc:
            raise with_filename(exc, self.stage) from None
        self.state.staged = set()

    def _publishing_began(self) -> None:
        self.publishing = True

    def _finish(self, job: Job, result: Callable[[], JobResult]) -> None:
        try:
            made = result()
        except BuildError as exc:
            self.failed[job.id] = exc
        else:
            self.state.record(job.id, job.key, made.records, made.seconds)
            self.report.ran.append(job.id)
            # Each job's store counts its own damaged entries: the build says the sum once.
            self.report.warnings[:] = merge_warnings([*self.report.warnings, *made.warnings])
            if time.monotonic() - self.last_save >= self.save_every:
                started = time.monotonic()
                self.state.save()
                self.last_save = time.monotonic()
                self.save_every = max(SAVE_SECONDS, (self.last_save - started) / SAVE_SHARE)
        self.progress.finished(job, job.id not in self.failed)

    def _publish(self, stale: set[str]) -> None:
        """Everything ran: move the staged files in, delete files of jobs gone from the plan and
        files jobs no longer make, write the manifest, mark it."""
        self._promote()
        if (self.force_publish or self.report.ran) and not (self.options.only or self.options.locality):
            # What the kit's manifest lists and no job makes now is not the kit's any more: none
            # when the records are whole, but a commune taken out after they were lost (deleted,
            # damaged) has no job to forget.  Only a full build knows every job of the kit.
            self.state.dropped |= published_before(self.kit_dir, leave_out=self.state.listed())
        self.publishing = self.publishing or bool(stale or self.state.dropped)
        self.report.removed = self.state.forget(stale)
        manifest = self.kit_dir / "manifest.json"
        if (not self.state.published or self.state.dirty or self.report.removed
                or self.state.manifest_stamp != file_stamp(manifest)):
            # otherwise no job ran and none was dropped: what the manifest lists is what it says
            write_manifest(self.kit_dir, self.campaign, self.state)
            stamp = file_stamp(manifest)
            self.state.dirty |= stamp != self.state.manifest_stamp
            self.state.manifest_stamp = stamp
        if not self.state.published or self.state.dirty:
            self.state.published = True
            self.state.save()


def one_line_per_cause(failed: list[tuple[str, BuildError]]) -> list[str]:
    """The failed jobs' messages, in order, jobs that failed for the same reason on one line: a
    full or unwritable cache disk stops every running job with the same words (18 lines for the
    example, hundreds for a province), and the user needs them once, with how many jobs."""
    causes: dict[str, list[str]] = {}  # the message after the job's id -> the jobs that said it
    for job_id, exc in failed:
        for message in exc.messages:
            prefix = f"{job_id}: "
            cause, job = (message[len(prefix):], job_id) if message.startswith(prefix) else (message, "")
            causes.setdefault(cause, []).append(job)
    lines = []
    for cause, jobs in causes.items():
        if not jobs[0]:
            lines.append(cause)
        elif len(jobs) == 1:
            lines.append(f"{jobs[0]}: {cause}")
        else:
            others = len(jobs) - 1
            lines.append(ngettext("{job} and {count} other job: {cause}",
                                  "{job} and {count} other jobs: {cause}", others).format(
                job=jobs[0], count=others, cause=cause))
    return lines


def check_before_running(campaign: Campaign, localities, todo: list[Job]) -> None:
    """Fail fast: texts that will not fit their boxes stop the build before any job runs, with
    validate's grouped messages (only when a job that fits text is to run: a no-op build pays
    nothing, not even the import)."""
    from bzmedia.preflight import check_before_build

    check_before_build(campaign, localities, todo)


def _planned(builder: Builder, plan: Plan) -> list[Job]:
    """``builder``'s jobs; a bug while planning is one line naming the channel (-v: traceback)."""
    try:
        return builder.jobs(plan)
    except (BuildError, OSError):
        raise
    except Exception as exc:
        import traceback

        raise BuildError([_("{builder}: planning failed: unexpected {error}: {reason}").format(
            builder=builder.name, error=type(exc).__name__, reason=exc)],
                         details=(traceback.format_exc(),)) from None


def _wanted(builder: Builder, options: BuildOptions) -> bool:
    return not options.only or builder.name in options.only or not builder.channel


def write_manifest(kit_dir: Path, campaign: Campaign, state: BuildState) -> None:
    """``manifest.json``: every file of the kit, one per line; rewritten only when it changes.

    One line per file keeps it readable and greppable, and lets the fast C JSON encoder write a
    120-commune manifest in milliseconds (``indent`` would need the slow pure-Python one).
    """
    head = {"campaign": {"id": campaign.campaign.id, "title": campaign.campaign.title,
                         "issuer": campaign.campaign.issuer, "url": campaign.campaign.url},
            "localities": [{"id": loc.id, "name": loc.name} for loc in campaign.kit_localities()]}
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps with an
    # argument builds a new one per call, a third of the time for 8,000 lines
    lines = [f"  {encode(name)}: {encode(value)}," for name, value in head.items()]
    files = [encode({k: v for k, v in e.items() if k != "job"}) for e in state.manifest_entries()]
    listed = "[\n    " + ",\n    ".join(files) + "\n  ]" if files else "[]"
    text = "{\n" + "\n".join(lines) + f'\n  "files": {listed}\n}}\n'
    path = kit_dir / "manifest.json"
    try:
        unchanged = path.read_text(encoding="utf-8") == text
    except (OSError, ValueError):
        unchanged = False
    if not unchanged:
        try:
            atomic_write(path, text)
        except OSError as exc:
            raise with_filename(exc, path) from None
