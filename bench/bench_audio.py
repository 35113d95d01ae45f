"""Benchmark: the audio channel of the example kit (synthesis, CPU, loudness work, memory).

    python bench/bench_audio.py [SCRIPT] [-j N] [--against OLD_SOURCE_DIR]

Builds only the audio channel, in a temporary folder (touches nothing else).  Every build runs in
its own child process, so its CPU seconds (user + system, with its workers and ffmpeg runs) and
peak resident memory (the largest single process, as ``/usr/bin/time -v`` reports it) are exact:

- cold: empty cache and output, ``-j N``; CPU / (wall x cores) says how busy the cores were (on
  a machine nobody else uses), and a timeline of the audio jobs says how much of the time each
  worker was inside a job and how long the last job ran alone (true even on a busy machine);
- loudness: empty output, full segment cache, ``-j 1`` in one process, counting every integrated
  loudness measurement (pyloudnorm's and bzmedia's own meter) - nothing is synthesized, so this
  is the assembly, loudness and encoding work alone;
- no-op: nothing changed; one more locality: a copy of the first locality under a new name.

``--source DIR`` measures the package found in ``DIR`` instead of this checkout;
``--against DIR`` runs the cold and loudness builds again with the package found in ``DIR`` (for
example ``git archive <old commit> | tar -x -C DIR``) and prints both side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def child_build(mode: str, script: str, output: str, cache: str, workers: int) -> None:
    """In the child process: one audio-only build; prints what it did as JSON."""
    import dataclasses

    from bzmedia.build import BuildOptions, build, load_builders
    from bzmedia.campaign import load_campaign
    from bzmedia.campaign.model import Locality

    counted = {"pyloudnorm": 0}
    # pyloudnorm (and scipy.signal with it) is imported here only to count measurements in one
    # process, and only if the package measured uses it: workers forked from this process would
    # inherit it, and the build's CPU would miss what importing it costs them.
    if mode == "loudness" and uses_pyloudnorm():
        count_pyloudnorm(counted)
    if os.environ.get("BENCH_TIMELINE"):
        record_timeline(Path(os.environ["BENCH_TIMELINE"]))
    campaign, _ = load_campaign(script)
    if mode == "grow":
        first = campaign.localities[0]
        extra = Locality(id="cao-xa", name="xã Cao Xá", hotline="0210 3826 999",
                         vars={key: value.replace(first.name, "xã Cao Xá")
                               for key, value in first.vars.items()})
        campaign = dataclasses.replace(campaign, localities=[*campaign.localities, extra])
    audio = [b for b in load_builders() if b.name == "audio"]
    report = build(campaign, BuildOptions(output_root=Path(output), cache_dir=Path(cache),
                                          workers=workers), builders=audio)
    from bzmedia.audio import loudness

    own = getattr(loudness, "measurements", 0)
    print(json.dumps({"ran": len(report.ran), "measurements": counted["pyloudnorm"] + own}))


def uses_pyloudnorm() -> bool:
    import bzmedia

    package = Path(bzmedia.__file__).parent
    return any("import pyloudnorm" in path.read_text(encoding="utf-8")
               for path in (package / "audio").glob("*.py"))


def count_pyloudnorm(counted: dict[str, int]) -> None:
    import pyloudnorm

    original = pyloudnorm.Meter.integrated_loudness

    def counting(meter, data):
        counted["pyloudnorm"] += 1
        return original(meter, data)

    pyloudnorm.Meter.integrated_loudness = counting


def record_timeline(path: Path) -> None:
    """Log when each audio job starts and ends, in which process (workers are forked after this)."""
    from bzmedia.audio.builder import AudioBuilder

    make = AudioBuilder.make

    def timed(builder, job, ctx):
        import resource

        started, cpu = time.time(), time.process_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            return make(builder, job, ctx)
        finally:
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            ffmpeg_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
            line = {"pid": os.getpid(), "job": job.id, "start": started, "end": time.time(),
                    "cpu": time.process_time() - cpu, "ffmpeg_cpu": ffmpeg_cpu}
            with open(path, "a", encoding="utf-8") as log:
                log.write(json.dumps(line) + "\n")

    AudioBuilder.make = timed


def timeline_summary(path: Path) -> dict:
    """How well the jobs kept the workers busy: from the first job's start to the last one's end,
    the share of time each worker was inside a job, and how long the last job ran alone."""
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    first, last = min(e["start"] for e in entries), max(e["end"] for e in entries)
    span = last - first
    busy: dict[int, float] = {}
    ends: dict[int, float] = {}
    for entry in entries:
        busy[entry["pid"]] = busy.get(entry["pid"], 0.0) + entry["end"] - entry["start"]
        ends[entry["pid"]] = max(ends.get(entry["pid"], 0.0), entry["end"])
    finish = sorted(ends.values())
    on_cpu = sum(e.get("cpu", 0.0) + e.get("ffmpeg_cpu", 0.0) for e in entries)
    return {"span": span, "in_jobs": sum(busy.values()) / (span * max(len(busy), 1)),
            "alone": finish[-1] - finish[-2] if len(finish) > 1 else 0.0, "workers": len(busy),
            "job_cpu": on_cpu / sum(busy.values()),
            "ffmpeg_share": sum(e.get("ffmpeg_cpu", 0.0) for e in entries) / max(on_cpu, 1e-9)}


def measured_run(mode: str, script: str, output: Path, cache: Path, workers: int,
                 source: Path, timeline: Path | None = None) -> dict:
    """Run one build in a child process; its wall, CPU and peak RSS with what it reported."""
    env = dict(os.environ, PYTHONPATH=str(source))
    if timeline is not None:
        env["BENCH_TIMELINE"] = str(timeline)
    command = [sys.executable, __file__, "--child", mode, script, str(output), str(cache),
               str(workers)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, cwd=source)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{mode} build failed (exit {process.returncode})")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result.update(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024)
    if timeline is not None and timeline.is_file():
        result.update(timeline_summary(timeline))
    return result


def spoken_seconds(kit: Path) -> tuple[int, float]:
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    spots = [f for f in manifest["files"] if f["kind"] == "audio"]
    return len(spots), sum(f["duration_s"] for f in spots)


def read_synthesis_log(cache: Path) -> list[dict]:
    """The segment cache's log of real syntheses (read here, so any version's cache will do)."""
    path = cache / "tts" / "synthesized.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def measure(script: str, workers: int, source: Path, everything: bool) -> dict:
    """Every build of one version of the package, in a fresh temporary folder."""
    cores = min(workers or os.cpu_count() or 1, os.cpu_count() or 1)
    results: dict = {}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        cache = root / "cache"
        results["cold"] = measured_run("cold", script, root / "out", cache, workers, source,
                                       timeline=root / "timeline.jsonl")
        results["cold"]["busy"] = results["cold"]["cpu"] / (results["cold"]["wall"] * cores)
        results["log"] = read_synthesis_log(cache)
        results["loudness"] = measured_run("loudness", script, root / "warm", cache, 1, source)
        if everything:
            results["noop"] = measured_run("noop", script, root / "out", cache, workers, source)
            results["grow"] = measured_run("grow", script, root / "out", cache, workers, source)
            results["grow"]["phrases"] = len(read_synthesis_log(cache)) - len(results["log"])
            kit = next(p for p in (root / "out").iterdir() if p.is_dir())
            results["spots"] = spoken_seconds(kit)
    return results


def row(label: str, new: dict, old: dict | None, key: str, unit: str, fmt: str = "{:.1f}") -> str:
    line = f"  {label:<34} {fmt.format(new[key]):>8} {unit:<5}"
    if old is not None:
        line += f"  was {fmt.format(old[key]):>8} {unit}"
    return line


def report(args, new: dict, old: dict | None) -> None:
    log = new["log"]
    synth_s = sum(entry["synth_s"] for entry in log)
    audio_s = sum(entry["audio_s"] for entry in log)
    print(f"example: {args.script} (-j {args.jobs or os.cpu_count()}; os.cpu_count() = "
          f"{os.cpu_count()}, load average now {os.getloadavg()[0]:.1f})")
    if audio_s and synth_s:
        print(f"synthesis: {len(log)} phrases, {audio_s:.1f} s of speech in {synth_s:.2f} s -> "
              f"real-time factor {synth_s / audio_s:.4f} (engine {log[0]['engine']})")
    cold, warm = new["cold"], new["loudness"]
    old_cold, old_warm = (old["cold"], old["loudness"]) if old else (None, None)
    print("cold build (fresh cache and output):")
    print(row("wall", cold, old_cold, "wall", "s"))
    print(row("CPU (user+sys, all processes)", cold, old_cold, "cpu", "s"))
    print(row("CPU / (wall x cores)", cold, old_cold, "busy", "", "{:.2f}"))
    print(row("peak RSS (largest process)", cold, old_cold, "rss_mb", "MB", "{:.0f}"))
    if "in_jobs" in cold:
        print(row(f"workers inside a job ({cold['workers']} used)", cold, old_cold, "in_jobs", "",
                  "{:.2f}"))
        print(row("last job running alone", cold, old_cold, "alone", "s"))
        print(row("CPU / wall inside jobs (with ffmpeg)", cold, old_cold, "job_cpu", "", "{:.2f}"))
        print(row("  of which ffmpeg", cold, old_cold, "ffmpeg_share", "", "{:.2f}"))
    print("assembly, loudness and export only (full segment cache, -j 1):")
    print(row("wall", warm, old_warm, "wall", "s"))
    print(row("CPU", warm, old_warm, "cpu", "s"))
    print(row("integrated-loudness measurements", warm, old_warm, "measurements", "", "{:d}"))
    print(row("peak RSS", warm, old_warm, "rss_mb", "MB", "{:.0f}"))
    if "noop" in new:
        spots, seconds = new["spots"]
        print(f"no-op build:       {new['noop']['wall']:6.2f} s  ({new['noop']['ran']} jobs ran)")
        print(f"one more locality: {new['grow']['wall']:6.1f} s, {new['grow']['cpu']:.1f} CPU-s, peak RSS "
              f"{new['grow']['rss_mb']:.0f} MB  ({new['grow']['ran']} jobs, "
              f"{new['grow']['phrases']} phrases synthesized; {spots} spots, {seconds:.0f} s of "
              "finished audio)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, script, output, cache, workers = sys.argv[2:7]
        child_build(mode, script, output, cache, int(workers))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script", nargs="?", default=str(REPO / "content" / "bluezone-2020.yaml"))
    parser.add_argument("-j", "--jobs", type=int, default=0, help="workers (0: one per core)")
    parser.add_argument("--against", type=Path, help="folder holding an older bzmedia package")
    parser.add_argument("--source", type=Path, default=REPO,
                        help="folder holding the bzmedia package to measure (default: this checkout)")
    args = parser.parse_args()
    script = str(Path(args.script).resolve())
    old = None
    if args.against:
        old = measure(same_script(script, args.source.resolve(), args.against.resolve()), args.jobs,
                      args.against.resolve(), everything=False)
    new = measure(script, args.jobs, args.source.resolve(), everything=True)
    report(args, new, old)


def same_script(script: str, source: Path, against: Path) -> str:
    """The older package's own copy of a script from this one (its schema may be older)."""
    try:
        older = against / Path(script).relative_to(source)
    except ValueError:
        return script
    return str(older) if older.is_file() else script


if __name__ == "__main__":
    main()
