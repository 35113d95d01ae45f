"""Same script, same bytes: cold builds on fresh caches with one or two workers make the same kit."""

from __future__ import annotations

from cache_helpers import build_tiny_audio, kit_digests, write_tiny_campaign


def test_cold_builds_with_one_and_two_workers_are_byte_identical(tmp_path):
    script = write_tiny_campaign(tmp_path / "campaign")
    kits = []
    for workers in (1, 2):
        build_tiny_audio(script, tmp_path / f"out{workers}", tmp_path / f"cache{workers}", workers)
        kits.append(kit_digests(tmp_path / f"out{workers}" / "loa-ngan"))
    assert sum(path.endswith(".mp3") for path in kits[0]) == 4  # 2 spots x 2 communes, and more
    assert kits[0] == kits[1]
