"""Property: whatever is done to a script, the loader answers with a campaign or with located
problems, never with another exception (issue 10, item 4).

A valid script touching every section is damaged at random, one to four times over, in the ways
issue 10 lists: control characters, explicit tags, empty values, non-finite and huge numbers,
deep nesting, garbage bytes, lines cut or repeated.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bzmedia.campaign import CampaignError, load_campaign

BASE = """\
campaign:
  id: demo
  title: "Cài đặt Bluezone"
  issuer: "UBND huyện Lâm Thao"
  url: https://www.bluezone.gov.vn
  date: 2020-08-05
  start: 2020-08-05
  end: 2020-08-30
brand:
  colors: {primary: "#0B5FA5", accent: "#F2A900"}
variables: {hotline: "0210 3825 368"}
localities:
  - {id: son-vi, name: "xã Sơn Vi", hotline: "0210 3825 111"}
  - {id: tu-xa, name: "xã Tứ Xã", vars: {station: "Đài xã"}}
audio:
  voice: {engine: espeak, rate: 0.9, pitch: 50}
  fallback: espeak
  loudness: {target_lufs: -16, true_peak_db: -1.5}
  pause_sentence: 0.5
  pause_paragraph: 1.2
  music_db: -22
  spots:
    - id: thong-bao
      text: "Xin mời bà con {locality.name} cài Bluezone, gọi {hotline}."
      repeat: 2
  schedule: {times: ["06:00", "17:00"], start: 2020-08-05}
print:
  - {id: to-roi, kind: leaflet, headline: "Cài Bluezone", points: ["Một", "Hai"], steps: ["Tải"]}
  - {id: dan-xe, kind: sticker, headline: "Bluezone", size: 210x99}
signage:
  seconds: 8
  crossfade: 0.5
  slides:
    - {id: tieu-de, kind: title, title: "Cài Bluezone", seconds: 6}
    - {id: qr, kind: cta, title: "Quét mã", url: https://www.bluezone.gov.vn}
"""
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff"]
TAGS = ["!!int ", "!!bool ", "!!float ", "!!timestamp ", "!!python/name:os.system ", "!!set ",
        "!!omap ", "!!binary ", "!!merge ", "!foo ", "!!str ", "! ", "!!null ", "!!map ", "!!seq "]
NULLS = ["", "~", "null", "Null", "NULL", "''"]
NUMBERS = [".nan", ".NaN", ".inf", "-.inf", "1e308", "1.0e+309", "-1e999", "9" * 30, "9" * 5000,
           "0x7fffffff", "1_000_000", "190:20:30", "-0", "1e-320", '"\\ud800"', '"\\x1b"']
VALUE_AT = re.compile(r": |- |\[|, ")
NUMBER_AT = re.compile(r"-?\d+(\.\d+)?")


def _pick(options: list, seed: int):
    return options[seed % len(options)]


def _at(pattern: re.Pattern, text: str, seed: int) -> re.Match | None:
    found = list(pattern.finditer(text))
    return _pick(found, seed) if found else None


def mutate(data: bytes, kind: str, where: int, what: int) -> bytes:
    """One damage of ``kind``; ``where`` and ``what`` choose the place and the material."""
    if kind == "garbage":
        at = where % (len(data) + 1)
        return data[:at] + bytes((what >> shift) & 0xFF for shift in range(0, 40, 8)) + data[at:]
    text = data.decode("utf-8", errors="surrogateescape")
    at = where % (len(text) + 1)
    if kind == "control":
        text = text[:at] + _pick(CONTROLS, what) + text[at:]
    elif kind in ("tag", "null", "nest") and (match := _at(VALUE_AT, text, where)):
        end = match.end()
        if kind == "tag":
            text = text[:end] + _pick(TAGS, what) + text[end:]
        elif kind == "nest":
            depth = 20 + what % 400
            text = text[:end] + "[" * depth + "]" * depth + text[end:]
        else:
            rest = re.match(r"[^,\n}\]]*", text[end:]).end()
            text = text[:end] + _pick(NULLS, what) + text[end + rest:]
    elif kind == "number" and (match := _at(NUMBER_AT, text, where)):
        text = text[:match.start()] + _pick(NUMBERS, what) + text[match.end():]
    elif kind in ("cut", "repeat"):
        lines = text.splitlines(keepends=True)
        index = where % len(lines)
        lines[index:index + 1] = [] if kind == "cut" else [lines[index]] * (1 + what % 3)
        text = "".join(lines)
    return text.encode("utf-8", errors="surrogateescape")


def _floats(obj, seen=None):
    """Every float anywhere in the loaded model."""
    if isinstance(obj, float):
        yield obj
    elif isinstance(obj, list | tuple):
        for value in obj:
            yield from _floats(value)
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _floats(value)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _floats(getattr(obj, f.name))


def check_answer(path: Path) -> None:
    try:
        campaign, warnings = load_campaign(path)
    except CampaignError as exc:
        problems = exc.problems
        assert problems and any(not p.warning for p in problems)
    else:
        assert all(math.isfinite(value) for value in _floats(campaign))
        problems = warnings
    for problem in problems:
        assert problem.file == str(path)
        assert problem.line >= 1 and problem.col >= 1, problem
        assert problem.path and "\n" not in problem.path + problem.message, problem
        assert "Traceback" not in problem.message


def test_the_base_script_is_valid():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.yaml"
        path.write_text(BASE, encoding="utf-8")
        campaign, warnings = load_campaign(path)
        assert len(campaign.localities) == 2 and warnings == []


KINDS = st.sampled_from(["control", "tag", "null", "number", "nest", "garbage", "cut", "repeat"])


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(KINDS, st.integers(0, 1 << 30), st.integers(0, 1 << 40)),
                min_size=1, max_size=4))
def test_any_damage_gives_a_campaign_or_located_problems(damages):
    data = BASE.encode("utf-8")
    for kind, where, what in damages:
        data = mutate(data, kind, where, what)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.yaml"
        path.write_bytes(data)
        check_answer(path)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.binary(max_size=400))
def test_random_bytes_give_located_problems(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.yaml"
        path.write_bytes(data)
        check_answer(path)
