"""The MP4 loop: still slides, crossfades, H.264 main profile for cheap signage players.

A loop is joined from *pieces* of raw H.264, each encoded once and kept in the content-addressed
store: each slide's ``still`` (one keyframe), ``skips`` (frames that only repeat the picture
before them: the same bytes for every slide of a size, so encoded once for all), and each
crossfade (slide k into slide k+1, the last into the first, so a player that restarts the file
shows no jump).  A piece is filed under the hash of its images' bytes, its frame count, size,
turn and the encoder settings, so slides shared by communes (or left alone since the last build)
are encoded once; a changed slide costs its keyframe and its two crossfades.  Encoding a held
slide frame by frame cost ~8 ms a 1080p frame although nothing moves; a keyframe plus stored
skips costs one frame.

The pieces a loop lacks are encoded together: one ffmpeg run (three pieces at most, for memory)
decodes each slide once (or reads the converted frame its worker kept from an earlier run,
:mod:`bzmedia.signage.slideframes`) and gives each piece an x264 of its own, so a piece's bytes are
those of a run of its own, whatever else the run made.  A still is not encoded at all when the crossfade
out of its slide is: that crossfade's first frame is the slide alone, and its keyframe is the
still.  An added commune's pieces (the fades into, between and out of its two own slides) are
one run and a join per size: about 0.8-0.9 CPU-s at 1080p, most of it x264 on the 36 crossfade
frames (~20 ms each at these settings); a commune whose ranking slide alone changed, 24 frames.

Two workers that lack the same piece at once (a changed shared slide's fades, a cold build's
first pieces) encode it once: each claims the pieces it is about to encode and waits for those
the other claimed (:mod:`bzmedia.signage.piececlaim`).

The pieces join into one stream by plain concatenation: every piece starts on a keyframe with
its parameter sets, all pieces use the same settings and x264's ``stitchable`` keeps its headers
independent of the content.  ffmpeg then puts the stream into MP4 without decoding it.

The loop's timeline for slides of durations d1..dn and crossfade c: slide k shows alone for
dk - c, then fades into slide k+1 for c; the last slide fades into the first, so the loop's last
frame is (almost) its first.  Every slide's time is rounded to whole frames the same way for
every size, so the total is exactly d1 + ... + dn at every size.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from bzmedia import ffmpeg, scratch
from bzmedia.cache import Store, fingerprint, sha256_file
from bzmedia.errors import BuildError
from bzmedia.i18n import _, ngettext
from bzmedia.scratch import write_temporary
from bzmedia.signage import piececlaim, slideframes
from bzmedia.signage.deck import FPS, frames

__all__ = ["FPS", "LoopReport", "Piece", "VideoSettings", "encode_loop", "frames", "probe"]

LEVEL_40_MACROBLOCKS = 8192
"""H.264 level 4.0 allows frames up to 8192 16x16 macroblocks (1920x1088); larger needs 5.1."""
X264_STILLS = ("rc-lookahead=0:mbtree=0:bframes=0:scenecut=0:me=dia:subme=0:aq-mode=0:weightp=0"
               ":partitions=none:no-deblock=1:stitchable=1:threads=1")
"""Nearly every frame repeats the one before: motion search, lookahead and adaptive quantizers
find nothing to gain and cost most of the time (measured at 1080p: 5.6 s CPU for 1000 frames
instead of 10.9 s, at 60 dB PSNR on the still frames instead of 47 dB; about 1 MB for 40 s).
``stitchable`` makes x264 write the same headers whatever the content, so pieces join by copy.
``threads=1``: a piece's bytes must not depend on the machine's core count (x264's default), and
the build's workers already keep the cores busy; one thread also costs less CPU per frame.

``partitions=none`` and ``no-deblock`` are for the crossfades, where x264 spends nearly all of a
loop's encoding (a fade frame is 60 kB: 3/4 of its blocks intra, since no motion predicts a blend):
the 4x4 intra search and the loop filter cost 31 % of x264's instructions on a 1080p fade (95
instead of 140 M a frame, valgrind) for 8 % fewer bytes and 0.05-0.4 dB PSNR against the exact
blend (a frame on screen 40 ms; no difference seen at 3x zoom).  A slide's keyframe decodes to the
very same pixels with or without them (its 16x16 intra blocks at QP 20 need neither), so stills
keep their quality, and every piece keeps the same settings, so the parameter sets still match
and a crossfade's keyframe still serves as its slide's still."""
PIECE_FORMAT = "5"  # 5: no 4x4 intra search, no loop filter (fades cheaper; stills the same pixels)
"""Bump when pieces are made differently for the same inputs, so stored pieces are not reused."""
PIECES_PER_RUN = 3
"""Pieces one ffmpeg run encodes at most.  Each has an x264 and frame queues of its own: at 1080p
a run peaks at about 158 MB with two crossfades and 210 MB with three (an added commune's three
fades in one run: 1.2-1.4 CPU-s where two runs took 1.4-1.6, one decode of the shared slides
fewer).  Blending with an alpha plane (overlay) needed 188 and 253 MB; five pieces needed 360."""
GOP = 5 * FPS
"""A keyframe at least every 5 s, so a player that starts mid-loop shows a picture soon."""
COLOR_TAGS = "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"
"""Tag the frames themselves: the encoder takes its colour description from them."""


@dataclass(frozen=True)
class VideoSettings:
    """How to encode a loop."""

    crossfade: float
    audio_track: bool
    rotate: str | None = None
    """Also write a copy turned 90° ``clockwise`` or ``counterclockwise`` (``None``: no copy)."""


@dataclass(frozen=True)
class Piece:
    """One stretch of a loop encoded on its own (raw H.264, Annex B)."""

    kind: str
    """``still``: one keyframe of a slide; ``skips``: frames that repeat whatever came before;
    ``fade``: a crossfade from one slide into the next."""
    images: tuple[Path, ...]
    """None for ``skips``, one for a ``still``, the outgoing and incoming slide for a ``fade``."""
    count: int
    """Frames at 25 fps."""
    key: str
    """Store key: the images' bytes, frame count, size, turn and encoder settings."""
    digests: tuple[str, ...]
    """sha256 of each of ``images`` (how a worker finds their kept converted frames)."""


@dataclass(frozen=True)
class RawFrame:
    """A slide's picture handed to an encode run as raw pixels in a file, instead of its PNG."""

    path: Path
    pix_fmt: str
    """``yuv420p``: a frame already converted for the encoder (only tagged); ``rgb24``: the
    pixels of a picture this job drew, converted in the run as its PNG would be."""
    size: tuple[int, int]


@dataclass
class LoopReport:
    """What :func:`encode_loop` did: facts of each written file and the pieces it encoded."""

    facts: list[dict] = field(default_factory=list)
    encoded: int = 0
    reused: int = 0
    runs: int = 0
    """ffmpeg runs that encoded pieces (the joins not counted)."""


def h264_level(width: int, height: int) -> str:
    macroblocks = -(-width // 16) * -(-height // 16)
    return "4.0" if macroblocks <= LEVEL_40_MACROBLOCKS else "5.1"


def _even(value: int) -> int:
    return value - value % 2


def timeline(durations: list[float], crossfade: float) -> list[tuple[tuple[int, ...], int]]:
    """The loop's pieces in order: (slide indexes, frames); two indexes make a crossfade."""
    counts = [frames(d) for d in durations]
    fade = frames(crossfade) if crossfade > 0 else 0
    n = len(counts)
    pieces: list[tuple[tuple[int, ...], int]] = []
    for k, count in enumerate(counts):
        pieces.append(((k,), count - fade))
        if fade:
            pieces.append(((k, (k + 1) % n), fade))
    return pieces


def encoder_args(width: int, height: int) -> list[str]:
    """x264 settings shared by every piece of a size: pieces join by copy only if these match."""
    return ["-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage",
            "-x264-params", X264_STILLS,
            "-profile:v", "main", "-level:v", h264_level(width, height), "-pix_fmt", "yuv420p",
            # x264 only writes the level; the rate buffer keeps the stream inside it
            # (Main 4.0: 20 Mb/s, 25 Mb buffer) for players that decode to the letter.
            "-maxrate", "20M", "-bufsize", "25M",
            "-g", str(GOP), "-colorspace", "bt709", "-color_primaries", "bt709",
            "-color_trc", "bt709", "-color_range", "tv"]


@cache
def _encoder_identity() -> tuple[str, int]:
    """Which ffmpeg makes the pieces (its file name and size): another build, other bytes."""
    exe = Path(ffmpeg.ffmpeg_exe())
    try:
        return exe.name, exe.stat().st_size
    except OSError:
        return exe.name, 0


def plan_pieces(images: list[Path], durations: list[float], crossfade: float,
                size: tuple[int, int], turn: str | None) -> list[Piece]:
    """The pieces of one loop in order (``turn``: ``clock``/``cclock`` for a rotated copy).

    A slide's hold is cut into keyframe intervals; each is the slide's ``still`` keyframe and
    ``skips`` after it, so a keyframe comes at least every 5 s, as from one whole encode.
    """
    digests = [sha256_file(image) for image in images]
    width, height = _even(size[0]), _even(size[1])
    shape = (width, height, turn, _encoder_identity(), encoder_args(width, height))

    def piece(kind: str, indexes: tuple[int, ...], count: int) -> Piece:
        key = fingerprint("signage-piece", PIECE_FORMAT, kind, [digests[i] for i in indexes],
                          count, shape)
        return Piece(kind, tuple(images[i] for i in indexes), count, key,
                     tuple(digests[i] for i in indexes))

    pieces = []
    for indexes, count in timeline(durations, crossfade):
        if count < 1:
            raise ValueError(_("crossfade longer than a slide ({count} frames left)").format(count=count))
        if len(indexes) == 2:
            pieces.append(piece("fade", indexes, count))
            continue
        for start in range(0, count, GOP):
            chunk = min(GOP, count - start)
            pieces.append(piece("still", indexes, 1))
            if chunk > 1:
                pieces.append(piece("skips", (), chunk - 1))
    return pieces


def _hold(count: int) -> str:
    """Filters that turn one decoded frame into ``count`` frames at 25 fps."""
    return f"loop=loop={count - 1}:size=1:start=0,setpts=N/{FPS}/TB"


def batch_command(pieces: list[Piece], size: tuple[int, int], turn: str | None,
                  targets: list[Path], given: dict[Path, RawFrame] | None = None,
                  keep: dict[Path, Path] | None = None) -> list[str]:
    """The ffmpeg arguments that encode each of ``pieces`` to its ``targets`` entry (raw H.264).

    One run for all of them: each distinct slide is decoded and converted once, and each piece
    gets an x264 of its own that sees only that piece's frames, so its bytes are the ones a run
    of its own would give (what its store key promises) while the run's start, the decoding and
    the colour conversion are paid once, not once per piece.  A slide in ``given`` is read from
    that raw file instead: its converted frame, or the RGB pixels of the picture this job drew,
    converted here as its PNG would be (:class:`RawFrame`); one in ``keep`` also
    has its converted frame written to that file (:mod:`bzmedia.signage.slideframes`).
    """
    width, height = _even(size[0]), _even(size[1])
    out_w, out_h = (height, width) if turn else (width, height)
    tags = _TAGS
    turned = f",transpose={turn}" if turn else ""
    images = list(dict.fromkeys(image for piece in pieces for image in piece.images))
    uses = {image: [f"i{n}u{k}" for k in range(sum(p.images.count(image) for p in pieces))]
            for n, image in enumerate(images)}
    command = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    graph: list[str] = []
    outputs: list[str] = []
    for n, image in enumerate(images):
        _slide_input(n, image, (width, height), uses[image], given or {}, keep or {},
                     (command, graph, outputs))
    inputs = len(images)
    for k, (piece, target) in enumerate(zip(pieces, targets, strict=True)):
        sources = [uses[image].pop() for image in piece.images]
        frames_out = piece.count
        if piece.kind == "skips":
            # Any picture will do: its first (key)frame is cut off, the rest only repeat it.
            # A source of its own length, so the run ends with its output.
            command += ["-f", "lavfi", "-i",
                        f"color=c=black:s={out_w}x{out_h}:r={FPS}:d={(frames_out + 1) / FPS:.6g}"]
            graph.append(f"[{inputs}:v]{tags}[o{k}]")
            inputs += 1
            frames_out += 1
        elif piece.kind == "still":
            graph.append(f"[{sources[0]}]null{turned}[o{k}]")
        else:
            graph.append(_crossfade(sources, piece.count, k, turned))
        outputs += ["-map", f"[o{k}]", "-frames:v", str(frames_out), *encoder_args(out_w, out_h),
                    "-an", "-f", "h264", str(target)]
    return [*command, "-filter_complex", ";".join(graph), *outputs]


_TAGS = f"format=yuv420p,{COLOR_TAGS},setsar=1"
"""Every piece's frames get the same format, colour tags and pixel aspect, so every piece's
parameter sets are the same bytes."""


def _slide_input(n: int, image: Path, size: tuple[int, int], uses: list[str], given: dict[Path, RawFrame],
                 keep: dict[Path, Path], into: tuple[list[str], list[str], list[str]]) -> None:
    """Input ``n`` of a run: slide ``image`` converted once and split to its ``uses`` (filter
    labels); read from its raw pixels if ``given`` has them, its frame written out if ``keep`` asks."""
    command, graph, outputs = into
    width, height = size
    labels = "".join(f"[{label}]" for label in uses)
    if image in keep:
        labels += f"[k{n}]"
        outputs += ["-map", f"[k{n}]", "-frames:v", "1", "-f", "rawvideo", str(keep[image])]
    prepare = f"crop={width}:{height}:0:0,scale=out_color_matrix=bt709:out_range=tv,{_TAGS}"
    raw = given.get(image)
    if raw is not None:
        command += ["-f", "rawvideo", "-pix_fmt", raw.pix_fmt, "-video_size", f"{raw.size[0]}x{raw.size[1]}",
                    "-framerate", str(FPS), "-i", str(raw.path)]
        if raw.pix_fmt == "yuv420p":  # a converted frame: only tagged
            prepare = _TAGS
    else:
        command += ["-i", str(image)]
    graph.append(f"[{n}:v]{prepare},split={labels.count('[')}{labels}")


def _crossfade(sources: list[str], count: int, k: int, turned: str) -> str:
    """Filters for output ``k``: the incoming slide (``sources[1]``) over the outgoing one at
    opacity 0 on the piece's first frame (the outgoing slide alone) up to (count - 1) / count.

    ``blend`` at a fixed opacity costs 1.7 ms a 1080p frame where overlay with a fading alpha
    plane cost 5.3 (and xfade 13); ``sendcmd`` sets each frame's opacity as that frame reaches
    it (frame n at n / 25 s), so the weights are exactly those of a fade.
    """
    hold = _hold(count)
    steps = ";".join(f"{n / FPS:.6g} blend@x{k} all_opacity {n / count:.6g}" for n in range(1, count))
    opacity = f",sendcmd=c='{steps}'" if steps else ""
    return (f"[{sources[0]}]{hold}[f{k}];[{sources[1]}]{hold}{opacity}[t{k}];"
            f"[t{k}][f{k}]blend@x{k}=all_mode=normal:all_opacity=0{turned}[o{k}]")


def skip_frames(stream: bytes, count: int) -> bytes | None:
    """The frames after the first keyframe of a raw H.264 ``stream`` (``count`` of them), or None.

    x264 codes a picture that repeats its reference as skipped blocks only: such frames decode
    to whatever precedes them, so one run of them serves every slide of a size.
    """
    starts = [m.start() for m in _START_CODE.finditer(stream)]
    types = [stream[at + 3] & 0x1F for at in starts]
    if 5 not in types:
        return None
    first_key = types.index(5)
    if not all(t == 1 for t in types[first_key + 1:]) or len(types) - first_key - 1 != count:
        return None
    cut = starts[first_key + 1]
    if cut > 0 and stream[cut - 1] == 0:  # a four-byte start code
        cut -= 1
    return stream[cut:]


def first_picture(stream: bytes) -> bytes | None:
    """The first access unit of a raw H.264 ``stream`` that opens on a keyframe (its parameter
    sets, SEI and IDR slices, up to the first non-IDR slice), or None."""
    starts = [m.start() for m in _START_CODE.finditer(stream)]
    types = [stream[at + 3] & 0x1F for at in starts]
    end = types.index(1) if 1 in types else len(types)  # a one-frame crossfade is its keyframe
    if 5 not in types[:end] or any(t not in (5, 6, 7, 8, 9) for t in types[:end]):
        return None
    if end == len(types):
        return stream
    cut = starts[end]
    if cut > 0 and stream[cut - 1] == 0:  # a four-byte start code
        cut -= 1
    return stream[:cut]


_START_CODE = re.compile(b"\x00\x00\x01")


def encode_pieces(pieces: list[Piece], size: tuple[int, int], turn: str | None, store: Store,
                  where: str) -> tuple[int, dict[str, Path]]:
    """Encode ``pieces`` (none of them stored yet) and file each in ``store``; the ffmpeg runs
    and the stored file of each piece by key.

    Runs hold at most :data:`PIECES_PER_RUN` pieces.  A still whose slide opens a crossfade
    being encoded is not encoded on its own: the crossfade's first frame is that slide alone,
    and its keyframe is the still's bytes (x264 starts both the same way; a test checks it).
    """
    opening = {piece.images[0]: piece for piece in pieces if piece.kind == "fade"}
    cut = {piece.key: opening[piece.images[0]] for piece in pieces
           if piece.kind == "still" and piece.images[0] in opening}
    encoded = [piece for piece in pieces if piece.key not in cut]
    batches = _batches(encoded)
    for batch in batches:
        with contextlib.ExitStack() as stack:  # a failed run files none of its pieces
            temps = [stack.enter_context(store.put(piece.key, ".h264")) for piece in batch]
            _run_batch(batch, size, turn, temps, where)
    for key, fade in cut.items():
        stored = store.get(fade.key, ".h264")
        keyframe = first_picture(stored.read_bytes()) if stored else None
        if keyframe is None:
            raise BuildError([f"{where}: " + _(
                "x264 did not start a {size} crossfade with a keyframe").format(size=f"{size[0]}x{size[1]}")])
        with store.put(key, ".h264") as temp:
            temp.write_bytes(keyframe)
    filed = {piece.key: store.get(piece.key, ".h264") for piece in pieces}
    if None in filed.values():  # only a cache damaged under our feet
        raise BuildError([f"{where}: " + _(
            "the cache lost a loop piece as it was filed ({folder})").format(folder=store.root)])
    return len(batches), filed


def _batches(pieces: list[Piece]) -> list[list[Piece]]:
    """``pieces`` in runs of at most :data:`PIECES_PER_RUN`; repeated frames in runs of their own.

    A run that made repeated frames (from a generated source) beside crossfades (from slide
    images) hung now and then (3 of 60 runs of ffmpeg 9.0) after the other outputs had finished;
    repeated frames are made once per size and cache, so a run of their own costs nothing.
    """
    skips = [[piece] for piece in pieces if piece.kind == "skips"]
    slides = [piece for piece in pieces if piece.kind != "skips"]
    return skips + [slides[k:k + PIECES_PER_RUN] for k in range(0, len(slides), PIECES_PER_RUN)]


def _batch_timeout(batch: list[Piece], size: tuple[int, int]) -> float:
    """Seconds a run may take: x264 at these settings makes about 50 1080p frames a CPU-second;
    allow 20x that on a loaded machine, and never less than two minutes."""
    frames = sum(piece.count for piece in batch) * size[0] * size[1] / (1920 * 1080)
    return max(ffmpeg.SHORT_TIMEOUT_S, 0.4 * frames)


def _run_batch(batch: list[Piece], size: tuple[int, int], turn: str | None, temps: list[Path],
               where: str) -> None:
    """Encode ``batch`` to ``temps``, reading the slides this worker keeps converted and keeping
    those it converts for the second time (:mod:`bzmedia.signage.slideframes`)."""
    width, height = _even(size[0]), _even(size[1])
    digests = {image: digest for piece in batch
               for image, digest in zip(piece.images, piece.digests, strict=True)}
    with scratch.temporary_folder("bzmedia-frames-") as folder:
        given: dict[Path, RawFrame] = {}
        keep: dict[Path, Path] = {}
        for n, (image, digest) in enumerate(digests.items()):
            frame = slideframes.kept_frame(digest, width, height)
            if frame is not None:
                given[image] = RawFrame(Path(folder) / f"given{n}.yuv", "yuv420p", (width, height))
                write_temporary(given[image].path, frame)
                continue
            if slideframes.seen_before(digest, width, height):  # a slide met once is not kept
                keep[image] = Path(folder) / f"kept{n}.yuv"
            picture = slideframes.drawn_picture(digest)
            if picture is not None:  # drawn by this job: its pixels, without decoding its PNG
                given[image] = RawFrame(Path(folder) / f"drawn{n}.rgb", "rgb24", picture.size)
                write_temporary(given[image].path, picture.tobytes())
        _encode_batch(batch, size, turn, temps, where, given, keep)
        for image, path in keep.items():
            slideframes.keep_frame(digests[image], width, height, path)


def _encode_batch(batch: list[Piece], size: tuple[int, int], turn: str | None, temps: list[Path],
                  where: str, given: dict[Path, RawFrame], keep: dict[Path, Path]) -> None:
    what = ngettext("encoding {count} {size} loop piece", "encoding {count} {size} loop pieces",
                    len(batch)).format(count=len(batch), size=f"{size[0]}x{size[1]}")
    try:
        result = ffmpeg.run(batch_command(batch, size, turn, temps, given, keep), what, check=False,
                            timeout=_batch_timeout(batch, size), writes=[temps[0], *keep.values()])
    except ffmpeg.FfmpegTimeout:
        if len(batch) == 1:
            raise
        # A run with several outputs has hung now and then in ffmpeg 9.0 (the cause is not
        # found); each piece alone gives the same bytes, so a stuck run costs time, not the build.
        for piece, temp in zip(batch, temps, strict=True):
            _encode_batch([piece], size, turn, [temp], where, given, {})
        return
    if result.returncode != 0:
        raise BuildError([f"{where}: " + _("ffmpeg could not encode the {size} loop: {complaint}").format(
            size=f"{size[0]}x{size[1]}", complaint=ffmpeg.last_line(result.stderr, result.returncode))])
    for piece, temp in zip(batch, temps, strict=True):
        if not temp.is_file() or temp.stat().st_size == 0:
            raise BuildError([f"{where}: " + _("ffmpeg wrote no {kind} piece of the {size} loop").format(
                kind=piece.kind, size=f"{size[0]}x{size[1]}")])
        if piece.kind == "skips":
            skips = skip_frames(temp.read_bytes(), piece.count)
            if skips is None:
                raise BuildError([f"{where}: " + _(
                    "x264 did not give {count} plain repeated frames for the {size} loop").format(
                    count=piece.count, size=f"{size[0]}x{size[1]}")])
            temp.write_bytes(skips)


def join_pieces(paths: list[Path], total: int, audio: bool, target: Path, where: str) -> dict:
    """Join stored pieces into ``target`` by stream copy; the facts ffmpeg reports of it.

    The pieces are raw H.264, so joined they are one stream: ffmpeg reads it from the files in
    turn (:func:`_joined_stream`) and puts it in MP4 at 25 fps without decoding it.
    """
    source, stream = _joined_stream(paths)
    # -probesize 32: ffmpeg decoded the first frames only to learn what the first piece's
    # parameter sets say (47 % of a join's instructions; 25 % fewer in all, the same file).
    command = ["-hide_banner", "-nostdin", "-y", "-probesize", "32", "-f", "h264", "-framerate", str(FPS),
               "-i", source]
    if audio:
        # -max_interleave_delta 0: interleave by time alone, not by which stream came first
        # (the copied video runs ahead of the encoded silence: other chunks every run).
        command += ["-f", "lavfi", "-t", f"{total / FPS:.3f}",
                    "-i", "anullsrc=channel_layout=stereo:sample_rate=48000",
                    "-map", "0:v", "-map", "1:a", "-c:a", "aac", "-b:a", "64k", "-ac", "2",
                    "-max_interleave_delta", "0"]
    command += ["-c:v", "copy", "-movflags", "+faststart", "-f", "mp4", str(target)]
    result = ffmpeg.run(command, _("joining {file}").format(file=target.name), input=stream, check=False,
                        writes=target)
    report = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        raise BuildError([f"{where}: " + _("ffmpeg could not join the loop: {complaint}").format(
            complaint=ffmpeg.last_line(result.stderr, result.returncode))])
    facts = output_facts(report)
    if facts is None or facts["frames"] != total:
        message = (_("the joined loop should have {total} frames; ffmpeg gave an unreadable report")
                   if facts is None else
                   _("the joined loop should have {total} frames; ffmpeg gave {got} frames"))
        raise BuildError([f"{where}: " + message.format(total=total, got=facts and facts["frames"])])
    facts["duration_s"] = round(total / FPS, 3)
    return facts


MAX_CONCAT_URL = 30_000 if os.name == "nt" else 100_000
"""Bytes (UTF-8 on Linux and Windows) of a ``concat:`` input at most: Linux refuses a single
argument over 128 KiB of bytes, and a Vietnamese path has two or three bytes a letter; Windows
caps the whole command line at 32,767 characters (never more than its bytes)."""


def _joined_stream(paths: list[Path]) -> tuple[str, bytes | None]:
    """ffmpeg's input for ``paths`` one after another, and the bytes to send on stdin (or None).

    ffmpeg's ``concat:`` protocol reads the files itself: piping a 4.5 MB loop through Python
    cost it ~60 ms of CPU a join (4 kB writes, a select each).  Stdin still serves paths the
    protocol cannot name (with a ``|``) and a list too long for one argument.
    """
    names = [str(path) for path in paths]
    source = "concat:" + "|".join(names)
    if any("|" in name for name in names) or len(os.fsencode(source)) > MAX_CONCAT_URL:
        return "pipe:0", b"".join(path.read_bytes() for path in paths)
    return source, None


_OUTPUT_VIDEO = re.compile(r"Output #0.*?Stream #\S+.*?: Video: (\w+)(?: \((\w[\w ]*?)\))?.*?, "
                           r"(\w+)[(,].*?(\d{2,5})x(\d{2,5}).*?, ([\d.]+) fps", re.S)
_FRAMES = re.compile(r"frame=\s*(\d+)")


def output_facts(report: str) -> dict | None:
    """Codec, profile, pixels, fps, audio and frame count of output #0 from ffmpeg's report."""
    video, counts = _OUTPUT_VIDEO.search(report), _FRAMES.findall(report)
    if not video or not counts:
        return None
    output = report[report.index("Output #0"):]
    return {"codec": video.group(1), "profile": video.group(2) or "", "pix_fmt": video.group(3),
            "pixels": f"{video.group(4)}x{video.group(5)}", "fps": float(video.group(6)),
            "audio": "Audio:" in output.split("frame=", 1)[0],
            "frames": int(counts[-1])}


def encode_loop(images: list[Path], durations: list[float], settings: VideoSettings,
                size: tuple[int, int], targets: list[Path], where: str,
                store: Store | None = None) -> LoopReport:
    """Write the loop to ``targets[0]`` (and its rotated copy to ``targets[1]`` if asked).

    Pieces come from (and go to) ``store``; without one they live only for this call.
    """
    if store is None:
        with scratch.temporary_folder("bzmedia-pieces-") as folder:
            return encode_loop(images, durations, settings, size, targets, where, Store(Path(folder)))
    total = sum(frames(d) for d in durations)
    turns = [None]
    if settings.rotate:
        turns.append("clock" if settings.rotate == "clockwise" else "cclock")
    report = LoopReport()
    for turn, target in zip(turns, targets, strict=False):
        try:
            pieces = plan_pieces(images, durations, settings.crossfade, size, turn)
        except ValueError as exc:
            raise BuildError([f"{where}: {exc}"]) from None
        unique = list({piece.key: piece for piece in pieces}.values())  # a still comes once per GOP
        # Each lookup reads and hashes the stored file (the store checks it is intact): once
        # per piece, the pieces made now once more as they are filed.
        known = {piece.key: store.get(piece.key, ".h264") for piece in unique}
        missing = [piece for piece in unique if known[piece.key] is None]
        encoded = 0
        if missing:
            runs, filed, encoded = piececlaim.encode_once(
                missing, store, partial(encode_pieces, size=size, turn=turn, store=store, where=where),
                partial(_batch_timeout, size=size))
            report.runs += runs
            known.update(filed)
        report.encoded += encoded
        report.reused += len(unique) - encoded
        paths = [known[piece.key] for piece in pieces]
        report.facts.append(join_pieces(paths, total, settings.audio_track, target, where))
    return report


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+)(?: \((\w[\w ]*?)\))?.*?, (\w+)[(,].*?"
                    r"(\d{2,5})x(\d{2,5}).*?, ([\d.]+) fps")


def probe(path: Path) -> dict:
    """What ``ffmpeg -i`` says of an MP4 (there is no ffprobe in the imageio-ffmpeg wheel)."""
    result = ffmpeg.run(["-hide_banner", "-nostdin", "-i", str(path)],
                        _("reading {file}").format(file=path.name),
                        timeout=ffmpeg.SHORT_TIMEOUT_S, check=False)
    info = result.stderr.decode("utf-8", "replace")
    duration, video = _DURATION.search(info), _VIDEO.search(info)
    if not duration or not video:
        raise ffmpeg.FfmpegError(_("ffmpeg could not read {file}: {complaint}").format(
            file=path.name, complaint=ffmpeg.last_line(result.stderr, result.returncode)))
    hours, minutes, seconds = duration.groups()
    return {"duration_s": round(int(hours) * 3600 + int(minutes) * 60 + float(seconds), 3),
            "codec": video.group(1), "profile": video.group(2) or "", "pix_fmt": video.group(3),
            "pixels": f"{video.group(4)}x{video.group(5)}", "fps": float(video.group(6)),
            "audio": "Audio:" in info}
