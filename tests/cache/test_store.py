"""The content-addressed store: checksums written with every entry, verified on every read."""

from __future__ import annotations

import hashlib
import pickle
import shutil
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from bzmedia.cache import Store, fingerprint, merge_warnings
from bzmedia.tts.pcm import DecodeError, Sound, read_wav, write_wav

KEY = fingerprint("test-entry", 1)
PAYLOAD = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def filed(root: Path, payload: bytes = PAYLOAD, suffix: str = ".png") -> tuple[Store, Path]:
    store = Store(root)
    with store.put(KEY, suffix) as temp:
        temp.write_bytes(payload)
    return store, store.path_for(KEY, suffix)


def one_dropped(store: Store) -> list[str]:
    return [f"cache: 1 damaged entry under {store.root} was dropped and made again"]


def test_an_entry_is_filed_with_its_checksum_and_read_back(tmp_path):
    store, path = filed(tmp_path / "c")
    assert store.get(KEY, ".png") == path and path.read_bytes() == PAYLOAD
    checksum = path.with_name(path.name + ".sha256").read_text(encoding="ascii").strip()
    assert checksum == hashlib.sha256(PAYLOAD).hexdigest()
    assert store.take_warnings() == []
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, path.name + ".sha256"]



def test_a_store_folder_deleted_after_its_first_entry_is_made_again(tmp_path):
    """The process remembers folders it has written to, but a folder removed since (another
    build's clean-up, a user emptying the cache) is made again, not a FileNotFoundError."""
    store, path = filed(tmp_path / "c")
    shutil.rmtree(tmp_path / "c")
    store, path = filed(tmp_path / "c")
    assert store.get(KEY, ".png") == path and path.read_bytes() == PAYLOAD

DAMAGE = {
    "cut to its header": lambda p, s: p.write_bytes(p.read_bytes()[:44]),
    "cut in half": lambda p, s: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "zero length": lambda p, s: p.write_bytes(b""),
    "same length, other bytes": lambda p, s: p.write_bytes(bytes(reversed(p.read_bytes()))),
    "garbage": lambda p, s: p.write_bytes(b"not what was stored"),
    "checksum missing": lambda p, s: s.unlink(),
    "checksum garbled": lambda p, s: s.write_bytes(b"\xff\xfe garbage"),
}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_a_damaged_entry_is_dropped_and_reported_once(tmp_path, how):
    store, path = filed(tmp_path / "c")
    DAMAGE[how](path, path.with_name(path.name + ".sha256"))
    assert store.get(KEY, ".png") is None
    assert not path.exists() and not path.with_name(path.name + ".sha256").exists()
    assert store.take_warnings() == one_dropped(store)
    assert store.take_warnings() == []  # said once
    with store.put(KEY, ".png") as temp:  # made again: good as new
        temp.write_bytes(PAYLOAD)
    assert store.get(KEY, ".png") == path and store.take_warnings() == []


def test_jobs_that_need_the_same_new_entry_at_once_make_it_once(tmp_path):
    made = []

    def need(_):
        store = Store(tmp_path / "c")  # each job has its own store object, as in the workers
        if store.get(KEY, ".png") is None:
            with store.making(KEY, ".png"):
                if store.get(KEY, ".png") is None:
                    time.sleep(0.2)  # slow enough that every job asks while it is being made
                    made.append(1)
                    with store.put(KEY, ".png") as temp:
                        temp.write_bytes(PAYLOAD)
        return store.get(KEY, ".png").read_bytes()

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(need, range(4))) == [PAYLOAD] * 4
    assert made == [1]


def test_a_missing_entry_is_not_damage(tmp_path):
    store = Store(tmp_path / "c")
    assert store.get(KEY, ".png") is None and store.take_warnings() == []


def test_a_store_travels_to_workers_without_its_counts(tmp_path):
    store, path = filed(tmp_path / "c")
    path.write_bytes(b"broken")
    store.get(KEY, ".png")
    copy = pickle.loads(pickle.dumps(store))
    assert copy.root == store.root and copy.take_warnings() == []
    assert len(store.take_warnings()) == 1


def test_jobs_reports_are_summed_into_one_warning_per_cache_folder():
    warnings = ["cache: 2 damaged entries under /a were dropped and made again",
                "spot x: measures -17.2 LUFS",
                "cache: 1 damaged entry under /a was dropped and made again",
                "cache: 1 damaged entry under /b was dropped and made again",
                "cache: /c cannot be written (Not a directory); this build used ...",
                "cache: /c cannot be written (Not a directory); this build used ...",
                "spot x: measures -17.2 LUFS"]
    assert merge_warnings(warnings) == [
        "cache: 3 damaged entries under /a were dropped and made again",
        "spot x: measures -17.2 LUFS",
        "cache: 1 damaged entry under /b was dropped and made again",
        "cache: /c cannot be written (Not a directory); this build used ..."]


def test_a_cache_path_that_is_a_file_gives_one_warning_and_a_working_temporary_cache(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    store = Store(blocker)
    try:
        assert store.get(KEY, ".png") is None
        with store.put(KEY, ".png") as temp:
            temp.write_bytes(PAYLOAD)
        assert store.root != blocker and store.get(KEY, ".png").read_bytes() == PAYLOAD
        [warning] = store.take_warnings()
        assert warning.startswith(f"cache: {blocker} cannot be written (")
        assert f"this build used a temporary cache in {store.root} (set BZMEDIA_CACHE" in warning
        # Another store for the same folder in this process (the next job) goes there directly.
        again = Store(blocker)
        assert again.get(KEY, ".png") == store.get(KEY, ".png") and again.take_warnings() == []
        assert blocker.read_text(encoding="utf-8").startswith("a file")
    finally:
        shutil.rmtree(store.root, ignore_errors=True)


def test_online_voices_keep_their_pace_when_the_cache_cannot_hold_the_shared_clock(tmp_path):
    from bzmedia.tts.pacing import SharedPacer

    blocker = tmp_path / "cache"
    blocker.write_text("a file", encoding="utf-8")
    pacer = SharedPacer(blocker / "tts" / "gtts-next-request", 0.2)
    started = time.monotonic()
    for _ in range(3):
        pacer.wait_turn()
    assert time.monotonic() - started >= 0.4


def test_a_lone_surrogate_still_has_a_fingerprint():
    assert fingerprint("\ud800") != fingerprint("\ud801")


# --- reading WAV segments: every kind of damage is one clean DecodeError ----------------------

def good_wav(path: Path) -> Path:
    write_wav(path, Sound(np.sin(np.arange(4410, dtype=np.float32) / 7) * 0.5, 22050))
    return path


@pytest.mark.parametrize("how", ["cut to its header", "cut in half", "zero length", "garbage"])
def test_read_wav_refuses_a_damaged_file_cleanly(tmp_path, how):
    path = good_wav(tmp_path / "s.wav")
    DAMAGE[how](path, None)
    with pytest.raises(DecodeError, match=r"s\.wav"):
        read_wav(path)


def test_read_wav_refuses_other_sample_formats(tmp_path):
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(b"\0\0" * 200)
    with pytest.raises(DecodeError, match="16-bit mono"):
        read_wav(path)


def test_wav_round_trip_is_exact(tmp_path):
    samples = np.arange(-32768, 32768, 7, dtype=np.int16).astype(np.float32) / 32768
    write_wav(tmp_path / "r.wav", Sound(samples, 22050))
    assert np.array_equal(read_wav(tmp_path / "r.wav").samples, samples)


def test_a_full_disk_met_inside_a_put_is_the_caches_only_when_it_names_no_other_file(tmp_path):
    """A loop's encode writes its frames to the kit's scratch folder inside the store's ``put``:
    a full kit disk there was reported as "<cache>: cannot write"."""
    import errno

    store = Store(tmp_path / "cache")
    elsewhere = str(tmp_path / "kit/.bzmedia/scratch/bzmedia-frames-x/drawn1.rgb")
    for named, blamed in ((elsewhere, elsewhere), (None, str(tmp_path / "cache"))):
        with pytest.raises(OSError) as caught, store.put("ab" * 32, ".h264"):
            raise OSError(errno.ENOSPC, "No space left on device", named)
        assert (caught.value.errno, caught.value.filename) == (errno.ENOSPC, blamed)


def test_a_loop_frame_on_a_full_disk_names_its_file(small_disk):
    import errno

    from bzmedia.scratch import write_temporary

    frame = small_disk / "bzmedia-frames-x" / "drawn1.rgb"
    frame.parent.mkdir()
    with pytest.raises(OSError) as caught:
        write_temporary(frame, bytes(1920 * 1080 * 3))
    assert (caught.value.errno, caught.value.filename) == (errno.ENOSPC, str(frame))
