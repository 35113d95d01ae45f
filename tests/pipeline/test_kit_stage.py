"""The stage: a channel's files reach the kit only when every channel job of the build succeeded
(:mod:`bzmedia.kitstage`)."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from pipeline_helpers import SCRIPT, NoteBuilder, build_notes, snapshot, write_script

from bzmedia.build import HALF_PUBLISHED, BuildOptions, build
from bzmedia.builder import Output
from bzmedia.cache import sha256_file
from bzmedia.campaign import load_campaign
from bzmedia.errors import BuildError
from bzmedia.kitstage import remove_tree, staged_files, to_publish

CONTENT = Path(__file__).resolve().parents[2] / "content"
RENAMED = SCRIPT.replace('"xã Tứ Xã"', '"xã Tứ Xã mới"')


class WithExtra(NoteBuilder):
    """Notes that also make ``extra.txt`` for a locality whose name has a ``+``."""

    def jobs(self, plan):
        return [replace(job, writes=(f"{job.locality}/note/",)) if job.name == "note" else job
                for job in super().jobs(plan)]

    def make(self, job, ctx):
        outputs = super().make(job, ctx)
        if job.name == "note" and "+" in job.inputs["name"]:
            ctx.write(f"{job.locality}/note/extra.txt", "extra\n")
            outputs.append(Output(f"{job.locality}/note/extra.txt", "note"))
        return outputs


def failed_build(tmp_path: Path) -> Path:
    """A built kit, then a build in which tu-xa's note is made (staged) and son-vi's fails."""
    build_notes(tmp_path)
    with pytest.raises(BuildError):
        build_notes(tmp_path, RENAMED.replace('"xã Sơn Vi"', '"xã Sơn Vi!"'), workers=1)
    return tmp_path / "out" / "demo"


def test_only_what_the_state_records_is_published_and_the_rest_of_the_stage_is_removed(tmp_path):
    kit = failed_build(tmp_path)
    stage = kit / ".bzmedia" / "stage"
    # What a job killed after writing but before its result was recorded leaves, a half-written
    # temporary, and a file nobody plans: none of them is any job's recorded file.
    (stage / "son-vi/note").mkdir(parents=True)
    (stage / "son-vi/note/note.txt").write_text("killed before it was recorded\n")
    (stage / "tu-xa/note/.note.1234.bzpart.txt").write_text("half")
    (stage / "stray.txt").write_text("stray")
    report = build_notes(tmp_path, RENAMED)
    assert "note/tu-xa/note" not in report.ran  # the staged note, as recorded, is published
    # son-vi's note is current in the kit (its record is the first build's): the stray staged
    # file under its name is not its recorded file, so it is not published
    assert "note/son-vi/note" not in report.ran
    assert (kit / "tu-xa/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Tứ Xã mới\n"
    assert (kit / "son-vi/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Sơn Vi\n"
    assert not stage.exists()
    assert not (kit / "stray.txt").exists() and not list(kit.rglob("*.bzpart*"))


def test_a_staged_file_changed_after_the_failed_build_is_made_again(tmp_path):
    kit = failed_build(tmp_path)
    staged = kit / ".bzmedia/stage/tu-xa/note/note.txt"
    staged.write_text("edited by hand\n", encoding="utf-8")
    report = build_notes(tmp_path, RENAMED)
    assert "note/tu-xa/note" in report.ran
    assert (kit / "tu-xa/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Tứ Xã mới\n"


def test_a_build_with_nothing_new_leaves_no_stage(tmp_path):
    build_notes(tmp_path)
    assert not (tmp_path / "out/demo/.bzmedia/stage").exists()
    assert build_notes(tmp_path).ran == []
    assert not (tmp_path / "out/demo/.bzmedia/stage").exists()


def test_every_place_in_the_way_is_named_at_once_and_nothing_moves(tmp_path):
    kit = tmp_path / "kit"
    stage = kit / ".bzmedia" / "stage"
    records = {}
    for path in ("a/x.txt", "a/y.txt", "b/c/z.txt", "d.txt", "e/f.txt"):
        (stage / path).parent.mkdir(parents=True, exist_ok=True)
        (stage / path).write_text(path)
        info = (stage / path).stat()
        records[path] = {"bytes": info.st_size, "mtime_ns": info.st_mtime_ns}
    kit.joinpath("a").write_text("a file where a folder belongs")
    kit.joinpath("b").mkdir()
    kit.joinpath("b/c").write_text("another")
    kit.joinpath("d.txt").mkdir()  # a folder where a file belongs
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kit.joinpath("e").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BuildError) as caught:
        to_publish(kit, staged_files(stage), records)
    assert caught.value.messages == [
        f"{kit / 'a'}: is a file, but a folder is needed there; move or delete it",
        f"{kit / 'b/c'}: is a file, but a folder is needed there; move or delete it",
        f"{kit / 'e'}: this folder leads outside the kit (a link); the kit's files are never written there",
        f"{kit / 'd.txt'}: is a folder, but a file is needed there; move or delete it"]  # top level last
    assert staged_files(stage) == set(records) and list(elsewhere.iterdir()) == []


def test_a_real_print_failure_keeps_the_new_spot_out_of_the_kit_until_a_build_succeeds(tmp_path):
    """Real channels: a spot remade (espeak, ffmpeg) before a poster fails keeps the kit's old
    spot, transcript and poster, bytes and times; the next build publishes it without speaking
    again."""
    from bzmedia.audio.builder import AudioBuilder
    from bzmedia.kit.builder import KitBuilder
    from bzmedia.printing.builder import PrintBuilder

    folder = tmp_path / "c"
    (folder / "assets").mkdir(parents=True)
    shutil.copy(CONTENT / "assets" / "logo.png", folder / "assets" / "logo.png")
    one = SCRIPT.replace('  - {id: tu-xa, name: "xã Tứ Xã"}\n', "")
    text = (one + "brand: {logo: assets/logo.png}\n"
            "audio:\n  spots:\n    - {id: thong-bao, text: \"Bà con cài đặt Bluezone.\"}\n"
            "print:\n  - id: dan-xe\n    kind: sticker\n    size: 210x99\n"
            "    headline: \"Hành khách hãy cài đặt Bluezone\"\n")
    builders = [AudioBuilder(), PrintBuilder(), KitBuilder()]
    options = BuildOptions(output_root=tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    build(load_campaign(write_script(folder, text))[0], options, builders=builders)
    kit = tmp_path / "out" / "demo"
    before = snapshot(kit)
    spots = [path for path in before if path.endswith(".mp3")]
    assert len(spots) == 1 and "son-vi/print/dan-xe.pdf" in before
    edited = text.replace("Bà con cài đặt", "Mời bà con cài đặt").replace("Hành khách", "Bà con")
    campaign = load_campaign(write_script(folder, edited))[0]
    (folder / "assets" / "logo.png").unlink()  # gone between validate and build
    with pytest.raises(BuildError) as caught:
        build(campaign, options, builders=builders)
    assert caught.value.outcome == "nothing was published, the previous kit is unchanged"
    assert snapshot(kit) == before
    staged = (kit / ".bzmedia" / "stage" / spots[0]).read_bytes()
    assert len(staged) > 10_000 and staged != before[spots[0]][0]

    shutil.copy(CONTENT / "assets" / "logo.png", folder / "assets" / "logo.png")
    report = build(load_campaign(write_script(folder, edited))[0], options, builders=builders)
    assert [job for job in report.ran if job.startswith("audio/")] == ["audio/son-vi/schedule"]
    assert [job for job in report.ran if job.startswith("print/")] == ["print/son-vi/dan-xe"]
    assert (kit / spots[0]).read_bytes() == staged  # published as the failed build made it
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    assert spots[0] in {f["path"] for f in manifest["files"]}
    assert not (kit / ".bzmedia" / "stage").exists()


@pytest.mark.parametrize("where", [".bzmedia/stage", ".bzmedia/stage/tu-xa"])
def test_a_link_in_or_for_the_stage_is_removed_before_any_job_writes_through_it(tmp_path, where):
    kit = failed_build(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    inner = "tu-xa/note" if where.endswith("stage") else "note"
    (elsewhere / inner).mkdir(parents=True)
    # an exact copy of the staged note, times too: trusted through the link, it would be published
    shutil.copy2(kit / ".bzmedia/stage/tu-xa/note/note.txt", elsewhere / inner / "note.txt")
    before = sorted((p.relative_to(elsewhere), p.stat().st_mtime_ns) for p in elsewhere.rglob("*"))
    link = kit / where
    shutil.rmtree(link)
    link.symlink_to(elsewhere, target_is_directory=True)
    report = build_notes(tmp_path, RENAMED)
    assert "note/tu-xa/note" in report.ran  # nothing staged was trusted
    assert sorted((p.relative_to(elsewhere), p.stat().st_mtime_ns) for p in elsewhere.rglob("*")) == before
    assert (kit / "tu-xa/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Tứ Xã mới\n"
    assert not (kit / ".bzmedia/stage").exists()


def test_a_stage_nested_1500_deep_is_removed_not_a_recursion_error(tmp_path):
    kit = failed_build(tmp_path)
    deep = kit / ".bzmedia" / "stage"
    fd = os.open(deep, os.O_RDONLY)
    try:
        for _level in range(1500):  # by descriptor: the whole path passes PATH_MAX only at ~2,000
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.close(os.open("leaf.txt", os.O_CREAT | os.O_WRONLY, dir_fd=fd))
    finally:
        os.close(fd)
    try:
        report = build_notes(tmp_path, RENAMED)
        removed = not deep.exists()
    finally:  # if the build failed, pytest's own clean-up (shutil.rmtree, recursive) would trip on it
        remove_tree(deep)
    assert "note/tu-xa/note" not in report.ran  # the staged note was still found and published
    assert removed


def test_a_build_of_other_communes_also_publishes_what_was_staged_for_the_rest(tmp_path):
    """The state records the staged note as tu-xa's: a build of son-vi alone publishes it too, so
    the manifest it writes describes the kit's files (one that kept it staged listed bytes the
    kit did not have)."""
    kit = failed_build(tmp_path)
    report = build_notes(tmp_path, RENAMED, locality=("son-vi",))
    assert "note/tu-xa/note" not in report.ran
    assert (kit / "tu-xa/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Tứ Xã mới\n"
    assert not (kit / ".bzmedia/stage").exists()
    assert_manifest_is_the_kit(kit)
    assert "note/tu-xa/note" not in build_notes(tmp_path, RENAMED).ran


def assert_manifest_is_the_kit(kit: Path) -> None:
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        assert sha256_file(kit / entry["path"]) == entry["sha256"], entry["path"]



def test_a_file_a_job_no_longer_makes_leaves_the_kit_when_a_build_publishes(tmp_path):
    """A slide taken out of a deck: its job still runs, but no longer makes the slide's PNG. The
    PNG lingered in the kit, unlisted, for a screen that plays a folder to show. It goes when the
    build publishes (not before: a build that fails removes nothing), even if that is a later
    build than the one that noticed."""
    from bzmedia.kit.builder import KitBuilder

    builders = [WithExtra(), KitBuilder()]
    build_notes(tmp_path, SCRIPT.replace('"xã Tứ Xã"', '"xã Tứ Xã +"'), builders=builders)
    kit = tmp_path / "out" / "demo"
    assert (kit / "tu-xa/note/extra.txt").is_file()
    # tu-xa's note no longer makes extra.txt, but son-vi's note fails: nothing is removed either
    with pytest.raises(BuildError):
        build_notes(tmp_path, SCRIPT.replace('"xã Sơn Vi"', '"xã Sơn Vi!"'), builders=builders, workers=1)
    assert (kit / "tu-xa/note/extra.txt").is_file()
    report = build_notes(tmp_path, SCRIPT, builders=builders)
    assert "note/tu-xa/note" not in report.ran  # published from the stage; the removal was kept
    assert report.removed == ["tu-xa/note/extra.txt"]
    assert not (kit / "tu-xa/note/extra.txt").exists()
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    assert "tu-xa/note/extra.txt" not in {f["path"] for f in manifest["files"]}
    assert build_notes(tmp_path, SCRIPT, builders=builders).removed == []


@pytest.mark.parametrize("put_back", [False, True])
def test_a_partial_build_after_failures_leaves_manifest_and_kit_agreeing(tmp_path, put_back):
    """tu-xa's note stops making extra.txt in a build that fails (and, put back, makes it again
    in a second one); a build of son-vi alone then publishes tu-xa's staged files, removes
    extra.txt only if it is no longer made, and lists exactly the kit's files."""
    from bzmedia.kit.builder import KitBuilder

    builders = [WithExtra(), KitBuilder()]
    plus = SCRIPT.replace('"xã Tứ Xã"', '"xã Tứ Xã +"')
    build_notes(tmp_path, plus, builders=builders)
    failing = [SCRIPT] + [plus] * put_back
    for text in failing:
        with pytest.raises(BuildError):
            build_notes(tmp_path, text.replace('"xã Sơn Vi"', '"xã Sơn Vi!"'), builders=builders, workers=1)
    kit = tmp_path / "out" / "demo"
    report = build_notes(tmp_path, failing[-1], builders=builders, locality=("son-vi",))
    assert report.removed == ([] if put_back else ["tu-xa/note/extra.txt"])
    assert (kit / "tu-xa/note/extra.txt").exists() == put_back
    assert_manifest_is_the_kit(kit)
    listed = {f["path"] for f in json.loads((kit / "manifest.json").read_text(encoding="utf-8"))["files"]}
    assert ("tu-xa/note/extra.txt" in listed) == put_back


def test_a_file_that_cannot_be_moved_in_is_named_the_others_go_in_and_it_waits_staged(tmp_path, monkeypatch):
    """On Windows a spot open in a media player cannot be replaced: faked here (the move of one
    file refuses) since Linux lets root replace anything."""
    import errno

    from bzmedia import kitstage

    build_notes(tmp_path)
    kit = tmp_path / "out" / "demo"
    real_move = kitstage._move

    def refusing_move(source: str, target: str) -> None:
        if target.endswith("son-vi/note/note.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", source, None, target)
        real_move(source, target)

    monkeypatch.setattr(kitstage, "_move", refusing_move)
    both = RENAMED.replace('"xã Sơn Vi"', '"xã Sơn Vi mới"')
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, both, workers=1)
    assert caught.value.messages == [f"{kit / 'son-vi/note/note.txt'}: cannot write: Permission denied"]
    assert caught.value.outcome == HALF_PUBLISHED
    assert (kit / "tu-xa/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Tứ Xã mới\n"
    assert (kit / ".bzmedia/stage/son-vi/note/note.txt").is_file()
    monkeypatch.setattr(kitstage, "_move", real_move)
    report = build_notes(tmp_path, both)
    assert "note/son-vi/note" not in report.ran
    assert (kit / "son-vi/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Sơn Vi mới\n"
    assert_manifest_is_the_kit(kit)


@pytest.mark.parametrize("refused", ["move", "folder"])
def test_publishing_refused_before_any_file_went_in_says_the_kit_is_unchanged(tmp_path, monkeypatch, refused):
    """Every move refused (a kit folder made read-only, say), or the first folder not made: no
    file of the kit changed, so the build must not say the kit may be incomplete."""
    import errno

    from bzmedia import kitstage
    from bzmedia.build import UNCHANGED

    build_notes(tmp_path)
    kit = tmp_path / "out" / "demo"
    before = snapshot(kit)

    def refusing(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))

    if refused == "move":
        monkeypatch.setattr(kitstage, "_move", refusing)
    else:
        monkeypatch.setattr(kitstage.os, "makedirs", refusing)
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, RENAMED, workers=1)
    assert caught.value.outcome == UNCHANGED, caught.value.messages
    assert snapshot(kit) == before
    monkeypatch.undo()
    build_notes(tmp_path, RENAMED)
    assert (kit / "tu-xa/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Tứ Xã mới\n"


def test_a_move_across_disks_copies_with_the_same_times(tmp_path, monkeypatch):
    import errno

    from bzmedia import kitstage

    source, target = tmp_path / "staged.mp3", tmp_path / "kit.mp3"
    source.write_bytes(b"new spot")
    os.utime(source, ns=(1_600_000_000_123_456_789, 1_600_000_000_123_456_789))
    target.write_bytes(b"old spot")
    real_replace = os.replace

    def other_disk(src, dst):
        if os.fspath(src) == os.fspath(source):
            raise OSError(errno.EXDEV, "Invalid cross-device link", src, None, dst)
        real_replace(src, dst)

    monkeypatch.setattr(kitstage.os, "replace", other_disk)
    kitstage._move(os.fspath(source), os.fspath(target))
    assert target.read_bytes() == b"new spot" and not source.exists()
    assert target.stat().st_mtime_ns == 1_600_000_000_123_456_789
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kit.mp3"]


def test_a_windows_junction_counts_as_a_link_and_bzmedia_in_any_case_is_never_a_kit_path():
    import stat as stat_module
    from types import SimpleNamespace

    from bzmedia.buildstate import JUNCTION, is_link, lexically_inside

    assert is_link(SimpleNamespace(st_mode=stat_module.S_IFDIR, st_reparse_tag=JUNCTION))
    assert not is_link(SimpleNamespace(st_mode=stat_module.S_IFDIR, st_reparse_tag=0))
    assert not is_link(os.lstat("."))
    for path in (".bzmedia/lock", ".BZMEDIA/state.json", ".bzmedia./lock", ".Bzmedia /stage/x"):
        assert not lexically_inside(path), path
    assert lexically_inside("bzmedia/x") and lexically_inside("son-vi/.bzmedia-notes.txt")
