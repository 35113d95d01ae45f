"""Benchmark: a commune's CPU in the smaller channels (print, messages, the kit's previews and
chart), per job, as a long-lived worker pays it, without a profiler.

    python bench/bench_small_channels.py [--folder DIR] [--rounds 12] [--only thumbs,print]

In DIR (default: a scratch folder) the example with 3 communes is built once (cache in DIR/cache);
then, in this process, every print/messages/kit job of the first communes runs (warm-up), and the
last commune's jobs are timed (process time) ROUNDS times on a copy of the kit and store, its PDF
previews removed from the store each round.  Reported: the least time of each job and channel.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, default=None)
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--warm", type=int, default=2, help="communes run first, untimed")
    ap.add_argument("--only", default="", help="job names to time, comma-separated")
    args = ap.parse_args()
    if args.folder is None:
        with tempfile.TemporaryDirectory(prefix="bzbench-small-") as scratch:
            args.folder = Path(scratch)
            measure(args)
    else:
        measure(args)


def measure(args) -> None:
    args.script = args.folder / "bluezone-2020.yaml"
    if not (args.folder / "out").is_dir():
        from bench_scale import write_script

        args.folder.mkdir(parents=True, exist_ok=True)
        write_script(args.folder, 3)
        subprocess.run([sys.executable, "-m", "bzmedia", "-q", "build", str(args.script), "-o",
                        str(args.folder / "out")], check=True, cwd=args.folder,
                       env={**os.environ, "BZMEDIA_CACHE": str(args.folder / "cache")})
    from bzmedia.build import _planned, load_builders
    from bzmedia.builder import JobContext, Plan
    from bzmedia.cache import Store, fingerprint_memo
    from bzmedia.campaign import load_campaign
    from bzmedia.campaign.variables import for_locality
    from bzmedia.kit import thumbs

    campaign, _ = load_campaign(args.script, fit_texts=False)
    kit_src = next(p for p in (args.folder / "out").iterdir() if p.is_dir())
    cache_src = args.folder / "cache"
    builders = {b.name: b for b in load_builders()}
    locs = campaign.kit_localities()
    plan = Plan(campaign, locs, {loc.id: for_locality(campaign, loc) for loc in locs})
    state = json.loads((kit_src / ".bzmedia" / "state.json").read_text())
    with fingerprint_memo():
        jobs = [j for n in ("print", "messages") for j in _planned(builders[n], plan)]
    plan.produced = [o for v in state["jobs"].values() for o in v["outputs"]]
    with fingerprint_memo():
        jobs += [j for j in _planned(builders["kit"], plan) if j.name != "page"]
    last = locs[-1].id
    scratch = Path(tempfile.mkdtemp(prefix="k-measure-"))
    try:
        kit = scratch / "kit"
        shutil.copytree(kit_src, kit, symlinks=True)
        store_root = scratch / "cache"
        shutil.copytree(cache_src, store_root)
        store = Store(store_root)
        warm = [j for j in jobs if j.locality in {loc.id for loc in locs[: args.warm]}]
        for job in warm:
            builders[job.builder].make(job, JobContext(job, kit, store))
        mine = [j for j in jobs if j.locality == last
                and (not args.only or j.name in args.only.split(",") or j.builder in args.only.split(","))]
        pdf_shas = [o["sha256"] for v in state["jobs"].values() for o in v["outputs"]
                    if o["locality"] == last and o["path"].endswith(".pdf")]
        times = {j.id: [] for j in mine}
        for _ in range(args.rounds):
            for sha in pdf_shas:
                for kind in ("print", "office", "script"):
                    p = store.path_for(thumbs._key(kind, sha), ".png")
                    if p.exists():
                        p.unlink()
            for job in warm:  # the charts' PNG bands are kept from the last chart a worker wrote:
                if job.name == "chart" and job.locality == locs[-2].id:  # another commune's, as in a build
                    builders[job.builder].make(job, JobContext(job, kit, store))
            for job in mine:
                t = time.process_time()
                builders[job.builder].make(job, JobContext(job, kit, store))
                times[job.id].append(time.process_time() - t)
        by_channel = {}
        for jid, ts in times.items():
            best = min(ts)
            key = jid.split("/")[0] + ("/" + jid.split("/")[2] if jid.startswith(("kit", "messages")) else "")
            by_channel[key] = by_channel.get(key, 0) + best
            print(f"{jid:40s} min {best*1000:7.1f} ms  median {sorted(ts)[len(ts)//2]*1000:7.1f}")
        print("per channel (min of rounds, ms):", {k: round(v * 1000, 1) for k, v in by_channel.items()},
              "total", round(sum(by_channel.values()) * 1000, 1))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
