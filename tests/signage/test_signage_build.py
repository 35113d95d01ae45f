"""The signage channel through the real pipeline: files, manifest, playlist, incremental builds."""

from __future__ import annotations

import json

import pytest
from PIL import Image
from signage_helpers import campaign_text, probe_mp4, run_build, write_campaign

from bzmedia.errors import BuildError

SMALL = """\
sizes: [640x360, 360x640]
seconds: 2
crossfade: 0.4
jpeg: true
audio_track: true
rotate_portrait: true
"""
NAMES = ["01-mo-dau", "02-vi-sao", "03-cai-dat", "04-quet-ma", "05-don-vi"]


@pytest.fixture(scope="module")
def small_kit(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signage-kit")
    script = write_campaign(folder / "campaign", campaign_text(SMALL, localities=2))
    report = run_build(script, folder / "output", folder / "cache")
    return script, report


def test_every_size_of_every_locality_gets_its_files(small_kit):
    _, report = small_kit
    assert sorted(report.ran) == sorted(f"signage/xa-{i}/{s}" for i in (1, 2)
                                        for s in ("640x360", "360x640"))
    for locality in ("xa-1", "xa-2"):
        for size in ("640x360", "360x640"):
            folder = report.kit_dir / locality / "signage" / size
            expected = {f"{n}.png" for n in NAMES} | {f"{n}.jpg" for n in NAMES}
            expected |= {"playlist.json", "loop.mp4", "slideshow.html"}
            if size == "360x640":
                expected.add("loop-rotated.mp4")
            assert {p.name for p in folder.iterdir()} == expected


def test_images_have_exact_sizes_and_jpegs_are_baseline(small_kit):
    _, report = small_kit
    for size in ("640x360", "360x640"):
        folder = report.kit_dir / "xa-1" / "signage" / size
        for name in NAMES:
            with Image.open(folder / f"{name}.png") as png:
                assert f"{png.width}x{png.height}" == size
            with Image.open(folder / f"{name}.jpg") as jpeg:
                assert jpeg.format == "JPEG" and f"{jpeg.width}x{jpeg.height}" == size
                assert not jpeg.info.get("progressive") and not jpeg.info.get("progression")


def test_playlist_lists_files_and_seconds_in_loop_order(small_kit):
    _, report = small_kit
    playlist = json.loads((report.kit_dir / "xa-2/signage/360x640/playlist.json").read_text("utf-8"))
    assert [s["file"] for s in playlist["slides"]] == [f"{n}.png" for n in NAMES]
    assert [s["seconds"] for s in playlist["slides"]] == [2.0] * 5
    assert playlist["total_seconds"] == 10.0 and playlist["video"] == "loop.mp4"
    assert playlist["slides"][4]["title"] == "xã Ẵ Số 2"  # variables filled per locality


def test_videos_last_the_sum_of_durations_at_every_size(small_kit):
    _, report = small_kit
    lengths = set()
    for locality in ("xa-1", "xa-2"):
        for name in ("640x360/loop.mp4", "360x640/loop.mp4", "360x640/loop-rotated.mp4"):
            facts = probe_mp4(report.kit_dir / locality / "signage" / name)
            assert (facts["codec"], facts["pix_fmt"], facts["fps"]) == ("h264", "yuv420p", 25)
            assert facts["profile_idc"] == 77 and facts["level_idc"] == 40
            assert facts["seconds"] == pytest.approx(10.0, abs=0.5)
            assert facts["audio"] == "aac"
            lengths.add(facts["frames"])
    assert lengths == {250}


def test_manifest_describes_each_file(small_kit):
    _, report = small_kit
    manifest = json.loads((report.kit_dir / "manifest.json").read_text("utf-8"))
    files = {f["path"]: f for f in manifest["files"]}
    slide = files["xa-1/signage/640x360/03-cai-dat.png"]
    assert (slide["kind"], slide["pixels"], slide["seconds"], slide["order"], slide["title"]) == (
        "slide", "640x360", 2.0, 3, "Cài đặt")
    assert files["xa-1/signage/640x360/03-cai-dat.jpg"]["kind"] == "slide-jpeg"
    video = files["xa-1/signage/360x640/loop-rotated.mp4"]
    assert (video["kind"], video["pixels"], video["fps"], video["codec"]) == ("video", "640x360", 25.0,
                                                                            "h264")
    assert video["duration_s"] == pytest.approx(10.0, abs=0.05)
    assert files["xa-1/signage/640x360/playlist.json"]["kind"] == "playlist"
    assert files["xa-1/signage/640x360/slideshow.html"]["kind"] == "slideshow"


def test_second_build_reuses_everything(small_kit, tmp_path):
    script, report = small_kit
    again = run_build(script, report.kit_dir.parent, tmp_path / "cache")
    assert again.ran == [] and again.reused == 4


def test_slide_that_cannot_fit_fails_the_build_once_naming_slide_size_and_localities(tmp_path):
    slides = ("    - id: dai-qua\n      kind: points\n      title: Dài\n      points:\n"
              + "".join(f"        - \"Điểm số {i}: cài đặt Bluezone để bảo vệ mình\"\n"
                        for i in range(14)))
    script = write_campaign(tmp_path / "c", campaign_text("sizes: [640x360]\nvideo: false",
                                                          slides=slides, localities=2))
    with pytest.raises(BuildError) as failure:
        run_build(script, tmp_path / "out", tmp_path / "cache")
    # The preflight fits before any job runs: the same text failing in both localities is one line.
    [message] = failure.value.messages
    assert message.startswith(f"{script}:21:9: signage.slides[0].points: slide 'dai-qua' at 640x360: ")
    assert message.endswith("(all 2 localities)")
    assert not (tmp_path / "out/thu-man-hinh/xa-1/signage/640x360/01-dai-qua.png").exists()
