"""The cache sweep on real files: what goes (old entries nobody used, least recently used first),
what stays (what this build or any build in the last hour used, and every file that is not
bzmedia's), and that nothing it meets can fail a build or damage the cache."""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cache_helpers import build_tiny_audio, kit_digests, write_tiny_campaign
from cli_helpers import run_cli
from minimal_script import MINIMAL

from bzmedia import cachesweep
from bzmedia.cache import TOUCH_EVERY_S, Store, mark_used
from bzmedia.cachesweep import configured_limit, sweep
from bzmedia.errors import BuildError

HOUR = 3600.0


def age(path: Path, seconds: float) -> None:
    """Make ``path`` look last used ``seconds`` ago."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def file_entry(store: Store, key: str, suffix: str, size: int, used_ago: float) -> Path:
    """A real store entry (through :meth:`Store.put`) of ``size`` bytes, last used ``used_ago`` s ago."""
    with store.put(key, suffix) as temp:
        temp.write_bytes(key.encode() * (size // 64 + 1))
    path = store.path_for(key, suffix)
    age(path, used_ago)
    return path


def key(n: int, shard: int | None = None) -> str:
    """A key; varied first characters spread entries over several folders, unless ``shard``
    gives them the folder of ``key(shard)``."""
    if shard is not None:
        n = n << 8 | shard
    return f"{n:064x}"[::-1]


def foreign_files(root: Path) -> dict[Path, tuple[bytes, int]]:
    """A user's files where the sweep looks, some named almost like entries, all old."""
    files = {
        root / "report.docx": b"report",
        root / "v2" / "notes.txt": b"notes",
        root / "v2" / "photos" / (key(1) + ".png"): b"a photo named like an entry, not in a shard",
        root / "v2" / key(2)[:2] / "budget.xlsx": b"budget",
        root / "v2" / key(2)[:2] / (key(2)[:-1] + ".wav"): b"63 hex digits: not a key",
        root / "v2" / key(2)[:2] / (key(3) + ".wav"): b"a key of another shard",
        root / "v2" / key(0xAB)[:2] / (key(0xAB).upper() + ".wav"): b"capitals: not a key",
        root / "loaded" / "ab" / "letter.pickle": b"letter",
        root / "noop" / "diary.json": b"diary",
        root / "tts" / "voice.mp3": b"voice",
        root / "Documents" / "v2" / "00" / (key(0) + ".wav"): b"deeper than the cache's own folders",
    }
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        age(path, 100 * 24 * HOUR)
    return {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}


def test_old_unused_entries_go_used_and_recent_ones_and_foreign_files_stay(tmp_path):
    store = Store(tmp_path)
    started = time.time() - 600  # the build began ten minutes ago
    old = [file_entry(store, key(10 + n), ".wav", 1000, 30 * 24 * HOUR + n) for n in range(5)]
    recent = file_entry(store, key(20), ".png", 1000, HOUR / 2)  # another build, half an hour ago
    used = file_entry(store, key(21), ".h264", 1000, 0)  # this build
    outside = tmp_path.parent / "elsewhere"  # a link to a folder of the user's: not followed
    (outside / key(22)[:2]).mkdir(parents=True)
    linked = outside / key(22)[:2] / (key(22) + ".wav")
    linked.write_bytes(b"x")
    age(linked, 100 * 24 * HOUR)
    (tmp_path / "v2" / key(22)[:2]).symlink_to(outside / key(22)[:2])
    foreign = foreign_files(tmp_path)

    report = sweep(tmp_path, started, limit=0)

    for path in old:
        assert not path.exists() and not Path(f"{path}.sha256").exists()
    assert store.get(key(20), ".png") == recent and store.get(key(21), ".h264") == used
    assert report.removed_files == 10 and report.skipped == 0 and report.units == 7
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in foreign} == foreign
    assert linked.exists()


def test_least_recently_used_go_first_and_only_until_under_the_limit(tmp_path):
    store = Store(tmp_path)
    entries = [file_entry(store, key(n), ".wav", 10_000, (2 + n) * HOUR) for n in range(6)]
    sizes = [p.stat().st_size + Path(f"{p}.sha256").stat().st_size for p in entries]

    report = sweep(tmp_path, time.time(), limit=sum(sizes[:3]))  # the three newest fit

    assert [p.exists() for p in entries] == [True, True, True, False, False, False]
    assert report.after == sum(sizes[:3]) and report.removed_bytes == sum(sizes[3:])


def test_under_the_default_limit_nothing_goes(tmp_path):
    store = Store(tmp_path)
    entries = [file_entry(store, key(n), ".wav", 1000, 50 * 24 * HOUR) for n in range(3)]
    report = sweep(tmp_path, time.time())
    assert report.limit == cachesweep.FLOOR_BYTES and report.removed_files == 0
    assert all(p.exists() for p in entries)


def test_the_default_limit_grows_with_what_the_build_used(tmp_path, monkeypatch):
    monkeypatch.setattr(cachesweep, "FLOOR_BYTES", 1000)
    store = Store(tmp_path)
    file_entry(store, key(1), ".wav", 5000, 0)
    report = sweep(tmp_path, time.time() - 10)
    assert report.used > 5000 and report.limit == cachesweep.USE_FACTOR * report.used


def test_a_read_marks_an_entry_used_once_a_minute_at_most(tmp_path):
    store = Store(tmp_path)
    path = file_entry(store, key(1), ".wav", 100, 40 * 24 * HOUR)
    assert store.get(key(1), ".wav") == path
    marked = path.stat().st_mtime
    assert time.time() - marked < 5  # the read moved it: the sweep now counts it used
    age(path, TOUCH_EVERY_S / 2)
    before = path.stat().st_mtime_ns
    mark_used(path, path.stat().st_mtime)
    assert path.stat().st_mtime_ns == before  # marked less than a minute ago: no second utime
    assert sweep(tmp_path, time.time() - 1, limit=0).removed_files == 0


def test_leftovers_of_dead_processes_go_and_fresh_ones_stay(tmp_path):
    store = Store(tmp_path)
    entry = file_entry(store, key(1), ".wav", 100, 0)
    shard = entry.parent
    stale = [shard / f".{key(2, shard=1)}.wav.lock", shard / f".{key(3, shard=1)}.wav.making",
             shard / f".{key(4, shard=1)}.1a2b3c4d.bzpart.wav", shard / ".probe.1a2b3c4d.bzpart",
             shard / f"{key(5, shard=1)}.wav.sha256",  # a checksum whose entry a killed sweep removed
             shard / f".{key(8, shard=1)}.h264.claim"]  # a loop piece's claim by a killed worker
    fresh = [shard / f".{key(6, shard=1)}.wav.lock", shard / f"{key(7, shard=1)}.wav.sha256",
             shard / f".{key(9, shard=1)}.h264.claim"]
    for path in stale + fresh:
        path.write_bytes(b"")
    for path in stale:
        age(path, 2 * HOUR)
    sweep(tmp_path, time.time())  # far under the limit: leftovers go anyway
    assert [p.exists() for p in stale] == [False] * len(stale)
    assert all(p.exists() for p in fresh) and store.get(key(1), ".wav") == entry


def test_an_entry_being_filed_is_skipped_and_counted(tmp_path):
    store = Store(tmp_path)
    entry = file_entry(store, key(1), ".wav", 100, 2 * HOUR)
    (entry.parent / f".{entry.name}.lock").write_bytes(b"")  # another process holds it right now
    report = sweep(tmp_path, time.time(), limit=0)
    assert entry.exists() and report.skipped == 1


def test_a_file_that_cannot_be_removed_is_skipped_its_checksum_kept_and_said(tmp_path, monkeypatch):
    """As on Windows when another process holds the file open (fault injected: root may delete
    anything here)."""
    store = Store(tmp_path)
    held = file_entry(store, key(1), ".wav", 100, 3 * HOUR)
    other = file_entry(store, key(2), ".wav", 100, 2 * HOUR)
    real_replace = os.replace

    def replace(source, target):  # Windows renames an open file no more than it deletes it
        if Path(source) == held:
            raise PermissionError(13, "The process cannot access the file", str(source))
        return real_replace(source, target)

    stuck = file_entry(store, key(3), ".wav", 100, 4 * HOUR)
    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):  # renamed aside, and then it cannot be removed
        if Path(path) == stuck.with_name(f".{stuck.name}.sweeping"):
            raise PermissionError(1, "Operation not permitted", str(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(cachesweep.os, "replace", replace)
    monkeypatch.setattr(cachesweep.os, "unlink", unlink)
    report = sweep(tmp_path, time.time(), limit=0)
    assert report.skipped == 2 and not other.exists()
    assert store.get(key(3), ".wav") == stuck  # put back beside its checksum
    assert store.get(key(1), ".wav") == held  # its checksum stayed: still a good entry
    assert "could not be removed" in report.warning()


@pytest.mark.parametrize(("text", "expected"), [
    ("500MB", 500e6), ("2GB", 2e9), ("2 gb", 2e9), ("1,5GB", 1.5e9), ("1.5G", 1.5e9),
    ("512MiB", 512 * 2**20), ("0", 0), ("off", math.inf), ("", None)])
def test_the_limit_setting_is_read(text, expected):
    assert configured_limit({"BZMEDIA_CACHE_LIMIT": text}) == expected


@pytest.mark.parametrize("text", ["2 gigs", "500", "-1GB", "GB", "1e9", "2GBB", "1.2.3MB"])
def test_a_malformed_limit_is_refused_with_the_variable_named(text):
    with pytest.raises(BuildError) as caught:
        configured_limit({"BZMEDIA_CACHE_LIMIT": text})
    assert caught.value.messages == [f"BZMEDIA_CACHE_LIMIT: '{text}' is not a cache size; write it like "
                                     "500MB or 2GB (or off for no limit)"]


def minimal_script(folder: Path) -> Path:
    script = folder / "demo.yaml"
    script.write_text(MINIMAL, encoding="utf-8")
    return script


def test_the_cli_refuses_a_malformed_limit_before_building(tmp_path):
    done = run_cli("build", str(minimal_script(tmp_path)), "-o", str(tmp_path / "out"),
                   BZMEDIA_CACHE=str(tmp_path / "cache"), BZMEDIA_CACHE_LIMIT="2 gigs")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("BZMEDIA_CACHE_LIMIT: '2 gigs' is not a cache size")
    assert not (tmp_path / "out" / "demo" / "manifest.json").exists()


def test_a_cache_pointed_at_documents_loses_nothing_and_v_says_what_was_swept(tmp_path):
    documents = tmp_path / "Documents"
    foreign = foreign_files(documents)
    done = run_cli("-v", "build", str(minimal_script(tmp_path)), "-o", str(tmp_path / "out"),
                   BZMEDIA_CACHE=str(documents), BZMEDIA_CACHE_LIMIT="0")
    assert done.returncode == 0, done.stderr
    assert f"cache: {documents} holds " in done.stderr and "(limit 0 B); swept 0 files" in done.stderr
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in foreign} == foreign
    quiet = run_cli("build", str(minimal_script(tmp_path)), "-o", str(tmp_path / "out2"),
                    BZMEDIA_CACHE=str(documents), BZMEDIA_CACHE_LIMIT="0")
    assert quiet.returncode == 0 and "cache:" not in quiet.stderr  # a normal run stays calm


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The two-commune audio campaign built once: its script, cache and kit."""
    root = tmp_path_factory.mktemp("tiny")
    script = write_tiny_campaign(root / "campaign")
    build_tiny_audio(script, root / "out", root / "cache")
    return script, root / "cache", kit_digests(root / "out" / "loa-ngan")


def planted(cache: Path) -> list[Path]:
    """Old entries no build of the tiny campaign reads (an earlier campaign's)."""
    store = Store(cache)
    return [file_entry(store, key(n), ".wav", 2000, 10 * 24 * HOUR) for n in range(3)]


def test_partial_builds_do_not_sweep_and_a_full_one_does(tiny, tmp_path, monkeypatch):
    script, _, _ = tiny
    cache = tmp_path / "cache"
    old = planted(cache)
    monkeypatch.setenv("BZMEDIA_CACHE_LIMIT", "0")
    from bzmedia.build import BuildOptions, build, load_builders
    from bzmedia.campaign import load_campaign

    campaign, _ = load_campaign(script)
    audio = [b for b in load_builders() if b.name == "audio"]
    for partial in ({"locality": ("son-vi",)}, {"only": ("audio",)}):
        report = build(campaign, BuildOptions(output_root=tmp_path / "out", cache_dir=cache, workers=1,
                                              **partial), builders=audio)
        assert report.swept is None and all(p.exists() for p in old)
    report = build_tiny_audio(script, tmp_path / "out", cache)
    assert report.swept is not None and not any(p.exists() for p in old)
    assert report.swept.removed_files == 6 and report.warnings == []


def test_a_sweep_that_breaks_does_not_fail_the_build(tiny, tmp_path, monkeypatch):
    script, _, _ = tiny

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the sweep")

    monkeypatch.setattr("bzmedia.build.sweep", broken)
    report = build_tiny_audio(script, tmp_path / "out", tmp_path / "cache")
    assert report.swept is None and report.ran
    assert report.warnings == [f"cache: the sweep of {tmp_path / 'cache'} stopped: RuntimeError: a bug in "
                               "the sweep"]


KILLED_SWEEP = """
import os, signal, sys, time
from pathlib import Path
from bzmedia import cachesweep
real_unlink, removed = os.unlink, []
def unlink(path, *args, **kwargs):
    real_unlink(path, *args, **kwargs)
    removed.append(path)
    if len(removed) == int(sys.argv[2]):  # an entry gone, its checksum not yet
        os.kill(os.getpid(), signal.SIGKILL)
cachesweep.os.unlink = unlink
cachesweep.sweep(Path(sys.argv[1]), time.time(), limit=0)
"""


def test_a_sweep_killed_halfway_leaves_a_cache_the_next_build_uses(tiny, tmp_path):
    script, clean_cache, clean_kit = tiny
    cache = tmp_path / "cache"
    store = Store(cache)
    for path in sorted((clean_cache / "v2").rglob("*.wav")):  # the campaign's own speech, old
        with store.put(path.stem, ".wav") as temp:
            temp.write_bytes(path.read_bytes())
        age(store.path_for(path.stem, ".wav"), 5 * 24 * HOUR)
    old = planted(cache)
    done = subprocess.run([sys.executable, "-c", KILLED_SWEEP, str(cache), "5"], timeout=60, check=False)
    assert done.returncode == -9
    entries = [p for p in (cache / "v2").rglob("*") if p.is_file() and p.suffix == ".wav"]
    assert 0 < len(entries) < len(old) + 5  # killed halfway
    checksums = {p for p in (cache / "v2").rglob("*.sha256")}
    assert {Path(f"{p}.sha256") for p in entries} <= checksums  # no entry lost its checksum
    report = build_tiny_audio(script, tmp_path / "out", cache)
    assert report.warnings == []  # nothing read as damaged
    assert kit_digests(tmp_path / "out" / "loa-ngan") == clean_kit


def test_the_sweep_knows_the_store_s_temporary_names(tmp_path):
    from bzmedia.cache import atomic_path

    entry = Store(tmp_path).path_for(key(1), ".wav")
    for target in (entry, Path(f"{entry}.sha256")):
        with atomic_path(target) as temp:
            assert cachesweep._STORE_LEFTOVER.fullmatch(temp.name), temp.name
            temp.write_bytes(b"")


def test_a_large_synthesis_log_keeps_its_newest_whole_lines_and_a_foreign_or_busy_one_is_left(tmp_path):
    lines = [f'{{"engine": "espeak", "key": "{key(n)}", "text": "câu {n}", "audio_s": 1.5}}\n'
             for n in range(12_000)]
    log = tmp_path / "ours" / "tts" / "synthesized.jsonl"
    foreign = tmp_path / "theirs" / "tts" / "synthesized.jsonl"
    busy = tmp_path / "busy" / "tts" / "synthesized.jsonl"
    for path, text in ((log, "".join(lines)), (foreign, "".join(lines) + "my notes\n"),
                       (busy, "".join(lines))):
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        age(path, 2 * HOUR if path is not busy else 60)
    before = {p: p.read_bytes() for p in (foreign, busy)}
    for path in (log, foreign, busy):
        sweep(path.parent.parent, time.time())
    kept = log.read_text(encoding="utf-8")
    assert len(kept.encode()) <= cachesweep.LOG_BYTES // 2 and kept.endswith(lines[-1])
    assert kept.splitlines(keepends=True) == lines[-len(kept.splitlines()):]
    assert {p: p.read_bytes() for p in (foreign, busy)} == before


def test_a_cache_that_is_missing_or_a_file_is_swept_without_a_word(tmp_path):
    (tmp_path / "a-file").write_bytes(b"mine")
    for root in (tmp_path / "missing", tmp_path / "a-file"):
        report = sweep(root, time.time(), limit=0)
        assert (report.units, report.removed_files, report.skipped, report.warning()) == (0, 0, 0, None)
    assert (tmp_path / "a-file").read_bytes() == b"mine"


def test_an_entry_another_sweep_took_meanwhile_is_counted_and_its_checksum_goes(tmp_path):
    entry = file_entry(Store(tmp_path), key(1), ".wav", 100, 2 * HOUR)
    size = entry.stat().st_size
    units, _, _ = cachesweep._scan(tmp_path)
    entry.unlink()  # between this sweep's scan and its removal
    report = cachesweep.SweepReport(tmp_path, 0, before=units[0].size)
    cachesweep._remove(units[0], time.time() - HOUR, report)
    assert (report.vanished, report.skipped, report.removed_files) == (1, 0, 1)
    assert not Path(f"{entry}.sha256").exists()
    # -v tells only what this sweep removed (the checksum); the cache holds neither any more
    assert (report.removed_bytes, report.vanished_bytes, report.after) == (cachesweep.CHECKSUM_BYTES, size, 0)


def test_entries_a_real_build_read_are_kept_by_their_marks_alone(tiny, tmp_path, monkeypatch):
    script, clean_cache, clean_kit = tiny
    cache = tmp_path / "cache"
    store = Store(cache)
    speech = sorted((clean_cache / "v2").rglob("*.wav"))
    for path in speech:  # the campaign's speech, last used a week ago
        with store.put(path.stem, ".wav") as temp:
            temp.write_bytes(path.read_bytes())
        age(store.path_for(path.stem, ".wav"), 7 * 24 * HOUR)
    old = planted(cache)
    monkeypatch.setenv("BZMEDIA_CACHE_LIMIT", "0")
    report = build_tiny_audio(script, tmp_path / "out", cache, workers=2)  # a new kit: every job reads
    assert report.swept.removed_files == 2 * len(old) and not any(p.exists() for p in old)
    assert all(store.get(p.stem, ".wav") for p in speech)  # read by the workers, so kept
    assert kit_digests(tmp_path / "out" / "loa-ngan") == clean_kit


def test_an_entry_a_sweep_takes_while_it_is_read_is_a_miss_not_a_path_that_is_gone(tmp_path, monkeypatch):
    """Another build's sweep removes the (old) entry between this reader's check of its bytes
    and its mark: the reader must answer a miss, not a path whose copy then fails."""
    store = Store(tmp_path)
    file_entry(store, key(1), ".wav", 100, 2 * HOUR)
    real_intact = Store._intact

    def intact_then_swept(self, path):
        found = real_intact(self, path)
        sweep(tmp_path, time.time(), limit=0)  # the other build's sweep, right after the check
        return found

    monkeypatch.setattr(Store, "_intact", intact_then_swept)
    assert store.get(key(1), ".wav") is None and store.take_warnings() == []


def test_an_entry_marked_while_the_sweep_takes_it_is_put_back_whole(tmp_path, monkeypatch):
    """A reader marks the entry just as the sweep (which saw it old) renames it aside: the sweep
    sees the mark and puts it back, with its checksum, for the reader to use."""
    store = Store(tmp_path)
    entry = file_entry(store, key(1), ".wav", 100, 2 * HOUR)
    real_replace = os.replace

    def replace_marked(source, target):
        real_replace(source, target)
        if Path(source) == entry:
            os.utime(target)  # the reader's mark landed on the file being moved

    monkeypatch.setattr(cachesweep.os, "replace", replace_marked)
    report = sweep(tmp_path, time.time(), limit=0)
    assert report.removed_files == 0 and store.get(key(1), ".wav") == entry
    assert sorted(p.name for p in entry.parent.iterdir()) == [entry.name, f"{entry.name}.sha256"]


def test_what_a_killed_sweep_renamed_aside_goes_with_its_checksum_and_stale_lock(tmp_path):
    store = Store(tmp_path)
    entry = file_entry(store, key(1), ".wav", 100, 2 * HOUR)
    aside = entry.with_name(f".{entry.name}.sweeping")
    lock = entry.with_name(f".{entry.name}.lock")
    os.replace(entry, aside)  # killed here, holding the entry's lock
    lock.write_bytes(b"")
    for path in (lock, Path(f"{entry}.sha256")):
        age(path, 2 * HOUR)
    report = sweep(tmp_path, time.time())  # far under the limit: leftovers go anyway
    assert list(entry.parent.iterdir()) == [] and report.skipped == 0


@pytest.fixture
def private_temp(tmp_path, monkeypatch):
    """The temporary directory (where an unwritable cache's stores move) inside the test's folder."""
    import tempfile

    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("workers_moved", [False, True])
def test_the_temporary_cache_an_unwritable_one_moved_to_is_the_one_swept(tmp_path, private_temp,
                                                                          monkeypatch, workers_moved):
    from bzmedia.cache import _fallback_roots

    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    store = Store(blocker)
    old = [file_entry(store, key(n), ".wav", 1000, 3 * HOUR) for n in range(3)]
    assert store.root.parent == private_temp and store.take_warnings()  # it moved, and said so
    if workers_moved:  # only the workers' stores moved: this process knows the folder by its name
        monkeypatch.delitem(_fallback_roots, str(blocker))
    report = sweep(blocker, time.time(), limit=0)
    assert report.root == store.root and not any(p.exists() for p in old)
    assert report.removed_files == 6 and report.warning() is None


@contextlib.contextmanager
def read_only(folder: Path):
    """``folder`` as on a read-only drive: mounted read-only over itself (root, to whom
    permissions mean nothing), else without write permission."""
    if os.geteuid() != 0:
        folders = [folder, *(p for p in folder.rglob("*") if p.is_dir())]
        for path in folders:
            path.chmod(0o555)
        try:
            yield
        finally:
            for path in folders:
                path.chmod(0o755)
        return
    for command in (["mount", "--bind", folder, folder], ["mount", "-o", "remount,bind,ro", folder]):
        if subprocess.run(command, capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", folder], capture_output=True, check=False)
            pytest.skip("no read-only mount here")
    try:
        yield
    finally:
        subprocess.run(["umount", folder], check=True)


def test_a_read_only_cache_is_not_swept_nor_warned_about(tmp_path, private_temp):
    cache = tmp_path / "cache"
    old = [file_entry(Store(cache), key(n), ".wav", 1000, 3 * HOUR) for n in range(3)]
    with read_only(cache):
        assert Store(cache).get(key(0), ".wav") == old[0]  # still read
        report = sweep(cache, time.time(), limit=0)
        assert (report.skipped, report.removed_files, report.warning()) == (0, 0, None)
        assert all(p.exists() for p in old)


def test_a_kit_s_no_op_record_stays_however_old_until_its_kit_is_gone(tmp_path):
    from bzmedia.buildinputs import record_path

    cache, out = tmp_path / "cache", tmp_path / "out"
    done = run_cli("build", str(minimal_script(tmp_path)), "-o", str(out), BZMEDIA_CACHE=str(cache))
    assert done.returncode == 0, done.stderr
    [kit] = [p for p in out.iterdir() if (p / "manifest.json").exists()]
    record = record_path(cache, kit)
    age(record, 30 * 24 * HOUR)  # no build but no-op ones since: never marked
    sweep(cache, time.time(), limit=0)
    assert record.exists()
    again = run_cli("build", str(minimal_script(tmp_path)), "-o", str(out), BZMEDIA_CACHE=str(cache))
    assert again.returncode == 0 and "0 made" in again.stdout + again.stderr
    assert time.time() - record.stat().st_mtime > 29 * 24 * HOUR  # the shortcut answered: not rewritten
    shutil.rmtree(kit)
    sweep(cache, time.time(), limit=0)
    assert not record.exists()


def test_the_default_limit_follows_the_largest_recent_full_build_not_the_last_incremental_one(
        tmp_path, monkeypatch):
    monkeypatch.setattr(cachesweep, "FLOOR_BYTES", 1000)
    store = Store(tmp_path)
    entries = [file_entry(store, key(n), ".wav", 5000, 0) for n in range(4)]
    cold = sweep(tmp_path, time.time() - 10)  # a cold build: it used all four
    assert cold.limit == cachesweep.USE_FACTOR * cold.used > 4 * 5000
    for path in entries:
        age(path, 2 * HOUR)
    edit = sweep(tmp_path, time.time() - 10)  # an edit's build: its few jobs read nothing here
    assert edit.used == 0 and edit.limit == cold.limit and all(p.exists() for p in entries)
    record = tmp_path / cachesweep.USAGE_RECORD
    stamp = json.loads(record.read_text(encoding="utf-8"))
    stamp["builds"] = [[time.time() - 31 * 24 * HOUR, cold.used]]  # a month ago: forgotten
    record.write_text(json.dumps(stamp), encoding="utf-8")
    assert sweep(tmp_path, time.time() - 10).limit == 1000


def test_a_file_of_the_usage_record_s_name_that_is_not_bzmedia_s_is_left_alone(tmp_path):
    record = tmp_path / cachesweep.USAGE_RECORD
    record.write_text('{"my": "settings"}', encoding="utf-8")
    assert sweep(tmp_path, time.time()).limit == cachesweep.FLOOR_BYTES
    assert record.read_text(encoding="utf-8") == '{"my": "settings"}'


def test_an_entry_read_on_the_second_look_under_its_lock_is_marked_too(tmp_path, monkeypatch):
    store = Store(tmp_path)
    entry = file_entry(store, key(1), ".wav", 100, 2 * HOUR)
    real_intact, looks = Store._intact, []

    def first_look_mid_filing(self, path):  # as while another process files the same key
        looks.append(path)
        return len(looks) > 1 and real_intact(self, path)

    monkeypatch.setattr(Store, "_intact", first_look_mid_filing)
    assert store.get(key(1), ".wav") == entry and len(looks) == 2
    assert time.time() - entry.stat().st_mtime < 60  # marked: the sweep keeps it
    assert sweep(tmp_path, time.time(), limit=0).removed_files == 0


def bzmedia_s_old_files(folder: Path) -> list[Path]:
    """Old files of the names the sweep takes in a cache's ``v2``, ``loaded`` and ``noop`` folders
    (an entry and its checksum, a loaded campaign, a no-op record of a kit that is gone), in
    ``folder``/v2, ``folder``/loaded and ``folder``/noop."""
    entry = folder / "v2" / key(1)[:2] / f"{key(1)}.wav"
    files = {entry: b"x" * 100, Path(f"{entry}.sha256"): b"0" * 64 + b"\n",
             folder / "loaded" / key(2)[:2] / f"{key(2)}.pickle": b"pickle",
             folder / "noop" / "0123abcd.json": json.dumps({"kit": str(folder / "gone kit")}).encode()}
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        age(path, 100 * 24 * HOUR)
    return list(files)


def test_the_cache_s_own_folders_are_not_swept_through_links(tmp_path):
    """``v2``, ``loaded`` and ``noop`` linked elsewhere: what is there stays (the same files in the
    cache's own folders go, so the sweep would have taken them)."""
    swept = bzmedia_s_old_files(tmp_path / "swept")
    elsewhere = bzmedia_s_old_files(tmp_path / "elsewhere")
    linked = tmp_path / "linked"
    linked.mkdir()
    for name in ("v2", "loaded", "noop"):
        (linked / name).symlink_to(tmp_path / "elsewhere" / name, target_is_directory=True)
    assert sweep(tmp_path / "swept", time.time(), limit=0).removed_files == len(swept)
    assert not any(path.exists() for path in swept)
    assert sweep(linked, time.time(), limit=0).removed_files == 0
    assert all(path.exists() for path in elsewhere)
