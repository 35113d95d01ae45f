"""Benchmark: the cache sweep and the marking of used entries on a synthetic store.

    python bench/bench_cache_sweep.py [-n 10000] [--kb 20]

A 120-commune example kit's store holds about 4,500 entries (38 a commune: 30 communes made 1,137,
250 MB); the default 10,000 entries are about two such provinces.  Each entry is written as the
store writes it (its bytes and a ``.sha256`` checksum beside it, in ``v2/<2 hex>/``); sizes cycle
around ``--kb``.  Half are a month old, half were used minutes ago.  Measured, in wall and CPU
seconds (process time), the least of ``--rounds``:

1. scan       the sweep after a full build that is under its limit: every file listed and stat'ed;
2. mark       :func:`bzmedia.cache.mark_used` on every old entry (one ``utime`` each): what a build
              that reads them all pays to keep them, beside
3. get        :meth:`Store.get` of every entry (a stat, the checksum read, the entry hashed);
4. sweep      the old half removed (limit = the recent half's bytes), each under its lock.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

SUFFIXES = (".h264", ".png", ".wav", ".json")
MONTH = 30 * 24 * 3600


def make_store(root: Path, count: int, kb: int) -> list[tuple[str, str]]:
    """``count`` entries under ``root``; returns (key, suffix) of each, old ones first."""
    made = []
    now = time.time()
    for n in range(count):
        key = hashlib.sha256(str(n).encode()).hexdigest()
        suffix = SUFFIXES[n % len(SUFFIXES)]
        data = os.urandom(256) * (kb * 4 * (1 + n % 4) // 2)
        folder = root / "v2" / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        entry = folder / f"{key}{suffix}"
        entry.write_bytes(data)
        (folder / f"{key}{suffix}.sha256").write_text(hashlib.sha256(data).hexdigest() + "\n")
        when = now - MONTH - n if n < count // 2 else now - 300
        os.utime(entry, (when, when))
        made.append((key, suffix))
    return made


def timed(action, rounds: int) -> tuple[float, float, object]:
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=10_000, help="entries in the store")
    parser.add_argument("--kb", type=int, default=20, help="typical entry size")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from bzmedia.cache import Store, mark_used
    from bzmedia.cachesweep import sweep

    root = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        made = make_store(root, args.n, args.kb)
        old = made[: args.n // 2]
        store = Store(root)
        rows = []
        wall, cpu, report = timed(lambda: sweep(root, time.time(), limit=float("inf")), args.rounds)
        rows.append(("scan", wall, cpu, f"{report.units} entries, {report.before / 1e6:.0f} MB"))
        paths = [store.path_for(k, s) for k, s in old]
        before = [p.stat().st_mtime for p in paths]

        def mark() -> None:
            for path, mtime in zip(paths, before, strict=True):
                mark_used(path, mtime)

        wall, cpu, _ = timed(mark, 1)  # once: afterwards they are marked
        rows.append(("mark", wall, cpu, f"{len(paths)} utime"))
        wall, cpu, _ = timed(lambda: [store.get(k, s) for k, s in made], args.rounds)
        rows.append(("get", wall, cpu, f"{len(made)} reads"))
        then = time.time() - 2 * MONTH
        for path in paths:  # old again, for the sweep
            os.utime(path, (then, then))
        keep = sum(p.stat().st_size + 65 for p in (store.path_for(k, s) for k, s in made[args.n // 2:]))
        wall, cpu, report = timed(lambda: sweep(root, time.time(), limit=keep), 1)
        rows.append(("sweep", wall, cpu, f"{report.removed_files} files, {report.removed_bytes / 1e6:.0f} MB "
                                         f"removed, {report.skipped} skipped"))
        print(f"{'step':<6} {'wall s':>8} {'CPU s':>8}  what")
        for name, wall, cpu, what in rows:
            print(f"{name:<6} {wall:8.3f} {cpu:8.3f}  {what}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
