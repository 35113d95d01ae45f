"""Benchmark: the audio channel of the example kit (synthesis real-time factor and build times).

    python bench/bench_audio.py [SCRIPT] [-j N]

Builds only the audio channel, in a temporary folder (touches nothing else), four ways:
cold (empty cache and output), no-op (nothing changed), warm cache (empty output, full segment
cache: every spot assembled and encoded again, nothing synthesized) and one more locality (the
script's localities plus a copy of the first one under a new name).  The synthesis real-time
factor (seconds spent synthesizing / seconds of speech made; lower is faster) is read from the
segment cache's synthesis log, so it counts engine time only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from pathlib import Path

from bzmedia.build import BuildOptions, build, load_builders
from bzmedia.cache import Store
from bzmedia.campaign import load_campaign
from bzmedia.campaign.model import Locality
from bzmedia.tts.segments import read_synthesis_log

REPO = Path(__file__).resolve().parent.parent


def timed_build(campaign, output: Path, cache: Path, workers: int):
    audio = [b for b in load_builders() if b.name == "audio"]
    started = time.perf_counter()
    report = build(campaign, BuildOptions(output_root=output, cache_dir=cache, workers=workers),
                   builders=audio)
    return time.perf_counter() - started, report


def with_extra_locality(campaign):
    first = campaign.localities[0]
    extra = Locality(id="cao-xa", name="xã Cao Xá", hotline="0210 3826 999",
                     vars={key: value.replace(first.name, "xã Cao Xá")
                           for key, value in first.vars.items()})
    return dataclasses.replace(campaign, localities=[*campaign.localities, extra])


def spoken_seconds(kit: Path) -> tuple[int, float]:
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    spots = [f for f in manifest["files"] if f["kind"] == "audio"]
    return len(spots), sum(f["duration_s"] for f in spots)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script", nargs="?", default=str(REPO / "content" / "bluezone-2020.yaml"))
    parser.add_argument("-j", "--jobs", type=int, default=0, help="workers (0: one per core)")
    args = parser.parse_args()
    campaign, _ = load_campaign(args.script)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        cache = root / "cache"
        cold_s, cold = timed_build(campaign, root / "out", cache, args.jobs)
        log = read_synthesis_log(Store(cache))
        noop_s, noop = timed_build(campaign, root / "out", cache, args.jobs)
        warm_s, warm = timed_build(campaign, root / "out2", cache, args.jobs)
        after_warm = len(read_synthesis_log(Store(cache)))
        grown = with_extra_locality(campaign)
        grow_s, grow = timed_build(grown, root / "out", cache, args.jobs)
        new_phrases = read_synthesis_log(Store(cache))[after_warm:]
        spots, seconds = spoken_seconds(root / "out" / campaign.campaign.id)
    synth_s = sum(entry["synth_s"] for entry in log)
    audio_s = sum(entry["audio_s"] for entry in log)
    print(f"example: {args.script}")
    print(f"synthesis: {len(log)} phrases, {audio_s:.1f} s of speech in {synth_s:.2f} s "
          f"-> real-time factor {synth_s / audio_s:.4f} ({audio_s / synth_s:.0f}x faster than "
          f"real time, engine {log[0]['engine'] if log else '-'})")
    print(f"cold build:        {cold_s:6.1f} s  ({len(cold.ran)} jobs; {spots} spots, "
          f"{seconds:.0f} s of finished audio after the extra locality)")
    print(f"no-op build:       {noop_s:6.2f} s  ({len(noop.ran)} jobs ran)")
    print(f"warm-cache build:  {warm_s:6.1f} s  ({len(warm.ran)} jobs, "
          f"{after_warm - len(log)} phrases synthesized)")
    print(f"one more locality: {grow_s:6.1f} s  ({len(grow.ran)} jobs, {len(new_phrases)} phrases "
          "synthesized)")


if __name__ == "__main__":
    main()
