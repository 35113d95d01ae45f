"""The example's messages channel built once for the room's tests (``--only messages``, real CLI)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bzmedia.cli import cli

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def messages_kit(tmp_path_factory) -> Path:
    """``output/bluezone-2020`` of ``bzmedia build content/bluezone-2020.yaml --only messages``."""
    root = tmp_path_factory.mktemp("messages")
    shutil.copytree(REPO / "content", root / "campaign")
    result = CliRunner().invoke(cli, ["build", str(root / "campaign" / "bluezone-2020.yaml"), "-o",
                                      str(root / "output"), "--only", "messages"],
                                env={"BZMEDIA_CACHE": str(root / "cache")}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "output" / "bluezone-2020"
