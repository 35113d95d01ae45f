"""A slide the job has just drawn goes to the encoder as its RGB pixels, not as its PNG: the
pieces are the same bytes as from the PNG (real ffmpeg, real files)."""

from __future__ import annotations

import pytest
from PIL import Image
from signage_helpers import still_slides

from bzmedia.cache import Store, sha256_file
from bzmedia.signage import slideframes
from bzmedia.signage.video import VideoSettings, encode_loop

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
    assert any(name.endswith(f"-{size[0]}x{size[1]}.rgb") for name in inputs)
    assert str(images[1]) not in inputs  # its PNG was not decoded
    assert "rgb24" in encodes[0]
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
