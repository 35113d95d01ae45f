"""The print channel: every ``print:`` item, for every locality, as print-shop and office PDFs.

One job per item and locality writes ``<locality>/print/<item>.pdf`` (kind ``print``, or
``script`` for a live-read script) and, unless the item or its layout says ``office: none``,
``<locality>/print/<item>-office-a4.pdf`` (kind ``office``).  Each file's manifest entry carries
its preflight facts: page size, trim and bleed boxes, fonts and whether they are embedded,
image resolution, QR size, the smallest text size.
"""

from __future__ import annotations

from dataclasses import replace

from bzmedia.builder import Builder, Job, JobContext, Output, OutputKind, Plan
from bzmedia.i18n import _
from bzmedia.printing.content import make_piece
from bzmedia.printing.piece import Piece, prepare, shown_values

MIN_IMAGE_DPI = 300
"""Images below this resolution at their printed size look soft or jagged from a press."""
ITEM_FIELDS = ("headline", "subhead", "points", "steps", "steps_title", "body", "footer", "spot",
               "size", "layout", "qr")


class PrintBuilder(Builder):
    """Leaflets, posters, stickers and live-read scripts as PDFs, per locality."""

    name = "print"
    version = "3"  # 2: the office sheet places each page as one form XObject; 3: a logo turned
    # upright as its EXIF orientation says (other logos: the same PDFs)
    label = "Bản in"
    kit_section = "print"
    pack_audience = "in"
    pack_label = "Nhà in"
    pack_holds = "PDF cho nhà in và bản in văn phòng A4"
    pack_kinds = ((OutputKind.SCRIPT, "loa"),)  # the live-read script is read at the loudspeaker

    def jobs(self, plan: Plan) -> list[Job]:
        jobs = []
        source = plan.campaign.source
        for locality in plan.localities:
            resolved = plan.resolved[locality.id]
            for item in resolved.print_:
                piece = make_piece(resolved, locality, item)
                where = {name: item.where(source, name) for name in ITEM_FIELDS}
                where["item"] = item.where(source)
                where["script"] = where["spot"]
                where["logo"] = resolved.brand.where(source, "logo")
                jobs.append(self.job(locality.id, item.id, piece, (f"{locality.id}/print/",), where))
        return jobs

    def key_inputs(self, name: str, inputs: Piece) -> Piece:
        """The piece with only the variables the layout shows, not all of the locality's: a rank
        among N communes changes for every commune when one is added, and would otherwise
        rebuild every PDF although none prints it.  The piece keeps them all (validate's
        messages name the variable to shorten in an item's text)."""
        return replace(inputs, values=shown_values(inputs))

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        from bzmedia.printing.pdf import write_office_pdf, write_print_pdf  # reportlab: only to draw

        piece: Piece = job.inputs
        piece.where = dict(job.where or {})
        piece.values = shown_values(piece)  # draw from exactly what the key holds
        pages = prepare(piece)
        base = f"{job.locality}/print/{piece.item}"
        with ctx.open_path(f"{base}.pdf") as temp:
            meta = write_print_pdf(temp, piece, pages, ctx.cache)
        self._warn_dpi(ctx, piece, meta)
        kind = OutputKind.SCRIPT if piece.kind == "script" else OutputKind.PRINT
        outputs = [Output(f"{base}.pdf", kind, meta)]
        if piece.office != "none":
            with ctx.open_path(f"{base}-office-a4.pdf") as temp:
                office_meta = write_office_pdf(temp, piece, pages, ctx.cache)
            outputs.append(Output(f"{base}-office-a4.pdf", OutputKind.OFFICE, office_meta))
        return outputs

    @staticmethod
    def _warn_dpi(ctx: JobContext, piece: Piece, meta: dict) -> None:
        low = [dpi for dpi in meta["image_dpi"] if dpi < MIN_IMAGE_DPI]
        if low:
            where = piece.where.get("item", piece.item)
            ctx.warn(f"{where}: {piece.locality}: " + _(
                "the logo prints at {dpi} dpi on '{item}' (a press needs {needed}); use a larger "
                "image").format(
                dpi=f"{min(low):.0f}", item=piece.item, needed=MIN_IMAGE_DPI))
