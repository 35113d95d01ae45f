"""The kit stage's warm-up: the page, previews and charts, and Babel's Vietnamese data."""

from __future__ import annotations

from bzmedia.prewarm import run


def warm() -> None:
    import pypdfium2  # noqa: F401 - previews of PDFs
    import reportlab.graphics.shapes  # noqa: F401

    from bzmedia.charts import raster  # noqa: F401
    from bzmedia.kit import builder, chart, page, thumbs  # noqa: F401
    from bzmedia.kit.fmt import duration_vi

    duration_vi(65)  # loads Babel and its ``vi`` locale data


run(warm)
