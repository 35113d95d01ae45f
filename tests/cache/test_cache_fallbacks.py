"""One lock-file mechanism for the store and its sweep, and the temporary folders an unwritable
cache moves to: found by name and owner, shared, reused and swept, never another user's.

Real folders in a private temporary directory.  "Another user's" folder is one really chowned to
another uid (as root only: elsewhere those cases are skipped), or one of this user's that others
may write to, which counts as theirs (anyone could plant entries or links in it)."""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

import pytest
from test_cache_sweep import HOUR, age, file_entry, key

from bzmedia.cache import Store, _fallback_roots, file_mutex, try_file_lock
from bzmedia.cachedir import fallback_folders, shared_fallback
from bzmedia.cachesweep import sweep
from bzmedia.errors import BuildError

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


@pytest.fixture(params=["chowned", "open to others"])
def another_user_s(request):
    """Makes a folder that is not this user's own: given to another uid, or writable by all."""
    def make(folder: Path) -> Path:
        folder.mkdir(mode=0o700)
        if request.param == "open to others":
            os.chmod(folder, 0o777)
            return folder
        try:
            os.chown(folder, OTHER_UID, OTHER_UID)
        except PermissionError:
            pytest.skip("only root can give a folder to another user")
        return folder
    return make


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
        tmp_path, temp_folder, monkeypatch, another_user_s):
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


def test_every_temporary_folder_of_an_unwritable_cache_is_swept_but_links_are_not(
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
    assert fallback_folders(blocker) == [shared, raced]
    forget_fallback(monkeypatch, blocker)
    report = sweep(blocker, time.time(), limit=0)
    assert (report.root, used.exists(), raced_old.exists()) == (shared, True, False)
    assert linked_old.exists()


def test_another_user_s_temporary_folders_of_an_unwritable_cache_are_never_swept(
        tmp_path, temp_folder, monkeypatch, another_user_s):
    """Of its own name, or of an older version's (random) name."""
    blocker, shared = unwritable_cache(tmp_path)
    file_entry(Store(blocker), key(0), ".wav", 1000, 0)
    theirs = another_user_s(temp_folder / f"{shared.name}-theirsxx")
    their_old = old_entry_in(theirs, 3)
    their_dead = another_user_s(temp_folder / "bzmedia-cache-abcdefgh")
    their_dead_old = old_entry_in(their_dead, 4)
    assert fallback_folders(blocker) == [shared]
    forget_fallback(monkeypatch, blocker)
    report = sweep(blocker, time.time(), limit=0)
    assert report.root == shared and their_old.exists() and their_dead_old.exists()
    assert Path(f"{their_old}.sha256").exists() and Path(f"{their_dead_old}.sha256").exists()


def test_random_temporary_folders_of_older_versions_lose_what_is_an_hour_old_whatever_the_limit(
        tmp_path, temp_folder, monkeypatch):
    """Nobody can find them to read them again: only the process that made one knew its name."""
    blocker, _shared = unwritable_cache(tmp_path)
    dead = temp_folder / "bzmedia-cache-q7x0_k2z"
    dead.mkdir(mode=0o700)
    gone, kept = old_entry_in(dead, 1), file_entry(Store(dead), key(2), ".wav", 1000, 600)
    foreign = gone.parent / "notes.txt"  # where the sweep looks: beside an old entry it removes
    foreign.write_text("not bzmedia's", encoding="utf-8")
    age(foreign, 100 * HOUR)
    file_entry(Store(blocker), key(4), ".wav", 1000, 0)  # this build moved to its own folder
    forget_fallback(monkeypatch, blocker)
    report = sweep(blocker, time.time())  # far under the default limit
    assert report.limit >= 2 * 10**9 and not gone.exists() and not Path(f"{gone}.sha256").exists()
    assert kept.exists() and foreign.exists()


def test_a_temporary_folder_is_made_again_private_if_it_goes_and_never_used_once_others_may_write(
        tmp_path, temp_folder):
    """A temporary-file cleaner may take the folder during a long build; what is made in its place
    is private whatever the umask, and a folder others may write to in its place is refused."""
    blocker, shared = unwritable_cache(tmp_path)
    store = Store(blocker)
    file_entry(store, key(0), ".wav", 1000, 0)
    assert store.root == shared and stat.S_IMODE(shared.stat().st_mode) == 0o700
    shutil.rmtree(shared)
    previous = os.umask(0)
    try:
        file_entry(store, key(1), ".wav", 1000, 0)
    finally:
        os.umask(previous)
    assert store.root == shared and stat.S_IMODE(shared.stat().st_mode) == 0o700
    shutil.rmtree(shared)
    shared.mkdir()
    os.chmod(shared, 0o777)
    with pytest.raises(BuildError) as caught, store.put(key(2), ".wav") as temp:
        temp.write_bytes(b"never filed")
    assert caught.value.messages == [f"cache: neither {blocker} nor {shared} can be written (Permission "
                                     "denied); set BZMEDIA_CACHE to a writable folder"]
    assert list(shared.iterdir()) == []


def test_a_temporary_directory_that_cannot_hold_a_fallback_is_one_line_naming_both(tmp_path, monkeypatch):
    import tempfile

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


def test_no_usable_temporary_directory_is_one_line_naming_the_folders_tried(tmp_path, monkeypatch):
    """Python looks in $TMPDIR, /tmp, ... and the working folder; none usable (here: each a file)."""
    import tempfile

    blocker, _shared = unwritable_cache(tmp_path)
    tried = [tmp_path / "tmpdir", tmp_path / "working"]
    for path in tried:
        path.write_text("a file where a temporary directory could be", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(tempfile, "_candidate_tempdir_list", lambda: [str(path) for path in tried])
    with pytest.raises(BuildError) as caught, Store(blocker).put(key(1), ".wav") as temp:
        temp.write_bytes(b"never filed")
    [message] = caught.value.messages
    assert message == (f"cache: neither {blocker} nor {tried[0]}, {tried[1]} can be written (No usable "
                       "temporary directory); set BZMEDIA_CACHE to a writable folder")
    assert sweep(blocker, time.time(), limit=0).removed_files == 0  # nothing to sweep, no error
