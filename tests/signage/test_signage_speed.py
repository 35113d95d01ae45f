"""What is made faster is made the same: a worker's kept logo draws the same pixels, and
crossfades blended with a per-frame opacity step evenly from one slide to the next."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from signage_helpers import campaign_text, ffmpeg_that, paint, still_slides, video_frames, write_campaign

from bzmedia.cache import Store
from bzmedia.signage import render
from bzmedia.signage.video import VideoSettings, encode_loop, timeline

SIZE = (320, 180)


def _pixels(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_a_kept_logo_draws_the_same_pixels_as_a_fresh_one(tmp_path):
    script = write_campaign(tmp_path / "c", campaign_text("sizes: [1280x720]\nvideo: false"))
    render._LOGOS.clear()
    first, _ = paint(script, "1280x720", "don-vi")
    assert render._LOGOS, "the fitted logo was not kept"
    kept, _ = paint(script, "1280x720", "don-vi")
    render._LOGOS.clear()
    fresh, _ = paint(script, "1280x720", "don-vi")
    assert np.array_equal(_pixels(kept), _pixels(fresh))
    assert np.array_equal(_pixels(first), _pixels(fresh))


def test_an_edited_logo_is_read_again(tmp_path):
    script = write_campaign(tmp_path / "c", campaign_text("sizes: [1280x720]\nvideo: false"))
    before, _ = paint(script, "1280x720", "don-vi")
    # Another picture (and another size) in the same file: a worker must not show the old one.
    Image.new("RGB", (300, 100), (10, 200, 30)).save(script.parent / "logo.png")
    after, _ = paint(script, "1280x720", "don-vi")
    green = (np.abs(_pixels(after) - np.array([10, 200, 30])).sum(axis=2) < 10).sum()
    assert green > 5000, "the slide still shows the old logo"
    assert not np.array_equal(_pixels(before), _pixels(after))


def test_each_crossfade_frame_is_its_own_step_of_the_fade(tmp_path):
    """The opacity is set per frame by a command: a command a frame late (or early) would
    show up here as a frame nearer the step before (or after) its own."""
    images = still_slides(tmp_path / "s", SIZE)
    durations, crossfade = [1.0, 1.0, 1.0], 0.4
    target = tmp_path / "loop.mp4"
    # three crossfades, all made by one ffmpeg run (PIECES_PER_RUN)
    encode_loop(images, durations, VideoSettings(crossfade, audio_track=False), SIZE, [target], "test",
                Store(tmp_path / "store"))
    decoded = video_frames(target)
    slides = [np.asarray(Image.open(p).convert("RGB"), dtype=float) for p in images]
    at, checked = 0, 0
    for indexes, count in timeline(durations, crossfade):
        if len(indexes) == 2:
            start, end = slides[indexes[0]], slides[indexes[1]]
            steps = [start + (end - start) * m / count for m in range(count)]
            for n in range(count):
                errors = [np.abs(decoded[at + n] - step).mean() for step in steps]
                assert int(np.argmin(errors)) == n, f"fade {indexes} frame {n}: nearest {np.argmin(errors)}"
                checked += 1
        at += count
    assert checked == 3 * 10


def test_an_encode_that_fails_is_one_located_line_and_files_no_piece(tmp_path, monkeypatch):
    from bzmedia import ffmpeg
    from bzmedia.errors import BuildError

    fake = ffmpeg_that(tmp_path, "ffmpeg-fails-to-encode",
                       'if printf "%s\\n" "$@" | grep -q -x libx264; then\n'
                       '  echo "[Parsed_blend_0 @ 0x1] Cannot allocate memory" >&2; exit 1\nfi\n')
    monkeypatch.setattr(ffmpeg, "ffmpeg_exe", lambda: fake)
    store = Store(tmp_path / "store")
    target = tmp_path / "loop.mp4"
    with pytest.raises(BuildError) as failure:
        encode_loop(still_slides(tmp_path / "s", SIZE), [1.0, 1.0, 1.0],
                    VideoSettings(0.4, audio_track=False), SIZE, [target], "signage (xa-1, 320x180)", store)
    [message] = failure.value.messages
    assert message.startswith("signage (xa-1, 320x180): ffmpeg could not encode the 320x180 loop: ")
    assert "Cannot allocate memory" in message and "\n" not in message
    assert not list((tmp_path / "store").rglob("*.h264")) and not target.exists()
