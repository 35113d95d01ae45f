"""Pieces encoded together are the pieces encoded alone: what the store files is what its key says.

A loop's missing pieces are encoded in one ffmpeg run, and a slide's still is cut from the
crossfade that opens on it.  Neither may change a piece's bytes, or a loop would depend on what
the cache happened to hold.  Everything runs the real ffmpeg.
"""

from __future__ import annotations

import itertools
import re

from signage_helpers import STILL_COLOURS, ffmpeg_that, still_slides, video_frames

from bzmedia.cache import Store
from bzmedia.signage.video import VideoSettings, encode_loop, first_picture, plan_pieces

SIZE = (320, 180)
DURATIONS = [2.0, 1.6, 2.0]
SETTINGS = VideoSettings(crossfade=0.4, audio_track=False)
CHANGED = [STILL_COLOURS[0], (230, 200, 40), STILL_COLOURS[2]]


def parameter_sets(stream: bytes) -> set[bytes]:
    """The SPS and PPS NAL units of a raw H.264 stream."""
    starts = [m.start() for m in re.finditer(b"\x00\x00\x01", stream)] + [len(stream)]
    return {stream[a:b].rstrip(b"\x00") for a, b in itertools.pairwise(starts)
            if stream[a + 3] & 0x1F in (7, 8)}


def test_a_loop_is_the_same_bytes_whether_its_pieces_were_stored_or_not(tmp_path):
    warm = Store(tmp_path / "warm")
    encode_loop(still_slides(tmp_path / "a", SIZE), DURATIONS, SETTINGS, SIZE, [tmp_path / "a.mp4"],
                "test", warm)
    changed = still_slides(tmp_path / "b", SIZE, CHANGED)
    # the second commune: 3 pieces made together (one cut) next to 5 stored ones, or all 8 at once
    again = encode_loop(changed, DURATIONS, SETTINGS, SIZE, [tmp_path / "warm.mp4"], "test", warm)
    cold = encode_loop(changed, DURATIONS, SETTINGS, SIZE, [tmp_path / "cold.mp4"], "test",
                       Store(tmp_path / "cold"))
    assert (again.encoded, cold.encoded) == (3, 8)
    assert (tmp_path / "warm.mp4").read_bytes() == (tmp_path / "cold.mp4").read_bytes()
    # and every piece of every loop carries the same parameter sets, as joining by copy needs
    streams = [path.read_bytes() for path in (tmp_path / "warm").rglob("*.h264")]
    headers = {frozenset(parameter_sets(s)) for s in streams if parameter_sets(s)}
    assert len(headers) == 1 and len(next(iter(headers))) == 2


def test_a_still_cut_from_its_crossfade_is_the_still_encoded_alone(tmp_path):
    images = still_slides(tmp_path / "s", SIZE, CHANGED)
    store = Store(tmp_path / "store")
    encode_loop(images, DURATIONS, SETTINGS, SIZE, [tmp_path / "fades.mp4"], "test", store)
    # without crossfades no still can be cut: each is encoded on its own
    hard = Store(tmp_path / "hard")
    encode_loop(images, DURATIONS, VideoSettings(0, audio_track=False), SIZE, [tmp_path / "cuts.mp4"],
                "test", hard)
    cut_stills = [p for p in plan_pieces(images, DURATIONS, 0.4, SIZE, None) if p.kind == "still"]
    alone = [p for p in plan_pieces(images, DURATIONS, 0, SIZE, None) if p.kind == "still"]
    for cut, lone in zip(cut_stills, alone, strict=True):
        assert cut.key == lone.key  # a still's key does not depend on the crossfade
        assert store.get(cut.key, ".h264").read_bytes() == hard.get(lone.key, ".h264").read_bytes()


def test_one_frame_crossfades_are_their_own_keyframes(tmp_path):
    images = still_slides(tmp_path / "s", SIZE)
    target = tmp_path / "loop.mp4"
    report = encode_loop(images, DURATIONS, VideoSettings(0.04, audio_track=False), SIZE, [target],
                         "test", Store(tmp_path / "store"))
    assert report.runs == 3 and report.facts[0]["frames"] == 140  # 3 fades, 3 a run; 2 skips alone
    assert len(video_frames(target)) == 140


def test_first_picture_refuses_a_stream_that_does_not_open_on_a_keyframe():
    sps, pps = b"\0\0\0\x01\x67ab", b"\0\0\0\x01\x68cd"
    idr, p_slice = b"\0\0\0\x01\x65ef", b"\0\0\0\x01\x41gh"
    assert first_picture(sps + pps + idr + p_slice + p_slice) == sps + pps + idr
    assert first_picture(sps + pps + idr) == sps + pps + idr
    assert first_picture(sps + pps + p_slice + idr) is None
    assert first_picture(b"no start codes at all") is None


def test_a_run_of_several_pieces_that_hangs_is_stopped_and_each_piece_made_alone(tmp_path, monkeypatch):
    """ffmpeg 9.0 hung now and then on a run with several outputs: the build must not hang with
    it, and the pieces made one by one are the bytes the run would have made."""
    from bzmedia import ffmpeg

    fake = ffmpeg_that(tmp_path, "ffmpeg-hangs-on-several-outputs",
                       'maps=$(printf "%s\\n" "$@" | grep -c -x -- -map)\n'
                       'if [ "$maps" -gt 1 ]; then exec sleep 60; fi\n')
    images = still_slides(tmp_path / "s", SIZE, CHANGED)
    cold = encode_loop(images, DURATIONS, SETTINGS, SIZE, [tmp_path / "real.mp4"], "test",
                       Store(tmp_path / "real"))
    monkeypatch.setattr(ffmpeg, "ffmpeg_exe", lambda: fake)
    monkeypatch.setenv("BZMEDIA_FFMPEG_TIMEOUT", "3")
    stuck = encode_loop(images, DURATIONS, SETTINGS, SIZE, [tmp_path / "stuck.mp4"], "test",
                        Store(tmp_path / "stuck"))
    assert stuck.encoded == cold.encoded
    assert (tmp_path / "stuck.mp4").read_bytes() == (tmp_path / "real.mp4").read_bytes()
