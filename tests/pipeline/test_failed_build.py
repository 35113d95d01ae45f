"""Issue 10 item 1: a failed build publishes nothing, and says so truthfully."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from pipeline_helpers import SCRIPT, build_notes, snapshot, write_script

from bzmedia.build import BuildOptions, build
from bzmedia.campaign import load_campaign
from bzmedia.errors import BuildError
from bzmedia.kit.builder import KitBuilder

THREE = SCRIPT + '  - {id: hung-son, name: "thị trấn Hùng Sơn"}\n'
CONTENT = Path(__file__).resolve().parents[2] / "content"


class BrokenPage(KitBuilder):
    """The real kit stage, whose page job fails for a campaign title with a ``?``."""

    def make(self, job, ctx):
        if job.name == "page" and "?" in job.inputs.site:
            raise BuildError(["the kit page cannot be written"])
        return super().make(job, ctx)


def shown(error: BuildError) -> str:
    out = io.StringIO()
    error.show(file=out)
    return out.getvalue()


def test_a_failed_job_leaves_page_manifest_indexes_and_old_files_as_they_were(tmp_path):
    build_notes(tmp_path, THREE)
    kit = tmp_path / "out" / "demo"
    before = snapshot(kit)
    # One spot fails, another locality changed, a third was removed from the script.
    broken = SCRIPT.replace('"xã Sơn Vi"', '"xã Sơn Vi!"').replace('"xã Tứ Xã"', '"xã Tứ Xã mới"')
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, broken, workers=2)
    assert caught.value.messages == ["son-vi: the voice service cannot be reached"]
    assert shown(caught.value) == ("son-vi: the voice service cannot be reached\n1 error; the build "
                                   "stopped: nothing was published, the previous kit is unchanged.\n")
    # tu-xa's note was made before son-vi's failed, into the stage: the kit has every old file,
    # bytes and times, and nothing was deleted either.
    assert snapshot(kit) == before
    assert (kit / ".bzmedia/stage/tu-xa/note/note.txt").read_text(encoding="utf-8") == (
        "Thông báo cho xã Tứ Xã mới\n")

    # The next build resumes: the note made before the failure is not made again, but published;
    # the rest is made.
    report = build_notes(tmp_path, SCRIPT.replace('"xã Tứ Xã"', '"xã Tứ Xã mới"'))
    assert "note/tu-xa/note" not in report.ran
    assert {"note/son-vi/index", "note/tu-xa/index", "kit/*/page"} <= set(report.ran)
    assert report.removed == ["hung-son/note/index.txt", "hung-son/note/note.txt"]
    assert (kit / "tu-xa/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Tứ Xã mới\n"
    assert not (kit / ".bzmedia/stage").exists()
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(f["path"] for f in manifest["files"] if f["kind"] == "note") == [
        "son-vi/note/index.txt", "son-vi/note/note.txt", "tu-xa/note/index.txt", "tu-xa/note/note.txt"]
    assert build_notes(tmp_path, SCRIPT.replace('"xã Tứ Xã"', '"xã Tứ Xã mới"')).ran == []


def test_a_failed_cold_build_publishes_no_kit(tmp_path):
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, SCRIPT.replace('"xã Sơn Vi"', '"xã Sơn Vi!"'), workers=1)
    assert shown(caught.value).endswith("1 error; the build stopped: no kit was published.\n")
    kit = tmp_path / "out" / "demo"
    assert snapshot(kit) == {}  # no page, manifest, index, nor the note made before the failure
    assert (kit / ".bzmedia/stage/tu-xa/note/note.txt").is_file()
    # Publishing still happens on the next build, although every making job is then current.
    state = json.loads((kit / ".bzmedia/state.json").read_text(encoding="utf-8"))
    assert state["published"] is False
    report = build_notes(tmp_path, SCRIPT)
    assert (kit / "manifest.json").is_file() and (kit / "index.html").is_file()
    assert "note/tu-xa/note" not in report.ran and (kit / "tu-xa/note/note.txt").is_file()


def test_a_print_job_failing_for_real_changes_nothing_published(tmp_path, monkeypatch):
    from bzmedia.kit.builder import KitBuilder
    from bzmedia.printing.builder import PrintBuilder

    folder = tmp_path / "c"
    (folder / "assets").mkdir(parents=True)
    shutil.copy(CONTENT / "assets" / "logo.png", folder / "assets" / "logo.png")
    one = SCRIPT.replace('  - {id: tu-xa, name: "xã Tứ Xã"}\n', "")
    text = (one + "brand: {logo: assets/logo.png}\nprint:\n  - id: dan-xe\n    kind: sticker\n"
            "    size: 210x99\n    headline: \"Hành khách hãy cài đặt Bluezone\"\n")
    options = BuildOptions(output_root=tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    build(load_campaign(write_script(folder, text))[0], options, builders=[PrintBuilder(), KitBuilder()])
    kit = tmp_path / "out" / "demo"
    before = snapshot(kit)
    assert "son-vi/print/dan-xe.pdf" in before and "index.html" in before
    campaign = load_campaign(write_script(folder, text.replace("Hành khách", "Bà con")))[0]
    (folder / "assets" / "logo.png").unlink()  # gone between validate and build
    with pytest.raises(BuildError) as caught:
        build(campaign, options, builders=[PrintBuilder(), KitBuilder()])
    assert len(caught.value.messages) == 1
    assert all("brand.logo" in m or "logo.png" in m for m in caught.value.messages)
    assert caught.value.outcome == "nothing was published, the previous kit is unchanged"
    assert snapshot(kit) == before


def test_a_failed_publishing_job_publishes_nothing_either_and_the_next_build_publishes(tmp_path):
    """An index (like a schedule or the kit page) fails after every channel job succeeded: the
    channel files made for it stay staged too, so the kit's page and files still agree."""
    from pipeline_helpers import NoteBuilder

    from bzmedia.kit.builder import KitBuilder

    class BrokenIndex(NoteBuilder):
        def make(self, job, ctx):
            if job.name == "index" and job.inputs["name"].endswith("?"):
                raise BuildError([f"{job.locality}: the index cannot be written"])
            return super().make(job, ctx)

    build_notes(tmp_path)
    kit = tmp_path / "out" / "demo"
    before = snapshot(kit)
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, SCRIPT.replace('"xã Sơn Vi"', '"xã Sơn Vi?"'),
                    builders=[BrokenIndex(), KitBuilder()])
    assert shown(caught.value) == (
        "son-vi: the index cannot be written\n1 error; the build stopped: nothing was published, "
        "the previous kit is unchanged.\n")
    assert snapshot(kit) == before
    report = build_notes(tmp_path, SCRIPT.replace('"xã Sơn Vi"', '"xã Sơn Vi?"'))
    assert "note/son-vi/note" not in report.ran  # made by the failed build, published now
    assert {"note/son-vi/index", "note/tu-xa/index", "kit/*/page"} <= set(report.ran)
    assert (kit / "son-vi/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Sơn Vi?\n"


def test_jobs_stopped_by_the_same_cause_say_it_on_one_line(tmp_path):
    """A full cache disk stops every running job with the same words; they are said once, with
    how many jobs; a different cause keeps its own line, in plan order."""
    import errno

    from pipeline_helpers import NoteBuilder

    from bzmedia.kit.builder import KitBuilder

    class FullCache(NoteBuilder):
        def make(self, job, ctx):
            if job.name == "note" and job.locality != "hung-son":
                raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "cache"))
            if job.name == "note":
                raise BuildError([f"{job.id}: the voice service cannot be reached"])
            return super().make(job, ctx)

    four = THREE + '  - {id: lam-thao, name: "thị trấn Lâm Thao"}\n'
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, four, builders=[FullCache(), KitBuilder()], workers=1)
    cache = tmp_path / "cache"
    assert caught.value.messages == [
        f"note/son-vi/note and 2 other jobs: {cache}: cannot write: No space left on device",
        "note/hung-son/note: the voice service cannot be reached"]
    assert shown(caught.value).endswith("2 errors; the build stopped: no kit was published.\n")


def test_a_failed_kit_page_publishes_nothing_either(tmp_path):
    """The last stage (previews, charts, the page) fails after every channel job succeeded: the
    channel files and the index made for it wait staged, and the kit is the old one."""
    from pipeline_helpers import NoteBuilder

    build_notes(tmp_path, builders=[NoteBuilder(), BrokenPage()])
    kit = tmp_path / "out" / "demo"
    before = snapshot(kit)
    asked = SCRIPT.replace('"Cài đặt Bluezone"', '"Cài đặt Bluezone?"').replace('"xã Tứ Xã"',
                                                                             '"xã Tứ Xã mới"')
    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, asked, builders=[NoteBuilder(), BrokenPage()], workers=1)
    assert shown(caught.value) == ("the kit page cannot be written\n1 error; the build stopped: nothing was "
                                   "published, the previous kit is unchanged.\n")
    assert snapshot(kit) == before
    assert (kit / ".bzmedia/stage/tu-xa/note/note.txt").is_file()
    report = build_notes(tmp_path, asked)
    assert "note/tu-xa/note" not in report.ran and "kit/*/page" in report.ran
    assert (kit / "tu-xa/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Tứ Xã mới\n"
