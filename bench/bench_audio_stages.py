"""Benchmark: where one added commune's spots spend their CPU, stage by stage.

    python bench/bench_audio_stages.py [SCRIPT] [--against OLD_SOURCE_DIR]

Builds the script's audio once (in a temporary folder, to fill the phrase cache), then, in a fresh
process as a build worker would be, makes the spots of one more commune (a copy of the first
under a new name) through the audio builder's own ``make``, timing each stage in CPU seconds of
the process and any ffmpeg runs it waits for (imports included: a worker pays them once), and
the process's peak RSS; of ``--repeat`` such runs the one with the least CPU is shown (a busy
machine only adds).  Stages that exist in only one tree (ffmpeg decoding before, in-process
decoding now) show 0 in the other.
``--communes K`` makes K added communes in that one process, their spots in the order a build
hands them out (longest first across communes), and shows the cost per commune: what each
commune of a many-commune build adds to a worker that lives for the whole build.
``--against DIR`` does the same with the package found in ``DIR`` (for example
``git archive <old commit> | tar -x -C DIR``) and prints both side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAGES = [  # (module, attribute, label): a stage's time includes the stages it calls
    ("bzmedia.audio.render", "_speak_all", "speak: phrase cache, trim, resample"),
    ("bzmedia.audio.render", "running_order", "  of which text to phrases"),
    ("bzmedia.audio.render", "_prepared", "  of which phrases read or synthesized"),
    ("bzmedia.audio.render", "highpass", "high-pass"),
    ("bzmedia.audio.render", "filtered_mix", "high-pass and K-weighting, by sentence"),
    ("bzmedia.audio.loudness", "LimitedLoudness.__init__", "K-weighting, the one measurement"),
    ("bzmedia.audio.loudness", "LimitedLoudness.normalize", "normalize: gain, limiter"),
    ("bzmedia.audio.loudness", "LimitedLoudness.predict", "  of which predictions"),
    ("bzmedia.audio.loudness", "LimitedLoudness.peaks", "  of which true-peak envelope"),
    ("bzmedia.audio.export", "encode_mp3", "MP3 encoding (LAME)"),
    ("bzmedia.audio.export", "measure_file", "decode and measure the MP3"),
    ("bzmedia.audio.export", "decode", "  of which decoding (ffmpeg, before)"),
    ("bzmedia.audio.export", "read_exported", "  of which decoding (in-process)"),
    ("bzmedia.audio.export", "integrated_lufs", "  of which its loudness"),
    ("bzmedia.audio.export", "true_peak_db", "  of which its true peak"),
    ("bzmedia.audio.export", "write_tags", "ID3 tags"),
]


def cpu() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_stages(totals: dict[str, float]) -> None:
    """Wrap every stage that exists in this version of the package to add its CPU to ``totals``."""
    import importlib

    for module_name, attribute, label in STAGES:
        owner = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        original = getattr(owner, name, None) if owner is not None else None
        if original is None:
            continue

        def wrapper(*args, _original=original, _label=label, **kwargs):
            started = cpu()
            try:
                return _original(*args, **kwargs)
            finally:
                totals[_label] = totals.get(_label, 0.0) + cpu() - started

        setattr(owner, name, wrapper)


def child(mode: str, script: str, root: str, count: str = "1") -> None:
    """In the child process: fill the cache (``warm``) or time one added commune (``stages``)."""
    import dataclasses

    from bzmedia.build import BuildOptions, build, load_builders
    from bzmedia.builder import JobContext, Plan
    from bzmedia.cache import Store
    from bzmedia.campaign import load_campaign
    from bzmedia.campaign.model import Locality
    from bzmedia.campaign.variables import for_locality

    campaign, _ = load_campaign(script)
    audio = next(b for b in load_builders() if b.name == "audio")
    cache = Path(root) / "cache"
    if mode == "warm":
        build(campaign, BuildOptions(output_root=Path(root) / "out", cache_dir=cache), builders=[audio])
        return
    first = campaign.localities[0]
    names = [f"xã Cao Xá {n}" for n in range(1, int(count) + 1)]
    # Each with its own hotline, as a province's communes have (bench_scale's too): a spot that
    # names only the hotline is then each commune's own, not one made once for all.
    added = [Locality(id=f"cao-xa-{n}", name=name, hotline=f"0210 3826 {900 + n:03d}",
                      vars={key: value.replace(first.name, name) for key, value in first.vars.items()})
             for n, name in enumerate(names, 1)]
    campaign = dataclasses.replace(campaign, localities=[*campaign.localities, *added])
    plan = Plan(campaign, added, {extra.id: for_locality(campaign, extra) for extra in added})
    jobs = [job for job in audio.jobs(plan) if not job.publish]
    started, totals = cpu(), {}
    timed_stages(totals)
    kit, store = Path(root) / "added", Store(cache)
    kit.mkdir(exist_ok=True)
    seconds = 0.0
    for job in jobs:
        outputs = audio.make(job, JobContext(job, kit, store))
        seconds += outputs[0].meta["duration_s"]
    totals["all spots (imports included)"] = cpu() - started
    totals = {label: value / int(count) for label, value in totals.items()}
    import resource

    totals["peak RSS of the process (MB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    loaded = sorted(name for name in sys.modules if name in ("scipy.signal", "pyloudnorm"))
    print(json.dumps({"stages": totals, "spots": len(jobs) // int(count), "seconds": seconds / int(count),
                      "loaded": loaded}))


def measure(script: str, source: Path, repeat: int, communes: int = 1) -> dict:
    """The least busy of ``repeat`` timings (each in a fresh process, on one filled cache)."""
    env = dict(os.environ, PYTHONPATH=str(source))
    runs = []
    with tempfile.TemporaryDirectory() as root:
        for mode in ("warm", *["stages"] * repeat):
            command = [sys.executable, __file__, "--child", mode, script, root, str(communes)]
            result = subprocess.run(command, env=env, cwd=source, capture_output=True, text=True)
            if result.returncode != 0:
                raise SystemExit(f"{mode} failed:\n{result.stderr[-2000:]}")
            if mode == "stages":
                runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
                shutil.rmtree(Path(root) / "added")
    return min(runs, key=lambda run: run["stages"]["all spots (imports included)"])


def own_copy(script: str, tree: Path) -> str:
    """A tree's own copy of a script of this checkout (its schema may differ), else the script."""
    try:
        copy = tree / Path(script).relative_to(REPO)
    except ValueError:
        return script
    return str(copy) if copy.is_file() else script


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:6])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script", nargs="?", default=str(REPO / "content" / "bluezone-2020.yaml"))
    parser.add_argument("--against", type=Path, help="folder holding an older bzmedia package")
    parser.add_argument("--repeat", type=int, default=3, help="timings per tree (the least busy is shown)")
    parser.add_argument("--communes", type=int, default=1,
                        help="added communes made by one process, cost shown per commune")
    parser.add_argument("--source", type=Path, default=REPO,
                        help="folder holding the bzmedia package to measure (default: this checkout)")
    args = parser.parse_args()
    script = str(Path(args.script).resolve())
    new = measure(own_copy(script, args.source.resolve()), args.source.resolve(), args.repeat, args.communes)
    old = None
    if args.against:
        old = measure(own_copy(script, args.against.resolve()), args.against.resolve(), args.repeat,
                      args.communes)
    what = ("one added commune" if args.communes == 1
            else f"per commune of {args.communes} added in one worker")
    print(f"{what}: {new['spots']} spots, {new['seconds']:.0f} s of audio, CPU seconds "
          f"(load average {os.getloadavg()[0]:.1f}); scipy.signal/pyloudnorm loaded: {new['loaded'] or 'no'}")
    labels = [label for _, _, label in STAGES] + ["all spots (imports included)",
                                                  "peak RSS of the process (MB)"]
    for label in labels:
        line = f"  {label:<40} {new['stages'].get(label, 0.0):6.2f}"
        if old is not None:
            line += f"   was {old['stages'].get(label, 0.0):6.2f}"
        print(line)


if __name__ == "__main__":
    main()
