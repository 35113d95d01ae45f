"""Small real channels for the pipeline's fault-injection tests, and a tiny campaign.

``NoteBuilder`` writes one text file per locality (a making job) and one index listing them (a
publishing job, like a schedule or playlist).  A locality whose name ends in ``!`` fails, as a
spot fails when the voice service is offline.  ``SlowBuilder`` sleeps in its workers, so a test
can kill the build while they run.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from bzmedia.build import BuildOptions, build
from bzmedia.builder import Builder, Job, JobContext, Output, Plan
from bzmedia.campaign import load_campaign
from bzmedia.errors import BuildError

SCRIPT = """\
campaign:
  id: demo
  title: "Cài đặt Bluezone"
  issuer: "UBND huyện Lâm Thao"
  url: https://www.bluezone.gov.vn
localities:
  - {id: son-vi, name: "xã Sơn Vi"}
  - {id: tu-xa, name: "xã Tứ Xã"}
"""


class NoteBuilder(Builder):
    """``<loc>/note/note.txt`` per locality, and ``<loc>/note/index.txt`` publishing it."""

    name = "note"

    def jobs(self, plan: Plan) -> list[Job]:
        jobs = []
        for loc in plan.localities:
            jobs.append(self.job(loc.id, "note", {"name": loc.name}, (f"{loc.id}/note/note.txt",)))
            jobs.append(self.job(loc.id, "index", {"name": loc.name}, (f"{loc.id}/note/index.txt",),
                                 publish=True))
        return jobs

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        rel = f"{job.locality}/note/{job.name}.txt"
        if job.name == "note":
            if job.inputs["name"].endswith("!"):
                raise BuildError([f"{job.locality}: the voice service cannot be reached"])
            ctx.write(rel, f"Thông báo cho {job.inputs['name']}\n")
        else:
            ctx.write(rel, f"note.txt ({job.inputs['name']})\n")
        return [Output(rel, "note")]


class SlowBuilder(NoteBuilder):
    """Every making job sleeps a minute in its worker (and says where it runs)."""

    name = "slow"

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        marker = Path(os.environ["BZMEDIA_TEST_PIDS"]) / str(os.getpid())
        marker.write_text(job.id)
        time.sleep(60)
        return super().make(job, ctx)


class ProcessNoteBuilder(NoteBuilder):
    """Notes that say where they were made: process, parent, peak memory (kB), folder, and
    ``$BZMEDIA_TEST_MARK``."""

    name = "where"

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        status = Path("/proc/self/status").read_text().splitlines()
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
        rel = f"{job.locality}/note/{job.name}.txt"
        ctx.write(rel, json.dumps({"pid": os.getpid(), "parent": os.getppid(), "peak_kb": peak,
                                   "cwd": os.getcwd(), "mark": os.environ.get("BZMEDIA_TEST_MARK")}))
        return [Output(rel, "note")]


def write_script(folder: Path, text: str = SCRIPT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "c.yaml"
    script.write_text(text, encoding="utf-8")
    return script


def build_notes(folder: Path, text: str = SCRIPT, builders=None, **options):
    """Build the campaign ``text`` with the note channel and the real kit stage into folder/out."""
    from bzmedia.kit.builder import KitBuilder

    campaign, _ = load_campaign(write_script(folder, text))
    opts = BuildOptions(output_root=folder / "out", cache_dir=folder / "cache", **options)
    return build(campaign, opts, builders=builders or [NoteBuilder(), KitBuilder()])


def snapshot(kit: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the kit but the build's own records: bytes and mtime."""
    return {str(p.relative_to(kit)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(kit.rglob("*")) if p.is_file() and ".bzmedia" not in p.parts}


class BigNoteBuilder(NoteBuilder):
    """Notes of 2 MB: enough to fill a small disk or pass a file-size limit."""

    name = "note"

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        rel = f"{job.locality}/note/{job.name}.txt"
        ctx.write(rel, b"x" * (2 << 20))
        return [Output(rel, "note")]


class CrashBuilder(NoteBuilder):
    """A channel with a bug: its making jobs divide by zero."""

    name = "crash"

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        if job.name == "note":
            return [Output(str(1 / 0), "note")]
        return super().make(job, ctx)
