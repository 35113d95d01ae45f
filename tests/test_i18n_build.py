"""Build-time errors in Vietnamese through the real CLI (``--lang vi``): exit status 1 and the exact
lines a culture office sees when ffmpeg is missing, fails or hangs, or another build holds the kit.

The ffmpegs are stand-ins named by ``$IMAGEIO_FFMPEG_EXE`` (as in ``tests/test_ffmpeg.py``): shell
scripts, so nothing depends on the real ffmpeg misbehaving.  A one-slide, signage-only script keeps
each build to a second or two.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_helpers import run_cli, stand_in_ffmpeg
from minimal_script import MINIMAL

from bzmedia.kitlock import host_name, start_time

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the stand-in ffmpegs are shell scripts")

SCRIPT = MINIMAL + """\
signage:
  sizes: [1280x720]
  seconds: 2
  crossfade: 0
  slides:
    - {id: a, kind: title, title: "Bluezone", text: "Cài đặt để bảo vệ mình"}
"""
STOPPED = "1 lỗi; đã dừng tạo bộ tài liệu: chưa có bộ tài liệu nào được xuất bản."


def build_vi(tmp_path: Path, ffmpeg: str, **env: str) -> tuple[int, list[str]]:
    """``bzmedia --lang vi build c.yaml -o out`` on an English system; its exit status and lines."""
    (tmp_path / "c.yaml").write_text(SCRIPT, encoding="utf-8")
    done = run_cli("--lang", "vi", "build", "c.yaml", "-o", "out", "-j1", cwd=tmp_path, timeout=120,
                   LANG="en_US.UTF-8", IMAGEIO_FFMPEG_EXE=ffmpeg, BZMEDIA_CACHE=str(tmp_path / "cache"),
                   **env)
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert not (tmp_path / "out" / "demo" / "manifest.json").exists()  # nothing was published
    return done.returncode, output.strip().splitlines()


def stand_in(tmp_path: Path, body: str) -> str:
    return stand_in_ffmpeg(tmp_path, "fake-ffmpeg", body)


def test_a_missing_ffmpeg_is_named_in_vietnamese(tmp_path: Path) -> None:
    assert build_vi(tmp_path, "/nonexistent/ffmpeg") == (1, [
        "không tìm thấy ffmpeg ở /nonexistent/ffmpeg (hãy kiểm tra $IMAGEIO_FFMPEG_EXE hoặc cài lại "
        "imageio-ffmpeg)", STOPPED])


def test_a_failing_ffmpeg_keeps_its_own_complaint_inside_a_vietnamese_sentence(tmp_path: Path) -> None:
    failing = stand_in(tmp_path, 'echo "Unknown encoder libx264" >&2; exit 1')
    assert build_vi(tmp_path, failing) == (1, [
        "signage (all, 1280x720): ffmpeg không mã hóa được video lặp cỡ 1280x720: Unknown encoder libx264",
        STOPPED])


def test_a_hanging_ffmpeg_is_stopped_and_its_work_named_in_vietnamese(tmp_path: Path) -> None:
    hanging = stand_in(tmp_path, "sleep 60")
    assert build_vi(tmp_path, hanging, BZMEDIA_FFMPEG_TIMEOUT="2") == (1, [
        "ffmpeg chưa xong việc mã hóa 1 đoạn video lặp cỡ 1280x720 sau 2 giây nên đã bị dừng (đặt "
        "BZMEDIA_FFMPEG_TIMEOUT để cho phép lâu hơn)", STOPPED])


def test_a_kit_locked_by_another_build_is_refused_in_vietnamese(tmp_path: Path) -> None:
    """This test's own process holds the lock, as a running build would."""
    lock = tmp_path / "out" / "demo" / ".bzmedia" / "lock"
    lock.parent.mkdir(parents=True)
    me = os.getpid()
    lock.write_text(json.dumps({"pid": me, "start": start_time(me), "host": host_name(),
                                "program": "bzmedia"}), encoding="utf-8")
    code, lines = build_vi(tmp_path, "/nonexistent/ffmpeg")
    assert (code, lines) == (1, [
        f"một lần tạo khác (tiến trình {me} trên máy {host_name()}) đang ghi vào out/demo; hãy chờ nó "
        "xong; nếu không có lần tạo nào đang chạy, hãy xóa out/demo/.bzmedia/lock",
        "1 lỗi; đã dừng tạo bộ tài liệu."])
    assert lock.is_file()  # a live holder's lock is never taken over


def test_a_remembered_layout_problem_is_shown_in_the_language_of_the_run(monkeypatch, tmp_path: Path) -> None:
    """The load cache keeps problems as shown: a Vietnamese run must not get an English run's."""
    from bzmedia.i18n import _
    from bzmedia.loadcache import remembered, remembering_in

    layout = tmp_path / "bo-cuc.yaml"
    layout.write_text("kind: poster\n", encoding="utf-8")
    calls = []

    def load() -> str:
        calls.append(1)
        return _("cannot read layout {file}").format(file=layout.name)

    with remembering_in(tmp_path / "memo"):
        monkeypatch.setenv("BZMEDIA_LANG", "en")
        assert remembered("print-layout", layout, (), load) == "cannot read layout bo-cuc.yaml"
        monkeypatch.setenv("BZMEDIA_LANG", "vi")
        assert remembered("print-layout", layout, (), load) == "không đọc được bố cục bo-cuc.yaml"
        assert remembered("print-layout", layout, (), load) == "không đọc được bố cục bo-cuc.yaml"
    assert len(calls) == 2  # each language loaded once, then remembered


def test_a_slide_warning_kept_in_the_cache_is_said_again_in_the_new_language(tmp_path: Path) -> None:
    """A slide's warnings are filed with its picture; a build in another language draws it again."""
    from imageio_ffmpeg import get_ffmpeg_exe
    from PIL import Image

    Image.new("RGB", (40, 40), (200, 30, 30)).save(tmp_path / "logo.png")
    script = SCRIPT.replace("signage:", "brand:\n  logo: logo.png\nsignage:").replace(
        'kind: title, title: "Bluezone", text: "Cài đặt để bảo vệ mình"', "kind: logo")
    (tmp_path / "c.yaml").write_text(script, encoding="utf-8")
    said = {}
    for lang in ("en", "vi"):  # one cache, two kits: the second build finds the slide filed
        done = run_cli("--lang", lang, "build", "c.yaml", "-o", f"out-{lang}", "-j1", cwd=tmp_path,
                       timeout=120, IMAGEIO_FFMPEG_EXE=get_ffmpeg_exe(),
                       BZMEDIA_CACHE=str(tmp_path / "cache"))
        assert done.returncode == 0, done.stderr
        said[lang] = [line for line in done.stderr.splitlines() if "brand.logo" in line]
    assert said == {
        "en": ["warning: all 1280x720: brand.logo is 40x40 px but is shown at 409x409 on 1280x720 slides; "
               "it will look blurry (use a larger PNG)"],
        "vi": ["cảnh báo: all 1280x720: brand.logo có kích thước 40x40 px nhưng được hiện ở cỡ 409x409 trên "
               "trang chiếu 1280x720; ảnh sẽ bị mờ (hãy dùng ảnh PNG lớn hơn)"]}
