"""Joining pieces: ffmpeg reads the stored pieces itself (``concat:``), or from stdin when a path
cannot be named that way; either way the same loop.  And the encoder's settings: a slide's
keyframe decodes to the same pixels as with x264's full intra search and loop filter.

Everything runs the real ffmpeg.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from PIL import Image
from signage_helpers import still_slides, video_frames

from bzmedia.cache import Store, sha256_file
from bzmedia.signage import video
from bzmedia.signage.video import VideoSettings, encode_loop, frames

SIZE = (320, 180)
DURATIONS = [2.0, 1.6, 2.0]
SETTINGS = VideoSettings(crossfade=0.4, audio_track=False)


def _join_input(run: list[str]) -> str:
    return run[run.index("-i") + 1]


def _inputs(run: list[str]) -> list[str]:
    return [run[k + 1] for k, arg in enumerate(run) if arg == "-i"]


def test_a_loop_joined_from_the_files_is_the_loop_joined_through_stdin(tmp_path, ffmpeg_runs):
    images = still_slides(tmp_path / "s", SIZE)
    plain, piped = tmp_path / "plain.mp4", tmp_path / "piped.mp4"
    encode_loop(images, DURATIONS, SETTINGS, SIZE, [plain], "test", Store(tmp_path / "kho của bà's"))
    assert _join_input(ffmpeg_runs[-1]).startswith("concat:")
    # "|" separates the files of a concat: input, so a store under such a folder uses stdin
    encode_loop(images, DURATIONS, SETTINGS, SIZE, [piped], "test", Store(tmp_path / "a|b"))
    assert _join_input(ffmpeg_runs[-1]) == "pipe:0"
    assert plain.read_bytes() == piped.read_bytes()
    assert len(video_frames(plain)) == sum(frames(d) for d in DURATIONS)


def test_a_list_too_long_for_one_argument_goes_through_stdin(tmp_path, monkeypatch, ffmpeg_runs):
    monkeypatch.setattr(video, "MAX_CONCAT_URL", 50)
    target = tmp_path / "loop.mp4"
    report = encode_loop(still_slides(tmp_path / "s", SIZE), DURATIONS, SETTINGS, SIZE, [target], "test",
                         Store(tmp_path / "store"))
    assert _join_input(ffmpeg_runs[-1]) == "pipe:0"
    assert report.facts[0]["frames"] == sum(frames(d) for d in DURATIONS)


def test_a_vietnamese_list_is_measured_in_bytes_against_the_argument_limit(tmp_path):
    """The limit is of bytes: paths of three-byte letters under it in characters but over it in
    bytes go through stdin; a list just under it in bytes is one argument the system accepts."""
    folder = tmp_path / "Kho"
    folder.mkdir()
    each = len(os.fsencode(folder / ("000-" + "ữ" * 80 + ".h264"))) + 1  # with its "|"
    count = (video.MAX_CONCAT_URL - len("concat:") + 1) // each + 1  # one path too many
    paths = [folder / (f"{n:03d}-" + "ữ" * 80 + ".h264") for n in range(count)]
    for n, path in enumerate(paths):
        path.write_bytes(bytes([n % 256]))
    assert len("concat:" + "|".join(map(str, paths))) < video.MAX_CONCAT_URL  # characters: under
    source, stream = video._joined_stream(paths)
    assert source == "pipe:0" and stream == bytes(n % 256 for n in range(count))
    source, stream = video._joined_stream(paths[:-1])
    assert source.startswith("concat:") and stream is None
    assert video.MAX_CONCAT_URL - len(os.fsencode(source)) < each
    subprocess.run([sys.executable, "-c", "import sys; assert len(sys.argv[1]) > 1", source], check=True,
                   timeout=60)  # the kernel takes it as one argument


def _decoded_keyframe(image: Path, x264_params: str, tmp_path: Path) -> np.ndarray:
    """``image`` encoded as a one-frame piece with ``x264_params``, decoded again (RGB)."""
    still = video.Piece("still", (image,), 1, "k", (sha256_file(image),))
    command = video.batch_command([still], SIZE, None, [tmp_path / "still.h264"])
    command[command.index("-x264-params") + 1] = x264_params
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), *command], check=True, timeout=60)
    decoded = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "h264", "-i",
                              str(tmp_path / "still.h264"), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                             capture_output=True, check=True, timeout=60).stdout
    return np.frombuffer(decoded, np.uint8).reshape(SIZE[1], SIZE[0], 3)


def test_a_slide_keyframe_is_the_same_picture_without_the_4x4_search_and_the_loop_filter(tmp_path):
    """The settings that make crossfades cheaper (no 4x4 intra search, no loop filter) are
    shared by every piece; a still must lose nothing by them."""
    assert "partitions=none" in video.X264_STILLS and "no-deblock=1" in video.X264_STILLS
    full = video.X264_STILLS.replace(":partitions=none", "").replace(":no-deblock=1", "")
    # text-like detail: thin lines and small marks on a flat ground, as on a slide
    image = Image.new("RGB", SIZE, (20, 60, 120))
    for x in range(8, SIZE[0] - 8, 7):
        image.paste((250, 250, 250), (x, 20 + x % 50, x + 2, 90 + x % 60))
    path = tmp_path / "slide.png"
    image.save(path)
    ours = _decoded_keyframe(path, video.X264_STILLS, tmp_path)
    before = _decoded_keyframe(path, full, tmp_path)
    assert np.array_equal(ours, before)


def test_pieces_made_from_kept_frames_are_the_bytes_made_from_the_pngs(tmp_path, monkeypatch,
                                                                       ffmpeg_runs):
    """A worker reads the slides it converted before from kept raw frames: the same pieces, so
    a loop (and its rotated copy) is the same file whichever way its slides were read."""
    from bzmedia.signage import slideframes

    images = still_slides(tmp_path / "s", SIZE)
    rotating = VideoSettings(crossfade=0.4, audio_track=False, rotate="clockwise")
    loops = {name: [tmp_path / f"{name}.mp4", tmp_path / f"{name}-turned.mp4"]
             for name in ("decoded", "kept-for-turn", "kept")}
    with monkeypatch.context() as keeping_none:
        keeping_none.setattr(slideframes, "KEPT_BYTES", 0)
        encode_loop(images, DURATIONS, rotating, SIZE, loops["decoded"], "test", Store(tmp_path / "1"))
    assert not any(name.endswith(".yuv") for run in ffmpeg_runs for name in _inputs(run))
    # each in a store of its own, so every piece is made again: the turned copy of the second
    # from the frames its first turn kept, the whole third from kept frames
    encode_loop(images, DURATIONS, rotating, SIZE, loops["kept-for-turn"], "test", Store(tmp_path / "2"))
    ffmpeg_runs.clear()
    encode_loop(images, DURATIONS, rotating, SIZE, loops["kept"], "test", Store(tmp_path / "3"))
    encodes = [run for run in ffmpeg_runs if "libx264" in run and not any("color=" in a for a in run)]
    assert encodes and all(name.endswith(".yuv") for run in encodes for name in _inputs(run))
    for made in ("kept-for-turn", "kept"):
        for decoded, remade in zip(loops["decoded"], loops[made], strict=True):
            assert decoded.read_bytes() == remade.read_bytes(), (made, remade.name)


def _slide_run(runs: list[list[str]]) -> list[str]:
    return next(run for run in runs if any(name.endswith(".png") for name in _inputs(run)))


def test_a_slide_is_kept_on_its_second_conversion_only(tmp_path, ffmpeg_runs):
    """A worker keeps a slide's frame when a run converts it for the second time: a commune's own
    slide, met once, is neither written out nor pushes the shared ones from the kept frames."""
    owns = {"a": (40, 160, 60), "b": (90, 90, 20), "c": (0, 0, 90)}
    for n, (commune, own) in enumerate(owns.items()):
        images = still_slides(tmp_path / commune, SIZE, [(20, 60, 120), (200, 40, 40), own])
        ffmpeg_runs.clear()
        encode_loop(images, DURATIONS, SETTINGS, SIZE, [tmp_path / f"{commune}.mp4"], "test",
                    Store(tmp_path / f"store-{commune}"))
        run = _slide_run(ffmpeg_runs)
        read = [name for name in _inputs(run) if name.endswith(".yuv")]
        written = [arg for k, arg in enumerate(run) if arg.endswith(".yuv") and run[k - 1] != "-i"]
        # slides read from kept frames, frames asked of ffmpeg to keep: the shared two on their
        # second conversion (the second loop), read back in the third
        assert (len(read), len(written)) == [(0, 0), (0, 2), (2, 0)][n], n
    # the third loop's shared slides came from kept frames, its own slide from its PNG
    assert [name.endswith(".png") for name in _inputs(run)].count(True) == 1


def test_a_kept_frame_of_the_wrong_size_is_not_kept(tmp_path):
    from bzmedia.signage import slideframes

    short = tmp_path / "short.yuv"
    short.write_bytes(b"\0" * (slideframes.frame_size(320, 180) - 1))
    slideframes.keep_frame("d", 320, 180, short)
    slideframes.keep_frame("d", 320, 180, tmp_path / "missing.yuv")
    assert slideframes.kept_frame("d", 320, 180) is None
    whole = tmp_path / "whole.yuv"
    whole.write_bytes(b"\1" * slideframes.frame_size(320, 180))
    slideframes.keep_frame("d", 320, 180, whole)
    assert slideframes.kept_frame("d", 320, 180) == whole.read_bytes()
    for n in range(slideframes.KEPT_BYTES // len(whole.read_bytes())):  # the oldest go first
        slideframes.keep_frame(f"other{n}", 320, 180, whole)
    assert slideframes.kept_frame("d", 320, 180) is None


def test_a_loop_with_a_silent_track_is_the_same_bytes_every_time(tmp_path):
    """ffmpeg wrote the copied video and the encoded silence in the order they came: the chunks
    (and the moov) differed from run to run (4 of 4 runs of a 48 s loop, before)."""
    images = still_slides(tmp_path / "s", SIZE)
    durations = [12.0, 12.0, 12.0]  # long enough that the video is copied well ahead of the audio
    store = Store(tmp_path / "store")
    loops = [tmp_path / f"{n}.mp4" for n in range(4)]
    for loop in loops:
        encode_loop(images, durations, VideoSettings(0.4, audio_track=True), SIZE, [loop], "test", store)
    assert len({loop.read_bytes() for loop in loops}) == 1
