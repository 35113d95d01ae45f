"""Reproducible zip files: the same members give the same bytes, build after build.

Everything a zip records besides the content is fixed: entries sorted by name, one timestamp, mode
0644 from a Unix host, no extra fields, and a compression chosen by file type (already-compressed
media is stored, text and PDFs are deflated at zlib's default level).
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable
from pathlib import Path

from bzmedia.errors import BuildError

STORED_SUFFIXES = {".mp3", ".mp4", ".png", ".jpg", ".jpeg", ".zip", ".m4a", ".ogg", ".webm"}
"""Deflating these gains nothing and costs time, so they are stored as they are."""
FILE_MODE = 0o100644
"""A regular file, rw-r--r--."""
UNIX_HOST = 3
BLOCK = 1 << 20


class Member:
    """One file of a zip: its name inside the zip and where its bytes come from."""

    def __init__(self, name: str, source: Path | None = None, data: bytes | None = None,
                 sha256: str | None = None) -> None:
        self.name, self.source, self.data, self.sha256 = name, source, data, sha256


def _info(name: str, date_time: tuple[int, ...]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    suffix = Path(name).suffix.lower()
    info.compress_type = zipfile.ZIP_STORED if suffix in STORED_SUFFIXES else zipfile.ZIP_DEFLATED
    info.create_system = UNIX_HOST
    info.external_attr = FILE_MODE << 16
    return info


def _copy_checked(member: Member, sink) -> None:
    """Copy a kit file into the zip, checking it still has the sha256 the job was planned with."""
    digest = hashlib.sha256()
    with open(member.source, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
            sink.write(block)
    if member.sha256 and digest.hexdigest() != member.sha256:
        raise BuildError([f"{member.source}: changed while the kit was being built; "
                          "run the build again"])


def write_zip(target: Path, members: Iterable[Member], date_time: tuple[int, ...]) -> None:
    """Write ``members`` (sorted by name) to the zip file ``target``."""
    ordered = sorted(members, key=lambda m: m.name)
    names = [m.name for m in ordered]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate names in {target.name}")
    with zipfile.ZipFile(target, "w") as archive:
        for member in ordered:
            info = _info(member.name, date_time)
            with archive.open(info, "w", force_zip64=False) as sink:
                if member.data is not None:
                    sink.write(member.data)
                else:
                    _copy_checked(member, sink)
