"""Kit fixtures: a small campaign really built once per session (every channel that exists)."""

from __future__ import annotations

import pytest
from kit_helpers import SMALL_CAMPAIGN, BuiltKit, build_kit


@pytest.fixture(scope="session")
def small_kit(tmp_path_factory: pytest.TempPathFactory) -> BuiltKit:
    """The small campaign built once per test session (own empty cache); treat as read-only."""
    return build_kit(tmp_path_factory.mktemp("small-kit"), SMALL_CAMPAIGN, "kit-nho")
