"""Issue 10 item 2: nothing outside the kit is read or deleted because of what state.json says."""

from __future__ import annotations

import json
import os

import pytest
from pipeline_helpers import build_notes

ALL_JOBS = {"note/son-vi/note", "note/son-vi/index", "note/tu-xa/note", "note/tu-xa/index",
            "kit/*/page"}


def record(path: str) -> dict:
    return {"path": path, "kind": "note", "locality": "gone", "bytes": 5, "mtime_ns": 1,
            "sha256": "0" * 64, "meta": {}}


def edit_state(kit, change) -> None:
    path = kit / ".bzmedia" / "state.json"
    state = json.loads(path.read_text(encoding="utf-8"))
    change(state)
    path.write_text(json.dumps(state), encoding="utf-8")


def test_entries_naming_files_outside_the_kit_are_dropped_and_nothing_outside_is_touched(tmp_path):
    build_notes(tmp_path)
    kit = tmp_path / "out" / "demo"
    outside = tmp_path / "outside"
    outside.mkdir()
    sentinels = {name: outside / name for name in ("abs.txt", "up.txt", "back.txt", "link.txt",
                                                    "current.txt")}
    for sentinel in sentinels.values():
        sentinel.write_text("keep")
    (kit / "escape").symlink_to(outside, target_is_directory=True)
    evil = [str(sentinels["abs.txt"]), "../../outside/up.txt", "..\\..\\outside\\back.txt",
            "escape/link.txt", "C:/Windows/win.ini", "son-vi/note/\x00.txt", ".bzmedia/lock"]

    def add(state):
        for number, path in enumerate(evil):
            state["jobs"][f"note/gone-{number}/note"] = {"key": "k", "outputs": [record(path)]}
        # a job the plan still has, pointing outside: it must not be stat-ed or hashed either
        state["jobs"]["note/son-vi/note"]["outputs"].append(record("escape/current.txt"))

    edit_state(kit, add)
    report = build_notes(tmp_path)
    assert report.warnings == [f"{kit / '.bzmedia' / 'state.json'}: ignored 8 entries naming files "
                               "outside the kit (first: 'escape/current.txt'); "
                               "those files were not touched"]
    assert all(s.read_text() == "keep" for s in sentinels.values())
    assert report.removed == []
    assert report.ran == ["note/son-vi/note"]  # its entry was dropped, so it is made again
    assert not any("gone" in job for job in json.loads(
        (kit / ".bzmedia/state.json").read_text(encoding="utf-8"))["jobs"])


BAD_STATES = {
    "top-level list": "[]",
    "jobs as a list": '{"format": 1, "jobs": []}',
    "outputs as a string": '{"format": 1, "jobs": {"note/son-vi/note": {"key": "k", "outputs": "x"}}}',
    "record missing keys": '{"format": 1, "jobs": {"note/son-vi/note": {"key": "k", "outputs": [{}]}}}',
    "bytes as a string": json.dumps({"format": 1, "jobs": {"note/son-vi/note": {
        "key": "k", "outputs": [dict(record("son-vi/note/note.txt"), bytes="5")]}}}),
    "bytes as a boolean": json.dumps({"format": 1, "jobs": {"note/son-vi/note": {
        "key": "k", "outputs": [dict(record("son-vi/note/note.txt"), bytes=True)]}}}),
    "job id without slashes": '{"format": 1, "jobs": {"x": {"key": "k", "outputs": []}}}',
    "key not a string": '{"format": 1, "jobs": {"a/b/c": {"key": 1, "outputs": []}}}',
    "not JSON": "{format",
    "nested too deep": "[" * 100_000,
    "a folder": None,
    "a FIFO": "fifo",
}


@pytest.mark.parametrize("case", sorted(BAD_STATES))
def test_a_state_file_of_the_wrong_shape_means_one_warning_and_a_full_rebuild(tmp_path, case):
    build_notes(tmp_path)
    kit = tmp_path / "out" / "demo"
    path = kit / ".bzmedia" / "state.json"
    path.unlink()
    if BAD_STATES[case] is None:
        (path / "x").mkdir(parents=True)
    elif BAD_STATES[case] == "fifo":
        os.mkfifo(path)
    else:
        path.write_text(BAD_STATES[case], encoding="utf-8")
    report = build_notes(tmp_path)
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith(f"{path}: cannot use the record of earlier builds (")
    assert report.warnings[0].endswith("); every file will be made again")
    assert set(report.ran) == ALL_JOBS
    assert build_notes(tmp_path).ran == []  # and the new state is sound


def test_numbers_json_cannot_hold_reach_the_manifest_as_null(tmp_path):
    from pipeline_helpers import NoteBuilder

    from bzmedia.builder import Output
    from bzmedia.kit.builder import KitBuilder

    class SilentNote(NoteBuilder):
        def make(self, job, ctx):
            [out] = super().make(job, ctx)
            return [Output(out.path, out.kind, {"lufs": float("-inf"), "peaks": [float("nan"), 1.5]})]

    build_notes(tmp_path, builders=[SilentNote(), KitBuilder()], workers=1)  # a local class: no pickling
    manifest = json.loads((tmp_path / "out/demo/manifest.json").read_text(encoding="utf-8"),
                          parse_constant=lambda name: pytest.fail(f"manifest holds {name}"))
    note = next(f for f in manifest["files"] if f["kind"] == "note")
    assert note["lufs"] is None and note["peaks"] == [None, 1.5]


def test_a_kit_copied_without_its_times_is_hashed_once_not_by_every_build(tmp_path, monkeypatch):
    """Every file's bytes are checked after the copy (nothing is made again), and the new times
    are recorded, so the next build only stats them."""
    from bzmedia import cache

    build_notes(tmp_path)
    kit = tmp_path / "out" / "demo"
    files = [p for p in kit.rglob("*") if p.is_file() and ".bzmedia" not in p.parts]
    for path in files:
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    hashed = []
    real = cache.sha256_file
    monkeypatch.setattr(cache, "sha256_file", lambda path: hashed.append(str(path)) or real(path))
    report = build_notes(tmp_path)
    assert report.ran == [] and report.removed == []
    assert any("note" in path for path in hashed)
    hashed.clear()
    report = build_notes(tmp_path)
    assert report.ran == [] and not [path for path in hashed if "/note/" in path]
    edited = next(p for p in files if "/note/" in str(p))
    edited.write_text("changed by hand", encoding="utf-8")
    assert build_notes(tmp_path).ran  # a file really changed is still made again
