"""The messages channel: SMS and Zalo texts, the wifi-portal page, the web article, images.

Per locality, two jobs write ``<locality>/messages/``:

- ``texts``: ``sms-khong-dau.txt`` (GSM-7), ``sms-co-dau.txt`` (UCS-2), ``zalo.txt``,
  ``wifi-portal.html`` (self-contained), ``bai-viet.html`` (fragment to paste) and
  ``bai-viet-xem-truoc.html`` (preview); pure text, no image library;
- ``images``: ``anh/`` social images, banners and step images (drawn by the signage painter).

One campaign-wide job writes ``messages/tin-nhan-sms.csv``: one row per locality and SMS form,
UTF-8 with BOM and CRLF so Excel and bulk-SMS gateways read the diacritics.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass

from bzmedia.builder import Builder, Job, JobContext, Output, OutputKind, Plan
from bzmedia.cache import fingerprint_memo
from bzmedia.campaign.messages_spec import ZALO_MAX_CHARS
from bzmedia.errors import BuildError
from bzmedia.i18n import _, number
from bzmedia.messages.images import PALETTE_ROLES, STEP_SIZE, ImageText, image_plan
from bzmedia.messages.limits import filled, zalo_text
from bzmedia.messages.pages import (
    PORTAL_MAX_BYTES,
    ArticleText,
    PageText,
    article_fragment,
    page_text,
    portal_page,
    preview_page,
)
from bzmedia.messages.sms import SmsForm, both_forms

CSV_HEADER = ("Mã địa phương", "Địa phương", "Dạng", "Mã hóa", "Số ký tự", "Số đơn vị tính",
              "Số tin", "Ký tự buộc dùng UCS-2", "Nội dung")
SOCIAL_FOR_ZALO = "anh/mang-xa-hoi-1200x630.png"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell Excel or LibreOffice reads as a formula when it starts with one of these (CSV injection:
a locality name from someone else's spreadsheet could run ``=HYPERLINK(...)`` on an office PC)."""


@dataclass(frozen=True)
class TextsJob:
    """A ``texts`` job's inputs: every filled text of one locality."""

    locality: str
    sms: tuple[SmsForm, SmsForm] | None
    zalo: str | None
    page: PageText
    article: ArticleText | None
    has_images: bool


class MessagesBuilder(Builder):
    """Texts and pages for phones and the web."""

    name = "messages"
    version = "3"  # 2: texts and counts in the manifest for the kit page; 3: formula-safe CSV
    label = "Tin nhắn và trang mạng"
    kit_section = "messages"
    kit_meta = ("text", "counts", "encoding", "forcing", "parts", "chars", "form", "image", "frame")
    pack_audience = "tin-nhan"
    pack_label = "Tin nhắn và trang mạng"
    pack_holds = "SMS, Zalo, trang Wi-Fi, bài viết, ảnh mạng xã hội"
    light_jobs = frozenset({"texts", "sms-csv"})  # the images job draws with Pillow

    def jobs(self, plan: Plan) -> list[Job]:
        spec = plan.campaign.messages
        if spec is None:
            return []
        jobs = []
        for locality in plan.localities:
            resolved = plan.resolved[locality.id]
            folder = f"{locality.id}/messages/"
            where = _places(resolved)
            texts = _texts_job(resolved, locality)
            jobs.append(self.job(locality.id, "texts", texts, (folder,), where=where))
            images = image_plan(_image_text(resolved, locality), resolved.messages.images,
                                resolved.messages.article is not None)
            if images.sets:
                jobs.append(self.job(locality.id, "images", images, (f"{folder}anh/",), where=where))
        if spec.sms is not None:
            rows = _csv_rows(plan.campaign)
            jobs.append(self.job("*", "sms-csv", rows, ("messages/",),
                                 where=spec.sms.where(plan.campaign.source, "text")))
        return jobs

    def make(self, job: Job, ctx: JobContext) -> list[Output]:
        if job.name == "sms-csv":
            return [_write_csv(job.inputs, ctx)]
        if job.name == "images":
            return _write_images(job, ctx)
        return _write_texts(job.inputs, ctx)


def _texts_job(resolved, locality) -> TextsJob:
    spec = resolved.messages
    url = spec.url or resolved.campaign.url
    page = page_text(spec, resolved.campaign, resolved.brand.colors, locality.name)
    article = None
    if spec.article is not None:
        names = tuple(f"anh/buoc-{n}.png" for n in range(1, len(spec.steps) + 1))
        article = ArticleText(spec.article.title, spec.article.lead, tuple(spec.steps),
                              spec.article.closing, url, names, STEP_SIZE)
    sms = both_forms(spec.sms.text) if spec.sms else None
    zalo = zalo_text(spec.zalo.text, url) if spec.zalo else None
    return TextsJob(locality.id, sms, zalo, page, article, spec.images)


def _image_text(resolved, locality) -> ImageText:
    spec = resolved.messages
    palette = tuple((role, getattr(resolved.brand.colors, role)) for role in PALETTE_ROLES)
    return ImageText(spec.title, spec.url or resolved.campaign.url, resolved.campaign.issuer,
                     tuple(spec.steps), locality.id, locality.name, palette)


def _places(resolved) -> dict:
    """``file:line:col: key.path`` of what each image shows, for the painter's messages."""
    source, spec = resolved.source, resolved.messages
    title = spec.where(source, "title")
    url = spec.where(source, "url") if spec.url else resolved.campaign.where(source, "url")
    places: dict = {"(issuer)": resolved.campaign.where(source, "issuer")}
    for slide_id in ("mang-xa-hoi", "banner"):
        places[slide_id] = {None: title, "title": title, "text": url, "url": url}
    for n in range(1, len(spec.steps) + 1):
        places[f"buoc-{n}"] = {None: spec.where(source, "steps"), "points": spec.where(source, "steps")}
    return places


def _write_texts(inputs: TextsJob, ctx: JobContext) -> list[Output]:
    folder = f"{inputs.locality}/messages"
    outputs = []
    for form in inputs.sms or ():
        path = f"{folder}/sms-{form.form}.txt"
        ctx.write(path, form.text + "\n")
        outputs.append(Output(path, OutputKind.SMS, {
            "title": f"SMS {'không dấu' if form.form == 'khong-dau' else 'có dấu'}",
            "form": form.form, "encoding": form.encoding, "chars": form.chars, "units": form.units,
            "parts": form.parts, "forcing": form.forcing, "text": form.text, "counts": sms_counts(form)}))
    if inputs.zalo is not None:
        ctx.write(f"{folder}/zalo.txt", inputs.zalo + "\n")
        counts = f"{len(inputs.zalo):,}/{ZALO_MAX_CHARS:,} ký tự".replace(",", ".")  # 1.234: Vietnamese
        meta = {"title": "Tin nhắn Zalo OA", "chars": len(inputs.zalo), "limit": ZALO_MAX_CHARS,
                "text": inputs.zalo, "counts": counts}
        if inputs.has_images:
            meta["image"] = f"{folder}/{SOCIAL_FOR_ZALO}"
        outputs.append(Output(f"{folder}/zalo.txt", OutputKind.ZALO, meta))
    page = portal_page(inputs.page)
    size = len(page.encode("utf-8"))
    if size > PORTAL_MAX_BYTES:  # validate found it (messages.portalcheck): a last guard
        raise BuildError([_("messages ({locality}): the wifi-portal page is {size} bytes; a captive portal "
                            "page should stay under {limit} (shorten the title, text, steps or "
                            "address)").format(
            locality=inputs.locality, size=number(size), limit=number(PORTAL_MAX_BYTES))])
    ctx.write(f"{folder}/wifi-portal.html", page)
    outputs.append(Output(f"{folder}/wifi-portal.html", OutputKind.PORTAL,
                          {"title": "Trang thông báo wifi công cộng", "frame": True}))
    if inputs.article is not None:
        fragment = article_fragment(inputs.article)
        ctx.write(f"{folder}/bai-viet.html", fragment)
        ctx.write(f"{folder}/bai-viet-xem-truoc.html", preview_page(inputs.article, fragment))
        outputs.append(Output(f"{folder}/bai-viet.html", OutputKind.ARTICLE,
                              {"title": "Bài viết cho cổng thông tin điện tử (đoạn HTML)"}))
        outputs.append(Output(f"{folder}/bai-viet-xem-truoc.html", OutputKind.ARTICLE_PREVIEW,
                              {"title": "Bài viết: xem trước"}))
    return outputs


def sms_counts(form: SmsForm) -> str:
    """What a gateway bills, in words the kit page shows: ``102 ký tự · 2 tin · UCS-2 (vì: ã ơ đ)``."""
    counts = f"{form.chars} ký tự · {form.parts} tin · {form.encoding}"
    return f"{counts} (vì: {' '.join(form.forcing)})" if form.forcing else counts


def _write_images(job: Job, ctx: JobContext) -> list[Output]:
    # Pillow (through the signage painter) is imported here, never while planning.
    from bzmedia.signage.slidestore import stored_slides

    folder = f"{job.locality}/messages/anh"
    outputs = []
    # The job's 7 decks share 2 layouts (read once per process): each is hashed into the slides'
    # keys once, not once per deck (the hashing was half of the job for a commune whose images
    # are all in the store).
    with fingerprint_memo():
        drawn = [(deck, image_set, stored_slides(deck, job.where, ctx.cache, False))
                 for deck, image_set in job.inputs.decks()]
    for deck, image_set, slides in drawn:
        for made, name in zip(slides, image_set.names, strict=True):
            with ctx.open_path(f"{folder}/{name}") as temp:
                shutil.copyfile(made.png, temp)
            for message in made.warnings:
                ctx.warn(f"{job.locality} {name}: {message}")
            outputs.append(Output(f"{folder}/{name}", image_set.kind, {"pixels": deck.size,
                                                                       "title": name.rsplit(".", 1)[0]}))
    return outputs


def _csv_rows(campaign) -> tuple[tuple, ...]:
    """One row per locality and SMS form, every locality of the kit (not only those built now)."""
    rows = []
    for locality in campaign.kit_localities():
        for form in filled(campaign, campaign.messages, locality).sms:
            rows.append((locality.id, locality.name, form.form, form.encoding, form.chars, form.units,
                         form.parts, form.forcing, form.text))
    return tuple(rows)


def _as_text_cell(cell):
    """A text cell that a spreadsheet would read as a formula, behind an apostrophe (shown as text,
    the apostrophe hidden, by Excel); numbers and ordinary texts unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _write_csv(rows: tuple[tuple, ...], ctx: JobContext) -> Output:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(tuple(_as_text_cell(cell) for cell in row) for row in rows)
    # The BOM makes Excel read UTF-8 (without it, "đề nghị" opens as mojibake).
    ctx.write("messages/tin-nhan-sms.csv", buffer.getvalue().encode("utf-8-sig"))
    return Output("messages/tin-nhan-sms.csv", OutputKind.SMS_TABLE, {"rows": len(rows),
                                                             "title": "Bảng tin nhắn SMS"})
