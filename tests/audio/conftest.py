"""One small audio kit built once per test session (per xdist worker) and shared read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from audio_helpers import build_audio, write_small_campaign


class BuiltKit:
    """The small campaign's audio, built with a fresh cache."""

    def __init__(self, root: Path) -> None:
        self.script = write_small_campaign(root / "campaign")
        self.cache = root / "cache"
        self.output = root / "output"
        self.report = build_audio(self.script, self.output, self.cache)
        self.kit = self.output / "loa-nho"


@pytest.fixture(scope="session")
def small_kit(tmp_path_factory: pytest.TempPathFactory) -> BuiltKit:
    return BuiltKit(tmp_path_factory.mktemp("small-audio-kit"))
