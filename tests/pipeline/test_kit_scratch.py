"""A build's temporary files live in the kit's scratch folder, ``<kit>/.bzmedia/scratch/``, not in
the system's temporary folder: what a killed job left there is removed by the next build, and a
link there (or in place of ``.bzmedia``) never takes a write, or a removal, out of the kit.

The real channels' case (signage frames of a build killed mid-encode, the system's temporary
folder left clean) is in ``tests/kit/test_kit_kill_resume.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from cli_helpers import run_cli
from pipeline_helpers import SCRIPT, NoteBuilder, build_notes, write_script

from bzmedia import scratch
from bzmedia.build import BuildOptions, build
from bzmedia.builder import Job, JobContext, Output
from bzmedia.campaign import load_campaign
from bzmedia.errors import BuildError
from bzmedia.kitstage import remove_tree


class TempNoteBuilder(NoteBuilder):
    """Notes that say where a job's temporary folder is made, as the signage and audio channels
    make theirs (:func:`bzmedia.scratch.temporary_folder`)."""

    name = "note"

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        outputs = super().make(job, ctx)
        if job.name == "note":
            with scratch.temporary_folder("bzmedia-frames-") as folder:
                scratch.write_temporary(Path(folder) / "drawn1.rgb", b"\0" * 1000)
                ctx.write(f"{job.locality}/note/temp.txt", folder)
            with ctx.cache.put(job.key, ".txt") as temp:  # as a channel files what it made
                temp.write_text(job.inputs["name"], encoding="utf-8")
            outputs.append(Output(f"{job.locality}/note/temp.txt", "note"))
        return outputs

    def jobs(self, plan):
        return [job if job.name != "note" else Job(job.builder, job.locality, job.name, job.inputs,
                                                   job.key, (f"{job.locality}/note/",), job.where)
                for job in super().jobs(plan)]


def tree(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.lstat().st_mtime_ns) for p in folder.rglob("*"))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_jobs_temporary_files_are_made_in_the_kit_and_removed_with_the_build(tmp_path, workers):
    from bzmedia.kit.builder import KitBuilder

    system_temp = Path(tempfile.gettempdir())
    before = {p.name for p in system_temp.glob("bzmedia-frames-*")}
    build_notes(tmp_path, builders=[TempNoteBuilder(), KitBuilder()], workers=workers)
    kit = tmp_path / "out" / "demo"
    for locality in ("son-vi", "tu-xa"):
        made_in = Path((kit / locality / "note/temp.txt").read_text(encoding="utf-8"))
        assert made_in.parent == kit / ".bzmedia" / "scratch"
    assert not (kit / ".bzmedia/scratch").exists()  # the build removed it
    assert {p.name for p in system_temp.glob("bzmedia-frames-*")} == before
    assert scratch._folder is None  # the build process's own setting is back


def test_the_caches_fallback_folder_stays_in_the_systems_temporary_folder(tmp_path, monkeypatch):
    """With the configured cache unwritable, the build uses one in the system's temporary folder,
    for later builds to reuse; it was made in the kit's scratch folder (and deleted with it), and
    the sweep after the build wrote its record there, outside the lock."""
    from bzmedia.kit.builder import KitBuilder

    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    (tmp_path / "a-file").write_text("not a folder")
    campaign, _ = load_campaign(write_script(tmp_path))
    options = BuildOptions(output_root=tmp_path / "out", cache_dir=tmp_path / "a-file" / "cache", workers=1)
    report = build(campaign, options, builders=[TempNoteBuilder(), KitBuilder()])
    kit = tmp_path / "out" / "demo"
    assert any(f"used a temporary cache in {system_temp}" in w for w in report.warnings), report.warnings
    assert not (kit / ".bzmedia/scratch").exists()


def test_what_a_killed_build_left_in_the_scratch_goes_and_a_link_there_is_not_followed(tmp_path):
    build_notes(tmp_path)
    kit = tmp_path / "out" / "demo"
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "photo.jpg").write_bytes(b"a photo")
    scratch = kit / ".bzmedia" / "scratch"
    (scratch / "bzmedia-frames-x1y2z3").mkdir(parents=True)
    (scratch / "bzmedia-frames-x1y2z3" / "drawn1.rgb").write_bytes(b"\0" * 6_220_800)
    (scratch / "pictures").symlink_to(precious, target_is_directory=True)
    before = tree(precious)
    report = build_notes(tmp_path)
    assert report.ran == []  # nothing to make: the scratch is cleared all the same
    assert not scratch.exists()
    assert tree(precious) == before


def test_a_scratch_that_is_a_link_is_removed_and_no_job_writes_through_it(tmp_path):
    from bzmedia.kit.builder import KitBuilder

    build_notes(tmp_path, builders=[TempNoteBuilder(), KitBuilder()])
    kit = tmp_path / "out" / "demo"
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "photo.jpg").write_bytes(b"a photo")
    (kit / ".bzmedia" / "scratch").symlink_to(precious, target_is_directory=True)
    before = tree(precious)
    report = build_notes(tmp_path, SCRIPT.replace('"xã Sơn Vi"', '"xã Sơn Vi mới"'),
                         builders=[TempNoteBuilder(), KitBuilder()])
    assert "note/son-vi/note" in report.ran
    assert tree(precious) == before
    made_in = Path((kit / "son-vi/note/temp.txt").read_text(encoding="utf-8"))
    assert made_in.parent == kit / ".bzmedia" / "scratch" and not made_in.exists()


def test_remove_tree_of_a_link_removes_the_link_only(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "photo.jpg").write_bytes(b"a photo")
    link = tmp_path / "link"
    link.symlink_to(precious, target_is_directory=True)
    remove_tree(link)
    assert not link.exists() and not link.is_symlink()
    assert (precious / "photo.jpg").read_bytes() == b"a photo"
    remove_tree(tmp_path / "absent")  # nothing there: nothing to do


def linked_records(tmp_path: Path) -> tuple[Path, Path, list[tuple[str, int]]]:
    """A built kit whose ``.bzmedia`` was moved elsewhere and linked back."""
    build_notes(tmp_path)
    kit = tmp_path / "out" / "demo"
    elsewhere = tmp_path / "elsewhere"
    (kit / ".bzmedia").rename(elsewhere)
    (kit / ".bzmedia").symlink_to(elsewhere, target_is_directory=True)
    return kit, elsewhere, tree(elsewhere)


def test_a_bzmedia_folder_that_is_a_link_stops_the_build_before_anything_is_written(tmp_path):
    kit, elsewhere, before = linked_records(tmp_path)
    kit_before = tree(kit)
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, builders=[TempNoteBuilder()])
    assert caught.value.messages == [
        f"{kit / '.bzmedia'}: is a link; bzmedia keeps a kit's build records in a folder of its own "
        "inside the kit and does not write through a link: remove the link (the folder is made again)"]
    assert tree(elsewhere) == before  # no lock, no stage, no scratch made through the link
    assert tree(kit) == kit_before


def test_the_cli_names_a_linked_bzmedia_folder_and_exits_1(tmp_path):
    kit, elsewhere, before = linked_records(tmp_path)
    script = write_script(tmp_path)
    result = run_cli("build", str(script), "-o", str(tmp_path / "out"), "--only", "print",
                     BZMEDIA_CACHE=str(tmp_path / "cache"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{kit / '.bzmedia'}: is a link; bzmedia keeps a kit's build records in a folder of its own "
        "inside the kit and does not write through a link: remove the link (the folder is made again)")
    assert "Traceback" not in result.stderr
    assert tree(elsewhere) == before


def test_a_temporary_folder_too_deep_for_the_fork_servers_socket_still_builds_in_workers(tmp_path,
                                                                                       monkeypatch):
    """The fork server listens on a socket in a new folder of the temporary folder; with TMPDIR
    deeper than AF_UNIX's 107 bytes every build stopped: "cannot read or write: AF_UNIX path too
    long".  The workers are then spawned instead."""
    import json
    import os

    from pipeline_helpers import ProcessNoteBuilder

    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    build_notes(tmp_path, builders=[ProcessNoteBuilder()], workers=2)
    made = json.loads((tmp_path / "out/demo/son-vi/note/note.txt").read_text(encoding="utf-8"))
    assert made["pid"] != os.getpid()  # in a worker
