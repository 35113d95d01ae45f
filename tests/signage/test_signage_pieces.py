"""Loops joined from stored pieces: reuse across communes, one changed slide, exact length, seams.

Everything runs the real ffmpeg; the counter (``ffmpeg_runs``, in conftest) wraps
:func:`bzmedia.ffmpeg.run` and passes every call through to it.
"""

from __future__ import annotations

import re
import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image
from signage_helpers import STILL_COLOURS, probe_mp4, still_slides, video_frames

from bzmedia.cache import Store
from bzmedia.signage.video import FPS, VideoSettings, encode_loop, frames, timeline

SIZE = (320, 180)
DURATIONS = [2.0, 1.6, 2.0]
SETTINGS = VideoSettings(crossfade=0.4, audio_track=False)
COLOURS = STILL_COLOURS


def decoded_frame_count(path) -> int:
    """Frames ffmpeg decodes from the file (``-f null``), independent of container metadata;
    any error in the stream stops the decoder (``-xerror``) and fails the test."""
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin",
                             "-err_detect", "explode", "-i", str(path), "-xerror", "-f", "null", "-"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-500:]
    return int(re.findall(r"frame=\s*(\d+)", result.stderr)[-1])


def keyframe_times(path) -> list[float]:
    """Presentation times of the keyframes (only keyframes are decoded)."""
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin",
                             "-skip_frame", "nokey", "-i", str(path), "-vf", "showinfo", "-f", "null",
                             "-"], capture_output=True, text=True, timeout=60, check=False)
    return [float(t) for t in re.findall(r"pts_time:([\d.]+)", result.stderr)]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(((a.astype(float) - b.astype(float)) ** 2).mean())
    return 99.0 if mse == 0 else 10 * np.log10(255 ** 2 / mse)


def test_another_commune_with_the_same_slides_only_joins(tmp_path, ffmpeg_runs):
    store = Store(tmp_path / "kho của bà con's store")  # quotes, spaces and accents in its path
    images = still_slides(tmp_path / "a", SIZE)
    first = encode_loop(images, DURATIONS, SETTINGS, SIZE, [tmp_path / "a.mp4"], "test", store)
    # 3 stills, 3 crossfades and the skips of 39 frames (shared by slides 1 and 3) and of 29
    # the stills are the first frames of the crossfades out of them, so only 3 fades and 2 skips
    # need an x264: the fades three to a run (each slide decoded once a run), each skips alone, a join
    assert (first.encoded, first.reused, first.runs) == (8, 0, 3)
    assert [run.count("libx264") for run in ffmpeg_runs] == [1, 1, 3, 0]
    ffmpeg_runs.clear()
    # another commune: the same pictures in files of its own
    again = encode_loop(still_slides(tmp_path / "b", SIZE), DURATIONS, SETTINGS, SIZE, [tmp_path / "b.mp4"],
                        "test", store)
    assert (again.encoded, again.reused) == (0, 8)
    [join] = ffmpeg_runs
    assert "libx264" not in join and join[join.index("-c:v") + 1] == "copy"
    # same pieces, same bytes: a loop joined from stored pieces is the freshly made one
    assert (tmp_path / "a.mp4").read_bytes() == (tmp_path / "b.mp4").read_bytes()


def test_a_changed_slide_encodes_only_its_hold_and_its_two_crossfades(tmp_path, ffmpeg_runs):
    store = Store(tmp_path / "store")
    encode_loop(still_slides(tmp_path / "a", SIZE), DURATIONS, SETTINGS, SIZE, [tmp_path / "a.mp4"],
                "test", store)
    ffmpeg_runs.clear()
    changed = still_slides(tmp_path / "b", SIZE, [COLOURS[0], (230, 200, 40), COLOURS[2]])
    report = encode_loop(changed, DURATIONS, SETTINGS, SIZE, [tmp_path / "b.mp4"], "test", store)
    assert (report.encoded, report.reused, report.runs) == (3, 5, 1)
    [encode, join] = ffmpeg_runs
    assert encode.count("libx264") == 2 and "libx264" not in join
    # the run reads the changed slide and its two neighbours (each once), nothing else: the fade
    # into it and the fade out of it, whose first frame is its still; the neighbours converted
    # for the second time in this process, so their frames are now kept (the changed one's not)
    inputs = [encode[k + 1] for k, arg in enumerate(encode) if arg == "-i"]
    assert len(inputs) == 3 and str(changed[1]) in inputs
    assert not any(name.endswith(".yuv") for name in inputs)
    assert sum(arg.endswith(".yuv") for arg in encode) == 2
    frames_b = video_frames(tmp_path / "b.mp4")
    assert psnr(frames_b[65], np.asarray(Image.open(changed[1]))) > 35


def test_joined_loop_has_exact_length_format_and_shows_the_slides(tmp_path):
    images = still_slides(tmp_path / "s", SIZE)
    target = tmp_path / "loop.mp4"
    report = encode_loop(images, DURATIONS, VideoSettings(0.4, audio_track=True), SIZE, [target],
                         "test", Store(tmp_path / "store"))
    total = sum(frames(d) for d in DURATIONS)
    assert total == 140
    assert decoded_frame_count(target) == total
    facts = probe_mp4(target)
    assert (facts["codec"], facts["pix_fmt"], facts["fps"]) == ("h264", "yuv420p", 25)
    assert (facts["profile_idc"], facts["level_idc"]) == (77, 40) and facts["moov_before_mdat"]
    assert facts["audio"] == "aac" and facts["seconds"] == pytest.approx(total / FPS, abs=0.05)
    report_text = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(target)],
                                 capture_output=True, text=True, check=False).stderr
    assert "yuv420p(tv, bt709, progressive)" in report_text  # matrix, primaries and transfer tagged
    assert "Duration: 00:00:05.60" in report_text
    fact = report.facts[0]
    assert (fact["frames"], fact["duration_s"], fact["pixels"], fact["profile"]) == (140, 5.6,
                                                                                    "320x180", "Main")
    decoded = video_frames(target)
    slides = [np.asarray(Image.open(p)) for p in images]
    for index, frame_number in ((0, 20), (1, 65), (2, 110)):
        assert psnr(decoded[frame_number], slides[index]) > 35
        others = [psnr(decoded[frame_number], s) for i, s in enumerate(slides) if i != index]
        assert max(others) < 25


def test_keyframes_start_every_piece_and_every_5_s_of_a_hold_which_repeats_its_still(tmp_path):
    images = still_slides(tmp_path / "s", SIZE, COLOURS[:2])
    durations = [6.0, 1.6]  # slide 1 holds 140 frames: keyframes at 0 and 5 s
    target = tmp_path / "loop.mp4"
    encode_loop(images, durations, SETTINGS, SIZE, [target], "test", Store(tmp_path / "store"))
    assert [round(t, 2) for t in keyframe_times(target)] == [0.0, 5.0, 5.6, 6.0, 7.2]
    decoded = video_frames(target)
    assert len(decoded) == 190 == decoded_frame_count(target)
    # the repeated frames show exactly the decoded keyframe before them
    assert all(np.array_equal(decoded[0], decoded[n]) for n in range(1, 140))
    assert psnr(decoded[0], np.asarray(Image.open(images[0]))) > 35


def test_the_seam_from_the_last_frame_to_the_first_is_one_fade_step(tmp_path):
    images = still_slides(tmp_path / "s", SIZE)
    target = tmp_path / "loop.mp4"
    encode_loop(images, DURATIONS, SETTINGS, SIZE, [target], "test", Store(tmp_path / "store"))
    starts, at = [], 0
    for _, count in timeline(DURATIONS, SETTINGS.crossfade):
        starts.append(round(at / FPS, 2))
        at += count
    assert starts == [0.0, 1.6, 2.0, 3.2, 3.6, 5.2]
    assert [round(t, 2) for t in keyframe_times(target)] == starts
    decoded = video_frames(target)
    slides = [np.asarray(Image.open(p)).astype(int) for p in images]
    # the last crossfade ends on (nearly) the first slide: restarting the file is one fade step
    step = float(np.abs(slides[2] - slides[0]).mean()) / 10
    assert float(np.abs(decoded[-1].astype(int) - decoded[0].astype(int)).mean()) <= 1.5 * step + 2
    assert psnr(decoded[-1], slides[2].astype(np.uint8)) < 25


def test_rotated_copy_is_joined_from_its_own_turned_pieces(tmp_path, ffmpeg_runs):
    size = (180, 320)
    images = still_slides(tmp_path / "s", size)
    targets = [tmp_path / "loop.mp4", tmp_path / "turned.mp4"]
    settings = VideoSettings(0.4, audio_track=False, rotate="clockwise")
    report = encode_loop(images, DURATIONS, settings, size, targets, "test", Store(tmp_path / "store"))
    assert report.encoded == 16 and [f["pixels"] for f in report.facts] == ["180x320", "320x180"]
    upright, turned = video_frames(targets[0])[20], video_frames(targets[1])[20]
    assert psnr(np.rot90(upright, k=-1), turned) > 35
    assert decoded_frame_count(targets[1]) == 140
