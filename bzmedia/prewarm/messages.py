"""The messages channel's warm-up: its modules (texts, pages, images)."""

from __future__ import annotations

from bzmedia.prewarm import run


def warm() -> None:
    from bzmedia.messages import builder, images, pages, sms  # noqa: F401


run(warm)
