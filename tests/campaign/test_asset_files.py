"""Image and sound assets are checked for what they are, at load, without Pillow.

The images are real files written by Pillow (a test may import it; ``validate`` may not), then
damaged the way files get damaged: cut short, a byte flipped, a header that lies.
"""

from __future__ import annotations

import io
import os
import struct
import wave
import zlib
from pathlib import Path

import pytest
from campaign_helpers import MINIMAL
from PIL import Image

from bzmedia.campaign import CampaignError, load_campaign
from bzmedia.campaign.assets import image_problem


def picture(fmt: str, mode: str = "RGB", size=(64, 48), **options) -> bytes:
    image = Image.new(mode, size)
    single = mode in ("L", "P", "1", "I;16")
    for x in range(size[0]):  # some detail, so the data does not compress to nothing
        image.putpixel((x, x % size[1]), (x * 4) % 256 if single else (x * 4 % 256, 90, 200))
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize(("fmt", "mode", "options"), [
    ("PNG", "RGB", {}), ("PNG", "RGBA", {}), ("PNG", "L", {}), ("PNG", "P", {}), ("PNG", "1", {}),
    ("PNG", "I;16", {}), ("JPEG", "RGB", {}), ("JPEG", "RGB", {"progressive": True}),
    ("JPEG", "L", {"quality": 30})])
def test_whole_images_pass(fmt, mode, options):
    assert image_problem(picture(fmt, mode, **options)) is None


def test_every_cut_of_a_png_is_caught():
    data = picture("PNG")
    for end in range(8, len(data) - 1, max(1, len(data) // 40)):
        assert image_problem(data[:end]) is not None, end


def test_a_png_with_valid_chunks_but_short_image_data_is_caught():
    header = struct.pack(">IIBBBBB", 64, 48, 8, 2, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 500))
            + chunk(b"IEND", b""))
    assert image_problem(data) == ("is cut short (its image data holds 500 of the 9,264 bytes its "
                                   "size needs; a truncated PNG)")


def test_a_flipped_byte_is_caught_by_the_checksum():
    data = bytearray(picture("PNG"))
    data[45] ^= 0x10
    assert "is damaged (the checksum of its" in image_problem(bytes(data))


def test_every_cut_of_a_jpeg_is_caught():
    data = picture("JPEG")
    for end in range(3, len(data) - 1, max(1, len(data) // 40)):
        assert image_problem(data[:end]) is not None, end


@pytest.mark.parametrize(("size", "message"), [
    ((20000, 20000), "is 20000x20000 pixels (400 megapixels); at most 40 are allowed: scale it down"),
    ((60000, 60000), "is 60000x60000 pixels (3600 megapixels); at most 40 are allowed: scale it down"),
    ((0, 10), "claims a size of 0x10 pixels; the image is damaged")])
def test_headers_claiming_huge_sizes_are_refused_before_any_decoding(size, message):
    assert image_problem(png_claiming(*size)) == message


def test_a_jpeg_header_claiming_a_huge_size_is_refused():
    data = bytearray(picture("JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", 60000, 60000)
    assert image_problem(bytes(data)) == ("is 60000x60000 pixels (3600 megapixels); at most 40 are "
                                          "allowed: scale it down")


def test_anything_else_is_not_an_image():
    for data in (b"", b"hello", b"GIF89a" + b"\0" * 20, b"<svg xmlns='http://www.w3.org/2000/svg'/>"):
        assert image_problem(data) == ("is not a PNG or JPEG image (its first bytes say otherwise); "
                                       "save it as PNG")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "logo.png").write_bytes(picture("PNG"))
    (assets / "cut.png").write_bytes(picture("PNG")[:-30])
    (assets / "text.png").write_text("not a picture")
    (assets / "huge.png").write_bytes(png_claiming(60000, 60000))
    (assets / "photo.jpg").write_bytes(picture("JPEG"))
    os.mkfifo(assets / "pipe.png")
    with wave.open(str(assets / "chime.wav"), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(44100)
        sound.writeframes(b"\0\0" * 4410)
    (assets / "bed.mp3").write_text("this is a text file named .mp3")
    return tmp_path


def load_with(folder: Path, logo: str, intro: str = "assets/chime.wav", bed: str = "assets/chime.wav"):
    script = folder / "c.yaml"
    script.write_text(MINIMAL + f'brand: {{logo: "{logo}"}}\naudio:\n  music_bed: "{bed}"\n'
                      f'  spots: [{{id: a, text: x, intro: "{intro}"}}]\n', encoding="utf-8")
    return script, load_campaign(script)


def test_good_assets_load(folder):
    _, (campaign, warnings) = load_with(folder, "assets/logo.png")
    assert campaign.brand.logo == "assets/logo.png" and warnings == []
    _, (campaign, _) = load_with(folder, "assets/photo.jpg")
    assert campaign.brand.logo == "assets/photo.jpg"


@pytest.mark.parametrize(("logo", "message"), [
    ("assets/cut.png", "'assets/cut.png' is cut short (a truncated PNG: its last chunk is incomplete)"),
    ("assets/text.png", "'assets/text.png' is not a PNG or JPEG image (its first bytes say "
                        "otherwise); save it as PNG"),
    ("assets/huge.png", "'assets/huge.png' is 60000x60000 pixels (3600 megapixels); at most 40 are "
                        "allowed: scale it down"),
    ("assets/pipe.png", "'assets/pipe.png' is a FIFO (named pipe), not a regular file"),
    ("assets", "'assets' is a folder, not a file"),
    ("assets/x\\0y.png", "the text holds U+0000 (NUL) (written as an escape such as \\x1b or "
                         "\\ud800); remove it"),
])
def test_bad_logos_are_refused_at_the_logo_key(folder, logo, message):
    script = folder / "c.yaml"
    with pytest.raises(CampaignError) as caught:
        load_with(folder, logo)
    assert [str(p) for p in caught.value.problems] == [f"{script}:6:15: brand.logo: {message}"]


def test_sound_assets_must_be_regular_files(folder):
    script = folder / "c.yaml"
    (folder / "assets" / "big.wav").write_bytes(b"RIFF")
    os.truncate(folder / "assets" / "big.wav", 200_000_001)  # sparse: no disk used
    with pytest.raises(CampaignError) as caught:
        load_with(folder, "assets/logo.png", intro="assets/pipe.png", bed="assets/big.wav")
    assert [str(p) for p in caught.value.problems] == [
        f"{script}:8:14: audio.music_bed: 'assets/big.wav' is 200,000,001 bytes; at most "
        "200,000,000 are allowed",
        f"{script}:9:35: audio.spots[0].intro: 'assets/pipe.png' is a FIFO (named pipe), not a "
        "regular file"]


def test_a_sound_file_ffmpeg_cannot_read_is_left_to_the_build(folder):
    _, (campaign, _) = load_with(folder, "assets/logo.png", bed="assets/bed.mp3")
    assert campaign.audio.music_bed == "assets/bed.mp3"


def test_a_layout_file_that_is_a_fifo_is_refused(folder):
    os.mkfifo(folder / "mine.yaml")
    script = folder / "c.yaml"
    script.write_text(MINIMAL + 'signage:\n  layout: mine.yaml\n  slides: [{id: a, kind: title, '
                                'title: x}]\n', encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    assert [str(p) for p in caught.value.problems] == [
        f"{script}:7:11: signage.layout: layout file 'mine.yaml' is a FIFO (named pipe), not a "
        "regular file"]


def test_a_symlink_loop_is_refused_not_raised(folder):
    (folder / "a.png").symlink_to(folder / "b.png")
    (folder / "b.png").symlink_to(folder / "a.png")
    script = folder / "c.yaml"
    with pytest.raises(CampaignError) as caught:
        load_with(folder, "a.png")
    assert [str(p) for p in caught.value.problems] == [
        f"{script}:6:15: brand.logo: 'a.png' is not a usable file name (Symlink loop from "
        f"'{folder / 'a.png'}')"]
