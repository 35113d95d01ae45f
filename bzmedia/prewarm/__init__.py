"""What the build's fork server loads before it forks workers, per builder.

Workers are forked from a small server (:mod:`bzmedia.buildpool`), so whatever the server has
imported, compiled or measured, every worker starts with, shared, instead of each worker (two per
build, two more for every pool retired) paying for it on its first job.  The server takes what
the builders of the build's jobs need, and always the kit stage's warm-up (reportlab's graphics,
pypdfium2, Babel): the kit plans only once the channels' jobs are done, on the same server, and
whether its charts or previews will be remade is not known when the server starts.  So a build
that makes no PDF still loads part of reportlab, in the server (a worker pays nothing for what
it inherits, but the server's start takes longer).

Each builder's module here does its warm-up when imported (the fork server can only import), and
keeps it in ``warm()`` so a test can call it and see it fail.  A warm-up that fails is skipped:
the job that needs the same thing will report the problem in its own words.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

COMMON = ("bzmedia.buildpool", "numpy", "PIL.Image")
"""Loaded for any job: the pool's own module (it runs every job) and what most channels draw or
compute with."""

WEIGHTS = ("Regular", "Medium", "SemiBold", "Bold", "ExtraBold")
"""The Be Vietnam Pro weights the built-in layouts draw with."""

FOR_BUILDER = {
    "audio": "bzmedia.prewarm.audio",
    "print": "bzmedia.prewarm.printing",
    "signage": "bzmedia.prewarm.signage",
    "messages": "bzmedia.prewarm.messages",
    "kit": "bzmedia.prewarm.kit",
}
"""The warm-up module of each builder, by name; a builder not listed starts cold (correct, only
slower on its first job in each worker)."""


def modules_for(builders: Iterable[str]) -> list[str]:
    """The modules the fork server imports for jobs of ``builders``, common ones first."""
    wanted = {FOR_BUILDER[name] for name in builders if name in FOR_BUILDER}
    return [*COMMON, *sorted(wanted)]


def run(warm: Callable[[], object]) -> None:
    """Run a warm-up at import; anything it raises is left for the job that needs it to report
    (an exception other than ImportError would end the fork server, and the build with it)."""
    with contextlib.suppress(Exception):
        warm()
