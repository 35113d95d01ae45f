"""The no-op shortcut (:mod:`bzmedia.buildinputs`): a build with nothing changed answers without
loading the script; every kind of change, a failed build and a killed one make the next build work.

Each test builds the example's print channel through the real CLI in a fresh process, in a copy
of one kit built once for the module.  Whether a build took the shortcut is seen from the kit's
record (in the cache: :func:`~bzmedia.buildinputs.record_path`): the shortcut leaves it alone,
any other build removes it at its start and writes a new one (a new inode) only when it succeeds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import LANG_VARS, run_cli

from bzmedia import buildinputs
from bzmedia.buildinputs import InputLog, forget, input_stamp, record_path, still_current, write_record
from bzmedia.buildstate import BuildState

REPO = Path(__file__).resolve().parent.parent
KIT = "out/bluezone-2020"
LAYOUT = "my-sticker.yaml"


def build(folder: Path, *extra: str, first: tuple[str, ...] = (), **env: str) -> subprocess.CompletedProcess:
    """``bzmedia [FIRST] build`` of the copy's print channel (the command every test repeats)."""
    return run_cli(*first, "build", str(folder / "content" / "bluezone-2020.yaml"), "-o", str(folder / "out"),
                   "--only", "print", *extra, **{"BZMEDIA_CACHE": str(folder / "cache"), **env})


def record_file(folder: Path) -> Path:
    return record_path(folder / "cache", folder / KIT)


def record_id(folder: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(record_file(folder))
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns


def settle() -> None:
    """Past the racy window: a file changed just before a build is not trusted by its record."""
    time.sleep(0.1)


def said(done: subprocess.CompletedProcess) -> tuple[int, int]:
    """(made, up to date) from the summary line."""
    assert done.returncode == 0, done.stderr
    match = re.search(r": (\d+) made, (\d+) up to date", done.stdout)
    assert match, done.stdout
    return int(match[1]), int(match[2])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example's print channel built once, with its sticker drawn from a layout file in the
    campaign folder (3 communes, 9 jobs and the kit page)."""
    folder = tmp_path_factory.mktemp("built")
    shutil.copytree(REPO / "content", folder / "content")
    shutil.copy(REPO / "layouts" / "sticker.yaml", folder / "content" / LAYOUT)
    script = folder / "content" / "bluezone-2020.yaml"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("    kind: sticker\n", f"    kind: sticker\n    layout: {LAYOUT}\n", 1),
                      encoding="utf-8")
    first = build(folder, timeout=300)
    assert first.returncode == 0, first.stderr
    return folder


@pytest.fixture
def kit(built: Path, tmp_path: Path) -> Path:
    """A copy of the built kit (mtimes kept) whose last build left a record of its inputs."""
    folder = tmp_path / "k"
    shutil.copytree(built, folder)
    for _attempt in range(3):  # a bzmedia module edited meanwhile (a checkout being worked in)
        settle()  # means no record: that build ran code that is no longer there
        said(build(folder))  # the copy's own paths: an ordinary no-op, which records them
        if record_id(folder) is not None:
            return folder
    raise AssertionError("three no-op builds in a row wrote no record of their inputs")


def assert_worked(folder: Path, before: tuple[int, int] | None, *extra: str, **env: str):
    done = build(folder, *extra, **env)
    assert done.returncode == 0, done.stderr
    assert record_id(folder) != before, "the build took the shortcut"
    return done


def test_a_no_op_says_what_a_planned_no_op_says_without_loading_the_script(kit):
    forget(kit / "cache", kit / KIT)
    planned = build(kit, first=("-v",))  # an ordinary no-op, which records its inputs again
    before = record_id(kit)
    assert before is not None
    quick = build(kit, first=("-v",), PYTHONPROFILEIMPORTTIME="1")
    assert record_id(kit) == before
    seconds = re.compile(r" in [\d.,]+ s")
    assert seconds.sub("", quick.stdout) == seconds.sub("", planned.stdout)
    assert said(quick) == said(planned) and said(quick)[0] == 0
    assert "bzmedia.campaign" not in quick.stderr and "bzmedia.build " not in quick.stderr
    assert "import time:" in quick.stderr  # the import log was on: the loader was not imported


def test_the_script_edited_with_its_size_and_mtime_restored_is_built(kit):
    script = kit / "content" / "bluezone-2020.yaml"
    info = os.stat(script)
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("Bluezone ngay hôm nay", "Bluezone ngay hôm kia"), encoding="utf-8")
    os.utime(script, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert os.stat(script).st_size == info.st_size
    settle()
    made, _ = said(assert_worked(kit, record_id(kit)))
    assert made >= 3  # each commune's poster


def test_an_edited_communes_workbook_is_built(kit):
    import openpyxl

    book_path = kit / "content" / "xa-phuong.xlsx"
    book = openpyxl.load_workbook(book_path)
    sheet = book.active
    sheet["D3"] = "0210 3825 999"  # son-vi's hotline, printed on its sticker
    book.save(book_path)
    settle()
    made, _ = said(assert_worked(kit, record_id(kit)))
    assert made >= 1


def test_an_edited_layout_file_is_built(kit):
    layout = kit / "content" / LAYOUT
    layout.write_text(layout.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    settle()
    assert_worked(kit, record_id(kit))


def test_a_replaced_logo_is_built(kit):
    from PIL import Image

    logo = kit / "content" / "assets" / "logo.png"
    with Image.open(logo) as image:
        image = image.convert("RGBA")
    image.putpixel((0, 0), (255, 0, 0, 255))  # another logo of the same size
    image.save(logo)
    settle()
    assert_worked(kit, record_id(kit))


@pytest.mark.parametrize("change", ["deleted", "edited"])
def test_an_output_deleted_or_edited_is_made_again(kit, change):
    target = kit / KIT / "son-vi" / "print"
    pdf = sorted(target.glob("*.pdf"))[0]
    if change == "deleted":
        pdf.unlink()
    else:
        pdf.write_bytes(pdf.read_bytes() + b"%")
    made, _ = said(assert_worked(kit, record_id(kit)))
    assert made == 1


def test_a_kit_folder_turned_into_a_link_to_elsewhere_is_not_trusted(kit, tmp_path):
    """Same files, same mtimes, but reached through a symlink out of the kit: the state's load
    refuses such entries, so the shortcut must not accept them either; and the build, which makes
    those files again, does not write them there: nothing outside the kit is touched."""
    folder = kit / KIT / "son-vi" / "print"
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(folder, elsewhere)  # copy2: the mtimes the record knows
    shutil.rmtree(folder)
    folder.symlink_to(elsewhere, target_is_directory=True)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in elsewhere.iterdir()}
    record = record_id(kit)
    done = build(kit)
    assert done.returncode == 1
    assert done.stderr.splitlines()[1:] == [
        f"{folder}: this folder leads outside the kit (a link); the kit's files are never written there",
        "1 error; the build stopped: nothing was published, the previous kit is unchanged."]
    assert record_id(kit) != record, "the build took the shortcut"
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in elsewhere.iterdir()} == before


def test_a_changed_environment_option_or_locality_choice_is_not_skipped(kit):
    before = record_id(kit)
    made, every = said(assert_worked(kit, before, BZMEDIA_FFMPEG_TIMEOUT="99"))
    assert made == 0
    settle()
    build(kit)
    before = record_id(kit)
    made, current = said(assert_worked(kit, before, "--locality", "son-vi"))
    assert made == 0 and current < every  # son-vi's own jobs, not the record of the whole kit's


def test_a_language_change_is_not_skipped(kit):
    assert_worked(kit, record_id(kit), "--lang", "vi")


def test_changed_code_is_not_skipped(kit):
    module = REPO / "bzmedia" / "buildinputs.py"
    info = os.stat(module)
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    try:
        assert_worked(kit, record_id(kit))
    finally:
        os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_a_failed_build_leaves_no_record(kit):
    script = kit / "content" / "bluezone-2020.yaml"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("Hành khách hãy cài đặt Bluezone", "Hành khách " * 60), encoding="utf-8")
    failed = build(kit)
    assert failed.returncode == 1 and record_id(kit) is None
    script.write_text(text, encoding="utf-8")
    settle()
    assert_worked(kit, None)  # the script is as the record said, but there is no record


def test_a_killed_build_makes_the_next_build_work(kit, built):
    """Killed mid-build, then the script put back as the record knew it: the kit is half remade,
    so the next build must plan (and remake the posters the killed one replaced)."""
    script = kit / "content" / "bluezone-2020.yaml"
    original, info = script.read_bytes(), os.stat(script)
    script.write_bytes(original.replace("Hãy cài đặt Bluezone".encode(), "Hãy tải Bluezone về".encode()))
    env = {k: v for k, v in os.environ.items() if k not in LANG_VARS}
    env["BZMEDIA_CACHE"] = str(kit / "cache")
    process = subprocess.Popen([sys.executable, "-m", "bzmedia", "build", str(script), "-o", str(kit / "out"),
                                "--only", "print", "-j", "1"], env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.time_ns()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(  # ".name.part.pdf": not yet in place
                pdf.stat().st_mtime_ns > started for pdf in (kit / KIT).glob("*/print/[!.]*.pdf")):
            time.sleep(0.02)  # until the first job has replaced its file
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    script.write_bytes(original)
    os.utime(script, ns=(info.st_atime_ns, info.st_mtime_ns))
    settle()
    assert record_id(kit) is None
    made, _ = said(assert_worked(kit, None))
    assert made >= 1
    assert manifest_files(kit) == manifest_files(built)  # the kit is as before, byte for byte


def manifest_files(folder: Path) -> list[tuple[str, str]]:
    import json

    manifest = json.loads((folder / KIT / "manifest.json").read_text(encoding="utf-8"))
    return sorted((f["path"], f["sha256"]) for f in manifest["files"])


def test_a_path_that_was_missing_must_stay_missing(tmp_path):
    """A path the build looked for and did not find (a layout in the package's data folder, say)
    is an input too: its appearance means the ordinary build."""
    kit_dir = tmp_path / "kit"
    (kit_dir / ".bzmedia").mkdir(parents=True)
    (kit_dir / "manifest.json").write_text("{}", encoding="utf-8")
    (kit_dir / ".bzmedia" / "state.json").write_text("{}", encoding="utf-8")
    looked_for = tmp_path / "content" / "layouts" / "extra.yaml"
    (tmp_path / "content").mkdir()
    time.sleep(0.1)
    state = BuildState(kit_dir, {}, True, [2, os.stat(kit_dir / "manifest.json").st_mtime_ns])

    listed = tmp_path / "listed"
    listed.mkdir()
    time.sleep(0.1)
    with InputLog() as log:
        assert not looked_for.exists()
        os.listdir(listed)
    assert write_record(log, {"command": 1}, kit_dir, tmp_path / "cache", state, 0, [])
    from bzmedia.buildinputs import find_record

    found = find_record(tmp_path, tmp_path / "cache", {"command": 1})
    assert found and found[1]["inputs"][str(looked_for)] == ["missing"]
    assert still_current(kit_dir, *found[1:], tmp_path / "cache")
    assert still_current(kit_dir, found[1])
    looked_for.parent.mkdir()
    looked_for.write_text("x", encoding="utf-8")
    assert input_stamp(str(looked_for), False)[0] == "file"
    assert not still_current(kit_dir, found[1])
    looked_for.unlink()
    assert still_current(kit_dir, found[1])
    (listed / "new.yaml").write_text("x", encoding="utf-8")
    assert not still_current(kit_dir, found[1])  # a folder listed has another entry


def test_a_file_changed_during_the_build_is_not_trusted(tmp_path):
    kit_dir = tmp_path / "kit"
    (kit_dir / ".bzmedia").mkdir(parents=True)
    script = tmp_path / "script.yaml"
    script.write_text("a: 1\n", encoding="utf-8")
    time.sleep(0.1)
    with InputLog() as log:
        script.read_text(encoding="utf-8")
        script.write_text("a: 2\n", encoding="utf-8")  # the build read the old bytes
    assert not write_record(log, {}, kit_dir, tmp_path / "cache", BuildState(kit_dir, {}, True), 0, [])
    assert not record_path(tmp_path / "cache", kit_dir).exists()


def test_every_file_the_build_reads_is_in_its_record(kit, monkeypatch):
    """An audit hook of the test's own sees every open and listing of a real build (in this
    process); each path outside the Python install, bzmedia's code, the kit and the cache must be
    in the record, so an input a future change adds cannot be forgotten by it."""
    from bzmedia.cli import cli

    seen: list[str] = []
    watching = [False]

    def hook(event: str, args: tuple) -> None:
        if watching[0] and event in ("open", "os.listdir", "os.scandir") and args \
                and isinstance(args[0], str | bytes | os.PathLike):
            seen.append(os.path.abspath(os.fsdecode(args[0])))

    sys.addaudithook(hook)
    monkeypatch.setenv("BZMEDIA_CACHE", str(kit / "cache"))
    record_inputs = buildinputs.write_record

    def stop_watching_then_record(*args, **kwargs):  # what the command reads after its record
        watching[0] = False  # (the summary's imports) is not what the build was made from
        return record_inputs(*args, **kwargs)

    monkeypatch.setattr(buildinputs, "write_record", stop_watching_then_record)
    forget(kit / "cache", kit / KIT)
    watching[0] = True
    try:
        cli.main(["-q", "build", str(kit / "content" / "bluezone-2020.yaml"), "-o", str(kit / "out"),
                  "--only", "print"], standalone_mode=False)
    finally:
        watching[0] = False
    record = json.loads(record_file(kit).read_text(encoding="utf-8"))
    package = str(REPO / "bzmedia")
    outside = (sys.prefix, sys.base_prefix, str(kit / KIT), str(kit / "cache"), "/proc", "/dev", "/sys")
    code = {os.path.abspath(p) for p in sys.path if p}  # the import system's own listings

    def input_of_the_build(path: str) -> bool:
        if path in code or any(path == root or path.startswith(root + os.sep) for root in outside):
            return False
        return not (path.startswith(package + os.sep) and (path.endswith((".py", ".pyc"))
                                                          or "__pycache__" in path))

    forgotten = sorted({p for p in seen if input_of_the_build(p)} - set(record["inputs"]))
    assert forgotten == []
    for name in ("bluezone-2020.yaml", "xa-phuong.xlsx", "assets/logo.png", LAYOUT):
        assert str(kit / "content" / name) in record["inputs"]


def test_no_reader_in_c_opens_a_campaign_file_the_record_misses(kit):
    """What the audit hook cannot see: a library reading files by itself in C (python-calamine,
    PyYAML, Pillow could).  strace lists every file the build process opened or looked at; each
    one in the campaign folder or the built-in layouts must be in the record."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed")
    forget(kit / "cache", kit / KIT)
    log = kit / "strace.txt"
    env = {k: v for k, v in os.environ.items() if k not in LANG_VARS}
    done = subprocess.run(["strace", "-o", str(log), "-e", "trace=%file", sys.executable, "-m", "bzmedia",
                           "-q", "build", str(kit / "content" / "bluezone-2020.yaml"), "-o", str(kit / "out"),
                           "--only", "print"], env={**env, "BZMEDIA_CACHE": str(kit / "cache")},
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode and "ptrace" in done.stderr:
        pytest.skip(f"strace cannot trace here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr
    record = json.loads(record_file(kit).read_text(encoding="utf-8"))
    watched = (str(kit / "content"), str(REPO / "layouts"))
    touched = {os.path.abspath(m[1]) for m in re.finditer(r'^\w+\((?:AT_FDCWD, )?"([^"]+)"', log.read_text(),
                                                          re.MULTILINE)}
    touched = {p for p in touched if p.startswith(watched)}
    assert str(kit / "content" / "xa-phuong.xlsx") in touched  # strace did see the build
    assert sorted(touched - set(record["inputs"])) == []


@pytest.mark.parametrize("name", ["exists", "lexists", "isfile", "isdir"])
def test_a_path_test_that_calls_no_os_stat_is_still_recorded(tmp_path, monkeypatch, name):
    """On Windows with Python 3.13 ``os.path.exists`` and its kin are C functions that call no
    ``os.stat``: stand-ins that bypass the wrapped ``os.stat`` the same way must still be seen."""
    real_stat = os.stat

    def in_c(path) -> bool:  # what nt's C version does: stat without going through os.stat
        try:
            real_stat(path)
        except OSError:
            return False
        return True

    monkeypatch.setattr(os.path, name, in_c)
    missing = tmp_path / "layouts" / "extra.yaml"
    with InputLog() as log:
        assert not getattr(os.path, name)(missing)
        kept = os.path.exists  # a thread holding the wrapper past the log's end
    assert log.looked == {missing: "missing"}
    assert getattr(os.path, name) is in_c  # put back
    assert kept(tmp_path) and not kept(missing)


def test_a_cache_folder_that_holds_the_campaign_still_sees_its_script_edited(kit):
    """``BZMEDIA_CACHE`` set to the folder of the campaign: only what the cache writes in it is
    skipped, never the script."""
    record = record_path(kit, kit / KIT)
    for _attempt in range(3):
        settle()
        said(build(kit, BZMEDIA_CACHE=str(kit)))
        if record.exists():
            break
    assert record.exists(), "three builds with the cache in the campaign's folder wrote no record"
    before = os.stat(record).st_ino, os.stat(record).st_mtime_ns
    script = kit / "content" / "bluezone-2020.yaml"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("Bluezone ngay hôm nay", "Bluezone ngay hôm kia"), encoding="utf-8")
    settle()
    made, _ = said(build(kit, BZMEDIA_CACHE=str(kit)))
    assert made >= 3 and (os.stat(record).st_ino, os.stat(record).st_mtime_ns) != before


@pytest.mark.parametrize("damage", [b"", b"\x00\xff not json", b'{"format": 1, "command": []}',
                                    b"[" * 100_000], ids=["empty", "garbled", "other-shape", "deep"])
def test_a_damaged_record_means_the_ordinary_build(kit, damage):
    """A record cut short, garbled, of another shape or nested to blow the parser's stack: the
    build plans as usual (nothing to make, no traceback) and writes a sound record again."""
    record_file(kit).write_bytes(damage)
    done = build(kit)
    made, reused = said(done)
    assert made == 0 and reused > 0 and "Traceback" not in done.stderr
    assert json.loads(record_file(kit).read_bytes())["format"] == buildinputs.FORMAT


def test_a_record_that_cannot_be_written_costs_only_the_shortcut(kit):
    """The records' folder cannot be written (here a file stands where it should be, as good as
    a full disk, even for root): the build still succeeds and says what it made, and the next
    build plans again instead of trusting a record it has not got."""
    folder = record_file(kit).parent
    shutil.rmtree(folder)
    folder.write_text("not a folder")
    first, second = build(kit), build(kit)
    assert said(first) == said(second) and said(first)[0] == 0
    assert "Traceback" not in first.stderr + second.stderr and folder.read_text() == "not a folder"
