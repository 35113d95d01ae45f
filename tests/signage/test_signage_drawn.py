"""A slide the job has just drawn goes to the encoder as its RGB pixels, not as its PNG: the
pieces are the same bytes as from the PNG (real ffmpeg, real files)."""

from __future__ import annotations

import dataclasses

import pytest
from PIL import Image
from signage_helpers import campaign_text, signage_jobs, still_slides, write_campaign

from bzmedia.builder import JobContext
from bzmedia.cache import Store, sha256_file
from bzmedia.signage import slideframes
from bzmedia.signage.builder import SignageBuilder
from bzmedia.signage.video import RawFrame, VideoSettings, batch_command, encode_loop, plan_pieces

DURATIONS = [2.0, 1.6, 2.0]


def stored_pieces(store: Store) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in store.root.rglob("*.h264")}


@pytest.mark.parametrize(("size", "rotate"), [((320, 180), None), ((181, 321), "clockwise")])
def test_a_drawn_slide_is_read_as_pixels_and_gives_the_same_pieces(tmp_path, ffmpeg_runs, size, rotate):
    images = still_slides(tmp_path / "s", size, [(200, 30, 30), (90, 120, 250), (40, 60, 200)])
    settings = VideoSettings(crossfade=0.4, audio_track=False, rotate=rotate)
    targets = [tmp_path / "png.mp4", tmp_path / "png-turned.mp4"][:1 + bool(rotate)]
    encode_loop(images, DURATIONS, settings, size, targets, "test", Store(tmp_path / "from png"))
    ffmpeg_runs.clear()
    slideframes.forget_frames()
    with Image.open(images[1]) as picture:  # the job drew slide 2 (odd sizes: cropped even)
        slideframes.hold_drawn(sha256_file(images[1]), picture.convert("RGB"))
    pixels = [tmp_path / "raw.mp4", tmp_path / "raw-turned.mp4"][:1 + bool(rotate)]
    encode_loop(images, DURATIONS, settings, size, pixels, "test", Store(tmp_path / "from pixels"))
    encodes = [run for run in ffmpeg_runs if "libx264" in run and "blend" in " ".join(run)]
    inputs = [run[k + 1] for run in encodes for k, arg in enumerate(run) if arg == "-i"]
    assert str(images[1]) not in inputs  # its PNG was not decoded
    rgb = [run for run in encodes if "rgb24" in run]
    at = rgb[0].index("rgb24")
    assert rgb[0][at + 1:at + 3] == ["-video_size", f"{size[0]}x{size[1]}"]  # the picture's own size
    assert stored_pieces(Store(tmp_path / "from pixels")) == stored_pieces(Store(tmp_path / "from png"))
    for png, raw in zip(targets, pixels, strict=True):
        assert png.read_bytes() == raw.read_bytes()


def test_a_new_job_lets_go_of_what_an_earlier_one_drew():
    picture = Image.new("RGB", (64, 36), (1, 2, 3))
    slideframes.hold_drawn("a" * 64, picture)
    assert slideframes.drawn_picture("a" * 64) is picture
    slideframes.forget_drawn()
    assert slideframes.drawn_picture("a" * 64) is None
    slideframes.hold_drawn("b" * 64, Image.new("RGB", (4000, 3000)))  # over the bound: not held
    assert slideframes.drawn_picture("b" * 64) is None


def test_raw_pixels_are_read_by_their_stated_format_and_size_whatever_the_file_is_called(tmp_path):
    images = still_slides(tmp_path / "s", (320, 180))
    pieces = [p for p in plan_pieces(images, DURATIONS, 0.4, (320, 180), None) if p.kind == "fade"][:1]
    given = {images[0]: RawFrame(tmp_path / "a-1x1.rgb", "rgb24", (321, 181)),
             images[1]: RawFrame(tmp_path / "b", "yuv420p", (320, 180))}
    command = batch_command(pieces, (320, 180), None, [tmp_path / "fade.h264"], given)
    inputs = [command[k - 8:k + 2] for k, arg in enumerate(command) if arg == "-i"]
    assert inputs == [
        ["-f", "rawvideo", "-pix_fmt", "rgb24", "-video_size", "321x181", "-framerate", "25", "-i",
         str(tmp_path / "a-1x1.rgb")],
        ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-video_size", "320x180", "-framerate", "25", "-i",
         str(tmp_path / "b")]]
    graph = command[command.index("-filter_complex") + 1]
    assert graph.startswith("[0:v]crop=320:180:0:0,scale=")  # the RGB picture is converted
    assert "[1:v]format=yuv420p," in graph  # the converted frame is only tagged


@pytest.mark.parametrize("video", [True, False])
def test_a_job_holds_what_it_drew_only_for_its_own_loop(tmp_path, ffmpeg_runs, video):
    signage = "sizes: [480x320]\nseconds: 2\ncrossfade: 0.4"
    script = write_campaign(tmp_path / "campaign", campaign_text(signage))
    job = signage_jobs(script)[0]
    job = dataclasses.replace(job, inputs=dataclasses.replace(job.inputs, video=video))
    SignageBuilder().make(job, JobContext(job, tmp_path / "kit", Store(tmp_path / "cache")))
    slides = sorted((tmp_path / "kit").rglob("*.png"))
    assert len(slides) == 5
    # the loop's run read the drawn pictures' pixels; no job without a loop held them; none
    # stays held once the job is done (up to 40 MB of a worker's memory until its next job)
    assert any("rgb24" in run for run in ffmpeg_runs) == video
    assert [slideframes.drawn_picture(sha256_file(png)) for png in slides] == [None] * 5
