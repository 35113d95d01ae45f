"""Measuring helpers for the audio tests: decode real files, measure them independently.

Loudness is measured here with pyloudnorm directly and true peak with scipy's polyphase
resampler on the decoded file, not through bzmedia's own loudness module, so a mistake there
cannot hide itself.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

from bzmedia.build import BuildOptions, build, load_builders
from bzmedia.campaign import load_campaign
from bzmedia.ffmpeg import ffmpeg_exe

SMALL_CAMPAIGN = """\
campaign:
  id: loa-nho
  title: "Cài đặt Bluezone"
  issuer: "UBND huyện Lâm Thao"
  url: https://www.bluezone.gov.vn
  date: 2020-08-05
  start: 2020-08-05
  end: 2020-08-20
variables:
  hotline: "0210 3825 368"
localities:
{localities}
pronunciations:
  Bluezone: "Blu dôn"
audio:
{voice}
  ident: "Đây là Đài truyền thanh {{locality.name}}."
  closing: "Xin cảm ơn bà con {{locality.name}}."
  pause_sentence: 0.5
  pause_paragraph: 1.2
  highpass_hz: 150
  schedule: {{times: ["06:00", "17:00"]}}
  spots:
    - id: thong-bao
      title: "Thông báo cài Bluezone"
      repeat: 2
      text: |
        Đề nghị Nhân dân {{locality.name}} cài đặt ứng dụng Bluezone.

        Mọi thắc mắc xin gọi số {{hotline}}.
    - id: khau-hieu
      title: "Khẩu hiệu"
      intro: none
      ident: false
      closing: false
      times: ["11:30"]
      text: "Bluezone là khẩu trang điện tử. Cài đặt để bảo vệ mình và cộng đồng."
"""

LOCALITIES = {
    "son-vi": '  - {id: son-vi, name: "xã Sơn Vi", hotline: "0210 3825 111"}',
    "tu-xa": '  - {id: tu-xa, name: "xã Tứ Xã", hotline: "0210 3829 214"}',
    "cao-xa": '  - {id: cao-xa, name: "xã Cao Xá", hotline: "0210 3826 035"}',
}


def write_small_campaign(folder: Path, localities=("son-vi", "tu-xa"),
                         voice: str = "  voice: {engine: espeak, dialect: north, rate: 1.0}") -> Path:
    """The small test campaign in ``folder``; returns the script path."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "loa.yaml"
    script.write_text(SMALL_CAMPAIGN.format(
        localities="\n".join(LOCALITIES[name] for name in localities), voice=voice),
        encoding="utf-8")
    return script


def build_audio(script: Path, output: Path, cache: Path, workers: int = 2, locality=()):
    """Build only the audio channel of ``script``; returns the build report."""
    campaign, _ = load_campaign(script)
    builders = [b for b in load_builders() if b.name == "audio"]
    options = BuildOptions(output_root=output, cache_dir=cache, workers=workers,
                           locality=tuple(locality))
    return build(campaign, options, builders=builders)


def decode_file(path: Path, rate: int = 44100) -> np.ndarray:
    """Mono float64 samples of any audio file, decoded by ffmpeg."""
    result = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "f64le",
                             "-ac", "1", "-ar", str(rate), "pipe:1"], capture_output=True, check=True)
    return np.frombuffer(result.stdout, dtype="<f8")


def loudness_lufs(samples: np.ndarray, rate: int = 44100) -> float:
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples))


def true_peak_dbtp(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.max(np.abs(resample_poly(samples, 4, 1)))))


def silent_runs(samples: np.ndarray, rate: int = 44100, floor_db: float = -50.0,
                min_s: float = 0.2) -> list[float]:
    """Lengths (s) of stretches quieter than ``floor_db`` (10 ms windows), longer than ``min_s``."""
    window = rate // 100
    frames = samples[: samples.size // window * window].reshape(-1, window)
    level = 20 * np.log10(np.sqrt(np.mean(frames ** 2, axis=1)) + 1e-12)
    runs, current = [], 0
    for quiet in level < floor_db:
        if quiet:
            current += 1
        else:
            if current * 0.01 >= min_s:
                runs.append(current * 0.01)
            current = 0
    if current * 0.01 >= min_s:
        runs.append(current * 0.01)
    return runs


def spoken_syllables(transcript: str) -> int:
    """Syllables of the machine-read part of a transcript (every word is one syllable)."""
    spoken = transcript.split("BẢN MÁY ĐỌC", 1)[1].split("\n", 1)[1]
    lines = [line for line in spoken.splitlines() if line and not line.startswith("[")]
    return sum(len(line.split()) for line in lines)
