"""End to end on the example: `bzmedia build content/bluezone-2020.yaml --only signage`."""

from __future__ import annotations

import json

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image
from signage_helpers import URL, probe_mp4

from bzmedia.cli import cli

LOCALITIES = ("son-vi", "tu-xa", "hung-son")
SIZES = ("1920x1080", "1080x1920")
SLIDES = ("01-khau-trang", "02-vi-sao", "03-cai-dat", "04-quet-ma", "05-don-vi", "06-so-lieu")


@pytest.mark.slow
def test_example_builds_every_size_for_every_locality(example_script, tmp_path, cache_dir):
    result = CliRunner().invoke(cli, ["-q", "build", str(example_script), "--only", "signage",
                                      "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    kit = tmp_path / "bluezone-2020"
    frame_counts = set()
    for locality in LOCALITIES:
        for size in SIZES:
            folder = kit / locality / "signage" / size
            for name in SLIDES:
                with Image.open(folder / f"{name}.png") as image:
                    assert f"{image.width}x{image.height}" == size
            facts = probe_mp4(folder / "loop.mp4")
            assert (facts["codec"], facts["pix_fmt"], facts["fps"]) == ("h264", "yuv420p", 25)
            assert (facts["profile_idc"], facts["level_idc"]) == (77, 40)
            assert f"{facts['size'][0]}x{facts['size'][1]}" == size
            assert facts["seconds"] == pytest.approx(48.0, abs=0.5)  # 6 slides x 8 s
            frame_counts.add(facts["frames"])
            playlist = json.loads((folder / "playlist.json").read_text("utf-8"))
            assert [s["file"] for s in playlist["slides"]] == [f"{n}.png" for n in SLIDES]
            assert (folder / "slideshow.html").is_file()
    assert frame_counts == {1200}
    with Image.open(kit / "tu-xa/signage/1080x1920/04-quet-ma.png") as cta:
        assert [r.text for r in zxingcpp.read_barcodes(cta)] == [URL]
    manifest = json.loads((kit / "manifest.json").read_text("utf-8"))
    videos = [f for f in manifest["files"] if f["kind"] == "video"]
    assert len(videos) == len(LOCALITIES) * len(SIZES)
