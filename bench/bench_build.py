"""Benchmark: build the example kit from scratch, then again with nothing changed.

    python bench/bench_build.py [SCRIPT] [-j N]
    python bench/bench_build.py [SCRIPT] --noop [--out DIR] [--repeat 7] [--against TREE]

Prints wall time of the cold build (empty output and empty cache), of the no-op rebuild (the
issue asks for under 0.3 s whole process for the example, under 1 s at 120 communes), of the
`bzmedia build` command end to end (with interpreter start and imports), and how many jobs each
ran. Uses a temporary folder; touches nothing else.

``--noop`` measures only the no-op: it builds the kit once (or reuses a kit already built in
``--out`` with the same ``BZMEDIA_CACHE``), then runs ``bzmedia build`` ``--repeat`` times in fresh
processes and prints the least and the median wall and CPU time (the machine is shared: the least
is the cost, the median the noise), and one in-process split of where a no-op's time goes.
``--against TREE`` (a checkout of another revision, e.g. ``git worktree add /tmp/old REV``) times
that tree's ``bzmedia build`` on the same kit too, each run beside one of this tree's.  Beside
them, "planned" is this tree with the no-op shortcut's record removed before each run
(``noop/`` in the cache, :mod:`bzmedia.buildinputs`): the no-op that loads the script and
plans every job, as every no-op did before the shortcut (it writes the record again).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script", nargs="?", default=str(REPO / "content" / "bluezone-2020.yaml"))
    parser.add_argument("-j", "--jobs", type=int, default=0)
    parser.add_argument("--noop", action="store_true", help="measure only the no-op rebuild")
    parser.add_argument("--out", type=Path, help="with --noop: the output folder (kept; built if empty)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--against", type=Path, help="with --noop: a checkout of another revision")
    args = parser.parse_args()
    if args.noop:
        noop(args)
    else:
        cold_and_noop(args)


def cold_and_noop(args) -> None:
    from bzmedia.build import BuildOptions, build
    from bzmedia.campaign import load_campaign

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


def noop(args) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        out = (args.out or Path(scratch) / "out").resolve()
        script = str(Path(args.script).resolve())
        env = dict(os.environ)
        env.setdefault("BZMEDIA_CACHE", str(Path(scratch) / "cache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an install has its .pyc: do not time compiling
        command = [sys.executable, "-m", "bzmedia", "build", script, "-o", str(out)]
        started = time.perf_counter()
        first = subprocess.run(command, env=env, capture_output=True, text=True, cwd=scratch)
        if first.returncode:
            sys.exit(f"the first build failed:\n{first.stderr}")
        print(f"first build              : {time.perf_counter() - started:8.2f} s  "
              f"({_summary(first.stdout)})")
        subprocess.run(command, env=env, capture_output=True, check=True, cwd=scratch)  # its record
        trees = {"this tree": env}
        if args.against:
            old = dict(env, PYTHONPATH=str(args.against.resolve()))
            subprocess.run(command, env=old, capture_output=True, check=True, cwd=scratch)  # its .pyc
            trees[str(args.against)] = old
        trees["planned (no shortcut)"] = env
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, tree_env in trees.items():  # side by side: both see the same load
                if name.startswith("planned"):
                    for record in Path(env["BZMEDIA_CACHE"]).glob("noop/*.json"):
                        record.unlink()
                wall, cpu, said = _timed(command, tree_env, scratch)
                if not re.search(r": 0 made,", said):
                    sys.exit(f"{name}: not a no-op: {said}")
                times[name].append((wall, cpu))
        for name, runs in times.items():
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            print(f"no-op `bzmedia build`, {name}: wall least {min(walls):.3f} s, median "
                  f"{statistics.median(walls):.3f} s; CPU least {min(cpus):.3f} s, median "
                  f"{statistics.median(cpus):.3f} s  ({args.repeat} runs; {_summary(said)})")
        _print_split(script, out, env)


def _timed(command: list[str], env: dict, cwd: str) -> tuple[float, float, str]:
    """Wall and CPU time of one run, from a folder of no tree (``-m`` puts the working folder
    first on ``sys.path``, ahead of ``PYTHONPATH``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True, cwd=cwd)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _summary(stdout: str) -> str:
    match = re.search(r"(\d+) made, (\d+) up to date", stdout)
    return f"{match[1]} made, {match[2]} up to date" if match else stdout.strip()[:80]


SPLIT = """
import sys, time
started = time.perf_counter()
from pathlib import Path
from bzmedia.build import BuildOptions, build, load_builders
from bzmedia.cache import default_cache_dir
from bzmedia.campaign import load_campaign
from bzmedia.loadcache import remembering_in
imported = time.perf_counter()
with remembering_in(default_cache_dir(Path(sys.argv[2])) / "loaded"):  # as `bzmedia build` does
    campaign, _ = load_campaign(sys.argv[1], fit_texts=False)
loaded = time.perf_counter()
builders = load_builders()
ready = time.perf_counter()
report = build(campaign, BuildOptions(output_root=Path(sys.argv[2])), builders=builders)
done = time.perf_counter()
parts = (imported - started, loaded - imported, ready - loaded, done - ready)
print(" ".join(f"{part:.3f}" for part in parts), len(report.ran))
"""


def _print_split(script: str, out: Path, env: dict) -> None:
    """Where one no-op's time goes, in a fresh process (least of three runs of each part)."""
    runs = []
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", SPLIT, script, str(out)], env=env,
                              capture_output=True, text=True, check=True)
        runs.append([float(x) for x in done.stdout.split()])
    least = [min(run[i] for run in runs) for i in range(4)]
    print(f"  split (least of 3)     : imports {least[0]:.3f} s, load and check the script "
          f"{least[1]:.3f} s, builders {least[2]:.3f} s, plan + state check + manifest {least[3]:.3f} s")


if __name__ == "__main__":
    main()
