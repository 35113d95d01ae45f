"""The print channel's warm-up: reportlab and the embedded fonts (parsed once, shared)."""

from __future__ import annotations

from bzmedia.prewarm import WEIGHTS, run


def warm() -> None:
    import reportlab.pdfgen.canvas  # noqa: F401

    from bzmedia.printing import builder, draw, pdf, qrcode  # noqa: F401
    from bzmedia.printing.fonts import face

    for weight in WEIGHTS:
        face(weight).name  # registers the TrueType font with reportlab  # noqa: B018


run(warm)
