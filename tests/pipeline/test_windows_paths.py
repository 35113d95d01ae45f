"""A path longer than Windows allows reads as what it is, not as "file not found".

Windows answers a path past MAX_PATH (unless long paths are on) with "file not found" or "invalid
name", while the office can see its folder right there.  This machine is not Windows: the check is
switched on by hand, and the limit is Windows' own.
"""

from __future__ import annotations

import errno
import os

import pytest

from bzmedia import oserrors
from bzmedia.oserrors import WINDOWS_PATH_LIMIT, os_problem


@pytest.fixture
def on_windows(monkeypatch):
    monkeypatch.setattr(oserrors, "ON_WINDOWS", True)
    monkeypatch.setattr(oserrors, "_long_paths_enabled", lambda: False)
    return monkeypatch


def deep_path(tmp_path, length: int) -> str:
    folder = str(tmp_path / "Tài liệu")
    name = "x" * (length - len(folder) - len("/.mp3"))
    path = f"{folder}/{name}.mp3"
    assert len(os.path.abspath(path)) == length
    return path


def test_a_path_past_the_limit_says_so_and_what_to_do(tmp_path, on_windows):
    path = deep_path(tmp_path, WINDOWS_PATH_LIMIT + 4)
    message = os_problem(OSError(errno.ENOENT, "No such file or directory", path))
    assert message == (f"{path}: cannot read or write: the path is 263 characters long and Windows allows "
                       "259: build into a shorter folder (for example -o C:\\bzmedia) or turn on long "
                       "paths in Windows")


def test_a_path_at_the_limit_keeps_the_systems_reason(tmp_path, on_windows):
    path = deep_path(tmp_path, WINDOWS_PATH_LIMIT)
    assert os_problem(OSError(errno.ENOENT, "No such file or directory", path)) == (
        f"{path}: cannot read or write: No such file or directory")


def test_with_long_paths_turned_on_the_systems_reason_stays(tmp_path, on_windows):
    on_windows.setattr(oserrors, "_long_paths_enabled", lambda: True)
    path = deep_path(tmp_path, 300)
    assert os_problem(OSError(errno.EINVAL, "Invalid argument", path)).endswith(": Invalid argument")


def test_a_half_written_file_counts_its_own_length_and_shows_the_final_name(tmp_path, on_windows):
    final = deep_path(tmp_path, 250)  # fits; its temporary name beside it does not
    folder, name = os.path.split(final)
    temp = f"{folder}/.{name[:-4]}.0a1b2c3d.bzpart.mp3"
    assert len(temp) > WINDOWS_PATH_LIMIT
    message = os_problem(OSError(errno.ENOENT, "No such file or directory", temp))
    assert message.startswith(f"{final}: cannot read or write: the path is {len(temp)} characters long")


def test_elsewhere_than_windows_nothing_changes(tmp_path):
    path = deep_path(tmp_path, 400)
    assert os_problem(OSError(errno.ENOENT, "No such file or directory", path)).endswith(
        ": No such file or directory")


def test_the_message_is_translated(tmp_path, on_windows):
    on_windows.setenv("BZMEDIA_LANG", "vi")
    path = deep_path(tmp_path, 270)
    message = os_problem(OSError(errno.ENOENT, "No such file or directory", path))
    assert "đường dẫn dài 270 ký tự, Windows chỉ cho phép 259" in message
