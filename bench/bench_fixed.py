"""Benchmark: what every build pays before and around its jobs, in CPU seconds (process time, so
it holds on a busy machine, where wall times of whole builds do not).

    python bench/bench_fixed.py [-n 120] [--rounds 3]

In a scratch folder, the example with N communes (the last one to be "added") and a kit of its
first commune built once (so slides and pieces are in the store):

1. server   the fork server's imports and warm-ups (:mod:`bzmedia.prewarm`) for every builder,
            against the common modules only;
2. worker   a worker forked from each server runs one commune's channel jobs (audio, print,
            signage, messages): what it pays on its first jobs that the warmed server already did;
3. preflight  the build's text fitting before a commune's jobs run, for that commune only (what
            the build does) against every commune of the script (what it did).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import EXAMPLE, SLIDE_BEFORE, write_script

CHANNELS = ("audio", "print", "signage", "messages")


def plan_of(script: Path):
    from bzmedia.build import _planned, load_builders
    from bzmedia.builder import Plan
    from bzmedia.cache import fingerprint_memo
    from bzmedia.campaign import load_campaign
    from bzmedia.campaign.variables import for_locality

    campaign, _ = load_campaign(script, fit_texts=False)
    builders = {b.name: b for b in load_builders()}
    localities = campaign.kit_localities()
    plan = Plan(campaign, localities, {loc.id: for_locality(campaign, loc) for loc in localities})
    with fingerprint_memo():
        jobs = [job for name in CHANNELS for job in _planned(builders[name], plan)]
    return campaign, builders, localities, jobs


def forked_worker(modules: list[str], blob: Path, store_root: Path) -> tuple[float, float]:
    """(server CPU for ``modules``, CPU of a worker forked from it running the pickled jobs), in a
    fresh interpreter (as the build's fork server is: this one has planned, so it is not cold)."""
    done = subprocess.run([sys.executable, __file__, "--serve", str(blob), str(store_root), *modules],
                          capture_output=True, text=True, check=True)
    server, worker = (float(v) for v in done.stdout.split()[-2:])
    return server, worker


def serve(blob: Path, store_root: Path, modules: list[str]) -> None:
    """The fork server's part: import ``modules``, then fork a worker that runs the jobs."""
    started = time.process_time()
    for name in modules:
        importlib.import_module(name)
    server = time.process_time() - started
    read, write = os.pipe()
    if os.fork() == 0:
        from bzmedia.buildpool import run_job
        from bzmedia.cache import Store

        builders, jobs = pickle.loads(blob.read_bytes())
        kit = Path(tempfile.mkdtemp(prefix="bzbench-kit-"))
        started = time.process_time()
        for job in jobs:
            run_job(builders[job.builder], job, kit, Store(store_root))
        os.write(write, f"{time.process_time() - started}".encode())
        shutil.rmtree(kit, ignore_errors=True)
        os._exit(0)
    os.close(write)
    os.wait()
    print(server, float(os.read(read, 100)))


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        serve(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import bzmedia.prewarm as prewarm
    from bzmedia.preflight import check_before_build

    with tempfile.TemporaryDirectory(prefix="bzbench-fixed-") as scratch:
        folder = Path(scratch)
        os.environ["BZMEDIA_CACHE"] = str(folder / "cache")
        first = write_script(folder, 1, SLIDE_BEFORE, EXAMPLE)
        subprocess.run([sys.executable, "-m", "bzmedia", "-q", "build", str(first), "-o",
                        str(folder / "out")], check=True, cwd=folder)
        campaign, builders, localities, jobs = plan_of(write_script(folder, args.n, SLIDE_BEFORE, EXAMPLE))
        added = localities[-1].id
        todo = [job for job in jobs if job.locality == added and not job.publish]
        blob = folder / "jobs.pickle"
        blob.write_bytes(pickle.dumps((builders, todo)))
        forked_worker(prewarm.modules_for(CHANNELS), blob, folder / "cache")  # fills the store
        warm_modules = prewarm.modules_for([*CHANNELS, "kit"])
        for _ in range(args.rounds):
            cold = forked_worker(list(prewarm.COMMON), blob, folder / "cache")
            warm = forked_worker(warm_modules, blob, folder / "cache")
            print(f"server {cold[0]:5.2f} -> {warm[0]:5.2f} CPU-s   worker, one commune's {len(todo)} jobs "
                  f"{cold[1]:5.2f} -> {warm[1]:5.2f} CPU-s", flush=True)
        for scope, chosen in (("every commune", localities), ("its commune", localities[-1:])):
            started = time.process_time()
            check_before_build(campaign, chosen, todo)
            print(f"preflight of an added commune, fitting {scope} of {len(localities)}: "
                  f"{time.process_time() - started:.2f} CPU-s")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"(this process: {usage.ru_utime + usage.ru_stime:.1f} CPU-s)")


if __name__ == "__main__":
    main()
