"""Packs of a kit whose plan or manifest was edited, replaced or linked away: ``bzmedia pack``
says what is wrong in located lines (exit 1, no traceback) and ``serve`` answers an error status;
neither hangs on a FIFO, writes or deletes outside the kit, or removes a zip it did not make."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import run_cli
from click.testing import CliRunner
from kit_helpers import request, serving

from bzmedia.cli import cli

AGAIN = "; run `bzmedia build` again"
KEY = "0123456789abcdef" * 4


def _copy(small_kit, tmp_path: Path) -> Path:
    kit = tmp_path / "kit-nho"
    shutil.copytree(small_kit.kit, kit)
    return kit.resolve()


def _edit(kit: Path, name: str, change: Callable[[Any], Any]) -> None:
    """Rewrite the kit's JSON file ``name`` with ``change`` (which edits in place or returns anew)."""
    path = kit / name
    data = json.loads(path.read_text(encoding="utf-8"))
    changed = change(data)
    path.write_text(json.dumps(data if changed is None else changed), encoding="utf-8")


def _pack(kit: Path, *extra: str):
    return CliRunner().invoke(cli, ["pack", str(kit), *extra], catch_exceptions=False)


def _twice(plan: dict) -> None:
    plan["packs"][0]["members"].append(plan["packs"][0]["members"][0])


def _many(plan: dict) -> None:
    """Several problems in one plan: all are said at once."""
    plan["date"] = [2020, 13, 40, 0, 0, 0]
    plan["packs"][0]["key"] = "a" * 70000
    plan["packs"][1]["root"] = "son-vi"


PLAN = "packs/index.json"
PLAN_EDITS = {
    "twice": (_twice, ["{plan}: son-vi-loa.zip: son-vi/audio/01-thong-bao.mp3 is listed twice" + AGAIN]),
    "hour": (lambda p: p.update(date=[1980, 1, 1, 99, 0, 0]),
             ["{plan}: 'date' is not [year, month, day, hour, minute, second] from 1980 to 2107" + AGAIN]),
    "packs": (lambda p: p.update(packs=5), ["{plan}: 'packs' is not a list" + AGAIN]),
    "root": (lambda p: p["packs"][0].update(root="son-vi"),
             ["{plan}: son-vi-loa.zip: its root 'son-vi' is neither empty nor a folder of the kit ending "
              "in /" + AGAIN]),
    "name": (lambda p: p["packs"][0].update(root=p["packs"][0]["members"][0][0] + "/"),
             ["{plan}: son-vi-loa.zip: son-vi/audio/01-thong-bao.mp3 is not inside the pack's folder "
              "'son-vi/audio/01-thong-bao.mp3/'" + AGAIN]),
    "many": (_many, ["{plan}: 'date' is not [year, month, day, hour, minute, second] from 1980 to "
                     "2107" + AGAIN,
                     "{plan}: son-vi-loa.zip: its key is not 64 hexadecimal digits" + AGAIN,
                     "{plan}: son-vi-in.zip: its root 'son-vi' is neither empty nor a folder of the "
                     "kit ending in /" + AGAIN]),
}
MANIFEST_EDITS = {
    "twice": (lambda m: m["files"].append(m["files"][0]),
              ["{manifest}: dong-ha/audio/01-thong-bao.mp3 is listed twice" + AGAIN]),
    "files": (lambda m: m.update(files=5),
              ["{manifest}: not a kit manifest (an object with a list of files)" + AGAIN]),
    "list": (lambda m: [], ["{manifest}: not a kit manifest (an object with a list of files)" + AGAIN]),
}


def _assert_refused(kit: Path, result, lines: list[str]) -> None:
    where = {"plan": kit / PLAN, "manifest": kit / "manifest.json"}
    assert result.exit_code == 1, result.output
    said = result.output.splitlines()
    assert said[:len(lines)] == [line.format(**where) for line in lines]
    assert "Traceback" not in result.output
    assert not list((kit / "packs").glob("*.zip"))


@pytest.mark.parametrize("case", sorted(PLAN_EDITS))
def test_pack_says_every_problem_of_an_edited_plan(small_kit, tmp_path, case) -> None:
    kit = _copy(small_kit, tmp_path)
    change, lines = PLAN_EDITS[case]
    _edit(kit, PLAN, change)
    _assert_refused(kit, _pack(kit), lines)


@pytest.mark.parametrize("case", sorted(MANIFEST_EDITS))
def test_the_whole_kit_pack_says_what_is_wrong_with_the_manifest(small_kit, tmp_path, case) -> None:
    kit = _copy(small_kit, tmp_path)
    change, lines = MANIFEST_EDITS[case]
    _edit(kit, "manifest.json", change)
    _assert_refused(kit, _pack(kit, "--whole-kit"), lines)


@pytest.mark.parametrize("name", ["packs/index.json", "manifest.json"])
def test_a_fifo_for_the_plan_or_manifest_is_refused_without_waiting(small_kit, tmp_path, name) -> None:
    kit = _copy(small_kit, tmp_path)
    (kit / name).unlink()
    os.mkfifo(kit / name)
    result = run_cli("pack", str(kit), "--whole-kit", timeout=60)  # a hang fails, not stalls, the suite
    assert result.returncode == 1 and "Traceback" not in result.stderr
    expected = (f"{kit}/packs/index.json: cannot read it (not a regular file){AGAIN}" if name == PLAN
                else f"{kit}: manifest.json is not a file of the kit{AGAIN}; no pack was written")
    assert result.stderr.splitlines()[0] == expected


@contextlib.contextmanager
def _fifo_unblocked(path: Path):
    """A FIFO at ``path``; afterwards, a reader a regression left waiting on it is let go."""
    os.mkfifo(path)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def test_serve_answers_503_for_a_fifo_plan_and_goes_on_serving(small_kit, tmp_path) -> None:
    kit = _copy(small_kit, tmp_path)
    (kit / PLAN).unlink()
    with _fifo_unblocked(kit / PLAN), serving(kit) as port:
        status, _, body = request("127.0.0.1", port, "/packs/son-vi-loa.zip")
        assert status == 503 and b"bzmedia build" in body
        assert request("127.0.0.1", port, "/")[0] == 200
        assert request("127.0.0.1", port, "/packs/available.js")[0] == 503


@pytest.mark.parametrize("case", ["twice", "hour", "many", "name"])
def test_serve_answers_503_for_a_pack_an_edited_plan_cannot_make(small_kit, tmp_path, case) -> None:
    kit = _copy(small_kit, tmp_path)
    _edit(kit, PLAN, PLAN_EDITS[case][0])
    with serving(kit) as port:
        for method in ("GET", "HEAD"):
            status, headers, _ = request("127.0.0.1", port, "/packs/son-vi-loa.zip", method=method)
            assert status == 503 and headers["Content-Type"].startswith("text/html"), method


def test_serve_still_serves_the_plan_file_when_packs_is_not_a_list(small_kit, tmp_path) -> None:
    kit = _copy(small_kit, tmp_path)
    _edit(kit, PLAN, PLAN_EDITS["packs"][0])
    with serving(kit) as port:
        status, _, body = request("127.0.0.1", port, "/packs/index.json")
        assert status == 200 and body == (kit / PLAN).read_bytes()
        assert request("127.0.0.1", port, "/packs/son-vi-loa.zip")[0] == 503


def test_serve_answers_503_for_a_whole_kit_pack_of_a_bad_manifest(small_kit, tmp_path) -> None:
    kit = _copy(small_kit, tmp_path)
    _edit(kit, "manifest.json", MANIFEST_EDITS["twice"][0])
    with serving(kit) as port:
        for method in ("GET", "HEAD"):
            assert request("127.0.0.1", port, "/packs/kit-nho-tron-bo.zip", method=method)[0] == 503


def _zip_with_comment(path: Path, comment: str) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "x")
        archive.comment = comment.encode()


def test_pack_removes_only_its_own_stale_packs(small_kit, tmp_path) -> None:
    kit = _copy(small_kit, tmp_path)
    _zip_with_comment(kit / "packs" / "chien-dich-khac-loa.zip", KEY)  # copied from another kit
    _zip_with_comment(kit / "packs" / "son-vi-in.zip", KEY)  # this kit's name, an old key
    result = _pack(kit, "--locality", "son-vi", "--audience", "loa")
    assert result.exit_code == 0, result.output
    assert (f"removed {kit}/packs/son-vi-in.zip: this kit's pack as an earlier build planned it, which "
            "no longer matches the kit") in result.output.splitlines()
    assert "chien-dich-khac-loa.zip" not in result.output
    assert (kit / "packs" / "chien-dich-khac-loa.zip").exists()
    assert not (kit / "packs" / "son-vi-in.zip").exists()


def test_pack_writes_nothing_through_a_linked_packs_folder(small_kit, tmp_path) -> None:
    kit = _copy(small_kit, tmp_path)
    outside = tmp_path / "outdir"
    shutil.move(kit / "packs", outside)
    _zip_with_comment(outside / "precious.zip", KEY)
    before = sorted(p.name for p in outside.iterdir())
    os.symlink(outside, kit / "packs")
    result = _pack(kit)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (f"{kit}/packs: this folder leads outside the kit (a link); the "
                                             "kit's files are never written there")
    assert sorted(p.name for p in outside.iterdir()) == before


def test_pack_refuses_a_packs_folder_linked_inside_the_kit(small_kit, tmp_path) -> None:
    kit = _copy(small_kit, tmp_path)
    shutil.move(kit / "packs", kit / "son-vi" / "packs")
    os.symlink("son-vi/packs", kit / "packs")
    result = _pack(kit)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{kit}/packs: is a link; `bzmedia pack` writes and removes zips only in the kit's own packs "
        "folder, never through a link: remove the link and run `bzmedia build` again")
    assert sorted(p.name for p in (kit / "son-vi" / "packs").iterdir()) == ["index.json"]


def test_pack_makes_nothing_in_a_folder_that_is_no_kit(tmp_path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("<p>a web page</p>", encoding="utf-8")
    result = _pack(folder)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (f"{folder}/packs/index.json: cannot read it (No such file or "
                                             f"directory){AGAIN}")
    assert sorted(p.name for p in folder.iterdir()) == ["index.html"]

