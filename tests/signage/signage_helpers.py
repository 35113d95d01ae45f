"""Helpers for the signage tests: small campaigns written on the spot, MP4 probing, slide decks."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import imageio_ffmpeg
import numpy as np

from bzmedia.build import BuildOptions, build
from bzmedia.builder import Plan
from bzmedia.campaign.loader import load_campaign
from bzmedia.campaign.variables import for_locality
from bzmedia.signage.builder import SignageBuilder
from bzmedia.signage.render import SlidePainter

REPO = Path(__file__).resolve().parents[2]
LOGO = REPO / "content" / "assets" / "logo.png"
URL = "https://www.bluezone.gov.vn"

COLORS = """\
    primary: "#0B5FA5"
    accent: "#F2A900"
    background: "#FFFFFF"
    text: "#1A1A1A"
    on_primary: "#FFFFFF"
"""

SLIDES = """\
    - id: mo-dau
      kind: title
      title: "Bluezone – khẩu trang điện tử"
      text: "Cài đặt để bảo vệ mình"
    - id: vi-sao
      kind: points
      title: "Vì sao nên cài?"
      points: ["Cảnh báo tiếp xúc gần", "Bảo mật, ẩn danh"]
    - id: cai-dat
      kind: steps
      title: "Cài đặt"
      points: ["Mở CH Play hoặc App Store", "Tìm “Bluezone”", "Luôn bật Bluetooth"]
    - id: quet-ma
      kind: cta
      title: "Quét mã để tải Bluezone"
    - id: don-vi
      kind: logo
      title: "{locality.name}"
      text: "Hỗ trợ: {hotline}"
"""


def campaign_text(signage: str = "", *, colors: str = COLORS, slides: str = SLIDES,
                  logo: bool = True, localities: int = 1) -> str:
    """A small campaign script; ``signage`` holds extra keys of the ``signage:`` section."""
    places = "\n".join(
        f"  - {{id: xa-{i}, name: \"xã Ẵ Số {i}\", hotline: \"0210 38{i:02d} 111\"}}"
        for i in range(1, localities + 1))
    extra = textwrap.indent(textwrap.dedent(signage).strip(), "  ") + "\n" if signage.strip() else ""
    return (f"campaign: {{id: thu-man-hinh, title: \"Thử màn hình\", issuer: \"UBND huyện Lâm Thao\","
            f" url: \"{URL}\"}}\n"
            f"brand:\n  colors:\n{textwrap.indent(colors, '  ')}"
            + ("  logo: logo.png\n" if logo else "")
            + f"localities:\n{places}\n"
            + "signage:\n" + extra + "  slides:\n" + slides)


def write_campaign(folder: Path, text: str) -> Path:
    """Write ``text`` as ``folder/campaign.yaml`` beside a copy of the example logo."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(LOGO, folder / "logo.png")
    script = folder / "campaign.yaml"
    script.write_text(text, encoding="utf-8")
    return script


@functools.cache
def signage_jobs(script: Path):
    """The signage jobs of a script, exactly as the pipeline plans them (planned once)."""
    campaign, _ = load_campaign(script)
    localities = campaign.kit_localities()
    plan = Plan(campaign, localities, {loc.id: for_locality(campaign, loc) for loc in localities})
    return SignageBuilder().jobs(plan)


def paint(script: Path, size: str, slide_id: str, locality: int = 0):
    """One slide of a script drawn at ``size`` (a PIL image), with its deck."""
    jobs = [job for job in signage_jobs(script) if job.name == size]
    job = jobs[locality]
    deck = job.inputs.deck
    slide = next(s for s in deck.slides if s.id == slide_id)
    return SlidePainter(deck, job.where).paint(slide), deck


def run_build(script: Path, output: Path, cache: Path):
    """Build only the signage channel of ``script`` (one worker) and return the report."""
    campaign, _ = load_campaign(script)
    return build(campaign, BuildOptions(output_root=output, cache_dir=cache, workers=1),
                 builders=[SignageBuilder()])


def probe_mp4(path: Path) -> dict:
    """Facts about an MP4 read independently of bzmedia's own probe: ffmpeg's report, the avcC
    box (profile and level bytes) and the order of the top-level boxes (faststart)."""
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                            capture_output=True, text=True, check=False)
    report = result.stderr
    video_line = next(line for line in report.splitlines() if "Video:" in line)
    data = path.read_bytes()
    avcc = data.index(b"avcC") + 4
    frame_count, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    return {
        "codec": re.search(r"Video: (\w+)", video_line).group(1),
        "pix_fmt": "yuv420p" if "yuv420p" in video_line else video_line,
        "fps": float(re.search(r"([\d.]+) fps", video_line).group(1)),
        "size": tuple(int(v) for v in re.search(r", (\d{2,5})x(\d{2,5})", video_line).groups()),
        "profile_idc": data[avcc + 1],
        "level_idc": data[avcc + 3],
        "moov_before_mdat": data.index(b"moov") < data.index(b"mdat"),
        "frames": frame_count,
        "seconds": seconds,
        "audio": re.search(r"Audio: (\w+)", report).group(1) if "Audio:" in report else None,
    }


def video_frames(path: Path) -> list[np.ndarray]:
    """Every frame of a (small) video as RGB arrays."""
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    width, height = meta["size"]
    return [np.frombuffer(f, np.uint8).reshape(height, width, 3) for f in reader]


def rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])


STILL_COLOURS = [(200, 30, 30), (30, 160, 60), (40, 60, 200)]


def still_slides(folder: Path, size: tuple[int, int], colours=STILL_COLOURS) -> list[Path]:
    """Plain-coloured slides with a white mark whose width tells them apart (``01.png`` ...)."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, colour in enumerate(colours):
        image = Image.new("RGB", size, colour)
        image.paste((255, 255, 255), (10, 10, 10 + 20 * (i + 1), 30))
        path = folder / f"{i + 1:02d}.png"
        image.save(path)
        paths.append(path)
    return paths


def ffmpeg_that(folder: Path, name: str, misbehaves: str) -> str:
    """A stand-in ffmpeg (a shell script named ``name``) that runs ``misbehaves`` first (shell
    lines that may exit or hang on some arguments), then the real ffmpeg."""
    from cli_helpers import stand_in_ffmpeg

    from bzmedia import ffmpeg

    return stand_in_ffmpeg(folder, name, f'{misbehaves}exec "{ffmpeg.ffmpeg_exe()}" "$@"')
