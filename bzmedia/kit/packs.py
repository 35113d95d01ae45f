"""Reproducible zip packs, made on request: streamed by ``serve`` or written by ``bzmedia pack``.

A pack is never stored by the build (it would repeat every MP3, MP4 and PNG of the kit).  Instead
its exact bytes follow from its members alone: entries sorted by name, every entry *stored* (media
gains nothing from deflate, and stored sizes make the length known before the first byte), one
timestamp, mode 0644 from a Unix host, no extra fields, and the pack's key as the zip comment.  So
``serve`` can answer ``Content-Length`` and byte ranges up front, and a pack written to disk is the
same file, byte for byte, as the one streamed.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bzmedia.errors import BuildError
from bzmedia.i18n import _

BLOCK = 1 << 20
FILE_MODE = 0o100644
"""A regular file, rw-r--r--."""
VERSION_MADE_BY = (3 << 8) | 20
"""Unix host, zip spec 2.0."""
VERSION_NEEDED = 20
UTF8_FLAG = 1 << 11
LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
END_RECORD = struct.Struct("<IHHHHIIH")
ZIP_LIMIT = 0xFFFFFFFF
"""Offsets and sizes must fit in 32 bits (no zip64 here): about 4 GiB a pack."""


@dataclass(frozen=True)
class Member:
    """One file of a pack: its name inside the zip and where its bytes come from."""

    name: str
    source: Path | None = None
    data: bytes | None = None
    size: int = 0
    """Bytes of ``source`` (or of ``data``)."""
    sha256: str | None = None
    """What ``source`` must still hold (from the manifest); checked when its CRC is taken."""

    @classmethod
    def of_data(cls, name: str, data: bytes) -> Member:
        return cls(name, data=data, size=len(data))


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def _name_bytes(member: Member) -> tuple[bytes, int]:
    """The name as stored and the flag bits it needs (UTF-8 names say so, for Windows unzip)."""
    try:
        return member.name.encode("ascii"), 0
    except UnicodeEncodeError:
        return member.name.encode("utf-8"), UTF8_FLAG


def pack_length(members: Iterable[Member], comment: str = "") -> int:
    """The exact length of the pack, from names and sizes only (no file is read)."""
    total = END_RECORD.size + len(comment.encode("utf-8"))
    for member in members:
        name, _flag = _name_bytes(member)
        total += LOCAL_HEADER.size + CENTRAL_HEADER.size + 2 * len(name) + member.size
    return total


class Pack:
    """The byte layout of one pack: headers as bytes, file contents as (path, size) pieces."""

    def __init__(self, members: Iterable[Member], date_time: tuple[int, ...], comment: str = "",
                 crc_of: Callable[[Member], int] | None = None) -> None:
        ordered = sorted(members, key=lambda m: m.name)
        names = [m.name for m in ordered]
        if len(set(names)) != len(names):
            raise ValueError("duplicate names in a pack")
        self.members = ordered
        self.length = pack_length(ordered, comment)
        if self.length > ZIP_LIMIT or len(ordered) >= 0xFFFF:
            raise BuildError([_("a pack of {count} files and {size} bytes is too large for one zip; "
                                "make packs per locality instead").format(count=len(ordered),
                                                                          size=self.length)])
        self.pieces = self._layout(ordered, date_time, comment, crc_of or member_crc)

    @staticmethod
    def _layout(members: list[Member], date_time: tuple[int, ...], comment: str,
                crc_of: Callable[[Member], int]) -> list[bytes | Member]:
        time, date = _dos_time(date_time)
        pieces: list[bytes | Member] = []
        central, offset = [], 0
        for member in members:
            name, flags = _name_bytes(member)
            crc = crc_of(member)
            pieces.append(LOCAL_HEADER.pack(0x04034B50, VERSION_NEEDED, flags, 0, time, date, crc,
                                            member.size, member.size, len(name), 0) + name)
            pieces.append(member)
            central.append(CENTRAL_HEADER.pack(
                0x02014B50, VERSION_MADE_BY, VERSION_NEEDED, flags, 0, time, date, crc, member.size,
                member.size, len(name), 0, 0, 0, 0, FILE_MODE << 16, offset) + name)
            offset += LOCAL_HEADER.size + len(name) + member.size
        directory = b"".join(central)
        note = comment.encode("utf-8")
        pieces.append(directory + END_RECORD.pack(0x06054B50, 0, 0, len(members), len(members),
                                                  len(directory), offset, len(note)) + note)
        return pieces

    def chunks(self, first: int = 0, last: int | None = None) -> Iterator[bytes]:
        """The bytes ``first`` to ``last`` (inclusive) of the pack, a block at a time."""
        last = self.length - 1 if last is None else last
        position = 0
        for piece in self.pieces:
            size = len(piece) if isinstance(piece, bytes) else piece.size
            start, end = max(first, position), min(last + 1, position + size)
            if start < end:
                if isinstance(piece, bytes):
                    yield piece[start - position:end - position]
                else:
                    yield from _member_bytes(piece, start - position, end - start)
            position += size
            if position > last:
                return


def _member_bytes(member: Member, offset: int, length: int) -> Iterator[bytes]:
    if member.data is not None:
        yield member.data[offset:offset + length]
        return
    with open(member.source, "rb") as handle:
        if os.fstat(handle.fileno()).st_size != member.size:
            raise BuildError([_("{file}: changed since the kit was built; run the build again").format(
                file=member.source)])
        handle.seek(offset)
        while length > 0:
            block = handle.read(min(BLOCK, length))
            if not block:
                raise BuildError([_("{file}: shorter than the kit's manifest says; run the build "
                                    "again").format(file=member.source)])
            yield block
            length -= len(block)


def member_crc(member: Member) -> int:
    """CRC-32 of a member, checking a file still has the size and sha256 the manifest gives."""
    if member.data is not None:
        return zlib.crc32(member.data)
    crc, digest, size = 0, hashlib.sha256(), 0
    with open(member.source, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            crc = zlib.crc32(block, crc)
            digest.update(block)
            size += len(block)
    if size != member.size or (member.sha256 and digest.hexdigest() != member.sha256):
        raise BuildError([_("{file}: changed since the kit was built; run the build again").format(
            file=member.source)])
    return crc


def write_pack(target: Path, pack: Pack) -> None:
    """Write ``pack`` to ``target`` (a temporary path the caller renames into place)."""
    with open(target, "wb") as sink:
        for chunk in pack.chunks():
            sink.write(chunk)


def read_comment(path: Path) -> str | None:
    """The comment of the zip at ``path`` (a pack's key), or None when it is not such a zip."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            tail_size = min(size, END_RECORD.size + 0xFFFF)
            handle.seek(size - tail_size)
            tail = handle.read(tail_size)
    except OSError:
        return None
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + END_RECORD.size > len(tail):
        return None
    length = END_RECORD.unpack_from(tail, at)[-1]
    note = tail[at + END_RECORD.size:at + END_RECORD.size + length]
    try:
        return note.decode("utf-8") if len(note) == length else None
    except UnicodeDecodeError:
        return None
