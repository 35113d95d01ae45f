"""QR codes from reportlab's encoder, without importing reportlab's barcode package.

``reportlab.graphics.barcode`` imports every barcode widget when it is imported, and with them
reportlab.graphics.shapes and platypus: 0.15-0.45 s of a worker's start for nothing a PDF, a
slide or a portal page uses.  The encoder itself is one pure-Python file (it imports only ``re``
and ``itertools``), so it is loaded on its own; anything unexpected falls back to the import.
Every file of a build shows the same URL, so each process encodes it once.
"""

from __future__ import annotations

import importlib.util
from functools import cache, lru_cache
from pathlib import Path


@cache
def qr_encoder():
    """reportlab's ``qrencoder`` module."""
    try:
        spec = importlib.util.find_spec("reportlab")
        path = Path(spec.submodule_search_locations[0]) / "graphics" / "barcode" / "qrencoder.py"
        loader_spec = importlib.util.spec_from_file_location("bzmedia.printing._qrencoder", path)
        module = importlib.util.module_from_spec(loader_spec)
        loader_spec.loader.exec_module(module)
        module.QRCode  # noqa: B018  (the names used below exist in this version)
        module.QRErrorCorrectLevel.M  # noqa: B018
        return module
    except Exception:  # a reportlab laid out otherwise: the ordinary import
        from reportlab.graphics.barcode import qrencoder

        return qrencoder


@lru_cache(maxsize=16)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix of ``data`` at error correction level M (what ``QrCodeWidget(barLevel="M")``
    encodes), dark modules ``True``; about 0.05 s, once per process and text."""
    encoder = qr_encoder()
    code = encoder.QRCode(None, encoder.QRErrorCorrectLevel.M)
    code.addData(data)
    code.make()
    return tuple(tuple(bool(cell) for cell in row) for row in code.modules)
