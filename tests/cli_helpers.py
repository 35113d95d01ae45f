"""Running the real CLI in a fresh process, and stand-in ffmpegs, for tests of every folder
(``tests/`` is on the import path through its ``conftest.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LANG_VARS = ("BZMEDIA_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""What picks the language of messages: none is inherited from the machine running the tests."""


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 60,
            **env: str) -> subprocess.CompletedProcess:
    """``python -m bzmedia ARGS`` with only the language variables given here set."""
    clean = {k: v for k, v in os.environ.items() if k not in LANG_VARS}
    return subprocess.run([sys.executable, "-m", "bzmedia", *args], capture_output=True, text=True, cwd=cwd,
                          env={**clean, "PYTHONIOENCODING": "utf-8", **env}, timeout=timeout, check=False)


def stand_in_ffmpeg(folder: Path, name: str, body: str) -> str:
    """An executable shell script ``folder/name`` running ``body``: an ffmpeg that misbehaves."""
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)
