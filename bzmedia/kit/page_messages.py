"""The kit page's section for text channels (``kit_section = "messages"``): texts to copy, pages
to look at, images to download.

Drawn from what each file's manifest entry says, not from its channel's name: an entry with a
``text`` gets a box and a copy button (with its ``counts``, and the characters that forced
UCS-2), one with ``frame`` is shown in a sandboxed frame, an HTML page is linked to open, images
are shown as they are (no preview is made: they are small and load lazily), the rest is listed.
"""

from __future__ import annotations

from typing import Any

from bzmedia.kit.fmt import size_vi
from bzmedia.kit.htmlbits import KIND_LABEL, download, esc, facts, file_list, file_name, href, pixels_of

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def _rows(text: str) -> int:
    """Lines the box opens with where the browser cannot fit it to its text (CSS ``field-sizing``):
    the text's own lines, long ones wrapped at about 40 characters, as on a narrow screen."""
    return max(2, min(14, sum(len(line) // 40 + 1 for line in text.split("\n"))))


def _text(entry: dict[str, Any]) -> str:
    """A message to copy: its counts, what forced UCS-2, the text in a box and a copy button."""
    title = entry.get("title") or file_name(entry["path"])
    forcing = entry.get("forcing")
    counts = entry.get("counts")
    why = ""
    if forcing and not (counts and all(char in counts for char in forcing)):  # unless counts say it
        why = f'<span class="what">Ký tự buộc dùng UCS-2: <code>{esc(" ".join(forcing))}</code></span>'
    image = entry.get("image")
    picture = (f'<a class="msg-image" href="{href(image)}"><img loading="lazy" src="{href(image)}" '
               f'alt="Ảnh gửi kèm"></a>' if image else "")
    return (f'<li class="msg"><div class="row"><strong>{esc(title)}</strong>'
            f'{facts(counts)}</div>{why}'
            f'<textarea readonly rows="{_rows(entry["text"])}" spellcheck="false" '
            f'aria-label="{esc(title)}">{esc(entry["text"])}</textarea>'
            f'<div class="row"><span><button type="button" class="copy">Sao chép</button>'
            f'<span class="copied" aria-live="polite"></span></span>'
            f'{download(entry["path"], "Tải tệp " + file_name(entry["path"]))}</div>{picture}</li>')


def _framed(entry: dict[str, Any]) -> str:
    """A page shown as phones see it, in a frame that may run nothing and go nowhere."""
    title = entry.get("title") or file_name(entry["path"])
    return (f'<div class="framed"><div class="row"><strong>{esc(title)}</strong>'
            f'<a href="{href(entry["path"])}">Mở trang</a>{facts(size_vi(entry["bytes"]))}</div>'
            f'<iframe sandbox="" loading="lazy" src="{href(entry["path"])}" title="{esc(title)}">'
            '</iframe></div>')


def _images(kind: str, entries: list[dict[str, Any]]) -> str:
    items = "".join(
        f'<li><a class="thumb" href="{href(e["path"])}"><img loading="lazy" src="{href(e["path"])}" '
        f'alt="{esc(e.get("title") or file_name(e["path"]))}"></a><code>{esc(file_name(e["path"]))}</code>'
        f'{facts(pixels_of(e), size_vi(e["bytes"]))}</li>' for e in entries)
    return f'<h4>{esc(KIND_LABEL.get(kind, kind))}</h4><ul class="pictures">{items}</ul>'


def _page_link(entry: dict[str, Any]) -> str:
    title = entry.get("title") or file_name(entry["path"])
    return (f'<li><a href="{href(entry["path"])}">{esc(title)}</a> '
            f'<code>{esc(file_name(entry["path"]))}</code> {facts(size_vi(entry["bytes"]))}</li>')


def messages_block(section: dict[str, Any]) -> str:
    """Texts first (unaccented SMS before the accented one), then framed pages, pages, images."""
    entries = section["files"]
    texts = sorted((e for e in entries if isinstance(e.get("text"), str)),
                   key=lambda e: (e["kind"], e.get("form") != "khong-dau", e["path"]))
    framed = [e for e in entries if e.get("frame") and e not in texts]
    pages = [e for e in entries if e["path"].endswith(".html") and e not in texts + framed]
    images: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if entry["path"].lower().endswith(IMAGE_SUFFIXES) and entry not in texts + framed:
            images.setdefault(entry["kind"], []).append(entry)
    shown = {e["path"] for e in texts + framed + pages} | {e["path"] for g in images.values() for e in g}
    parts = []
    if texts:
        parts.append('<ul class="msgs">' + "".join(_text(e) for e in texts) + "</ul>")
    parts.extend(_framed(e) for e in framed)
    if pages:
        parts.append('<ul class="files">' + "".join(_page_link(e) for e in pages) + "</ul>")
    rank = {kind: i for i, kind in enumerate(KIND_LABEL)}  # social images, banners, steps
    for kind in sorted(images, key=lambda k: (rank.get(k, len(rank)), k)):
        parts.append(_images(kind, images[kind]))
    parts.append(file_list([e for e in entries if e["path"] not in shown]))
    return "".join(parts)
