"""Where a build's cache lives, in a module of its own: the no-op shortcut needs the folder
without importing the cache (its hashing loads OpenSSL)."""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir(output_root: Path) -> Path:
    """Where the shared store lives: ``$BZMEDIA_CACHE``, else ``<output>/.cache``."""
    override = os.environ.get("BZMEDIA_CACHE")
    return Path(override) if override else output_root / ".cache"
