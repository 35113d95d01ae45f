"""KitPaths: which paths of a state file stay inside the kit (each folder looked at once)."""

from __future__ import annotations

from bzmedia.buildstate import KitPaths


def test_symlinks_at_any_depth_are_followed_and_judged(tmp_path):
    kit, outside = tmp_path / "kit", tmp_path / "outside"
    (kit / "a" / "b").mkdir(parents=True)
    (kit / "shared").mkdir()
    outside.mkdir()
    (kit / "a" / "b" / "out").symlink_to(outside, target_is_directory=True)
    (kit / "a" / "in").symlink_to(kit / "shared", target_is_directory=True)
    (kit / "a" / "loop").symlink_to(kit / "a" / "loop")
    paths = KitPaths(kit)
    assert paths.inside("a/b/file.mp3")
    assert paths.inside("a/b/new/folder/file.mp3")  # not made yet: leads nowhere else
    assert not paths.inside("a/b/out/file.mp3")
    assert not paths.inside("a/b/out/deeper/file.mp3")
    assert paths.inside("a/in/file.mp3")
    assert not paths.inside("a/loop/file.mp3")
    assert not paths.inside("../outside/file.mp3")
    assert paths.inside("a/b/file.mp3")  # answers again from what it learned


def test_the_kit_itself_behind_a_symlink_is_fine(tmp_path):
    (tmp_path / "real" / "x").mkdir(parents=True)
    (tmp_path / "kit").symlink_to(tmp_path / "real", target_is_directory=True)
    assert KitPaths(tmp_path / "kit").inside("x/file.pdf")


def test_a_path_ten_thousand_folders_deep_is_only_a_long_walk(tmp_path):
    deep = "/".join(["d"] * 10_000) + "/file.txt"
    assert KitPaths(tmp_path).inside(deep)
