"""Content hashes, atomic writes and the content-addressed store (TTS segments and the like).

Nothing bzmedia writes is ever seen half-made: every file is written to a temporary name in the
same folder and renamed into place (``os.replace`` is atomic on one file system, Windows included).
An interrupted build leaves only ``*.bzpart`` leftovers, which the next build sweeps away.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import Any

PART_SUFFIX = ".bzpart"
"""Temporary files end with this until they are complete and renamed into place."""


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _canonical(value: Any) -> Any:
    """A JSON-able form of ``value`` for hashing: dataclasses as dicts, files by their content."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name))
                for f in dataclasses.fields(value) if f.init}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, PurePath):
        path = Path(value)
        # A file counts by what it holds, so editing a logo rebuilds what shows it.
        return {"file": path.name, "sha256": sha256_file(path) if path.is_file() else None}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def fingerprint(*parts: Any) -> str:
    """A stable hash of everything that affects an output (texts, settings, asset contents)."""
    text = json.dumps([_canonical(p) for p in parts], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` if the block succeeds.

    The temporary name keeps the target's extension, so tools that pick a format by extension
    (ffmpeg, Pillow) write the right thing.  On error the partial file is removed.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.stem}.{secrets.token_hex(4)}{PART_SUFFIX}{target.suffix}")
    try:
        yield temp
        if not temp.is_file():
            raise FileNotFoundError(f"nothing was written to {temp}")
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def atomic_write(target: Path, data: bytes | str) -> None:
    """Write ``data`` to ``target`` atomically (text as UTF-8)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(target) as temp:
        temp.write_bytes(payload)


def sweep_partials(folder: Path) -> int:
    """Remove leftovers of interrupted writes under ``folder``; returns how many."""
    removed = 0
    if folder.is_dir():
        for leftover in folder.rglob(f"*{PART_SUFFIX}*"):
            if leftover.is_file():
                leftover.unlink()
                removed += 1
    return removed


class Store:
    """A content-addressed folder: a value is filed under the hash of what made it.

    Used for synthesized speech segments, so a phrase said in five communes, or in last week's
    build, is synthesized once.  Safe for several processes: entries appear atomically.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, key: str, suffix: str) -> Path:
        return self.root / key[:2] / f"{key}{suffix}"

    def get(self, key: str, suffix: str) -> Path | None:
        """The stored file for ``key``, or ``None``."""
        path = self.path_for(key, suffix)
        return path if path.is_file() else None

    @contextlib.contextmanager
    def put(self, key: str, suffix: str) -> Iterator[Path]:
        """Yield a temporary path to write the value to; it is filed under ``key`` on success."""
        with atomic_path(self.path_for(key, suffix)) as temp:
            yield temp


def default_cache_dir(output_root: Path) -> Path:
    """Where the shared store lives: ``$BZMEDIA_CACHE``, else ``<output>/.cache``."""
    override = os.environ.get("BZMEDIA_CACHE")
    return Path(override) if override else output_root / ".cache"
