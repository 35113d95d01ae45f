"""Slide PNGs written by bzmedia.pngfile: the same pixels back, for Pillow and ffmpeg."""

from __future__ import annotations

import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from bzmedia.pngfile import png_bytes, write_png


def _slide_like(size=(64, 37)) -> Image.Image:
    """Flat ground, text-like strokes and a gradient (every byte value, so the filter wraps)."""
    rng = np.random.default_rng(7)
    pixels = np.zeros((size[1], size[0], 3), np.uint8)
    pixels[:] = (20, 60, 120)
    noisy = size[1] * 3 // 4
    pixels[1:noisy:3, 2:-2] = 255
    pixels[:, :, 1] = (np.arange(size[0]) * 4 % 256).astype(np.uint8)
    pixels[noisy:] = rng.integers(0, 256, (size[1] - noisy, size[0], 3), dtype=np.uint8)
    return Image.fromarray(pixels, "RGB")


def test_pillow_reads_back_the_same_pixels(tmp_path):
    image = _slide_like()
    path = tmp_path / "slide.png"
    write_png(image, path, 1)
    with Image.open(path) as back:
        assert (back.format, back.mode, back.size) == ("PNG", "RGB", image.size)
        assert np.array_equal(np.asarray(back), np.asarray(image))


def test_ffmpeg_reads_back_the_same_pixels(tmp_path):
    image = _slide_like((48, 20))
    path = tmp_path / "slide.png"
    write_png(image, path, 1)
    decoded = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
                              "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                             capture_output=True, check=True, timeout=60).stdout
    assert decoded == np.asarray(image).tobytes()


def test_other_modes_are_written_as_their_rgb_pixels():
    rgba = Image.new("RGBA", (9, 4), (10, 200, 30, 128))
    palette = _slide_like((9, 4)).quantize(16)
    for image in (rgba, palette, Image.new("L", (9, 4), 77)):
        with Image.open(__import__("io").BytesIO(png_bytes(image, 6))) as back:
            assert np.array_equal(np.asarray(back), np.asarray(image.convert("RGB")))


def test_unfiltered_rows_read_back_the_same_and_other_filters_are_refused():
    from bzmedia.pngfile import NONE

    image = _slide_like((17, 9))
    data = png_bytes(image, 3, NONE)
    with Image.open(__import__("io").BytesIO(data)) as back:
        assert np.array_equal(np.asarray(back), np.asarray(image))
    assert data != png_bytes(image, 3)  # "Up" by default: other bytes, the same pixels
    with pytest.raises(ValueError, match="row filter 4"):
        png_bytes(image, 3, 4)
