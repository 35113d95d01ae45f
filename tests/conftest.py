"""Fixtures every test room shares: the example campaign and a scratch output folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"


@pytest.fixture
def example_script() -> Path:
    """The example campaign as shipped (read-only: copy it before changing it)."""
    return CONTENT / "bluezone-2020.yaml"


@pytest.fixture
def campaign_dir(tmp_path: Path) -> Path:
    """A writable copy of content/ (script plus assets) in a temporary folder."""
    target = tmp_path / "campaign"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty shared cache for this test only (so tests never see each other's segments)."""
    path = tmp_path / "cache"
    monkeypatch.setenv("BZMEDIA_CACHE", str(path))
    return path


@pytest.fixture
def small_disk(tmp_path):
    """A real 1 MB file system (tmpfs), or skip where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)
