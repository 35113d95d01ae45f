"""Slides drawn once per build: each slide image is filed in the shared store under its content.

Most slides do not mention the commune (in the example, 4 of 5 per size), so a kit of a hundred
communes would draw the same picture a hundred times.  A slide is filed under the hash of
everything that decides its pixels: its texts and URL, the palette, the logo's bytes, the layout,
the size, the issuer, the drawing code's own bytes and the versions of Pillow, reportlab (QR)
and the font.  The locality is
not part of it (it is drawn only through the slide's filled texts), so identical slides of
different communes share one entry.  Drawing is deterministic, so a stored slide is the same bytes
a fresh drawing would give.

Pillow is imported inside the functions: this module is only used where slides are made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bzmedia.cache import Store, fingerprint, sha256_file
from bzmedia.errors import BuildError
from bzmedia.i18n import _, language
from bzmedia.signage import slideframes
from bzmedia.signage.deck import SlideContent, SlideDeck

SLIDE_FORMAT = "4"  # 2: PNG level 1; 3: every row filtered "Up" (pngfile); 4: logos upright (EXIF)
"""Bump when the drawing code changes what a slide looks like, so stored slides are redrawn."""
PNG_LEVEL = 1
"""zlib level of slide PNGs.  At 1080p level 1 took 40 ms a slide where 6 took 65 and 9 took
170-200 (Pillow); the files are 12-24 % larger than at 6 (about 0.1 MB per size and commune
beside a 4.5 MB loop), and ffmpeg and browsers decode them as fast.  Written by
:func:`bzmedia.pngfile.png_bytes` with one filter for all rows: ~20 ms a slide."""
JPEG_QUALITY = 92
MAX_LOGO_PIXELS = 40_000_000
"""A logo larger than this (e.g. 8000x5000) would take hundreds of MB to decode for a box a few
hundred pixels wide: refused before decoding."""


@dataclass(frozen=True)
class StoredSlide:
    """One slide as the store holds it."""

    slide: SlideContent
    png: Path
    jpeg: Path | None
    warnings: tuple[str, ...]
    """What drawing it had to say (kept with the image, so a reused slide still says it)."""


DRAWING_CODE = ("signage/render.py", "signage/textfit.py", "signage/qr.py", "pngfile.py",
                "fontmetrics.py",
                "charts/draw.py", "charts/fit.py", "charts/raster.py")
"""The modules whose code decides a slide's pixels (relative to the package): their bytes are
part of every slide's key, so a change to the drawing never serves a stale stored slide."""


@cache
def _drawing_versions() -> tuple[str, ...]:
    from importlib import metadata

    package = Path(__file__).resolve().parents[1]
    code = [sha256_file(package / name) if (package / name).is_file() else name
            for name in DRAWING_CODE]
    return (metadata.version("pillow"), metadata.version("fontpkg-be-vietnam-pro"),
            metadata.version("reportlab"), metadata.version("pypdfium2"), *code)


def deck_key(deck: SlideDeck) -> str:
    """What every slide of ``deck`` shares that affects its pixels (not the locality)."""
    return fingerprint("signage-slide", SLIDE_FORMAT, _drawing_versions(), deck.palette, deck.logo,
                       deck.layout, deck.width, deck.height, deck.issuer)


def slide_key(shared: str, slide: SlideContent) -> str:
    """Store key of one slide: the deck's part (:func:`deck_key`) and the slide's own texts."""
    return fingerprint(shared, slide.kind, slide.title, slide.text, slide.points, slide.url,
                       slide.chart)


def stored_slides(deck: SlideDeck, where: dict | None, store: Store, jpeg: bool,
                  for_video: bool = False) -> list[StoredSlide]:
    """Every slide of ``deck`` from the store, drawing (and filing) only those it lacks.

    ``for_video``: the job encodes a loop of these slides next, so a picture drawn now is held
    for it (:func:`bzmedia.signage.slideframes.hold_drawn`; the job lets go of it after encoding).
    """
    shared = deck_key(deck)
    slideframes.forget_drawn()  # pictures an earlier job drew are not this job's to encode
    painter = None
    made = []
    for slide in deck.slides:
        key = slide_key(shared, slide)
        found = _lookup(store, key, jpeg)
        if found is None:
            if painter is None:
                painter = _painter(deck, where or {})
            _draw(painter, slide, store, key, jpeg, for_video)
            found = _lookup(store, key, jpeg)
            if found is None:
                raise BuildError([_("the cache lost slide '{slide}' as it was filed ({folder})").format(
                    slide=slide.id, folder=store.root)])
        png, jpg, warnings = found
        made.append(StoredSlide(slide, png, jpg, warnings))
    return made


def _lookup(store: Store, key: str, jpeg: bool) -> tuple[Path, Path | None, tuple[str, ...]] | None:
    png, notes = store.get(key, ".png"), store.get(key, ".json")
    jpg = store.get(key, ".jpg") if jpeg else None
    if png is None or notes is None or (jpeg and jpg is None):
        return None
    try:
        found = json.loads(notes.read_text(encoding="utf-8"))
        warnings = tuple(found["warnings"])
    except (OSError, ValueError, KeyError, TypeError):
        store.drop(key, ".json")
        return None
    if warnings and found.get("language") != language():  # said in another language: draw again
        return None
    return png, jpg, warnings


def _painter(deck: SlideDeck, where: dict):
    from bzmedia.signage.render import SlidePainter  # Pillow: only when something is drawn

    if deck.logo is not None:
        try:
            seen = deck.logo.stat()
            stamp = (str(deck.logo), seen.st_size, seen.st_mtime_ns)
        except OSError:
            stamp = None
        # A worker draws for many communes: decoding the whole logo (30 ms for 1200x1200) once
        # per job only to check it again would cost every commune that much per size.
        if stamp is None or stamp not in _GOOD_LOGOS:
            check_image(deck.logo, where.get("(logo)", "brand.logo"))
            if stamp is not None:
                _GOOD_LOGOS.add(stamp)
    return SlidePainter(deck, where)


_GOOD_LOGOS: set[tuple[str, int, int]] = set()
"""Logos this process has fully decoded without a problem: (path, bytes, modification time)."""


def _draw(painter, slide: SlideContent, store: Store, key: str, jpeg: bool, for_video: bool) -> None:
    from PIL import Image

    from bzmedia.kit.thumbs import file_slide_preview
    from bzmedia.pngfile import write_png

    before = len(painter.warnings)
    try:
        image = painter.paint(slide)
    except (OSError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        place = painter.where(slide, "title")
        raise BuildError([f"{place}: " + _("slide '{slide}' at {size} could not be drawn: {reason}").format(
            slide=slide.id, size=painter.deck.size, reason=_reason(exc))]) from None
    warnings = painter.warnings[before:]
    with store.put(key, ".png") as temp:
        write_png(image, temp, PNG_LEVEL)
        digest = sha256_file(temp)
    if for_video:  # the loop's encode run reads its pixels, not the PNG
        slideframes.hold_drawn(digest, image)
    # The kit's preview of this slide, from the picture in memory: the kit stage finds it filed
    # under the PNG's hash and only copies it (no second decode of a 1080p PNG per new slide).
    file_slide_preview(image, digest, store)
    if jpeg:
        with store.put(key, ".jpg") as temp:
            # Baseline (not progressive), 4:2:0: what the cheapest USB players decode.
            image.save(temp, "JPEG", quality=JPEG_QUALITY, progressive=False, optimize=False,
                       subsampling="4:2:0")
    with store.put(key, ".json") as temp:
        temp.write_text(json.dumps({"warnings": warnings, "language": language()}, ensure_ascii=False),
                        encoding="utf-8")


def check_image(path: Path, where: str) -> None:
    """Refuse, with a located message, an image Pillow cannot fully decode or one far too large."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_LOGO_PIXELS:
                raise BuildError([f"{where}: " + _(
                    "{file} is {width}x{height} px, more than a slide can use ({most} megapixels at most); "
                    "use a smaller PNG or JPEG").format(file=path.name, width=width, height=height,
                                                        most=MAX_LOGO_PIXELS // 1_000_000)])
            image.load()
    except BuildError:
        raise
    except (OSError, ValueError, EOFError, SyntaxError, Image.DecompressionBombError) as exc:
        reason = _reason(exc).replace(f"'{path}'", "").replace(str(path), path.name).strip()
        raise BuildError([f"{where}: " + _("{file} cannot be read as an image: {reason}").format(
            file=path.name, reason=reason)]) from None


def _reason(exc: BaseException) -> str:
    from PIL import Image

    if isinstance(exc, Image.DecompressionBombError):
        return _("it claims more pixels than any slide needs (refused before decoding)")
    if isinstance(exc, OSError) and not str(exc):
        return exc.strerror or type(exc).__name__
    return str(exc).split("\n", 1)[0][:200] or type(exc).__name__
