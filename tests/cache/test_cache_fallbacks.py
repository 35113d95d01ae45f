"""One lock-file mechanism for the store and its sweep, and the temporary folders an unwritable
cache moves to: found by name and owner, shared, reused and swept, never another user's.

Real folders in a private temporary directory; "another user's" folder is really chowned to
another uid (the tests run as root here; elsewhere those cases are skipped)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_cache_sweep import HOUR, age, file_entry, key

from bzmedia.cache import Store, _fallback_roots, file_mutex, try_file_lock
from bzmedia.cachedir import fallback_folders, shared_fallback
from bzmedia.cachesweep import sweep

OTHER_UID = 54_321


@pytest.fixture
def temp_folder(tmp_path, monkeypatch):
    """Where an unwritable cache's stores move: a temporary directory of the test's own."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    return tmp_path / "temp"


def test_a_lock_is_taken_once_and_a_young_stale_one_is_broken_by_the_store_only(tmp_path):
    """The store's wait breaks a lock older than a few seconds (held for microseconds); the sweep
    never waits and never breaks one: it skips the entry, and the lock goes once an hour old."""
    lock = tmp_path / "x.lock"
    assert try_file_lock(lock) is True and try_file_lock(lock) is False
    with pytest.raises(FileNotFoundError):
        try_file_lock(tmp_path / "no such folder" / "x.lock")
    store = Store(tmp_path / "cache")
    entry = file_entry(store, key(1), ".wav", 100, 3 * HOUR)
    stale = entry.with_name(f".{entry.name}.lock")
    stale.write_bytes(b"")
    age(stale, 60)  # a dead process's, a minute ago
    report = sweep(tmp_path / "cache", time.time(), limit=0)
    assert (report.skipped, entry.exists(), stale.exists()) == (1, True, True)
    started = time.monotonic()
    with file_mutex(stale):  # the store breaks it at once
        assert time.monotonic() - started < 1
    assert not stale.exists()
    try_file_lock(stale)
    age(stale, 2 * HOUR)
    report = sweep(tmp_path / "cache", time.time(), limit=0)
    assert (report.skipped, entry.exists(), stale.exists()) == (0, False, False)


def another_user_s(folder: Path) -> Path:
    folder.mkdir(mode=0o700)
    try:
        os.chown(folder, OTHER_UID, OTHER_UID)
    except PermissionError:
        pytest.skip("only root can give a folder to another user")
    return folder


def old_entry_in(folder: Path, n: int) -> Path:
    """A store entry of bzmedia's (with its checksum) in ``folder``, last used 3 hours ago."""
    return file_entry(Store(folder), key(n), ".wav", 1000, 3 * HOUR)


def unwritable_cache(tmp_path: Path) -> tuple[Path, Path]:
    """A cache path with a file in its place, and the temporary folder its stores share by name."""
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    return blocker, shared_fallback(blocker)[0]


def forget_fallback(monkeypatch, configured: Path) -> None:
    """As in another process (a worker, the next build): the folder is found by its name."""
    if str(configured) in _fallback_roots:
        monkeypatch.delitem(_fallback_roots, str(configured))


def test_a_cache_whose_shared_temporary_name_is_another_user_s_moves_to_a_random_one_found_again(
        tmp_path, temp_folder, monkeypatch):
    blocker, shared = unwritable_cache(tmp_path)
    theirs = another_user_s(shared)
    their_entry = old_entry_in(theirs, 9)
    store = Store(blocker)
    mine = [file_entry(store, key(n), ".wav", 1000, 3 * HOUR) for n in range(3)]
    assert store.take_warnings() and store.root.parent == temp_folder
    assert store.root.name.startswith(shared.name + "-") and store.root != theirs
    forget_fallback(monkeypatch, blocker)
    again = Store(blocker)
    assert again.get(key(0), ".wav") is None  # the folder is known only once a store files there
    with again.put(key(5), ".wav") as temp:
        temp.write_bytes(b"made by another process")
    assert again.root == store.root and again.get(key(1), ".wav") == mine[1]  # shared, not a new one
    forget_fallback(monkeypatch, blocker)
    report = sweep(blocker, time.time(), limit=0)
    assert report.root == store.root and [p.exists() for p in mine] == [False, True, False]  # 1 was read
    assert their_entry.exists() and Path(f"{their_entry}.sha256").exists()  # never touched


def test_every_temporary_folder_of_an_unwritable_cache_is_swept_but_links_and_others_folders_are_not(
        tmp_path, temp_folder, monkeypatch):
    blocker, shared = unwritable_cache(tmp_path)
    store = Store(blocker)
    used = file_entry(store, key(0), ".wav", 1000, 0)
    assert store.root == shared
    raced = temp_folder / f"{shared.name}-a1b2c3d4"  # two processes found none at once
    raced.mkdir(mode=0o700)
    raced_old = old_entry_in(raced, 1)
    elsewhere = tmp_path / "documents"
    elsewhere.mkdir()
    linked_old = old_entry_in(elsewhere, 2)
    (temp_folder / f"{shared.name}-linkedxx").symlink_to(elsewhere)
    theirs = another_user_s(temp_folder / f"{shared.name}-theirsxx")
    their_old = old_entry_in(theirs, 3)
    assert fallback_folders(blocker) == [shared, raced]
    forget_fallback(monkeypatch, blocker)
    report = sweep(blocker, time.time(), limit=0)
    assert (report.root, used.exists(), raced_old.exists()) == (shared, True, False)
    assert linked_old.exists() and their_old.exists()


def test_random_temporary_folders_of_older_versions_lose_what_is_an_hour_old_whatever_the_limit(
        tmp_path, temp_folder, monkeypatch):
    """Nobody can find them to read them again: only the process that made one knew its name."""
    blocker, _shared = unwritable_cache(tmp_path)
    dead = temp_folder / "bzmedia-cache-q7x0_k2z"
    dead.mkdir(mode=0o700)
    gone, kept = old_entry_in(dead, 1), file_entry(Store(dead), key(2), ".wav", 1000, 600)
    foreign = dead / "notes.txt"
    foreign.write_text("not bzmedia's", encoding="utf-8")
    age(foreign, 100 * HOUR)
    theirs = another_user_s(temp_folder / "bzmedia-cache-abcdefgh")
    their_old = old_entry_in(theirs, 3)
    file_entry(Store(blocker), key(4), ".wav", 1000, 0)  # this build moved to its own folder
    forget_fallback(monkeypatch, blocker)
    report = sweep(blocker, time.time())  # far under the default limit
    assert report.limit >= 2 * 10**9 and not gone.exists() and not Path(f"{gone}.sha256").exists()
    assert kept.exists() and foreign.exists() and their_old.exists()


def test_a_temporary_directory_that_cannot_hold_a_fallback_is_one_line_naming_both(tmp_path, monkeypatch):
    import tempfile

    from bzmedia.errors import BuildError

    blocker, _shared = unwritable_cache(tmp_path)
    not_a_folder = tmp_path / "temp"
    not_a_folder.write_text("a file where the temporary directory should be", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    with pytest.raises(BuildError) as caught, Store(blocker).put(key(1), ".wav") as temp:
        temp.write_bytes(b"never filed")
    [message] = caught.value.messages
    assert message.startswith(f"cache: neither {blocker} nor {not_a_folder} can be written (")
    assert "\n" not in message and str(blocker) not in _fallback_roots
    assert sweep(blocker, time.time(), limit=0).removed_files == 0  # nothing to sweep, no error
