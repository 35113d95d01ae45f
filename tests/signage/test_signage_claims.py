"""Claims on loop pieces: two workers that miss the same pieces at once encode each piece once,
and a claimer that died or stalls never blocks a build.

Real processes, real ffmpeg, a real shared store (small slides, so each test takes a second or two).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from signage_helpers import still_slides

from bzmedia.cache import Store
from bzmedia.signage import piececlaim, video
from bzmedia.signage.video import VideoSettings, encode_loop, plan_pieces

SIZE = (320, 180)
DURATIONS = [2.0, 1.6, 2.0]
SETTINGS = VideoSettings(crossfade=0.4, audio_track=False)
HERE = Path(__file__).resolve().parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parents[1]), str(HERE)])}

LOOP_MAKER = r"""
import json, sys, time
from pathlib import Path
from signage_helpers import still_slides
from bzmedia.cache import Store
from bzmedia.signage.video import VideoSettings, encode_loop
folder, store, go = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
images = still_slides(folder / "slides", (320, 180))
(folder / "ready").write_text("")
while not go.exists():  # both processes look at the store at the same moment
    time.sleep(0.001)
report = encode_loop(images, [2.0, 1.6, 2.0], VideoSettings(0.4, False), (320, 180),
                     [folder / "loop.mp4"], "test", Store(store))
print(json.dumps({"encoded": report.encoded, "reused": report.reused}))
"""

CLAIMER = r"""
import os, signal, sys, time
from pathlib import Path
from bzmedia.signage import piececlaim
paths, then = [Path(p) for p in sys.argv[2:]], sys.argv[1]
assert all(piececlaim.claim(path) is True for path in paths)
print("claimed", flush=True)
if then == "die":
    os.kill(os.getpid(), signal.SIGKILL)  # no release, no clean-up: as a worker killed mid-encode
time.sleep(120)
"""


def claim_files(store: Path) -> list[Path]:
    return list(store.rglob("*.claim"))


def pieces_of(images, store: Store) -> list:
    return list({p.key: p for p in plan_pieces(images, DURATIONS, SETTINGS.crossfade, SIZE, None)}.values())


def start_claimer(store: Store, keys: list[str], then: str) -> subprocess.Popen:
    paths = [str(piececlaim.claim_path(store.path_for(key, ".h264"))) for key in keys]
    claimer = subprocess.Popen([sys.executable, "-c", CLAIMER, then, *paths], env=ENV,
                               stdout=subprocess.PIPE, text=True)
    assert claimer.stdout.readline().strip() == "claimed"
    return claimer


def test_two_processes_missing_the_same_pieces_at_once_encode_each_once(tmp_path):
    alone = encode_loop(still_slides(tmp_path / "alone", SIZE), DURATIONS, SETTINGS, SIZE,
                        [tmp_path / "alone.mp4"], "test", Store(tmp_path / "own store"))
    store, go = tmp_path / "shared store", tmp_path / "go"
    makers = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        makers.append(subprocess.Popen([sys.executable, "-c", LOOP_MAKER, str(tmp_path / name), str(store),
                                        str(go)], env=ENV, stdout=subprocess.PIPE, text=True))
    while not all((tmp_path / name / "ready").exists() for name in ("a", "b")):
        time.sleep(0.01)
    go.write_text("")
    reports = [json.loads(maker.communicate(timeout=120)[0]) for maker in makers]
    assert all(maker.returncode == 0 for maker in makers)
    # every piece encoded by exactly one of them; the other read it from the store
    assert sum(r["encoded"] for r in reports) == alone.encoded == 8
    assert all(r["encoded"] + r["reused"] == 8 for r in reports)
    loops = [(tmp_path / name / "loop.mp4").read_bytes() for name in ("a", "b")]
    assert loops[0] == loops[1] == (tmp_path / "alone.mp4").read_bytes()
    assert claim_files(store) == []


def test_a_live_claimers_pieces_are_waited_for_and_reused_not_encoded(tmp_path, ffmpeg_runs):
    store = Store(tmp_path / "store")
    images = still_slides(tmp_path / "s", SIZE)
    fades = [p for p in pieces_of(images, store) if p.kind == "fade"]
    claimer = start_claimer(store, [p.key for p in fades], "sleep")
    try:
        # the claimer's pieces appear in the store a moment later, made by another process
        other = subprocess.Popen([sys.executable, "-c", (
            "import sys, time; from pathlib import Path; time.sleep(0.5); "
            "from signage_helpers import still_slides; from bzmedia.cache import Store; "
            "from bzmedia.signage.video import VideoSettings, encode_pieces, plan_pieces; "
            "images = still_slides(Path(sys.argv[1]), (320, 180)); "
            "pieces = [p for p in plan_pieces(images, [2.0, 1.6, 2.0], 0.4, (320, 180), None) "
            "if p.kind == 'fade']; encode_pieces(pieces, (320, 180), None, Store(Path(sys.argv[2])), 'x')"),
            str(tmp_path / "other"), str(store.root)], env=ENV)
        report = encode_loop(images, DURATIONS, SETTINGS, SIZE, [tmp_path / "loop.mp4"], "test", store)
        assert other.wait(timeout=60) == 0
    finally:
        claimer.kill()
        claimer.wait()
    assert (report.encoded, report.reused) == (8 - len(fades), len(fades))
    encodes = [run for run in ffmpeg_runs if "libx264" in run]
    assert encodes and not any("blend" in " ".join(run) for run in encodes)  # no crossfade made here
    alone = tmp_path / "alone.mp4"
    encode_loop(images, DURATIONS, SETTINGS, SIZE, [alone], "test", Store(tmp_path / "own store"))
    assert (tmp_path / "loop.mp4").read_bytes() == alone.read_bytes()


def test_a_claimer_killed_mid_claim_does_not_block(tmp_path):
    store = Store(tmp_path / "store")
    images = still_slides(tmp_path / "s", SIZE)
    keys = [p.key for p in pieces_of(images, store)]
    claimer = start_claimer(store, keys, "die")
    claimer.wait(timeout=30)
    assert claimer.returncode == -signal.SIGKILL and len(claim_files(store.root)) == len(keys)
    started = time.monotonic()
    report = encode_loop(images, DURATIONS, SETTINGS, SIZE, [tmp_path / "loop.mp4"], "test", store)
    assert time.monotonic() - started < 20  # far less than the 120 s wait for a live claimer
    assert (report.encoded, report.reused) == (8, 0)
    assert claim_files(store.root) == []  # the dead process's claims were taken over, then released


def test_a_stalled_claimer_is_waited_on_as_long_as_its_own_run_may_take_then_no_longer(tmp_path, monkeypatch):
    bounds = []
    real_wait = piececlaim.wait_for

    def shortened_wait(waiting, filed, seconds):  # the real wait, cut to a second for the test
        bounds.append(seconds)
        return real_wait(waiting, filed, min(seconds, 1.0))

    monkeypatch.setattr(piececlaim, "wait_for", shortened_wait)
    store = Store(tmp_path / "store")
    images = still_slides(tmp_path / "s", SIZE)
    fades = [p for p in pieces_of(images, store) if p.kind == "fade"]
    claimer = start_claimer(store, [p.key for p in fades], "sleep")  # alive, never files them
    try:
        started = time.monotonic()
        report = encode_loop(images, DURATIONS, SETTINGS, SIZE, [tmp_path / "loop.mp4"], "test", store)
        waited = time.monotonic() - started
    finally:
        claimer.kill()
        claimer.wait()
    # the claimer's own run of those pieces is killed at this bound: waiting longer is pointless
    assert bounds == [video._batch_timeout(fades, SIZE)]
    assert 1.0 <= waited < 25
    assert (report.encoded, report.reused) == (8, 0)


def test_claims_that_cannot_be_made_or_are_garbled(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    assert piececlaim.claim(blocker / "x.claim") is None  # its folder cannot be made: encode unclaimed
    garbled = tmp_path / "old.claim"
    garbled.write_bytes(b"\x00{not json")
    os.utime(garbled, (time.time() - 60, time.time() - 60))
    assert piececlaim.claim(garbled) is True  # an old unreadable claim is stale
    assert json.loads(garbled.read_text())["pid"] == os.getpid()
    fresh = tmp_path / "fresh.claim"
    fresh.write_text("")
    assert piececlaim.claim(fresh) is False  # being written by its claimer right now
    piececlaim.release(garbled)
    assert not garbled.exists()


def test_a_wait_looks_at_each_claim_once_a_round_and_drops_a_released_unfiled_piece(tmp_path, monkeypatch):
    store = Store(tmp_path / "store")
    held, released = "a" * 64, "b" * 64
    claimer = start_claimer(store, [held], "sleep")  # alive, never files its piece
    looks = {held: [0, 0], released: [0, 0]}  # per key: stored-file lookups, claim checks
    paths = {key: piececlaim.claim_path(store.path_for(key, ".h264")) for key in looks}
    by_path = {path: key for key, path in paths.items()}
    real_held_by_another = piececlaim.held_by_another

    def counted_held_by_another(path):
        looks[by_path[path]][1] += 1
        return real_held_by_another(path)

    def filed(key):
        looks[key][0] += 1
        return store.get(key, ".h264")

    monkeypatch.setattr(piececlaim, "held_by_another", counted_held_by_another)
    try:
        found, left = piececlaim.wait_for(paths, filed, 0.3)
    finally:
        claimer.kill()
        claimer.wait()
    assert (found, left) == ({}, [held, released])
    assert looks[released] == [2, 1]  # no claim and not filed: out of the wait at once
    rounds = looks[held][0]
    assert rounds >= 2 and looks[held][1] == rounds  # one claim check a round, no second pass
