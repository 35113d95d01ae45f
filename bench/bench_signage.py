"""Benchmark: what one commune's signage costs, stage by stage, as a build's worker pays it.

    python bench/bench_signage.py [--communes 10] [--folder /tmp/bzsig] [--repeat 3] [--profile] [--cold]

1. Once per folder: the example copied to ``--communes`` communes (``bench_scale.write_script``)
   is built, signage only, and its output and cache are kept as the starting point.
2. The script gets one more commune.  In a fresh process per job (as a worker runs it, on a
   fresh copy of that output and cache), the two signage jobs of
   - the *added* commune (new name, new hotline, new ranking), and
   - an *old* commune (only its ranking slide changed: "thứ k/N+1")
   are made under cProfile.  Each ffmpeg run goes through a wrapper that logs its arguments and
   its CPU seconds.

Printed per job: wall, CPU of the Python process, CPU of its ffmpeg runs, ffmpeg runs and H.264
frames, and the cumulative time of the stages (slide drawing, chart raster, PNG/JPEG writes,
previews, piece encodes, joins).

With ``--race``, instead: the example at one size (1920x1080) and ``--communes`` communes is
built with two workers, cold and then with one word changed in a shared slide, each in one
``bzmedia build`` process on one cache; printed: the H.264 frames encoded, the pieces encoded and
how many of them were encoded more than once (two workers missing the same piece at once).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

STAGES = {  # label: function names (file:function) whose cumulative time is shown
    "slides drawn (all)": "slidestore.py:_draw",
    "  paint (Pillow)": "render.py:paint",
    "  chart raster": "raster.py:render_png",
    "  PNG save": "Image.py:save",
    "  preview": "thumbs.py:file_slide_preview",
    "piece encodes": "video.py:encode_pieces",
    "loop joins": "video.py:join_pieces",
    "slide copies": "builder.py:_copy",
    "sha256 of files": "cache.py:sha256_file",
}

WORKER = r"""
import cProfile, json, os, pstats, resource, sys, time
from pathlib import Path
from bzmedia.build import load_builders
from bzmedia.builder import Plan
from bzmedia.buildpool import run_job
from bzmedia.cache import Store
from bzmedia.campaign.loader import load_campaign
from bzmedia.campaign.variables import for_locality

script, kit, cache, locality, size, stats_out, warm = sys.argv[1:8]
campaign, problems = load_campaign(script)
localities = campaign.kit_localities()
plan = Plan(campaign, localities, {loc.id: for_locality(campaign, loc) for loc in localities})
builder = next(b for b in load_builders() if b.name == "signage")
jobs = builder.jobs(plan)
job = next(j for j in jobs if j.locality == locality and j.id.endswith(size))
if warm:  # a worker's earlier job: imports, fonts, layouts and compiled patterns are then ready
    import tempfile
    earlier = next(j for j in jobs if j.locality == warm and j.id.endswith(size))
    # Made on an empty store, so it draws and encodes everything, as a worker of a cold build has
    # for the communes before: the fitted logo, the chart code and the converted frames of the
    # slides it met are then kept (with --cold the job runs as the only one of its worker).
    with tempfile.TemporaryDirectory(prefix="bzsig-warm-") as fresh:
        run_job(builder, earlier, Path(kit), Store(Path(fresh)))
    open(os.environ["BZSIG_LOG"], "w").close()  # count only the measured job's ffmpeg runs
warm_children = resource.getrusage(resource.RUSAGE_CHILDREN)
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
profile = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
if stats_out != "-":
    profile.enable()
run_job(builder, job, Path(kit), Store(Path(cache)))
profile.disable()
wall = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
if stats_out != "-":
    pstats.Stats(profile).dump_stats(stats_out)
print(json.dumps({"wall": wall,
                  "python_cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
                  "ffmpeg_cpu": children.ru_utime + children.ru_stime - warm_children.ru_utime
                  - warm_children.ru_stime}))
"""


def prepared(folder: Path, communes: int) -> Path:
    """``folder/snapshot``: the output and cache of a signage-only build of ``communes``
    communes, built once in ``folder/work`` (the script stays at that path: slide keys hold the
    logo's path, so every measured build must read its script from the same folder)."""
    import bench_scale

    snapshot, work = folder / "snapshot", folder / "work"
    code = code_digest()
    if (snapshot / "done").is_file() and (snapshot / "done").read_text() == code:
        return snapshot
    shutil.rmtree(folder, ignore_errors=True)
    work.mkdir(parents=True)
    script = bench_scale.write_script(work, communes)
    env = {**os.environ, "BZMEDIA_CACHE": str(work / "cache"), "BZSIG_LOG": str(folder / "ffmpeg.log"),
           "IMAGEIO_FFMPEG_EXE": str(counting_ffmpeg(folder.parent))}
    # Not checked: the kit stage after the signage jobs may fail while other work is under way;
    # only the signage jobs' files and cache are wanted.
    subprocess.run([sys.executable, "-m", "bzmedia", "-q", "build", str(script), "-o", str(work / "out"),
                    "--only", "signage"], env=env, cwd=work)
    loops = list((work / "out").rglob("loop.mp4"))
    if len(loops) != 2 * communes:
        raise SystemExit(f"the signage build made {len(loops)} loops, not {2 * communes}")
    snapshot.mkdir()
    for name in ("out", "cache"):
        shutil.copytree(work / name, snapshot / name)
    (snapshot / "done").write_text(code)
    return snapshot


def code_digest() -> str:
    """The code that decides slide and piece keys: a snapshot made by other code is remade."""
    import hashlib

    digest = hashlib.sha256()
    package = REPO / "bzmedia"
    for path in sorted([*package.glob("signage/*.py"), *package.glob("charts/*.py"),
                        package / "fontmetrics.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def counting_ffmpeg(folder: Path) -> Path:
    """A wrapper that logs each ffmpeg run and its CPU to ``$BZSIG_LOG``.  Its bytes are the same
    in every folder: the loop pieces' keys name the encoder by file name and size."""
    import imageio_ffmpeg

    wrapper = folder / "ffmpeg-counting"
    if not wrapper.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        wrapper.write_text('#!/bin/sh\necho "run $*" >> "$BZSIG_LOG"\n'
                           'exec /usr/bin/time -a -o "$BZSIG_LOG" -f "cpu %U %S" '
                           f'"{imageio_ffmpeg.get_ffmpeg_exe()}" "$@"\n')
        wrapper.chmod(0o755)
    return wrapper


def ffmpeg_runs(log: Path) -> list[dict]:
    runs: list[dict] = []
    for line in log.read_text(errors="replace").splitlines() if log.is_file() else []:
        if line.startswith("run "):
            frames = sum(int(n) for n in re.findall(r"-frames:v (\d+) -c:v libx264", line))
            joins = "pipe:0" in line or " concat:" in line
            what = "encode" if "libx264" in line else "join" if joins else "other"
            runs.append({"what": what, "frames": frames, "cpu": 0.0})
        elif line.startswith("cpu ") and runs:
            user, system = line.split()[1:3]
            runs[-1]["cpu"] = float(user) + float(system)
    return runs


def stage_times(stats_file: Path) -> dict[str, float]:
    import pstats

    stats = pstats.Stats(str(stats_file)).stats
    found = {}
    for label, name in STAGES.items():
        filename, function = name.split(":")
        found[label] = sum(entry[3] for (path, _line, func), entry in stats.items()
                           if func == function and path.endswith("/" + filename))
    return found


def profile_job(snapshot: Path, communes: int, locality: str, size: str, warm: str,
                profiled: bool = True) -> dict:
    """One job of the script with ``communes`` communes, made in a fresh process (after
    ``warm``'s job, if given, as a worker that has already made one) on the snapshot's output
    and cache, restored first."""
    import bench_scale

    work = snapshot.parent / "work"
    for name in ("out", "cache"):
        shutil.rmtree(work / name, ignore_errors=True)
        shutil.copytree(snapshot / name, work / name)
    script = bench_scale.write_script(work, communes)
    log = work / "ffmpeg.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "IMAGEIO_FFMPEG_EXE": str(counting_ffmpeg(snapshot.parent.parent)),
           "BZSIG_LOG": str(log), "PYTHONPATH": str(REPO)}
    kit = work / "out" / "bluezone-2020"
    done = subprocess.run([sys.executable, "-c", WORKER, str(script), str(kit), str(work / "cache"),
                           locality, size, str(work / "profile") if profiled else "-", warm],
                          check=True, env=env,
                          capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["runs"] = ffmpeg_runs(log)
    result["stages"] = stage_times(work / "profile") if profiled else {}
    return result


def show(title: str, results: dict[str, dict]) -> None:
    print(f"\n{title}")
    sizes = list(results)
    print(f"{'':24}" + "".join(f"{s:>12}" for s in sizes))
    rows = [("wall s", lambda r: r["wall"]), ("python CPU s", lambda r: r["python_cpu"]),
            ("ffmpeg CPU s", lambda r: r["ffmpeg_cpu"]),
            ("total CPU s", lambda r: r["python_cpu"] + r["ffmpeg_cpu"]),
            ("ffmpeg runs", lambda r: len(r["runs"])),
            ("  encode runs", lambda r: sum(x["what"] == "encode" for x in r["runs"])),
            ("  H.264 frames", lambda r: sum(x["frames"] for x in r["runs"])),
            ("  encode CPU s", lambda r: sum(x["cpu"] for x in r["runs"] if x["what"] == "encode")),
            ("  join CPU s", lambda r: sum(x["cpu"] for x in r["runs"] if x["what"] == "join")),
            ("  other CPU s", lambda r: sum(x["cpu"] for x in r["runs"] if x["what"] == "other"))]
    if all(r["stages"] for r in results.values()):
        rows += [(label, lambda r, label=label: r["stages"][label]) for label in STAGES]
    for label, value in rows:
        cells = [value(results[s]) for s in sizes]
        print(f"{label:24}" + "".join(f"{c:>12.3f}" if isinstance(c, float) else f"{c:>12}" for c in cells))
    total = sum(r["python_cpu"] + r["ffmpeg_cpu"] for r in results.values())
    print(f"{'both sizes, CPU s':24}{total:>12.3f}")


def race(folder: Path, communes: int) -> None:
    """``--race``: pieces encoded twice by two workers of one build (see the module's doc)."""
    import collections

    import bench_scale

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    log = folder / "ffmpeg.log"
    env = {**os.environ, "BZMEDIA_CACHE": str(folder / "cache"), "BZSIG_LOG": str(log),
           "IMAGEIO_FFMPEG_EXE": str(counting_ffmpeg(folder.parent)), "PYTHONPATH": str(REPO)}
    for step, title in (("cold", bench_scale.SLIDE_BEFORE), ("slide", bench_scale.SLIDE_AFTER)):
        script = bench_scale.write_script(folder, communes, title)
        text = script.read_text(encoding="utf-8")
        text = text.replace("sizes: [1920x1080, 1080x1920]", "sizes: [1920x1080]")
        script.write_text(text, encoding="utf-8")
        log.write_text("")
        subprocess.run([sys.executable, "-m", "bzmedia", "-q", "build", str(script), "-o",
                        str(folder / "out"), "--only", "signage", "-j", "2"], env=env, cwd=folder, check=True)
        frames, pieces = 0, collections.Counter()
        for line in log.read_text(errors="replace").splitlines():
            for count, target in re.findall(r"-frames:v (\d+) -c:v libx264.*? -f h264 (\S+)", line):
                frames += int(count)
                pieces[re.search(r"([0-9a-f]{64})", Path(target).name).group(1)] += 1
        twice = sum(1 for n in pieces.values() if n > 1)
        print(f"{step:6} x264 frames {frames:5}  pieces encoded {sum(pieces.values()):3}  "
              f"distinct {len(pieces):3}  encoded more than once {twice}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communes", type=int, default=10)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "bzsig")
    parser.add_argument("--old", default="xa-003", help="an old commune to remake (ranking changed)")
    parser.add_argument("--profile", action="store_true",
                        help="run under cProfile and show the stages (Python CPU then includes its overhead)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="make each job this many times and keep the run with the least CPU (a shared "
                             "machine's CPU times vary by 10-20 %%)")
    parser.add_argument("--cold", action="store_true",
                        help="measure each job in a fresh process (default: after another commune's job)")
    parser.add_argument("--race", action="store_true",
                        help="count pieces two workers encoded twice (one size, cold and a slide changed)")
    args = parser.parse_args()
    if args.race:
        race(args.folder / f"race{args.communes}", args.communes)
        return
    snapshot = prepared(args.folder / f"n{args.communes}", args.communes)
    added = f"xa-{args.communes + 1:03d}"
    warm = "" if args.cold else "xa-001"
    for title, locality in ((f"added commune {added}", added),
                            (f"old commune {args.old} (ranking changed)", args.old)):
        show(title, {size: min((profile_job(snapshot, args.communes + 1, locality, size, warm, args.profile)
                                 for _ in range(args.repeat)),
                                key=lambda r: r["python_cpu"] + r["ffmpeg_cpu"])
                     for size in ("1920x1080", "1080x1920")})


if __name__ == "__main__":
    main()
