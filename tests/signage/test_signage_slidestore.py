"""Slides drawn once per build and kept in the store; broken logos and NaN times refused, located."""

from __future__ import annotations

import dataclasses
import json
import struct
import zlib

import pytest
from signage_helpers import campaign_text, paint, run_build, signage_jobs, write_campaign

from bzmedia.builder import JobContext
from bzmedia.cache import Store
from bzmedia.errors import BuildError
from bzmedia.pngfile import png_bytes
from bzmedia.signage.builder import SignageBuilder
from bzmedia.signage.slidestore import PNG_LEVEL

SMALL = """\
sizes: [640x360]
seconds: 2
crossfade: 0.4
jpeg: true
"""
SHARED = ["01-mo-dau", "02-vi-sao", "03-cai-dat", "04-quet-ma"]
"""The helpers' slides that do not mention the commune (05-don-vi shows its name)."""


@pytest.fixture(scope="module")
def two_communes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slidestore")
    script = write_campaign(folder / "campaign", campaign_text(SMALL, localities=2))
    report = run_build(script, folder / "output", folder / "cache")
    return script, report, folder / "cache"


def test_slides_that_do_not_name_the_commune_are_drawn_once(two_communes):
    _, report, cache = two_communes
    assert sorted(report.ran) == ["signage/xa-1/640x360", "signage/xa-2/640x360"]
    # shared ones once, the named one per commune; each with its kit preview, filed as it is drawn
    assert len(list(cache.rglob("*.png"))) == (4 + 2) * 2
    assert len(list(cache.rglob("*.jpg"))) == 4 + 2
    # loop pieces: 5 stills, 5 crossfades and one run of 39 repeated frames for all five holds,
    # then only slide 5's still and its two crossfades
    assert len(list(cache.rglob("*.h264"))) == 11 + 3
    kit = report.kit_dir
    for name in SHARED:
        for ext in ("png", "jpg"):
            one = (kit / f"xa-1/signage/640x360/{name}.{ext}").read_bytes()
            assert one == (kit / f"xa-2/signage/640x360/{name}.{ext}").read_bytes()
    assert ((kit / "xa-1/signage/640x360/05-don-vi.png").read_bytes()
            != (kit / "xa-2/signage/640x360/05-don-vi.png").read_bytes())


def test_a_stored_slide_is_the_bytes_a_fresh_drawing_gives(two_communes):
    script, report, _ = two_communes
    for locality, slide_id, name in ((1, "don-vi", "05-don-vi"), (0, "vi-sao", "02-vi-sao")):
        image, _ = paint(script, "640x360", slide_id, locality)
        kit_file = report.kit_dir / f"xa-{locality + 1}/signage/640x360/{name}.png"
        assert kit_file.read_bytes() == png_bytes(image, PNG_LEVEL)


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge image, with a few bytes of pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize(("logo", "reason"), [
    (lambda good: good[: len(good) // 2], "cannot be read as an image"),
    (lambda good: b"this is not a picture\n" * 10, "cannot be read as an image"),
    (lambda good: _png_claiming(60000, 60000), "more pixels than any slide needs"),
    (lambda good: _png_claiming(9000, 9000), "9000x9000 px"),
])
def test_a_broken_logo_is_a_located_build_error(tmp_path, logo, reason):
    script = write_campaign(tmp_path / "c", campaign_text("sizes: [640x360]\nvideo: false"))
    job = signage_jobs(script)[0]
    logo_file = script.parent / "logo.png"
    logo_file.write_bytes(logo(logo_file.read_bytes()))  # broken after validation and planning
    ctx = JobContext(job, tmp_path / "kit", Store(tmp_path / "cache"))
    with pytest.raises(BuildError) as failure:
        SignageBuilder().make(job, ctx)
    [message] = failure.value.messages
    assert message.startswith(f"{script}:") and ": brand.logo: logo.png " in message
    assert reason in message
    assert not (tmp_path / "kit").exists() or not any((tmp_path / "kit").rglob("*.png"))


def test_nan_times_never_reach_the_playlist_or_page(tmp_path):
    script = write_campaign(tmp_path / "c", campaign_text("sizes: [640x360]\nvideo: false"))
    job = signage_jobs(script)[0]
    broken = dataclasses.replace(job, inputs=dataclasses.replace(job.inputs, crossfade=float("nan")))
    with pytest.raises(BuildError) as failure:
        SignageBuilder().make(broken, JobContext(broken, tmp_path / "kit", Store(tmp_path / "cache")))
    assert "signage.crossfade: nan is not a number of seconds" in failure.value.messages[0]
    assert not list((tmp_path).rglob("playlist.json"))
    # a sound job writes strict JSON (no NaN, no Infinity)
    SignageBuilder().make(job, JobContext(job, tmp_path / "kit", Store(tmp_path / "cache")))
    [playlist] = (tmp_path / "kit").rglob("playlist.json")
    json.loads(playlist.read_text("utf-8"), parse_constant=lambda name: pytest.fail(name))


def test_a_commune_whose_slides_match_another_runs_only_the_join(tmp_path, ffmpeg_runs):
    from signage_helpers import SLIDES

    same_for_all = SLIDES.replace("{locality.name}", "Huyện Lâm Thao").replace("{hotline}", "0210 3825 111")
    script = write_campaign(tmp_path / "c", campaign_text("sizes: [640x360]\nseconds: 2\ncrossfade: 0.4",
                                                          slides=same_for_all, localities=2))
    first, second = signage_jobs(script)
    store = Store(tmp_path / "cache")
    SignageBuilder().make(first, JobContext(first, tmp_path / "kit", store))
    ffmpeg_runs.clear()
    outputs = SignageBuilder().make(second, JobContext(second, tmp_path / "kit", store))
    [join] = ffmpeg_runs
    assert "libx264" not in join and join[join.index("-c:v") + 1] == "copy"
    [video] = [o for o in outputs if o.kind == "video"]
    assert (video.meta["duration_s"], video.meta["codec"], video.meta["pixels"]) == (10.0, "h264",
                                                                                   "640x360")
    assert ((tmp_path / "kit/xa-1/signage/640x360/loop.mp4").read_bytes()
            == (tmp_path / "kit/xa-2/signage/640x360/loop.mp4").read_bytes())
