"""A kit whose build records were lost (``.bzmedia`` deleted, a damaged ``state.json``, a kit
copied without its hidden folder) still loses the files no job makes any more: the kit's own
``manifest.json`` says what an earlier build published, and what is still exactly that (size and
sha256) and is not made again goes when the build publishes.  Nothing else goes."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from pipeline_helpers import SCRIPT, build_notes

from bzmedia.errors import BuildError

ONLY_TU_XA = SCRIPT.replace('  - {id: son-vi, name: "xã Sơn Vi"}\n', "")


def kit_files(kit: Path) -> set[str]:
    return {str(p.relative_to(kit)) for p in kit.rglob("*")
            if p.is_file() and ".bzmedia" not in p.relative_to(kit).parts}


def listed(kit: Path) -> set[str]:
    return {entry["path"] for entry in json.loads((kit / "manifest.json").read_text("utf-8"))["files"]}


def built_then_lost(tmp_path: Path, how: str = "deleted") -> Path:
    build_notes(tmp_path)
    kit = tmp_path / "out" / "demo"
    if how == "deleted":
        shutil.rmtree(kit / ".bzmedia")
    else:
        (kit / ".bzmedia/state.json").write_text("{ not json", encoding="utf-8")
    return kit


@pytest.mark.parametrize("how", ["deleted", "damaged"])
def test_a_commune_taken_out_after_the_state_was_lost_leaves_the_kit(tmp_path, how):
    kit = built_then_lost(tmp_path, how)
    (kit / "son-vi/note/my-notes.txt").write_text("the operator's own notes", encoding="utf-8")
    report = build_notes(tmp_path, ONLY_TU_XA)
    assert sorted(report.removed) == ["son-vi/note/index.txt", "son-vi/note/note.txt"]
    assert kit_files(kit) == listed(kit) | {"manifest.json", "son-vi/note/my-notes.txt"}
    assert (kit / "son-vi/note/my-notes.txt").read_text(encoding="utf-8") == "the operator's own notes"
    assert build_notes(tmp_path, ONLY_TU_XA).ran == []  # and the next build has nothing to do


def test_a_file_changed_since_it_was_published_is_not_bzmedias_to_remove(tmp_path):
    kit = built_then_lost(tmp_path)
    (kit / "son-vi/note/note.txt").write_text("edited by the commune", encoding="utf-8")
    report = build_notes(tmp_path, ONLY_TU_XA)
    assert report.removed == ["son-vi/note/index.txt"]
    assert (kit / "son-vi/note/note.txt").read_text(encoding="utf-8") == "edited by the commune"


def test_a_partial_build_after_the_state_was_lost_removes_nothing(tmp_path):
    kit = built_then_lost(tmp_path)
    before = kit_files(kit)
    report = build_notes(tmp_path, ONLY_TU_XA, locality=["tu-xa"])
    assert report.removed == []
    assert before <= kit_files(kit)


def test_a_hostile_manifest_names_nothing_outside_the_kit(tmp_path):
    kit = built_then_lost(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "note.txt").write_bytes((kit / "son-vi/note/note.txt").read_bytes())
    (outside / "secret.txt").write_bytes(b"not the kit's")
    # son-vi's folder made a link to a folder holding a byte-identical note
    shutil.rmtree(kit / "son-vi/note")
    (kit / "son-vi/note").symlink_to(outside, target_is_directory=True)
    manifest = json.loads((kit / "manifest.json").read_text("utf-8"))
    secret = {"path": "../outside/secret.txt", "kind": "note", "locality": "*", "bytes": 13,
              "sha256": hashlib.sha256(b"not the kit's").hexdigest()}
    surrogate = {"path": "son-vi/\ud800.txt", "kind": "note", "locality": "son-vi", "bytes": 1,
                 "sha256": "0" * 64}  # no file system takes the name: it was a traceback
    manifest["files"] += [secret, "not an entry", {"path": 7}, surrogate]
    (kit / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    build_notes(tmp_path, ONLY_TU_XA)
    assert sorted(p.name for p in outside.iterdir()) == ["note.txt", "secret.txt"]


def test_a_failed_build_after_the_state_was_lost_leaves_a_partial_build_nothing_to_remove(tmp_path):
    """The failed build saved its state; the files of communes the partial build does not make
    must not be taken for files no job makes."""
    kit = built_then_lost(tmp_path)
    with pytest.raises(BuildError):
        build_notes(tmp_path, SCRIPT.replace('"xã Sơn Vi"', '"xã Sơn Vi!"'), workers=1)
    report = build_notes(tmp_path, locality=["tu-xa"])
    assert report.removed == []
    assert (kit / "son-vi/note/note.txt").read_text(encoding="utf-8") == "Thông báo cho xã Sơn Vi\n"
