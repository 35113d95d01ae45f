"""A PDF page's CMYK images swapped, in memory only, for small RGB copies before a preview render.

Every print PDF embeds the logo as CMYK samples at up to 600 dpi (708 px square on the poster);
pdfium converts each sample to RGB with Adobe's CMYK table before shrinking it to the ~50 px it
takes in a 360 px preview, afresh for every document (with the samples' inflating and shrinking,
about a third of rendering a commune's seven PDF previews).  The logo is the same in every PDF
of every commune, so a worker converts it once (pdfium's own conversion), shrinks it to
:data:`OVERSAMPLE` times its shown size, and gives pdfium that copy.  The logo's preview pixels
then differ from a full-size render by a few levels at its edges (at most 21 of 255, ~400 pixels
of a preview), nothing else changes; the seven previews render in ~60 instead of ~95 CPU-ms.
The PDF file is never written.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from typing import TYPE_CHECKING

from bzmedia.lru import keep_within, recent

if TYPE_CHECKING:
    from PIL import Image

OVERSAMPLE = 4
"""The copy has this many pixels per preview pixel: pdfium's own shrinking does the last step
(at 2 the logo's edges differed by up to 45 levels, at 4 by up to 21)."""
MEMO_BYTES = 8 << 20
_shrunk: OrderedDict[tuple, Image.Image] = OrderedDict()
"""(digest of the image's stream, its size, the copy's size) -> the RGB copy, in this process."""


def _placed_images(page) -> list[tuple[object, float, float]]:
    """(handle, width, height in page points) of every image of ``page``, in forms too (the office
    sheet places its page as a form, scaled).  Raw calls: pypdfium2's object wrappers cost ~5 ms
    for the 450 objects of an office sheet, more than they would save."""
    import pypdfium2.raw as raw

    found: list[tuple[object, float, float]] = []
    matrix = raw.FS_MATRIX()

    def walk(count: int, get, outer: tuple[float, float, float, float] | None) -> None:
        for index in range(count):
            handle = get(index)
            kind = raw.FPDFPageObj_GetType(handle)
            if kind not in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM):
                continue
            raw.FPDFPageObj_GetMatrix(handle, matrix)
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            if outer is not None:  # row vectors, as PDF: the object's matrix, then its form's
                oa, ob, oc, od = outer
                a, b, c, d = a * oa + b * oc, a * ob + b * od, c * oa + d * oc, c * ob + d * od
            if kind == raw.FPDF_PAGEOBJ_FORM:
                walk(raw.FPDFFormObj_CountObjects(handle),
                     lambda i, form=handle: raw.FPDFFormObj_GetObject(form, i), (a, b, c, d))
            else:
                found.append((handle, math.hypot(a, b), math.hypot(c, d)))

    walk(raw.FPDFPage_CountObjects(page), lambda i: raw.FPDFPage_GetObject(page, i), None)
    return found


def lighten_cmyk_images(page, scale: float) -> int:
    """Give every CMYK image of ``page`` (a pypdfium2 page) that shows at ``scale`` pixels per
    point much smaller than its samples a shrunk RGB copy; returns how many were swapped."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    swapped = 0
    for handle, width_pt, height_pt in _placed_images(page):
        meta = raw.FPDF_IMAGEOBJ_METADATA()
        if (not raw.FPDFImageObj_GetImageMetadata(handle, page, meta)
                or meta.colorspace != raw.FPDF_COLORSPACE_DEVICECMYK):
            continue
        width = max(1, math.ceil(OVERSAMPLE * scale * width_pt))
        height = max(1, math.ceil(OVERSAMPLE * scale * height_pt))
        if width >= meta.width or height >= meta.height:
            continue  # shown at full size or larger: pdfium's own conversion costs no more
        image = pdfium.PdfImage(handle, page=page, pdf=page.pdf)
        try:
            small = _shrunk_copy(image, (meta.width, meta.height, meta.bits_per_pixel), (width, height))
            image.set_bitmap(pdfium.PdfBitmap.from_pil(small), pages=[page])
        except Exception:  # samples pdfium or Pillow cannot hand over (an odd format, a damaged
            continue  # stream): pdfium renders its own; the shortcut never costs a preview
        swapped += 1
    return swapped


def _shrunk_copy(image, samples: tuple[int, int, int], shown: tuple[int, int]) -> Image.Image:
    """The image's RGB pixels (as pdfium converts them) shrunk to ``shown``, kept per process by
    the digest of its stream and its samples' size and depth (the same logo in every PDF of a
    build)."""
    from PIL import Image

    key = (hashlib.sha256(image.get_data()).hexdigest(), samples, shown)
    small = recent(_shrunk, key)
    if small is None:
        full = image.get_bitmap(render=False).to_pil().convert("RGB")
        small = full.resize(shown, Image.Resampling.BOX)
        keep_within(_shrunk, key, small, MEMO_BYTES, lambda im: im.width * im.height * 3)
    return small
