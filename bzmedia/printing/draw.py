"""Draw a prepared page on a reportlab canvas: grounds, panels, text, QR code, logo.

The canvas is expected to be translated so that the trim's bottom-left corner is at (0, 0);
layout rectangles (millimetres from the top-left) are turned into points here.  Backgrounds and
panels that touch a trim edge run on into the bleed.  Every colour is a CMYK ink; text in the
``text`` role is 100 % K.  With ``grayscale_safe`` (the office sheet) a text whose colour would
print too faint against its ground in grey is printed in black or white instead.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image

from bzmedia.campaign.assets import upright_size
from bzmedia.campaign.print_layout import (
    QR_MIN_MODULE_MM,
    QR_MIN_SYMBOL_MM,
    QR_QUIET_MODULES,
    ImageBox,
    PageLayout,
    Rect,
)
from bzmedia.contrast import needed_contrast
from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.printing.colors import BLACK, Ink, contrast, legible_on, palette
from bzmedia.printing.fonts import face
from bzmedia.printing.logos import MAX_IMAGE_DPI, embed, logo_image
from bzmedia.printing.piece import Piece, PreparedBox, PreparedPage
from bzmedia.printing.qrcode import qr_matrix
from bzmedia.printing.textfit import BULLET_RADIUS, DISC_RADIUS, MARKER_RAISE, PT_PER_MM


@dataclass
class DrawFacts:
    """What was drawn, for the preflight summary."""

    qr_mm: list[float] = field(default_factory=list)
    """Printed size of each QR symbol (without quiet zone), mm."""
    image_dpi: list[float] = field(default_factory=list)
    """Resolution of each placed image as embedded, at its printed size."""
    smallest_pt: float = 0.0
    """Smallest text size used."""
    gray_fixes: list[str] = field(default_factory=list)
    """Boxes whose text colour was swapped for grey legibility."""


class PageDrawer:
    """Draws the pages of one piece and notes what it drew."""

    def __init__(self, piece: Piece, grayscale_safe: bool = False, store=None) -> None:
        self.piece = piece
        self.store = store
        """The build's content store (converted logos), or ``None``."""
        self.inks = palette(piece.colors)
        self.grayscale_safe = grayscale_safe
        self.facts = DrawFacts()

    def draw(self, canvas, page: PreparedPage, scale: float = 1.0) -> None:
        """Draw ``page`` with its trim at (0, 0); ``scale`` is the sheet's, for the facts only."""
        width, height = self.piece.trim
        bleed = self.piece.layout.bleed
        layout = page.layout
        self._fill(canvas, Rect(-bleed, -bleed, width + 2 * bleed, height + 2 * bleed),
                   self.inks[layout.background])
        for panel in layout.panels:
            if panel.when and not self.piece.values.get(panel.when, "").strip():
                continue
            ink = self.inks[panel.color].tinted(panel.tint)
            self._fill(canvas, _into_bleed(panel.rect(width, height), width, height, bleed), ink)
        for prepared in page.boxes:
            self._text(canvas, prepared, self._ground(layout, prepared.rect), scale)
        if layout.qr is not None and self.piece.qr:
            self._qr(canvas, layout.qr, scale)
        if layout.logo is not None and self.piece.logo is not None:
            self._logo(canvas, layout, scale)
        if layout.chart is not None:
            self._chart(canvas, layout, scale)

    # -- geometry ------------------------------------------------------------------------------
    def _pdf_rect(self, rect: Rect) -> tuple[float, float, float, float]:
        height = self.piece.trim[1]
        return (rect.x * PT_PER_MM, (height - rect.y - rect.h) * PT_PER_MM,
                rect.w * PT_PER_MM, rect.h * PT_PER_MM)

    def _fill(self, canvas, rect: Rect, ink: Ink) -> None:
        canvas.setFillColorCMYK(ink.c, ink.m, ink.y, ink.k)
        canvas.rect(*self._pdf_rect(rect), stroke=0, fill=1)

    def _ground(self, layout: PageLayout, rect: Rect) -> Ink:
        """The colour under the centre of ``rect``: the topmost panel there, else the page."""
        cx, cy = rect.x + rect.w / 2, rect.y + rect.h / 2
        width, height = self.piece.trim
        for panel in reversed(layout.panels):
            if panel.when and not self.piece.values.get(panel.when, "").strip():
                continue
            p = panel.rect(width, height)
            if p.x <= cx <= p.right and p.y <= cy <= p.bottom:
                return self.inks[panel.color].tinted(panel.tint)
        return self.inks[layout.background]

    # -- text ----------------------------------------------------------------------------------
    def _text_ink(self, role: str, ground: Ink, size: float, bold: bool, name: str) -> Ink:
        ink = self.inks[role]
        if self.grayscale_safe and contrast(ink, ground) < needed_contrast(size, bold):
            better = legible_on(ground)
            self.facts.gray_fixes.append(
                f"{name}: {role} on its ground is {contrast(ink, ground):.1f}:1 in grey; printed "
                f"{'black' if better == BLACK else 'white'}")
            return better
        return ink

    def _text(self, canvas, prepared: PreparedBox, ground: Ink, scale: float) -> None:
        box, fitted = prepared.box, prepared.fitted
        size = fitted.size
        bold = box.font in ("SemiBold", "Bold", "ExtraBold", "Black")
        ink = self._text_ink(box.color, ground, size * scale, bold, prepared.name)
        x0, y0, w, h = self._pdf_rect(prepared.rect)
        free = h - fitted.height
        top = y0 + h - {"top": 0.0, "middle": free / 2, "bottom": free}[box.valign]
        font = face(box.font)
        for line in fitted.lines:
            baseline = top - line.baseline
            room = w - line.indent
            x = x0 + line.indent + {"left": 0.0, "center": (room - line.width) / 2,
                                    "right": room - line.width}[box.align]
            if line.marker:
                self._marker(canvas, box, line.marker, x0, baseline, size, ground, scale)
            canvas.setFillColorCMYK(ink.c, ink.m, ink.y, ink.k)
            canvas.setFont(font.name, size)
            canvas.drawString(x, baseline, line.text)
        smallest = size * scale
        self.facts.smallest_pt = min(self.facts.smallest_pt or smallest, smallest)

    def _marker(self, canvas, box, marker: str, x0, baseline, size, ground: Ink, scale) -> None:
        disc = self.inks[box.marker_color]
        canvas.setFillColorCMYK(disc.c, disc.m, disc.y, disc.k)
        if marker == "bullet":
            canvas.circle(x0 + 0.3 * size, baseline + MARKER_RAISE * size, BULLET_RADIUS * size,
                          stroke=0, fill=1)
            return
        cx, cy, radius = x0 + DISC_RADIUS * size, baseline + MARKER_RAISE * size, DISC_RADIUS * size
        canvas.circle(cx, cy, radius, stroke=0, fill=1)
        digits = self._text_ink(box.marker_text, disc, size * 0.8 * scale, True, "step number")
        digit_face = face("Bold")
        canvas.setFillColorCMYK(digits.c, digits.m, digits.y, digits.k)
        canvas.setFont(digit_face.name, size * 0.8)
        canvas.drawCentredString(cx, cy - 0.36 * size * 0.8, marker)

    # -- QR code ---------------------------------------------------------------------------------
    def _qr(self, canvas, box: ImageBox, scale: float) -> None:
        rect = box.rect(*self.piece.trim)
        side = min(rect.w, rect.h)
        square = _align(rect, side, side, box.align, box.valign)
        x, y, w, _h = self._pdf_rect(square)
        ground = self.inks[box.ground]
        canvas.setFillColorCMYK(ground.c, ground.m, ground.y, ground.k)
        canvas.rect(x, y, w, w, stroke=0, fill=1)
        modules, _runs = qr_runs(self.piece.url)
        # the print shop's size: an office sheet's smaller copy prints what an office printer can
        self._check_modules(side * modules / (modules + 2 * QR_QUIET_MODULES), modules)
        canvas.setFillColorCMYK(0, 0, 0, 1)
        canvas.addLiteral(qr_operators(self.piece.url, x, y, w))  # the canvas's fill rule: even-odd
        symbol = side * modules / (modules + 2 * QR_QUIET_MODULES)
        self.facts.qr_mm.append(round(symbol * scale, 1))
        if symbol < QR_MIN_SYMBOL_MM - 1e-6:
            raise ValueError(f"QR symbol {symbol:.1f} mm < {QR_MIN_SYMBOL_MM} mm")  # layout check missed

    def _check_modules(self, symbol_mm: float, modules: int) -> None:
        """A long address makes a code of many small modules, which no phone reads from paper."""
        if symbol_mm / modules >= QR_MIN_MODULE_MM:
            return
        where = self.piece.where.get("qr", self.piece.where.get("item", self.piece.item))
        raise BuildError([f"{where}: {self.piece.locality}: " + _(
            "the QR code of the {length}-character address has {modules} modules a side: at {size} mm "
            "each is {module} mm, and a phone needs {least} mm; use a shorter address (or a layout "
            "with a larger QR box), or set qr: false").format(
            length=len(self.piece.url), modules=modules, size=f"{symbol_mm:.0f}",
            module=f"{symbol_mm / modules:.2f}", least=f"{QR_MIN_MODULE_MM:g}")])

    # -- chart -----------------------------------------------------------------------------------
    def _chart(self, canvas, layout: PageLayout, scale: float) -> None:
        """The piece's chart as vectors (:mod:`bzmedia.charts`), in CMYK like everything else."""
        from reportlab.graphics import renderPDF
        from reportlab.lib.colors import CMYKColor

        from bzmedia.charts.draw import ChartDoesNotFit, ChartStyle, chart_drawing

        box, where = layout.chart, self.piece.where.get("item", self.piece.item)
        if self.piece.chart is None:
            raise BuildError([f"{where}: {self.piece.locality}: " + _(
                "layout '{layout}' draws a chart and the script has no stats: figures").format(
                layout=self.piece.layout.name)])
        inks = {"bar": box.bar, "highlight": box.highlight, "outline": box.color, "text": box.color}
        colors = {role: CMYKColor(*_ink_values(self.inks[name])) for role, name in inks.items()}
        x, y, w, h = self._pdf_rect(box.rect(*self.piece.trim))
        try:
            chart = chart_drawing(self.piece.chart, w, h, ChartStyle(colors, box.size, box.min_size))
        except ChartDoesNotFit as exc:
            raise BuildError([f"{where}: {self.piece.locality}: " + _(
                "print item '{item}', the chart of layout '{layout}': {reason}").format(
                item=self.piece.item, layout=self.piece.layout.name, reason=exc)]) from None
        renderPDF.draw(chart.drawing, canvas, x, y)
        smallest = chart.label_size * scale
        self.facts.smallest_pt = min(self.facts.smallest_pt or smallest, smallest)

    # -- logo ------------------------------------------------------------------------------------
    def _logo(self, canvas, layout: PageLayout, scale: float) -> None:
        box = layout.logo
        rect = box.rect(*self.piece.trim)
        ground = self._ground(layout, rect)
        try:
            px_w, px_h = _image_size(self.piece.logo)
        except (OSError, Image.UnidentifiedImageError) as exc:
            where = self.piece.where.get("logo", str(self.piece.logo))
            raise BuildError([f"{where}: {self.piece.locality}: " + _(
                "the logo cannot be read as an image ({reason}); use a PNG or JPEG").format(
                reason=exc)]) from None
        aspect = px_w / px_h
        w = min(rect.w, rect.h * aspect)
        placed = _align(rect, w, w / aspect, box.align, box.valign)
        dpi = px_w / (placed.w / 25.4)
        embed(canvas, self._logo_image(ground, placed.w), *self._pdf_rect(placed))
        # As embedded: sources above MAX_IMAGE_DPI are downsampled to it.
        self.facts.image_dpi.append(round(min(dpi, MAX_IMAGE_DPI) / scale))

    def _logo_image(self, ground: Ink, width_mm: float):
        return logo_image(self.piece.logo, ground, round(width_mm, 2), self.store)


def _image_size(path) -> tuple[int, int]:
    """The pixel size of the image at ``path``, read once per process and version of the file."""
    stat = path.stat()
    return _image_size_of(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _image_size_of(path: str, _mtime_ns: int, _size: int) -> tuple[int, int]:
    return upright_size(Path(path))


@lru_cache(maxsize=8)
def qr_runs(url: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The module count of ``url``'s QR symbol (level M) and its dark runs ``(row, column,
    length)`` along each row: every PDF of a build prints the same URL, so each worker finds
    them once."""
    matrix = qr_matrix(url)
    runs = []
    for row, cells in enumerate(matrix):
        column = 0
        for dark, group in itertools.groupby(cells):
            count = len(list(group))
            if dark:
                runs.append((row, column, count))
            column += count
    return len(matrix), tuple(runs)


@lru_cache(maxsize=32)
def qr_operators(url: str, x: float, y: float, w: float) -> str:
    """The page operators that fill the dark runs of ``url``'s symbol in a ``w`` pt square at
    (x, y): exactly what ``canvas.rect(..., stroke=0, fill=1)`` appends for each run (under the
    canvas's default even-odd rule, which we never change), made once
    per process and place (the same for every commune's copy of an item; 300 rectangles cost
    3 ms a PDF one by one).

    We paint the runs ourselves in 100 % K (renderPDF would also reference Helvetica, an
    unembedded base font), with the arithmetic of reportlab's QrCodeWidget.draw, so the
    rectangles are the numbers its widget would give."""
    from reportlab.lib.rl_accel import fp_str

    modules, runs = qr_runs(url)
    box_size = float(w) / (modules + QR_QUIET_MODULES * 2.0)
    ops = []
    for row, column, count in runs:
        left = (column + QR_QUIET_MODULES) * box_size
        top = (row + QR_QUIET_MODULES + 1) * box_size
        ops.append(f"n {fp_str(x + left, y + (w - top), count * box_size, box_size)} re f*")
    return "\n".join(ops)


def _align(rect: Rect, w: float, h: float, align: str, valign: str) -> Rect:
    x = rect.x + {"left": 0.0, "center": (rect.w - w) / 2, "right": rect.w - w}[align]
    y = rect.y + {"top": 0.0, "middle": (rect.h - h) / 2, "bottom": rect.h - h}[valign]
    return Rect(x, y, w, h)


def _into_bleed(rect: Rect, width: float, height: float, bleed: float) -> Rect:
    """``rect`` with every edge that lies on (or beyond) the trim line pushed out into the bleed."""
    left = -bleed if rect.x <= 1e-6 else rect.x
    top = -bleed if rect.y <= 1e-6 else rect.y
    right = width + bleed if rect.right >= width - 1e-6 else rect.right
    bottom = height + bleed if rect.bottom >= height - 1e-6 else rect.bottom
    return Rect(left, top, right - left, bottom - top)


def _ink_values(ink: Ink) -> tuple[float, float, float, float]:
    return ink.c, ink.m, ink.y, ink.k
