"""A damaged cache never makes a broken kit: every damaged entry is dropped, made again, reported.

Real builds (espeak, ffmpeg) of a two-commune, two-spot campaign: a clean cold build, then the
same script on a copy of its cache damaged in every way seen in the field, into a fresh kit.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from cache_helpers import build_tiny_audio, kit_digests, segments, write_tiny_campaign
from PIL import Image

from bzmedia.cache import Store, sha256_file


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A cold build on a fresh cache: the kit every other build must equal."""
    root = tmp_path_factory.mktemp("clean")
    script = write_tiny_campaign(root / "campaign")
    report = build_tiny_audio(script, root / "out", root / "cache")
    assert report.warnings == []
    return script, root / "cache", kit_digests(root / "out" / "loa-ngan")


def header_only(path):
    path.write_bytes(path.read_bytes()[:44])


def noise_of_the_same_length(path):
    data = path.read_bytes()
    noise = np.random.default_rng(7).integers(-20000, 20000, (len(data) - 44) // 2, dtype="<i2")
    path.write_bytes(data[:44] + noise.tobytes())


def half(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def zero_length(path):
    path.write_bytes(b"")


def garbage(path):
    path.write_bytes(b"\x00garbage\xff" * 100)


DAMAGE = (header_only, noise_of_the_same_length, half, zero_length, garbage)


def test_every_kind_of_damaged_segment_is_remade_and_the_kit_equals_a_clean_one(clean, tmp_path):
    script, clean_cache, clean_kit = clean
    cache = tmp_path / "cache"
    shutil.copytree(clean_cache, cache)
    stored = segments(cache)
    assert len(stored) == len(DAMAGE)  # ident x2, two sentences x2... one way of damage each
    for damage, path in zip(DAMAGE, stored, strict=True):
        damage(path)
    report = build_tiny_audio(script, tmp_path / "out", cache, workers=2)
    assert kit_digests(tmp_path / "out" / "loa-ngan") == clean_kit
    assert report.warnings == [f"cache: {len(DAMAGE)} damaged entries under {cache} were dropped "
                               "and made again"]
    assert [sha256_file(p) for p in segments(cache)] == [sha256_file(p) for p in segments(clean_cache)]


def test_a_cache_path_that_is_a_file_builds_the_same_kit_with_one_warning(clean, tmp_path):
    script, _, clean_kit = clean
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    try:
        report = build_tiny_audio(script, tmp_path / "out", blocker)
        assert kit_digests(tmp_path / "out" / "loa-ngan") == clean_kit
        [warning] = report.warnings
        assert warning.startswith(f"cache: {blocker} cannot be written (") and "temporary" in warning
    finally:
        shutil.rmtree(Store(blocker).root, ignore_errors=True)


def test_a_garbled_thumbnail_is_rendered_again_identically(tmp_path):
    from bzmedia.kit.thumbs import thumbnail

    slide = tmp_path / "01-slide.png"
    Image.new("RGB", (1920, 1080), (20, 90, 160)).save(slide)
    digest = sha256_file(slide)
    store = Store(tmp_path / "cache")
    first = thumbnail(slide, digest, "slide", store).read_bytes()
    entry = thumbnail(slide, digest, "slide", store)
    entry.write_bytes(first[: len(first) // 2] + bytes(len(first) - len(first) // 2))
    assert thumbnail(slide, digest, "slide", store).read_bytes() == first
    assert store.take_warnings() == [f"cache: 1 damaged entry under {store.root} was dropped and "
                                     "made again"]
