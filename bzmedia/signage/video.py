"""The MP4 loop: still slides, crossfades, H.264 main profile for cheap signage players.

One ffmpeg run per size builds the whole loop from the slide PNGs: each still is decoded once and
repeated by the ``loop`` filter (cheap), crossfades use ``xfade``, and the last slide fades into
the first so a player that restarts the file shows no jump.  Every slide's time is rounded to
whole frames the same way for every size, so all sizes of a campaign last exactly as long.

The loop's timeline for slides of durations d1..dn and crossfade c: slide k shows alone for
dk - c, then fades into slide k+1 for c; the last slide fades into the first, so the loop's last
frame is (almost) its first.  The total is exactly d1 + ... + dn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bzmedia import ffmpeg
from bzmedia.errors import BuildError

FPS = 25
LEVEL_40_MACROBLOCKS = 8192
"""H.264 level 4.0 allows frames up to 8192 16x16 macroblocks (1920x1088); larger needs 5.1."""
X264_STILLS = "rc-lookahead=0:mbtree=0:bframes=0:scenecut=0:me=dia:subme=0:aq-mode=0:weightp=0"
"""Nearly every frame repeats the one before: motion search, lookahead and adaptive quantizers
find nothing to gain and cost most of the time (measured at 1080p: 5.6 s CPU for 1000 frames
instead of 10.9 s, at 60 dB PSNR on the still frames instead of 47 dB; about 1 MB for 40 s)."""


@dataclass(frozen=True)
class VideoSettings:
    """How to encode a loop."""

    crossfade: float
    audio_track: bool
    rotate: str | None = None
    """Also write a copy turned 90° ``clockwise`` or ``counterclockwise`` (``None``: no copy)."""


def frames(seconds: float) -> int:
    """Whole frames for ``seconds`` at 25 fps (the same rounding for every size)."""
    return max(1, round(seconds * FPS))


def h264_level(width: int, height: int) -> str:
    macroblocks = -(-width // 16) * -(-height // 16)
    return "4.0" if macroblocks <= LEVEL_40_MACROBLOCKS else "5.1"


def _even(value: int) -> int:
    return value - value % 2


def filter_graph(durations: list[float], crossfade: float, width: int, height: int) -> str:
    """The ``-filter_complex`` text for one image input per slide, ending in ``[out]``.

    The loop is a concat of segments: each slide's still part, then its fade into the next
    slide (the last one into the first).  Only the fade segments pass through ``xfade``; the
    still parts are one decoded frame repeated by ``loop``, which costs next to nothing.
    """
    counts = [frames(d) for d in durations]
    fade = frames(crossfade) if crossfade > 0 else 0
    prepare = (f"crop={_even(width)}:{_even(height)}:0:0,"
               "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p")
    n = len(counts)
    parts, segments = [], []
    for k, count in enumerate(counts):
        if fade == 0:
            parts.append(f"[{k}:v]{prepare},{_hold(count)}[still{k}]")
            segments.append(f"[still{k}]")
            continue
        parts.append(f"[{k}:v]{prepare},split=3[s{k}][a{k}][b{k}]")
        parts.append(f"[s{k}]{_hold(count - fade)}[still{k}]")
        parts.append(f"[a{k}]{_hold(fade)}[from{k}]")
        parts.append(f"[b{k}]{_hold(fade)}[to{k}]")
        segments += [f"[still{k}]", f"[fade{k}]"]
    if fade:
        parts += [f"[from{k}][to{(k + 1) % n}]xfade=transition=fade:duration={fade / FPS:.2f}:"
                  f"offset=0[fade{k}]" for k in range(n)]
    parts.append(f"{''.join(segments)}concat=n={len(segments)}:v=1:a=0[out]")
    return ";".join(parts)


def _hold(count: int) -> str:
    """Filters that turn one decoded frame into ``count`` frames at 25 fps."""
    return f"loop=loop={count - 1}:size=1:start=0,setpts=N/{FPS}/TB"


def encode_loop(images: list[Path], durations: list[float], settings: VideoSettings,
                size: tuple[int, int], targets: list[Path], where: str) -> None:
    """Write the loop to ``targets[0]`` (and its rotated copy to ``targets[1]`` if asked)."""
    width, height = size
    graph = filter_graph(durations, settings.crossfade, width, height)
    files = images
    total = sum(frames(d) for d in durations)
    command = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    for image in files:
        command += ["-i", str(image)]
    if settings.audio_track:
        command += ["-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000"]
    if settings.rotate:
        turn = "clock" if settings.rotate == "clockwise" else "cclock"
        graph += f";[out]split[main][turn];[turn]transpose={turn}[rotated]"
        outputs = [("[main]", targets[0], (width, height)), ("[rotated]", targets[1], (height, width))]
    else:
        outputs = [("[out]", targets[0], (width, height))]
    command += ["-filter_complex", graph]
    for label, target, (w, h) in outputs:
        command += ["-map", label]
        if settings.audio_track:
            command += ["-map", f"{len(files)}:a", "-c:a", "aac", "-b:a", "64k", "-ac", "2"]
        command += ["-frames:v", str(total), "-t", f"{total / FPS:.3f}", "-r", str(FPS),
                    "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage",
                    "-x264-params", X264_STILLS,
                    "-profile:v", "main", "-level:v", h264_level(w, h), "-pix_fmt", "yuv420p",
                    # x264 only writes the level; the rate buffer keeps the stream inside it
                    # (Main 4.0: 20 Mb/s, 25 Mb buffer) for players that decode to the letter.
                    "-maxrate", "20M", "-bufsize", "25M",
                    "-g", str(5 * FPS), "-colorspace", "bt709", "-color_primaries", "bt709",
                    "-color_trc", "bt709", "-color_range", "tv",
                    "-movflags", "+faststart", str(target)]
    result = ffmpeg.run(command, f"encoding the {width}x{height} loop", check=False)
    if result.returncode != 0:
        raise BuildError([f"{where}: ffmpeg could not encode the {width}x{height} loop: "
                          f"{ffmpeg.last_line(result.stderr, result.returncode)}"])


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+)(?: \((\w[\w ]*?)\))?.*?, (\w+)[(,].*?"
                    r"(\d{2,5})x(\d{2,5}).*?, ([\d.]+) fps")


def probe(path: Path) -> dict:
    """What ``ffmpeg -i`` says of an MP4 (there is no ffprobe in the imageio-ffmpeg wheel)."""
    result = ffmpeg.run(["-hide_banner", "-nostdin", "-i", str(path)], f"reading {path.name}",
                        timeout=ffmpeg.SHORT_TIMEOUT_S, check=False)
    info = result.stderr.decode("utf-8", "replace")
    duration, video = _DURATION.search(info), _VIDEO.search(info)
    if not duration or not video:
        raise ffmpeg.FfmpegError(f"ffmpeg could not read {path.name}: "
                                 f"{ffmpeg.last_line(result.stderr, result.returncode)}")
    hours, minutes, seconds = duration.groups()
    return {"duration_s": round(int(hours) * 3600 + int(minutes) * 60 + float(seconds), 3),
            "codec": video.group(1), "profile": video.group(2) or "", "pix_fmt": video.group(3),
            "pixels": f"{video.group(4)}x{video.group(5)}", "fps": float(video.group(6)),
            "audio": "Audio:" in info}
