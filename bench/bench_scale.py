"""Benchmark: a province's kit. The example campaign copied to N communes, built five ways.

    python bench/bench_scale.py [-n 1 10 30 120] [-j 2] [--baseline REV [--baseline-n 1 10]]

For each N, in a fresh temporary folder (fresh output and cache):

1. cold      the kit from nothing;
2. +1        one commune added to the built kit, with a figure: it re-ranks every commune, so
             every commune's ranking chart changes (correct output, not waste);
3. +1 nofig  one more commune added, without a figure (the example's figures are written to a
             figures file of their own, ``stats.file``, which leaves it out): only its own jobs
             and the kit's should run;
4. slide     one word changed in a slide that names no commune (``vi-sao``);
5. no-op     the same script again.

Each step is one ``bzmedia build`` process; the table gives its wall time, CPU time (user+sys of
every process it started, reaped or orphaned: the launcher is their subreaper), how busy the
cores were (CPU / (wall x cores)), how busy the whole machine was over the same time (``mach``,
from /proc/stat: when it is well above ``busy``, other work shared the machine), the share of
system time, the CPU (and system) seconds of the main process, of the workers (with the fork
server and the wrappers) and of the ffmpeg runs, the peak RSS of the
largest single process and of each kind (the build's main process, its workers and the largest
ffmpeg run), the ffmpeg runs and the frames they encoded to H.264 (counted by a wrapper named in
$IMAGEIO_FFMPEG_EXE: a full 40 s loop is 1,000 frames per size, a changed slide's pieces far
fewer), the kit's bytes and files, and kit bytes / bytes of its channel files (goal <= 1.3).
Each N ends with the issue's goals that apply to it, met or not.

With ``--baseline REV`` the same steps run, in the same invocation, on a git worktree of REV
(for example the commit before the scale work), and the table shows both side by side with the
ratio new / old: the machine is shared and noisy, so only figures from one run are compared.
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
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "content" / "bluezone-2020.yaml"
SLIDE_BEFORE = "Vì sao nên cài Bluezone?"
SLIDE_AFTER = "Vì sao phải cài Bluezone?"
SYLLABLES = ("Sơn", "Vi", "Tứ", "Xã", "Hùng", "Cao", "Xá", "Bản", "Nguyên", "Thạch", "Sơn",
             "Phùng", "Nguyên", "Kinh", "Kệ", "Tiên", "Kiên", "Xuân", "Huy", "Vĩnh", "Lại",
             "Hợp", "Hải", "Thanh", "Đình", "Phú", "Lộc", "An", "Đạo", "Minh")

LAUNCHER = r"""
import ctypes, json, os, resource, subprocess, sys, threading, time

# Become the reaper of every orphan the build leaves (a fork server or resource tracker that
# outlives its parent for a moment): reaped here, its CPU time joins RUSAGE_CHILDREN.
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
TICK = os.sysconf("SC_CLK_TCK")


def hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return 0


def python_descendants(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listed:
            kids = [int(k) for k in listed.read().split()]
    except OSError:
        return []
    found = []
    for kid in kids:
        try:
            with open(f"/proc/{kid}/cmdline", "rb") as cmd:
                # by the program's name: ffmpeg's own path has "python3.11" in it (site-packages)
                if os.path.basename(cmd.read().split(b"\0")[0]).startswith(b"python"):
                    found.append(kid)
        except OSError:
            pass
        found += python_descendants(kid)  # workers are the fork server's children
    return found


def cpu_ticks():  # the whole machine: (busy, all) since boot
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:9]]  # guest time is in user
    return sum(fields) - fields[3] - fields[4], sum(fields)


def own_times(pid):  # user and system seconds of a process (a zombie still has them)
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICK, int(fields[12]) / TICK


machine_before = cpu_ticks()
started = time.perf_counter()
build = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
peaks = {"main": 0, "worker": 0}
ended = threading.Event()  # not build.poll(): that would reap it before its times are read


def sample():  # high-water marks: a late look still sees a process's peak, while it lives
    while not ended.is_set():
        peaks["main"] = max(peaks["main"], hwm_kb(build.pid))
        for kid in python_descendants(build.pid):
            peaks["worker"] = max(peaks["worker"], hwm_kb(kid))
        ended.wait(0.2)  # not sleep: the build's end must not wait for the next look


watcher = threading.Thread(target=sample, daemon=True)
watcher.start()
stderr = build.stderr.read()
os.waitid(os.P_PID, build.pid, os.WEXITED | os.WNOWAIT)  # exited, not yet reaped
# The wall time ends here: it once ended after the sampler's 0.2 s sleep, so a 0.2 s no-op read as
# 0.2 or 0.4 by where that sleep happened to be.
wall = time.perf_counter() - started
main_user, main_sys = own_times(build.pid)
ended.set()
watcher.join()
code = build.wait()
deadline = time.monotonic() + 10
while time.monotonic() < deadline:  # orphans of the build, reparented here, as they end
    try:
        if os.waitpid(-1, os.WNOHANG) == (0, 0):
            time.sleep(0.02)
    except ChildProcessError:
        break
machine_after = cpu_ticks()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
busy, total = (after - before for after, before in zip(machine_after, machine_before))
print(json.dumps({"code": code, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "sys": usage.ru_stime, "main_cpu": main_user + main_sys, "main_sys": main_sys,
                  "machine_busy": busy / total if total else 0.0,
                  "rss_mb": usage.ru_maxrss / 1024, "main_mb": peaks["main"] / 1024,
                  "worker_mb": peaks["worker"] / 1024, "stderr": stderr[-2000:]}))
"""


@dataclass
class Step:
    name: str
    wall: float
    cpu: float
    rss_mb: float
    """Largest single process of the build (main, workers, ffmpeg)."""
    main_mb: float
    worker_mb: float
    ffmpeg_mb: float
    ffmpeg: int
    x264_frames: int
    """Frames encoded to H.264: a 40 s loop is 1,000 per size; a changed slide's pieces far fewer."""
    kit_mb: float
    files: int
    ratio: float
    sys: float = 0.0
    """System CPU seconds of every process of the build."""
    machine_busy: float = 0.0
    """Share of the machine's CPU time that was busy (``/proc/stat``, every process on it)."""
    main_cpu: float = 0.0
    main_sys: float = 0.0
    ffmpeg_cpu: float = 0.0
    ffmpeg_sys: float = 0.0

    def busy(self, cores: int) -> float:
        return self.cpu / (self.wall * cores) if self.wall else 0.0

    def split(self) -> str:
        """CPU seconds (system seconds) of the main process, workers (and the fork server, the
        wrappers) and ffmpeg runs."""
        workers, workers_sys = (self.cpu - self.main_cpu - self.ffmpeg_cpu,
                                self.sys - self.main_sys - self.ffmpeg_sys)
        return " ".join(f"{cpu:7.1f} ({sys:5.1f})" for cpu, sys in (
            (self.main_cpu, self.main_sys), (workers, workers_sys), (self.ffmpeg_cpu, self.ffmpeg_sys)))


def locality_entries(count: int) -> list[dict]:
    """``count`` communes with distinct Vietnamese-looking names, ids and hotlines."""
    entries = []
    for k in range(count):
        first = SYLLABLES[k % len(SYLLABLES)]
        second = SYLLABLES[(k * 7 + 3) % len(SYLLABLES)]
        name = f"xã {first} {second} {k + 1}"
        entries.append({"id": f"xa-{k + 1:03d}", "name": name,
                        "hotline": f"0210 38{k // 100 % 10}{k % 100:02d} {100 + k % 900:03d}",
                        "vars": {"station": f"Đài truyền thanh {name}"}})
    return entries


def write_script(folder: Path, count: int, slide_text: str = SLIDE_BEFORE, example: Path = EXAMPLE,
                 without_figures: int = 0) -> Path:
    """The example script with ``count`` communes (and the given ``vi-sao`` title) in ``folder``;
    the last ``without_figures`` of them have no statistics figure.

    ``example`` is the tree's own example, so a baseline builds the script it understands.
    """
    text = example.read_text(encoding="utf-8")
    start = text.index("\nlocalities:\n") + 1
    end = re.compile(r"\n(?=[^ \n])").search(text, start).start()  # the next top-level line
    if "\n  file:" in text[start:end]:  # the example reads its communes from a workbook
        block, text = communes_file(folder, text, count, without_figures)
    else:  # a baseline whose example lists them
        block = "localities:\n" + "".join(
            f"  - id: {e['id']}\n    name: \"{e['name']}\"\n    hotline: \"{e['hotline']}\"\n"
            f"    vars: {{station: \"{e['vars']['station']}\"}}\n" for e in locality_entries(count))
    text = text[:start] + block + text[end:]
    text = text.replace(SLIDE_BEFORE, slide_text)
    if not (folder / "assets").exists():
        shutil.copytree(example.parent / "assets", folder / "assets")
    script = folder / "bluezone-2020.yaml"
    script.write_text(text, encoding="utf-8")
    return script


def communes_file(folder: Path, text: str, count: int, without_figures: int = 0) -> tuple[str, str]:
    """``count`` communes written as a CSV under the headings the example's ``localities:`` reads,
    and the ``localities:`` block that reads it; with the script ``text`` changed to read the
    example's ``stats:`` column (if any) from a figures file of its own, ``figures.csv``, that
    leaves out the last ``without_figures`` communes (an empty cell in the communes file would be
    refused: "no count for ..."; a commune missing from a stats file has no figure)."""
    import csv

    import yaml

    script = yaml.safe_load(text)
    sheet = script["localities"]
    stats = script.get("stats") or {}
    headings = [sheet["name"], sheet["id"], sheet["hotline"], sheet["vars"]["station"]]
    rows = [[e["name"], e["id"], e["hotline"], e["vars"]["station"]] for e in locality_entries(count)]
    with (folder / "communes.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([headings, *rows])
    if stats.get("column") and not stats.get("file"):
        figures = [[row[1], 1000 + 37 * k] for k, row in enumerate(rows[:count - without_figures])]
        with (folder / "figures.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows([[sheet["id"], stats["column"]], *figures])
        column = f"\n  column: {stats['column']}\n"
        text = text.replace(column, f"\n  file: figures.csv\n  match: {json.dumps(sheet['id'])}{column}", 1)
    return ("localities:\n  file: communes.csv\n" + "".join(
        f"  {key}: {json.dumps(sheet[key], ensure_ascii=False)}\n" for key in ("name", "id", "hotline"))
        + f"  vars: {{station: {json.dumps(sheet['vars']['station'], ensure_ascii=False)}}}\n"), text


def ffmpeg_wrapper(folder: Path, python_path: str) -> tuple[Path, Path]:
    """A shell script that logs every ffmpeg run (its arguments, then its peak RSS in KB and its
    user and system CPU seconds) and runs the real one."""
    real = subprocess.run([sys.executable, "-c", "import imageio_ffmpeg as f; print(f.get_ffmpeg_exe())"],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": python_path}).stdout.strip()
    log = folder / "ffmpeg-runs.log"
    wrapper = folder / "ffmpeg-counting"
    timed = f'/usr/bin/time -a -o "{log}" -f "rss %M cpu %U %S" ' if Path("/usr/bin/time").exists() else ""
    wrapper.write_text(f'#!/bin/sh\necho "run $*" >> "{log}"\nexec {timed}"{real}" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper, log


def ffmpeg_figures(log: Path) -> tuple[int, int, float, float, float]:
    """Runs, H.264 frames encoded (``-frames:v`` of each libx264 output), the largest run's RSS (MB), and
    the CPU and system seconds of all runs."""
    runs = frames = peak = 0
    cpu = sys_s = 0.0
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("run "):
            runs += 1
            # A run encodes several pieces, each output its own "-map ... -frames:v N ... libx264".
            for output in line.split(" -map ")[1:]:
                found = re.search(r"-frames:v (\d+)", output)
                if "libx264" in output and found:
                    frames += int(found.group(1))
        elif line.startswith("rss "):
            fields = line.split()
            peak = max(peak, int(fields[1]))
            if len(fields) == 5:
                cpu, sys_s = cpu + float(fields[3]) + float(fields[4]), sys_s + float(fields[4])
    return runs, frames, peak / 1024, cpu, sys_s


def kit_figures(kit: Path) -> tuple[float, int, float]:
    """Kit bytes (MB), files, and kit bytes / bytes of the files the manifest lists as channels."""
    files = [p for p in kit.rglob("*") if p.is_file() and ".bzmedia" not in p.relative_to(kit).parts]
    total = sum(p.stat().st_size for p in files)
    manifest = kit / "manifest.json"
    channel = 0
    if manifest.is_file():
        entries = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        bookkeeping = ("pack", "pack-plan", "thumbnail", "page")
        channel = sum(e["bytes"] for e in entries if e.get("kind") not in bookkeeping)
    return total / 1e6, len(files), (total / channel if channel else 0.0)


def run_step(name: str, script: Path, out: Path, env: dict, jobs: int, log: Path) -> Step:
    log.write_text("")
    command = [sys.executable, "-m", "bzmedia", "-q", "build", str(script), "-o", str(out), "-j", str(jobs)]
    # Run from the scratch folder: ``python -m`` puts the working folder first on sys.path, which
    # would shadow the tree named in PYTHONPATH (the baseline) with this checkout.
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *command], capture_output=True, text=True,
                          env=env, check=True, cwd=out.parent)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"{name}: build failed with status {result['code']}:\n{result['stderr']}")
    runs, frames, ffmpeg_mb, ffmpeg_cpu, ffmpeg_sys = ffmpeg_figures(log)
    kit_mb, files, ratio = kit_figures(out / "bluezone-2020")
    return Step(name, result["wall"], result["cpu"], result["rss_mb"], result.get("main_mb", 0.0),
                result.get("worker_mb", 0.0), ffmpeg_mb, runs, frames, kit_mb, files, ratio,
                result["sys"], result["machine_busy"], result["main_cpu"], result["main_sys"],
                ffmpeg_cpu, ffmpeg_sys)


def scenario(count: int, jobs: int, python_path: str) -> list[Step]:
    """The five steps for ``count`` communes, with the code found on ``python_path``."""
    with tempfile.TemporaryDirectory(prefix=f"bzbench-{count}-") as scratch:
        folder = Path(scratch)
        wrapper, log = ffmpeg_wrapper(folder, python_path)
        env = {**os.environ, "PYTHONPATH": python_path, "BZMEDIA_CACHE": str(folder / "cache"),
               "IMAGEIO_FFMPEG_EXE": str(wrapper)}
        # An office's Python keeps compiled modules; without that every process compiles anew.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        out = folder / "out"
        example = Path(python_path) / "content" / "bluezone-2020.yaml"
        steps = [run_step("cold", write_script(folder, count, SLIDE_BEFORE, example), out, env, jobs, log)]
        for name, communes, slide, without in (
                ("+1", count + 1, SLIDE_BEFORE, 0), ("+1 nofig", count + 2, SLIDE_BEFORE, 1),
                ("slide", count + 2, SLIDE_AFTER, 1), ("no-op", count + 2, SLIDE_AFTER, 1)):
            script = write_script(folder, communes, slide, example, without)
            steps.append(run_step(name, script, out, env, jobs, log))
        return steps


def baseline_tree(rev: str) -> Path:
    target = Path(tempfile.gettempdir()) / f"bzmedia-baseline-{re.sub(r'[^0-9A-Za-z]', '', rev)[:12]}"
    if not target.exists():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(target), rev],
                       check=True, capture_output=True)
    return target


def show(count: int, new: list[Step], old: list[Step] | None, cores: int) -> None:
    print(f"\nN = {count} communes (then {count + 1}, then {count + 2} of which one has no figure)")
    head = (f"{'step':8} {'wall s':>8} {'CPU s':>8} {'busy':>5} {'mach':>5} {'RSS MB':>7} {'main':>5} "
            f"{'worker':>6} {'ffm MB':>6} {'ffmpeg':>6} {'x264 fr':>7} {'kit MB':>8} {'files':>6} "
            f"{'kit/ch':>6} {'sys %':>5}   CPU s (sys s): {'main':>13} {'workers':>13} {'ffmpeg':>13}")
    versus = ("   | old wall  old CPU old RSS old ffmpeg old x264 fr old kit MB"
              " | wall new/old  CPU new/old")
    print(head + (versus if old else ""))
    for k, step in enumerate(new):
        line = (f"{step.name:8} {step.wall:8.2f} {step.cpu:8.2f} {step.busy(cores):5.2f} "
                f"{step.machine_busy:5.2f} {step.rss_mb:7.0f} {step.main_mb:5.0f} {step.worker_mb:6.0f} "
                f"{step.ffmpeg_mb:6.0f} {step.ffmpeg:6d} {step.x264_frames:7d} {step.kit_mb:8.1f} "
                f"{step.files:6d} {step.ratio:6.2f} {100 * step.sys / max(step.cpu, 1e-9):5.1f}"
                f"{'':17}{step.split()}")
        if old:
            was = old[k]
            line += (f"   | {was.wall:8.2f} {was.cpu:8.2f} {was.rss_mb:7.0f} {was.ffmpeg:10d} "
                     f"{was.x264_frames:11d} {was.kit_mb:10.1f} | "
                     f"{step.wall / was.wall:12.2f} {step.cpu / max(was.cpu, 1e-9):12.2f}")
        print(line, flush=True)
    cold = new[0]
    for added, what in ((new[1], "with a figure (re-ranks every commune)"), (new[2], "without a figure")):
        print(f"added commune {what} costs {added.cpu / cold.cpu if count == 1 else added.cpu:.2f}"
              f"{'x a cold one-commune kit' if count == 1 else ' CPU-s'}")
    print("busy: CPU of the build's processes / (wall x cores); mach: the whole machine's busy share "
          "over the same time (/proc/stat): above busy when other work shares the machine")
    print("goals: " + "; ".join(goals(count, new, cores)))


def goals(count: int, steps: list[Step], cores: int) -> list[str]:
    """The issue's goals this N can be held to, each with its figure and whether it is met."""
    cold, noop = steps[0], steps[-1]
    checks = [("busy >= 0.85 (cold)", cold.busy(cores), cold.busy(cores) >= 0.85),
              ("peak RSS < 300 MB", max(s.rss_mb for s in steps), max(s.rss_mb for s in steps) < 300),
              ("kit <= 1.3x its files", cold.ratio, cold.ratio <= 1.3)]
    if count >= 100:
        checks += [("cold < 300 s", cold.wall, cold.wall < 300), ("no-op < 1 s", noop.wall, noop.wall < 1)]
    if count == 1:
        checks += [("no-op < 0.3 s", noop.wall, noop.wall < 0.3),
                   ("+1 <= 0.2x cold CPU", steps[1].cpu / cold.cpu, steps[1].cpu <= 0.2 * cold.cpu),
                   ("+1 nofig <= 0.2x cold CPU", steps[2].cpu / cold.cpu, steps[2].cpu <= 0.2 * cold.cpu)]
    return [f"{name} {value:.2f} {'met' if ok else 'NOT met'}" for name, value, ok in checks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, nargs="+", default=[1, 10, 30, 120])
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--baseline", help="git revision to measure side by side (a worktree in /tmp)")
    parser.add_argument("--baseline-n", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    old_tree = baseline_tree(args.baseline) if args.baseline else None
    for count in args.n:
        new = scenario(count, args.jobs, str(REPO))
        old = scenario(count, args.jobs, str(old_tree)) if old_tree and count in args.baseline_n else None
        show(count, new, old, cores)


if __name__ == "__main__":
    main()
