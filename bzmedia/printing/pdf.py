"""The two PDFs of a print item: the print-shop file and the office A4 sheet, with preflight facts.

Print-shop PDF: each page is the trim plus the bleed on every side (MediaBox = BleedBox), with
TrimBox and BleedBox set on every page, backgrounds run into the bleed, and our own crop marks
in the corners of the bleed margin, outside the trim (reportlab's ``cropMarks``/``bleedWidth``
canvas options enlarge the page and scale the artwork, so we do not use them).  The canvas
starts with an embedded Be Vietnam Pro as its font, so no unembedded Helvetica is ever named,
and enforces CMYK for every colour.

Office sheet: 2 or 4 copies on A4 for an office printer, each copy scaled to fit its cell
(never enlarged), turned 90 degrees when that prints it larger, clipped to its trim, with dashed
cut lines and an unprinted edge of at least 5 mm.  Backs of two-sided pieces are placed for
long-edge duplex printing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from bzmedia.printing.draw import PageDrawer
from bzmedia.printing.fonts import face
from bzmedia.printing.piece import Piece, PreparedPage
from bzmedia.printing.textfit import PT_PER_MM

# Binary (Flate only) image streams: ASCII85 on top makes files a quarter larger and slower to
# write, and nothing reading a PDF today needs 7-bit-clean streams.
rl_config.useA85 = 0

A4_MM = (210.0, 297.0)
OFFICE_EDGE_MM = 6.0
"""Unprinted edge of the office sheet (office printers cannot print the outer ~4 mm)."""
OFFICE_GUTTER_MM = 6.0
"""Space between copies on the office sheet."""
MARK_GAP_MM = 1.0
"""Crop marks stop this far from the trim corner, so a slightly drifting cut never shows one."""
REGISTRATION = (1.0, 1.0, 1.0, 1.0)
"""Crop marks print on every plate, so the cutter sees them whatever the separation."""


def new_canvas(path: Path, size_mm: tuple[float, float], piece: Piece, what: str) -> Canvas:
    """A CMYK-only canvas whose initial font is an embedded TTF (never Helvetica)."""
    canvas = Canvas(str(path), pagesize=(size_mm[0] * PT_PER_MM, size_mm[1] * PT_PER_MM),
                    initialFontName=face("Regular").name, initialFontSize=10, pageCompression=1,
                    enforceColorSpace="cmyk", invariant=1)
    canvas.setTitle(f"{piece.title} – {piece.item} ({what})")
    canvas.setSubject(piece.locality)
    canvas.setCreator("bzmedia")
    return canvas


def write_print_pdf(path: Path, piece: Piece, pages: list[PreparedPage], store=None) -> dict:
    """The print-shop PDF; returns its preflight facts."""
    width, height = piece.trim
    bleed = piece.layout.bleed
    page_mm = (width + 2 * bleed, height + 2 * bleed)
    canvas = new_canvas(path, page_mm, piece, "print")
    drawer = PageDrawer(piece, store=store)
    trim_box = tuple(v * PT_PER_MM for v in (bleed, bleed, width + bleed, height + bleed))
    bleed_box = (0.0, 0.0, page_mm[0] * PT_PER_MM, page_mm[1] * PT_PER_MM)
    for page in pages:
        canvas.setTrimBox(trim_box)
        canvas.setBleedBox(bleed_box)
        canvas.saveState()
        canvas.translate(bleed * PT_PER_MM, bleed * PT_PER_MM)
        drawer.draw(canvas, page)
        canvas.restoreState()
        _crop_marks(canvas, width, height, bleed)
        canvas.showPage()
    fonts = _fonts_used(canvas)
    canvas.save()
    return {
        "pages": len(pages),
        "page_mm": [round(v, 2) for v in page_mm],
        "trim_mm": [round(v, 2) for v in piece.trim],
        "bleed_mm": bleed,
        "trim_box_pt": [round(v, 2) for v in trim_box],
        "bleed_box_pt": [round(v, 2) for v in bleed_box],
        "colors": "CMYK",
        "fonts": fonts,
        "fonts_embedded": all(f["embedded"] for f in fonts),
        "image_dpi": drawer.facts.image_dpi,
        "qr_mm": drawer.facts.qr_mm,
        "smallest_text_pt": round(drawer.facts.smallest_pt, 1),
    }


def _crop_marks(canvas: Canvas, width: float, height: float, bleed: float) -> None:
    """Trim marks in the four corners of the bleed margin, on the trim lines' extensions."""
    b, mm = bleed, PT_PER_MM
    marks = []
    for x in (b, b + width):
        marks += [(x, 0, x, b - MARK_GAP_MM), (x, b + height + MARK_GAP_MM, x, 2 * b + height)]
    for y in (b, b + height):
        marks += [(0, y, b - MARK_GAP_MM, y), (b + width + MARK_GAP_MM, y, 2 * b + width, y)]
    # A white line under each mark keeps it visible on a dark background in the bleed.
    for colour, line_width in (((0, 0, 0, 0), 1.2), (REGISTRATION, 0.3)):
        canvas.setStrokeColorCMYK(*colour)
        canvas.setLineWidth(line_width)
        canvas.lines([tuple(v * mm for v in mark) for mark in marks])


def _fonts_used(canvas: Canvas) -> list[dict]:
    """Every font the document refers to, and whether it is an embedded, subset TrueType."""
    found = []
    for name in sorted(canvas._doc.fontMapping):
        font = pdfmetrics.getFont(name)
        embedded = isinstance(font, TTFont)
        found.append({"name": name, "embedded": embedded, "subset": embedded})
    return found


@dataclass(frozen=True)
class Slot:
    """Where one copy goes on the office sheet (mm, origin bottom-left of the sheet)."""

    cx: float
    cy: float
    scale: float
    rotation: int
    """0, 90 or -90 degrees."""


def office_slots(trim: tuple[float, float], mode: str, back: bool) -> list[Slot]:
    """The copies of one A4 page: 2 stacked halves or 4 quarters, each copy as large as fits."""
    sheet_w, sheet_h = A4_MM
    usable_w, usable_h = sheet_w - 2 * OFFICE_EDGE_MM, sheet_h - 2 * OFFICE_EDGE_MM
    cols, rows = (1, 2) if mode == "2-up" else (2, 2)
    cell_w = (usable_w - (cols - 1) * OFFICE_GUTTER_MM) / cols
    cell_h = (usable_h - (rows - 1) * OFFICE_GUTTER_MM) / rows
    width, height = trim
    upright = min(cell_w / width, cell_h / height)
    turned = min(cell_w / height, cell_h / width)
    rotation = 90 if turned > upright * 1.001 else 0
    if back and rotation:
        rotation = -90  # long-edge duplex: the back's top must face the other side of the sheet
    scale = min(1.0, max(upright, turned))
    slots = []
    for row in range(rows):
        for col in range(cols):
            cx = OFFICE_EDGE_MM + col * (cell_w + OFFICE_GUTTER_MM) + cell_w / 2
            if back:
                cx = sheet_w - cx  # mirrored, so each back lies behind its own front
            cy = sheet_h - OFFICE_EDGE_MM - row * (cell_h + OFFICE_GUTTER_MM) - cell_h / 2
            slots.append(Slot(cx, cy, scale, rotation))
    return slots


def write_office_pdf(path: Path, piece: Piece, pages: list[PreparedPage], store=None) -> dict:
    """The office A4 sheet; returns its preflight facts."""
    canvas = new_canvas(path, A4_MM, piece, "office A4")
    drawer = PageDrawer(piece, grayscale_safe=True, store=store)
    width, height = piece.trim
    copies = 2 if piece.office == "2-up" else 4
    slots: list[Slot] = []
    for index, page in enumerate(pages):
        slots = office_slots(piece.trim, piece.office, back=index % 2 == 1)
        # The page is drawn once, as a form XObject, and placed on every copy: the copies share
        # one content stream (a quarter of the drawing and of the bytes at 4-up).
        form = f"page{index + 1}"
        _draw_form(canvas, drawer, page, form, slots[0].scale, width, height)
        for slot in slots:
            _place_copy(canvas, form, slot, width, height)
        for slot in slots:
            _cut_lines(canvas, slot, width, height)
        canvas.showPage()
    fonts = _fonts_used(canvas)
    canvas.save()
    return {
        "pages": len(pages),
        "page_mm": list(A4_MM),
        "copies_per_page": copies,
        "copy_scale": round(slots[0].scale, 3),
        "copy_rotated": slots[0].rotation != 0,
        "duplex": "long-edge" if len(pages) > 1 else None,
        "unprinted_edge_mm": OFFICE_EDGE_MM,
        "colors": "CMYK",
        "fonts": fonts,
        "fonts_embedded": all(f["embedded"] for f in fonts),
        "image_dpi": drawer.facts.image_dpi,
        "qr_mm": drawer.facts.qr_mm,
        "smallest_text_pt": round(drawer.facts.smallest_pt, 1),
        "grayscale_fixes": sorted(set(drawer.facts.gray_fixes)),
    }


def _draw_form(canvas: Canvas, drawer: PageDrawer, page, name: str, scale: float, width, height) -> None:
    """``page`` as the form XObject ``name``, its box the trim (which clips what runs into the
    bleed); ``scale`` is the copies' (all copies of a sheet share one), for the facts only."""
    mm = PT_PER_MM
    canvas.beginForm(name, 0, 0, width * mm, height * mm)
    drawer.draw(canvas, page, scale)
    canvas.endForm()


def _place_copy(canvas: Canvas, form: str, slot: Slot, width, height) -> None:
    mm = PT_PER_MM
    canvas.saveState()
    canvas.translate(slot.cx * mm, slot.cy * mm)
    canvas.rotate(slot.rotation)
    canvas.scale(slot.scale, slot.scale)
    canvas.translate(-width / 2 * mm, -height / 2 * mm)
    clip = canvas.beginPath()  # the form's box clips too; this keeps the trim clip explicit
    clip.rect(0, 0, width * mm, height * mm)
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.doForm(form)
    canvas.restoreState()


def _cut_lines(canvas: Canvas, slot: Slot, width: float, height: float) -> None:
    mm = PT_PER_MM
    w, h = (height, width) if slot.rotation else (width, height)
    w, h = w * slot.scale, h * slot.scale
    canvas.saveState()
    canvas.setStrokeColorCMYK(0, 0, 0, 0.6)
    canvas.setLineWidth(0.5)
    canvas.setDash(3, 2)
    canvas.rect((slot.cx - w / 2) * mm, (slot.cy - h / 2) * mm, w * mm, h * mm, stroke=1, fill=0)
    canvas.restoreState()
