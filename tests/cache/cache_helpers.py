"""A tiny two-commune campaign, built for real (espeak, ffmpeg), audio only, and ways to read it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bzmedia.build import BuildOptions, BuildReport, build, load_builders
from bzmedia.campaign import load_campaign

TINY_CAMPAIGN = """\
campaign:
  id: loa-ngan
  title: "Cài đặt Bluezone"
  issuer: "UBND huyện Lâm Thao"
  url: https://www.bluezone.gov.vn
localities:
  - {id: son-vi, name: "xã Sơn Vi"}
  - {id: tu-xa, name: "xã Tứ Xã"}
audio:
  voice: {engine: espeak, dialect: north}
  ident: "Đây là Đài truyền thanh {locality.name}."
  spots:
    - id: thong-bao
      text: "Bà con {locality.name} hãy cài Bluezone."
    - id: cam-on
      ident: false
      intro: none
      text: "Xin cảm ơn bà con."
"""


def write_tiny_campaign(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "loa.yaml"
    script.write_text(TINY_CAMPAIGN, encoding="utf-8")
    return script


def build_tiny_audio(script: Path, output: Path, cache: Path, workers: int = 1) -> BuildReport:
    """Build only the audio channel of ``script`` into ``output`` with the store at ``cache``."""
    campaign, _ = load_campaign(script)
    builders = [b for b in load_builders() if b.name == "audio"]
    return build(campaign, BuildOptions(output_root=output, cache_dir=cache, workers=workers),
                 builders=builders)


def kit_digests(kit: Path) -> dict[str, str]:
    """sha256 of every file the manifest lists, computed from the files themselves."""
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    digests = {}
    for entry in manifest["files"]:
        actual = hashlib.sha256((kit / entry["path"]).read_bytes()).hexdigest()
        assert actual == entry["sha256"], entry["path"]
        digests[entry["path"]] = actual
    return digests


def segments(cache: Path) -> list[Path]:
    """The stored speech segments (WAV entries) under ``cache``, in a stable order."""
    return sorted(cache.rglob("*.wav"))
