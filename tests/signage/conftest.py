"""Fixtures shared by the signage tests."""

from __future__ import annotations

import pytest

from bzmedia import ffmpeg
from bzmedia.signage import slideframes


@pytest.fixture(autouse=True)
def no_kept_frames():
    """Each test starts as a fresh worker: no converted slide frames kept by an earlier test."""
    slideframes.forget_frames()
    yield
    slideframes.forget_frames()


@pytest.fixture
def ffmpeg_runs(monkeypatch):
    """The arguments of every ffmpeg run made during the test (each still really runs)."""
    runs: list[list[str]] = []
    real = ffmpeg.run

    def counting(args, what, **options):
        runs.append(list(args))
        return real(args, what, **options)

    monkeypatch.setattr(ffmpeg, "run", counting)
    return runs
