"""The build pipeline: incremental by content hash, parallel, atomic, locked.

``GreetingBuilder`` is a real (if tiny) channel written for these tests: it writes one text file
per locality, so the pipeline's decisions (what is stale, what is removed) can be observed exactly.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from bzmedia.build import BuildOptions, build
from bzmedia.builder import Builder, Job, JobContext, Output, Plan
from bzmedia.cache import PART_SUFFIX, sha256_file
from bzmedia.campaign import BuildError, load_campaign
from bzmedia.kitlock import KitLock

SCRIPT = """\
campaign:
  id: demo
  title: "Cài đặt Bluezone"
  issuer: "UBND huyện Lâm Thao"
  url: https://www.bluezone.gov.vn
variables: {greeting: "Xin chào"}
localities:
  - {id: son-vi, name: "xã Sơn Vi"}
  - {id: tu-xa, name: "xã Tứ Xã"}
  - {id: hung-son, name: "thị trấn Hùng Sơn"}
"""


class GreetingBuilder(Builder):
    """Writes ``<locality>/greeting/hello.txt`` with the locality's name."""

    name = "greeting"

    def jobs(self, plan: Plan) -> list[Job]:
        return [self.job(loc.id, "hello", {"name": loc.name,
                                           "greeting": plan.resolved[loc.id].variables["greeting"]},
                         (f"{loc.id}/greeting",)) for loc in plan.localities]

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        if job.inputs["name"].endswith("!"):
            raise BuildError([f"{job.locality}: a name may not shout"])
        rel = f"{job.locality}/greeting/hello.txt"
        ctx.write(rel, f"{job.inputs['greeting']}, {job.inputs['name']}\n")
        return [Output(rel, "greeting", {"words": 4})]


class HalfWriteBuilder(GreetingBuilder):
    """Fails in the middle of writing, as a crash or a full disk would."""

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        with ctx.open_path(f"{job.locality}/greeting/hello.txt") as temp:
            temp.write_bytes(b"half")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(temp))


def make_campaign(tmp_path: Path, text: str = SCRIPT):
    script = tmp_path / "c.yaml"
    script.write_text(text, encoding="utf-8")
    return load_campaign(script)[0]


def run_build(tmp_path, campaign, builder=None, **options):
    opts = BuildOptions(output_root=tmp_path / "out", cache_dir=tmp_path / "cache", **options)
    return build(campaign, opts, builders=[builder or GreetingBuilder()])


def test_first_build_makes_every_job_and_lists_every_file(tmp_path):
    report = run_build(tmp_path, make_campaign(tmp_path), workers=2)
    assert sorted(report.ran) == ["greeting/hung-son/hello", "greeting/son-vi/hello",
                                  "greeting/tu-xa/hello"]
    kit = tmp_path / "out" / "demo"
    assert (kit / "son-vi/greeting/hello.txt").read_text(encoding="utf-8") == "Xin chào, xã Sơn Vi\n"
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["files"] if f["locality"] == "tu-xa")
    assert entry == {"path": "tu-xa/greeting/hello.txt", "kind": "greeting", "locality": "tu-xa",
                     "bytes": len("Xin chào, xã Tứ Xã\n".encode()),
                     "sha256": sha256_file(kit / "tu-xa/greeting/hello.txt"), "words": 4}


def test_second_build_does_no_work_and_leaves_files_alone(tmp_path):
    campaign = make_campaign(tmp_path)
    run_build(tmp_path, campaign)
    kit = tmp_path / "out" / "demo"
    before = {p: p.stat().st_mtime_ns for p in kit.rglob("*") if p.is_file() and ".bzmedia" not in p.parts}
    report = run_build(tmp_path, make_campaign(tmp_path))
    assert report.ran == [] and report.reused == 3
    after = {p: p.stat().st_mtime_ns for p in before}
    assert after == before  # not even manifest.json is rewritten


def test_only_what_changed_is_made_again(tmp_path):
    run_build(tmp_path, make_campaign(tmp_path))
    changed = SCRIPT.replace('name: "xã Tứ Xã"', 'name: "xã Tứ Xã mới"')
    report = run_build(tmp_path, make_campaign(tmp_path, changed))
    assert report.ran == ["greeting/tu-xa/hello"]
    report = run_build(tmp_path, make_campaign(tmp_path, changed.replace("Xin chào", "Chào")))
    assert len(report.ran) == 3  # a campaign variable touches every locality


def test_moving_lines_in_the_script_rebuilds_nothing(tmp_path):
    run_build(tmp_path, make_campaign(tmp_path))
    report = run_build(tmp_path, make_campaign(tmp_path, "# a new comment\n\n" + SCRIPT))
    assert report.ran == []


def test_a_damaged_or_deleted_file_is_made_again(tmp_path):
    run_build(tmp_path, make_campaign(tmp_path))
    kit = tmp_path / "out" / "demo"
    (kit / "son-vi/greeting/hello.txt").unlink()
    (kit / "tu-xa/greeting/hello.txt").write_text("sửa tay\n", encoding="utf-8")
    report = run_build(tmp_path, make_campaign(tmp_path))
    assert sorted(report.ran) == ["greeting/son-vi/hello", "greeting/tu-xa/hello"]


def test_removed_locality_loses_its_files_but_partial_builds_keep_others(tmp_path):
    run_build(tmp_path, make_campaign(tmp_path))
    kit = tmp_path / "out" / "demo"
    fewer = SCRIPT.replace('  - {id: hung-son, name: "thị trấn Hùng Sơn"}\n', "")
    report = run_build(tmp_path, make_campaign(tmp_path, fewer), locality=("son-vi",))
    assert report.ran == [] and report.removed == []
    assert (kit / "hung-son/greeting/hello.txt").exists()
    report = run_build(tmp_path, make_campaign(tmp_path, fewer))
    assert report.removed == ["hung-son/greeting/hello.txt"]
    assert not (kit / "hung-son/greeting/hello.txt").exists()
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(f["locality"] for f in manifest["files"]) == ["son-vi", "tu-xa"]


def test_every_failing_job_is_reported_and_the_rest_are_kept(tmp_path):
    shouting = SCRIPT.replace('"xã Sơn Vi"', '"xã Sơn Vi!"').replace('"xã Tứ Xã"', '"xã Tứ Xã!"')
    with pytest.raises(BuildError) as caught:
        run_build(tmp_path, make_campaign(tmp_path, shouting), workers=2)
    assert sorted(caught.value.messages) == ["son-vi: a name may not shout",
                                             "tu-xa: a name may not shout"]
    report = run_build(tmp_path, make_campaign(tmp_path))
    assert sorted(report.ran) == ["greeting/son-vi/hello", "greeting/tu-xa/hello"]  # hung-son kept


def test_a_failed_write_leaves_no_file_and_is_retried(tmp_path):
    with pytest.raises(BuildError) as caught:
        run_build(tmp_path, make_campaign(tmp_path), HalfWriteBuilder(), workers=1)
    kit = tmp_path / "out" / "demo"
    # the channel's files are written to the stage, so that is the path that could not be written
    staged = kit / ".bzmedia/stage/son-vi/greeting/hello.txt"
    assert caught.value.messages[0] == (f"greeting/son-vi/hello: {staged}: "
                                        f"cannot write: {os.strerror(errno.ENOSPC)}")
    assert caught.value.outcome == "no kit was published"
    leftovers = [p for p in kit.rglob("*") if p.is_file() and p.name != "state.json"]
    assert leftovers == []
    report = run_build(tmp_path, make_campaign(tmp_path))
    assert len(report.ran) == 3


def test_leftovers_of_an_interrupted_build_are_swept(tmp_path):
    run_build(tmp_path, make_campaign(tmp_path))
    leftover = tmp_path / "out/demo/son-vi/greeting" / f".hello.1234{PART_SUFFIX}.txt"
    leftover.write_bytes(b"half")
    (tmp_path / "out/demo/.bzmedia/lock").write_text("999999999")  # as a build killed outright
    run_build(tmp_path, make_campaign(tmp_path))
    assert not leftover.exists()


def test_a_running_build_locks_the_kit(tmp_path):
    kit = tmp_path / "out" / "demo"
    with KitLock(kit / ".bzmedia" / "lock"), pytest.raises(BuildError) as caught:
        run_build(tmp_path, make_campaign(tmp_path))
    host = os.uname().nodename
    assert caught.value.messages == [f"another build (process {os.getpid()} on {host}) is writing {kit}; "
                                     f"wait for it to finish; if no build is running, delete "
                                     f"{kit / '.bzmedia' / 'lock'}"]


def test_a_lock_left_by_a_dead_build_is_taken_over(tmp_path):
    lock = tmp_path / "out" / "demo" / ".bzmedia" / "lock"
    lock.parent.mkdir(parents=True)
    lock.write_text("999999999")
    report = run_build(tmp_path, make_campaign(tmp_path))
    assert len(report.ran) == 3 and not lock.exists()


def test_jobs_may_not_write_outside_their_folder(tmp_path):
    class Trespasser(GreetingBuilder):
        def make(self, job, ctx):
            ctx.write("index.html", "x")
            return []

    with pytest.raises(BuildError) as caught:
        run_build(tmp_path, make_campaign(tmp_path), Trespasser(), workers=1)
    assert caught.value.messages[0] == ("greeting/son-vi/hello: unexpected ValueError: "
                                        "job greeting/son-vi/hello may not write index.html "
                                        "(outside ('son-vi/greeting',))")
    assert "Traceback" in caught.value.details[0]  # shown with -v


def test_a_no_op_build_remakes_a_manifest_that_was_deleted_or_edited(tmp_path):
    """A build that runs nothing leaves manifest.json alone only while it is as the last build left
    it (size and mtime recorded in the state): deleted or edited by hand, it is written again."""
    run_build(tmp_path, make_campaign(tmp_path))
    manifest = tmp_path / "out" / "demo" / "manifest.json"
    written = manifest.read_text(encoding="utf-8")
    manifest.unlink()
    assert run_build(tmp_path, make_campaign(tmp_path)).ran == []
    assert manifest.read_text(encoding="utf-8") == written
    manifest.write_text(written.replace("tu-xa", "xx-xx"), encoding="utf-8")
    run_build(tmp_path, make_campaign(tmp_path))
    assert manifest.read_text(encoding="utf-8") == written
    state = json.loads((tmp_path / "out" / "demo" / ".bzmedia" / "state.json").read_text(encoding="utf-8"))
    assert state["manifest"] == [manifest.stat().st_size, manifest.stat().st_mtime_ns]
