"""The MP4 loop, probed from the outside: codec, profile, level, fps, length, seamless restart."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from signage_helpers import STILL_COLOURS, probe_mp4, still_slides, video_frames

from bzmedia.signage.video import VideoSettings, encode_loop, timeline

COLOURS = STILL_COLOURS


def mean_difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


@pytest.fixture(scope="module")
def loops(tmp_path_factory):
    """Landscape and portrait loops of 2 + 1.6 + 2 s with 0.4 s fades (the portrait one also
    rotated, with a silent AAC track)."""
    folder = tmp_path_factory.mktemp("loops")
    durations = [2.0, 1.6, 2.0]
    made = {}
    for size, rotate in (((640, 360), None), ((360, 640), "counterclockwise")):
        subfolder = folder / f"{size[0]}x{size[1]}"
        subfolder.mkdir()
        images = still_slides(subfolder, size)
        targets = [subfolder / "loop.mp4", subfolder / "loop-rotated.mp4"]
        settings = VideoSettings(crossfade=0.4, audio_track=rotate is not None, rotate=rotate)
        encode_loop(images, durations, settings, size, targets, "test")
        made[size] = (targets, images)
    return made


def test_loop_is_h264_main_level_40_yuv420p_25fps_faststart(loops):
    for (width, height), (targets, _) in loops.items():
        facts = probe_mp4(targets[0])
        assert facts["codec"] == "h264"
        assert facts["pix_fmt"] == "yuv420p"
        assert facts["fps"] == 25
        assert facts["profile_idc"] == 77  # Main
        assert facts["level_idc"] == 40
        assert facts["moov_before_mdat"]
        assert facts["size"] == (width, height)


def test_every_size_lasts_the_sum_of_slide_durations(loops):
    lengths = []
    for targets, _ in loops.values():
        facts = probe_mp4(targets[0])
        assert facts["frames"] == 5.6 * 25
        assert facts["seconds"] == pytest.approx(5.6, abs=0.5)
        lengths.append(facts["seconds"])
    assert len(set(lengths)) == 1


def test_slides_show_in_order_and_the_last_frame_leads_into_the_first(loops):
    targets, images = loops[(640, 360)]
    frames = video_frames(targets[0])
    slides = [np.asarray(Image.open(p)) for p in images]
    # mid-slide frames are the slides themselves (allowing for YUV rounding)
    for index, frame_number in ((0, 20), (1, 65), (2, 110)):
        assert mean_difference(frames[frame_number], slides[index]) < 3
    # the loop ends fading into slide 1: from the last frame to the first is one step of a
    # 10-frame fade, just like the step from slide 1's fade into slide 2's first still frame
    step = mean_difference(slides[2], slides[0]) / 10
    assert mean_difference(frames[-1], frames[0]) <= 1.5 * step + 2
    assert mean_difference(frames[49], frames[50]) <= 1.5 * mean_difference(slides[0], slides[1]) / 10 + 2
    assert mean_difference(frames[-1], slides[2]) > 40
    # and a crossfade really happens between slides 1 and 2
    halfway = frames[50 - 5]
    assert mean_difference(halfway, slides[0]) > 10 and mean_difference(halfway, slides[1]) > 10


def test_rotated_copy_and_silent_audio_track(loops):
    targets, _ = loops[(360, 640)]
    main, rotated = probe_mp4(targets[0]), probe_mp4(targets[1])
    assert main["audio"] == "aac" and rotated["audio"] == "aac"
    assert rotated["size"] == (640, 360)
    assert rotated["frames"] == main["frames"]
    upright = video_frames(targets[0])[20]
    turned = video_frames(targets[1])[20]
    # turned counterclockwise: the mark in the top-left corner moves to the bottom-left
    assert mean_difference(np.rot90(upright), turned) < 3


def test_hard_cuts_when_crossfade_is_zero(tmp_path):
    assert timeline([2.0, 2.0], 0) == [((0,), 50), ((1,), 50)]  # two holds, no crossfade pieces
    images = still_slides(tmp_path, (320, 240), COLOURS[:2])
    target = tmp_path / "cut.mp4"
    encode_loop(images, [2.0, 2.0], VideoSettings(0, False), (320, 240), [target], "test")
    frames = video_frames(target)
    assert len(frames) == 100
    assert mean_difference(frames[49], np.asarray(Image.open(images[0]))) < 3
    assert mean_difference(frames[50], np.asarray(Image.open(images[1]))) < 3


def test_odd_sizes_are_cropped_to_even_for_yuv420p(tmp_path):
    images = still_slides(tmp_path, (641, 361), COLOURS[:2])
    target = tmp_path / "odd.mp4"
    encode_loop(images, [2.0, 2.0], VideoSettings(0.2, False), (641, 361), [target], "test")
    assert probe_mp4(target)["size"] == (640, 360)
