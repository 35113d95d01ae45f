"""Small PNG previews: the first page of a PDF (cut to its trim box) and scaled-down slides.

Previews are filed in the shared content-addressed store under the source file's sha256, so the
page's thumbnail jobs and the whole-kit zip share one rendering, and an unchanged PDF is never
rendered twice.  Rendering is deterministic (same pdfium, same Pillow): same source, same bytes.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from bzmedia.cache import Store, fingerprint
from bzmedia.errors import BuildError

if TYPE_CHECKING:
    from PIL import Image

THUMB_VERSION = "2"
PDF_MAX = 360
"""Longest side of a PDF preview in pixels (shown at about 180 px, sharp on phone screens)."""
SLIDE_MAX = 400
"""Longest side of a slide preview in pixels."""


def _fit(width: float, height: float, longest: int) -> float:
    return longest / max(width, height)


def render_pdf_first_page(source: Path) -> Image.Image:
    """The first page of ``source`` within its TrimBox (no bleed, no crop marks), as RGB."""
    import pypdfium2 as pdfium  # heavy: imported when a preview is made, not when planning

    pdf = pdfium.PdfDocument(str(source))
    try:
        if len(pdf) == 0:
            raise ValueError("the PDF has no pages")
        page = pdf[0]
        media = page.get_mediabox()
        trim = page.get_trimbox()
        crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
        scale = _fit(trim[2] - trim[0], trim[3] - trim[1], PDF_MAX)
        image = page.render(scale=scale, crop=crop).to_pil().convert("RGB")
        page.close()
        return image
    finally:
        pdf.close()


def scale_slide(source: Path) -> Image.Image:
    """A slide scaled down to :data:`SLIDE_MAX` on its longest side."""
    from PIL import Image

    with Image.open(source) as image:
        image = image.convert("RGB")
        scale = min(1.0, _fit(image.width, image.height, SLIDE_MAX))
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        return image.resize(size, Image.Resampling.LANCZOS)


def _png_bytes(image: Image.Image) -> bytes:
    """A 256-colour PNG: previews of flat slides and pages look the same at a third of the bytes."""
    from PIL import Image

    small = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def thumbnail(source: Path, sha256: str, kind: str, store: Store) -> Path:
    """The stored preview of ``source`` (rendered now if the store has none)."""
    key = fingerprint("kit-thumb", THUMB_VERSION, kind, sha256, PDF_MAX, SLIDE_MAX)
    found = store.get(key, ".png")
    if found:
        return found
    try:
        image = scale_slide(source) if kind == "slide" else render_pdf_first_page(source)
    except Exception as exc:  # pdfium and Pillow raise many types; all mean "cannot read it"
        raise BuildError([f"{source}: cannot make a preview of this {kind} file: {exc}"]) from exc
    with store.put(key, ".png") as temp:
        temp.write_bytes(_png_bytes(image))
    return store.path_for(key, ".png")


def copy_thumbnail(source: Path, sha256: str, kind: str, store: Store, target: Path) -> None:
    """Write the preview of ``source`` to ``target`` (a temporary path the caller renames)."""
    shutil.copyfile(thumbnail(source, sha256, kind, store), target)
