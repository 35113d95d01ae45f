"""Issue 11: one pool for the whole build, long jobs first, state saved every couple of seconds."""

from __future__ import annotations

from pipeline_helpers import SCRIPT, NoteBuilder, build_notes

from bzmedia.builder import Job, JobContext, Output
from bzmedia.buildpool import _Queue


class PidNoteBuilder(NoteBuilder):
    """Notes and indexes that say which process made them."""

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        import os

        rel = f"{job.locality}/note/{job.name}.txt"
        ctx.write(rel, str(os.getpid()))
        return [Output(rel, "note")]


def job(builder: str, name: str) -> Job:
    return Job(builder, "x", name, None, name)


def test_one_pool_serves_every_group_of_the_build(tmp_path):
    from bzmedia.kit.builder import KitBuilder

    build_notes(tmp_path, builders=[PidNoteBuilder(), KitBuilder()], workers=2)
    kit = tmp_path / "out" / "demo"
    pids = {p.read_text() for p in kit.glob("*/note/*.txt")}
    assert len(pids) <= 2  # making and publishing jobs ran in the same two workers


def test_the_longest_jobs_known_from_the_last_build_go_first():
    seconds = {"p1": 1.0, "p2": 1.0, "s1": 9.0, "s2": 8.0, "a1": 3.0}
    queue = _Queue(lambda job_id: seconds.get(job_id.rsplit("/", 1)[1]))
    queue.add([job("print", "p1"), job("print", "p2"), job("audio", "a1"), job("signage", "s2"),
               job("signage", "s1")])
    order = [queue.pop(set()).name for _ in range(5)]
    assert order == ["s1", "s2", "a1", "p1", "p2"]


def test_a_builder_never_measured_is_probed_first_then_ranked_by_what_it_took():
    queue = _Queue(lambda _job_id: None)
    queue.add([job("print", f"p{i}") for i in range(3)] + [job("signage", f"s{i}") for i in range(3)])
    probed: set[str] = set()
    first = [queue.pop(probed), queue.pop(probed)]
    assert [j.name for j in first] == ["p0", "s0"]  # one of each, to learn their cost
    queue.learn(first[0], 0.5)
    queue.learn(first[1], 6.0)
    assert [queue.pop(probed).name for _ in range(4)] == ["s1", "s2", "p1", "p2"]


def test_state_is_not_rewritten_after_every_job(tmp_path, monkeypatch):
    from bzmedia.buildstate import BuildState

    saves = []
    original = BuildState.save
    monkeypatch.setattr(BuildState, "save", lambda self: (saves.append(1), original(self)))
    many = SCRIPT + "".join(f'  - {{id: xa-{i}, name: "xã {i}"}}\n' for i in range(40))
    report = build_notes(tmp_path, many, workers=1)
    assert len(report.ran) == 85
    assert len(saves) <= 3  # at the end (and every 2 s on a slow machine), not 85 times
