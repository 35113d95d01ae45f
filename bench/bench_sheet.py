"""Benchmark: how long ``bzmedia validate`` takes with a 120-row commune sheet (issue 13: < 2 s).

    python bench/bench_sheet.py [-n 120] [--runs 3]

Four cases, each a fresh ``python -m bzmedia validate`` process (imports included), best of
``--runs``: a short script reading the sheet as ``.xlsx`` and as ``.csv``, and the whole example
(``content/bluezone-2020.yaml``: every print box and slide fitted for every commune) with its
communes from the sheet as ``.xlsx`` and ``.csv``.  Wall and CPU seconds (user + sys of the
process) are printed; the machine is shared, so read CPU first.  Then the reader alone: the CPU
seconds of importing python-calamine, and of reading each file in-process.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
SHORT = """campaign:
  id: thu
  title: "Cài đặt Bluezone"
  issuer: "UBND tỉnh Phú Thọ"
  url: https://www.bluezone.gov.vn
{localities}stats: {{date: 2020-08-13, column: Lượt cài đặt}}
audio:
  spots:
    - id: a
      text: "{{station}} xin thông báo: {{locality.name}} có {{installs}} lượt cài đặt, xếp thứ {{rank}}."
"""


def sheet_rows(count: int) -> list[list[object]]:
    from bzmedia.campaign.sheets import TEMPLATE_HEADINGS

    rows: list[list[object]] = [list(TEMPLATE_HEADINGS)]
    for i in range(1, count + 1):
        name = f"xã Số {i}" if i % 3 else f"phường Đông Hà {i}"
        rows.append([name, f"xa-{i:03d}", "", f"0210 38{i:05d}", f"Đài truyền thanh {name}", 500 + 37 * i])
    return rows


def write_sheets(folder: Path, rows: list[list[object]]) -> None:
    from bzmedia.campaign.sheets import load_openpyxl

    book = load_openpyxl().Workbook()
    sheet = book.active
    sheet.title = "Xã phường"
    sheet.append(["Danh sách xã, phường"])
    for row in rows:
        sheet.append(row)
    book.save(folder / "xa-phuong.xlsx")
    with (folder / "xa-phuong.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)


def scripts(folder: Path) -> dict[str, Path]:
    from bzmedia.campaign.sheets import TEMPLATE_YAML

    keys = TEMPLATE_YAML.split("stats:")[0]
    example = (CONTENT / "bluezone-2020.yaml").read_text(encoding="utf-8")
    found = {}
    for suffix in ("xlsx", "csv"):
        short = folder / f"short-{suffix}.yaml"
        short.write_text(SHORT.format(localities=keys.replace("xa-phuong.xlsx", f"xa-phuong.{suffix}")),
                         encoding="utf-8")
        whole = folder / f"example-{suffix}.yaml"
        whole.write_text(example.replace("file: xa-phuong.xlsx", f"file: xa-phuong.{suffix}"),
                         encoding="utf-8")
        found[f"short script, .{suffix}"] = short
        found[f"whole example, .{suffix}"] = whole
    return found


def timed(script: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bzmedia", "validate", str(script)],
                          capture_output=True, text=True, cwd=script.parent)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{script.name}: validate failed:\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def reader_costs(folder: Path, runs: int) -> None:
    """What the reader itself costs (issue 11: it is paid on every validate and no-op build):
    importing it in a fresh process, and reading each file in-process, best of ``runs``."""
    from bzmedia.campaign.sheetfiles import read_rows

    code = ("import time\nstarted = time.process_time()\nimport python_calamine\n"
            "print(time.process_time() - started)")
    imports = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    check=True).stdout) for _ in range(runs)]
    print(f"{'import python_calamine':26} {'':>7} {min(imports):7.3f}")
    for suffix in ("xlsx", "csv"):
        costs = []
        for _ in range(max(runs, 10)):
            started = time.process_time()
            read_rows(folder / f"xa-phuong.{suffix}", None)
            costs.append(time.process_time() - started)
        print(f"{'read_rows, .' + suffix:26} {'':>7} {min(costs):7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=120, help="communes in the sheet")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory(prefix="bzsheet-") as scratch:
        folder = Path(scratch)
        shutil.copytree(CONTENT / "assets", folder / "assets")
        write_sheets(folder, sheet_rows(args.n))
        print(f"{args.n}-row commune sheet, best of {args.runs} validate processes")
        print(f"{'case':26} {'wall s':>7} {'CPU s':>7}")
        for name, script in scripts(folder).items():
            wall, cpu = min(timed(script) for _ in range(args.runs))
            print(f"{name:26} {wall:7.2f} {cpu:7.2f}")
        reader_costs(folder, args.runs)


if __name__ == "__main__":
    main()
