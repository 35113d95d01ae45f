"""Benchmark: build the example kit from scratch, then again with nothing changed.

    python bench/bench_build.py [SCRIPT] [-j N]

Prints wall time of the cold build (empty output and empty cache), of the no-op rebuild (the
issue asks for under a second), of the `bzmedia build` command end to end (with interpreter
start and imports), and how many jobs each ran. Uses a temporary folder; touches nothing else.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bzmedia.build import BuildOptions, build
from bzmedia.campaign import load_campaign

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script", nargs="?", default=str(REPO / "content" / "bluezone-2020.yaml"))
    parser.add_argument("-j", "--jobs", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out, cache = Path(scratch) / "out", Path(scratch) / "cache"
        options = BuildOptions(output_root=out, workers=args.jobs, cache_dir=cache)
        started = time.perf_counter()
        campaign, _ = load_campaign(args.script)
        loaded = time.perf_counter() - started
        cold = build(campaign, options)
        warm = build(load_campaign(args.script)[0], options)
        env = dict(os.environ, BZMEDIA_CACHE=str(cache))
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bzmedia", "-q", "build", args.script, "-o", str(out)],
                       check=True, env=env)
        command = time.perf_counter() - started
        files = [p for p in (out / campaign.campaign.id).rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
    print(f"script load + validation : {loaded * 1000:8.1f} ms")
    print(f"cold build               : {cold.seconds:8.2f} s  ({len(cold.ran)} jobs ran, "
          f"{len(files)} files, {size / 1e6:.1f} MB)")
    print(f"no-op rebuild (in-proc)  : {warm.seconds * 1000:8.1f} ms  ({len(warm.ran)} jobs ran, "
          f"{warm.reused} up to date)")
    print(f"no-op `bzmedia build`    : {command:8.2f} s  (process start, imports, validation, check)")


if __name__ == "__main__":
    main()
