"""The signage channel's warm-up: its drawing, fitting, chart and video modules, font metrics."""

from __future__ import annotations

from bzmedia.prewarm import WEIGHTS, run


def warm() -> None:
    import pypdfium2  # noqa: F401 - charts are drawn by reportlab and rasterized by pdfium
    import reportlab.graphics.shapes  # noqa: F401

    from bzmedia.charts import draw, raster  # noqa: F401
    from bzmedia.fontmetrics import font_metrics
    from bzmedia.signage import builder, render, slidestore, textfit, video  # noqa: F401

    for weight in WEIGHTS:
        font_metrics(weight)


run(warm)
