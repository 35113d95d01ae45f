"""A warm-up that fails, for ``test_prewarm``: imported by the fork server like a builder's."""

from bzmedia.prewarm import run


def warm() -> None:
    raise RuntimeError("a warm-up with a bug")


run(warm)
