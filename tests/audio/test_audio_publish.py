"""A spot that fails leaves the schedule and the playlists as the last good build wrote them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from audio_helpers import build_audio, write_small_campaign

from bzmedia.errors import BuildError


@pytest.fixture
def offline(monkeypatch):
    """No network for real: every HTTP(S) request goes to a closed local port."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_failed_spots_do_not_rewrite_schedule_or_playlists(tmp_path, offline):
    script = write_small_campaign(tmp_path / "c", localities=("son-vi",))
    build_audio(script, tmp_path / "out", tmp_path / "cache")
    audio = tmp_path / "out" / "loa-nho" / "son-vi" / "audio"
    before = snapshot(audio)
    assert "lich-06h00.m3u" in before and "schedule.txt" in before

    # Google cannot be reached, so no spot can be spoken; the schedule's own inputs change too
    # (new times), so only publishing after the spots keeps it from running.
    text = script.read_text(encoding="utf-8")
    text = text.replace("  voice: {engine: espeak, dialect: north, rate: 1.0}", "  voice: {engine: gtts}")
    text = text.replace('times: ["06:00", "17:00"]', 'times: ["07:00"]')
    script.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_audio(script, tmp_path / "out", tmp_path / "cache")
    assert len(caught.value.messages) == 2
    assert all("cannot reach Google TTS" in message for message in caught.value.messages)

    assert snapshot(audio) == before  # no lich-07h00.m3u, the old schedule byte for byte
    for playlist in audio.glob("*.m3u"):
        named = [line for line in playlist.read_text(encoding="utf-8").splitlines()
                 if line and not line.startswith("#")]
        assert named and all((audio / name).is_file() for name in named)


def test_a_full_kit_disk_while_ffmpeg_encodes_names_the_file_and_the_full_disk(tmp_path, small_disk):
    """A 22,050 Hz MP3 goes through ffmpeg, which reads the spot's samples from a file in the
    kit's scratch folder: on a full kit disk numpy's ``tofile`` said "cannot read or write: 857784
    requested and 382976 written", and named the MP3."""
    import errno
    import os

    from bzmedia.build import BuildOptions, build
    from bzmedia.campaign import load_campaign
    from bzmedia.errors import BuildError

    script = tmp_path / "c.yaml"
    script.write_text(
        'campaign: {id: t, title: "Cài đặt Bluezone", issuer: "UBND xã Sơn Vi", url: https://x.vn}\n'
        "audio:\n  export: {sample_rate: 22050, bitrate: 64}\n  spots:\n    - id: a\n      text: \""
        + "Đề nghị bà con cài đặt ứng dụng Bluezone trên điện thoại thông minh. " * 3 + '"\n',
        encoding="utf-8")
    campaign, _ = load_campaign(script)
    with pytest.raises(BuildError) as caught:
        build(campaign, BuildOptions(output_root=small_disk, cache_dir=tmp_path / "cache", workers=1,
                                     only=("audio",)))
    [message] = caught.value.messages
    assert message.endswith(f": cannot write: {os.strerror(errno.ENOSPC)}"), message
    assert f"{small_disk}/t/.bzmedia/" in message  # the stage or the scratch folder: the kit's disk
    assert "requested and" not in message
