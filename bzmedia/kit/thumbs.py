"""Small PNG previews: the first page of a PDF (cut to its trim box) and scaled-down slides.

Previews are filed in the shared content-addressed store under the source file's sha256, so a
slide shown by a hundred communes is previewed once, and an unchanged PDF is never rendered
twice.  A slide's preview is filed by the signage channel as it draws the slide
(:func:`file_slide_preview`, from the picture in memory), so the kit stage only copies it.
Rendering is deterministic (same pdfium, same Pillow): same source, same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bzmedia.builder import OutputKind
from bzmedia.cache import Store, fingerprint
from bzmedia.errors import BuildError
from bzmedia.i18n import _

if TYPE_CHECKING:
    from PIL import Image

THUMB_VERSION = "3"  # 3: slides scaled in two steps, PNG level 6
PDF_THUMB_VERSION = "4"  # 4: CMYK images shrunk before pdfium renders them, PNG level 3
PDF_MAX = 360
"""Longest side of a PDF preview in pixels (shown at about 180 px, sharp on phone screens)."""
SLIDE_MAX = 400
"""Longest side of a slide preview in pixels."""


def _fit(width: float, height: float, longest: int) -> float:
    return longest / max(width, height)


def render_pdf_first_page(source: Path) -> Image.Image:
    """The first page of ``source`` within its TrimBox (no bleed, no crop marks), as RGB."""
    import pypdfium2 as pdfium  # heavy: imported when a preview is made, not when planning

    from bzmedia.kit.pdfimages import lighten_cmyk_images

    pdf = pdfium.PdfDocument(str(source))
    try:
        if len(pdf) == 0:
            raise ValueError(_("the PDF has no pages"))
        page = pdf[0]
        media = page.get_mediabox()
        trim = page.get_trimbox()
        crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
        scale = _fit(trim[2] - trim[0], trim[3] - trim[1], PDF_MAX)
        lighten_cmyk_images(page, scale)
        image = page.render(scale=scale, crop=crop).to_pil().convert("RGB")
        page.close()
        return image
    finally:
        pdf.close()


def scale_slide(source: Path) -> Image.Image:
    """A slide scaled down to :data:`SLIDE_MAX` on its longest side."""
    from PIL import Image

    with Image.open(source) as image:
        return shrink_slide(image)


def shrink_slide(image: Image.Image) -> Image.Image:
    """``image`` (a slide) scaled down to :data:`SLIDE_MAX` on its longest side, as RGB."""
    from PIL import Image

    image = image.convert("RGB")
    scale = min(1.0, _fit(image.width, image.height, SLIDE_MAX))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    # reducing_gap: a box reduction to about twice the size first, then Lanczos: 13 ms instead
    # of 30 ms for a 1080p slide, a mean difference of 0.1 of 255 levels.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


SLIDE_PNG_LEVEL = 6
PDF_PNG_LEVEL = 3
"""A PDF preview's deflate level: 7 previews a commune in 5.5 instead of 12.4 ms at level 6, 13 %
more bytes (73 instead of 65 KB).  Slides keep level 6: their previews are filed by signage under
keys that name the old level."""


@dataclass(frozen=True)
class PreviewRecipe:
    """How the files of one kind are previewed: what the store key names, how the picture is made
    from the file, and the PNG's deflate level.  A new kind of preview is one recipe in
    :data:`RECIPES`."""

    suffix: str
    """The file type the preview reads (a kind's other files, e.g. slide JPEGs, get none)."""
    versions: tuple[str, ...]
    """The recipe's versions as its store key names them (bump one to remake those previews)."""
    render: Callable[[Path], Image.Image]
    png_level: int


SLIDE_RECIPE = PreviewRecipe(".png", (THUMB_VERSION,), scale_slide, SLIDE_PNG_LEVEL)
"""Slides keep the key without :data:`PDF_THUMB_VERSION`: signage files their previews under it."""
PDF_RECIPE = PreviewRecipe(".pdf", (THUMB_VERSION, PDF_THUMB_VERSION), render_pdf_first_page, PDF_PNG_LEVEL)
RECIPES: dict[str, PreviewRecipe] = {OutputKind.PRINT: PDF_RECIPE, OutputKind.OFFICE: PDF_RECIPE,
                                     OutputKind.SCRIPT: PDF_RECIPE, OutputKind.SLIDE: SLIDE_RECIPE}
"""Kinds that get a small PNG preview under ``thumbs/``, by manifest kind."""


def _png_bytes(image: Image.Image, level: int) -> bytes:
    """A 256-colour PNG: previews of flat slides and pages look the same at a third of the bytes."""
    from PIL import Image

    small = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    # Not optimize (level 9): 10 ms a preview; level 6 took 1 ms, 4 % more bytes than 9.
    small.save(buffer, "PNG", compress_level=level)
    return buffer.getvalue()


def _key(kind: str, sha256: str) -> str:
    return fingerprint("kit-thumb", *RECIPES[kind].versions, kind, sha256, PDF_MAX, SLIDE_MAX)


def file_slide_preview(image: Image.Image, sha256: str, store: Store) -> None:
    """File the preview of a slide whose PNG has ``sha256``, from its picture in memory.

    The same bytes :func:`thumbnail` would make from the PNG (Pillow decodes its own PNG to the
    same pixels), without decoding it again.
    """
    key = _key(OutputKind.SLIDE, sha256)
    if store.get(key, ".png") is None:
        with store.put(key, ".png") as temp:
            temp.write_bytes(_png_bytes(shrink_slide(image), SLIDE_RECIPE.png_level))


def thumbnail(source: Path | Callable[[], Path], sha256: str, kind: str, store: Store) -> Path:
    """The stored preview of the file whose content has ``sha256`` (rendered now from ``source``
    if the store has none; ``source`` may be a function finding the file, called only then)."""
    recipe = RECIPES[kind]  # the kit asks only for kinds it has (catalog.has_preview)
    key = _key(kind, sha256)
    found = store.get(key, ".png")
    if found:
        return found
    if callable(source):
        source = source()
    try:
        image = recipe.render(source)
    except Exception as exc:  # pdfium and Pillow raise many types; all mean "cannot read it"
        raise BuildError([_("{file}: cannot make a preview of this {kind} file: {reason}").format(
            file=source, kind=kind, reason=exc)]) from exc
    with store.put(key, ".png") as temp:
        temp.write_bytes(_png_bytes(image, recipe.png_level))
    return store.path_for(key, ".png")


def same_file(path: Path, other: Path) -> bool:
    """Whether ``path`` exists with exactly ``other``'s bytes (previews are a few KB)."""
    try:
        return path.stat().st_size == other.stat().st_size and path.read_bytes() == other.read_bytes()
    except OSError:
        return False
