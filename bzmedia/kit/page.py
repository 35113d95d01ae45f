"""The kit page, ``index.html``: listen, look and download, per commune, from disk or a server.

One self-contained file: inline CSS and script, no network, links relative to the kit folder, so
it works opened from ``file://`` on an office PC with no internet.  Everything shown comes from
the page job's inputs (see :mod:`bzmedia.kit.catalog`) and is HTML-escaped here.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from bzmedia.kit.assets import PAGE_CSS, PAGE_JS
from bzmedia.kit.fmt import date_vi, duration_vi, number_vi, size_vi

KIND_LABEL = {
    "print": "PDF cho nhà in (có lề xén, dấu cắt)",
    "office": "PDF in văn phòng khổ A4",
    "script": "Bản đọc trực tiếp trên loa (PDF)",
    "schedule": "Lịch phát",
    "playlist": "Danh sách phát",
    "transcript": "Lời đọc (văn bản)",
    "slide-jpeg": "Ảnh JPEG",
    "slideshow": "Trình chiếu trên trình duyệt",
    "video": "Video MP4",
}


def esc(text: Any) -> str:
    """Text for HTML content or a quoted attribute."""
    return html.escape(str(text), quote=True)


def href(path: str) -> str:
    """A kit path as a relative URL (percent-encoded, then escaped for the attribute)."""
    return esc(quote(path, safe="/"))


def file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def file_type(entry: dict[str, Any]) -> str:
    """``MP3``, ``WAV``, ``PDF`` ...: what the download button gives."""
    name = file_name(entry["path"])
    return name.rsplit(".", 1)[-1].upper() if "." in name else "tệp"


def facts(*parts: str | None) -> str:
    shown = [esc(p) for p in parts if p]
    return f'<span class="facts">{" · ".join(shown)}</span>' if shown else ""


def download(path: str, label: str = "Tải về") -> str:
    return f'<a class="dl" href="{href(path)}" download>{esc(label)}</a>'


def _pixels(entry: dict[str, Any]) -> str | None:
    pixels = entry.get("pixels")
    return str(pixels).replace("x", "×") if pixels else None


def _duration(entry: dict[str, Any]) -> str | None:
    seconds = entry.get("duration_s")
    return duration_vi(seconds) if isinstance(seconds, int | float) else None


def _file_row(entry: dict[str, Any]) -> str:
    """A plain download line: what it is, its name, its size."""
    label = KIND_LABEL.get(entry["kind"], entry.get("title") or entry["kind"])
    if entry["kind"] == "playlist" and entry.get("time"):
        label = f"{label} lúc {entry['time']}"
    return (f'<li><a href="{href(entry["path"])}">{esc(label)}</a> '
            f'<code>{esc(file_name(entry["path"]))}</code> '
            f'{facts(_duration(entry), size_vi(entry["bytes"]))}</li>')


def _file_list(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return ""
    return '<ul class="files">' + "".join(_file_row(e) for e in entries) + "</ul>"


def _spot(index: int, entry: dict[str, Any]) -> str:
    title = entry.get("title") or file_name(entry["path"])
    lufs = entry.get("lufs")
    loudness = f"{number_vi(lufs, 1)} LUFS" if isinstance(lufs, int | float) else None
    return (f'<li class="spot"><div class="row"><strong>{index:02d}. {esc(title)}</strong>'
            f'{facts(_duration(entry), size_vi(entry["bytes"]), loudness)}</div>'
            f'<audio controls preload="none" src="{href(entry["path"])}"></audio>'
            f'<div class="row"><code>{esc(file_name(entry["path"]))}</code>'
            f'{_transcript_link(entry)}{download(entry["path"], f"Tải {file_type(entry)}")}</div></li>')


def _transcript_link(spot: dict[str, Any]) -> str:
    transcript = spot.get("transcript")
    if not transcript:
        return ""
    return (f'<a class="aside" href="{href(transcript["path"])}">Lời đọc '
            f'({esc(size_vi(transcript["bytes"]))})</a>')


def _audio_block(loc: dict[str, Any]) -> str:
    if not loc["spots"] and not loc["audio_files"]:
        return ""
    spots = "".join(_spot(i, e) for i, e in enumerate(loc["spots"], 1))
    return (f'<div class="block"><h3>Loa truyền thanh</h3><ol class="spots">{spots}</ol>'
            f'{_file_list(loc["audio_files"])}</div>')


def _document(entry: dict[str, Any]) -> str:
    name = file_name(entry["path"])
    pages = entry.get("pages")
    page_text = f"{pages} trang" if isinstance(pages, int) else None
    copies = entry.get("copies_per_page")
    copy_text = f"{copies} bản mỗi tờ" if isinstance(copies, int) and copies > 1 else None
    title = entry.get("title") or name
    return (f'<li class="card"><a class="thumb doc" href="{href(entry["path"])}">'
            f'<img loading="lazy" src="{href(entry["thumb"])}" alt="Trang đầu của {esc(name)}"></a>'
            f'<div class="card-text"><strong>{esc(title)}</strong>'
            f'<span class="what">{esc(KIND_LABEL.get(entry["kind"], entry["kind"]))}</span>'
            f'<code>{esc(name)}</code>{facts(page_text, copy_text, size_vi(entry["bytes"]))}'
            f'{download(entry["path"], f"Tải {file_type(entry)}")}</div></li>')


def _print_block(loc: dict[str, Any]) -> str:
    docs = [e for e in loc["documents"] if e.get("thumb")]
    rest = [e for e in loc["documents"] if not e.get("thumb")]
    if not docs and not rest:
        return ""
    cards = "".join(_document(e) for e in docs)
    return (f'<div class="block"><h3>Bản in</h3><ul class="cards">{cards}</ul>'
            f'{_file_list(rest)}</div>')


def _slide(entry: dict[str, Any]) -> str:
    name = file_name(entry["path"])
    seconds = entry.get("seconds")
    shown = None
    if isinstance(seconds, int | float):
        shown = f"{number_vi(seconds, 0 if float(seconds).is_integer() else 1)} giây"
    return (f'<li><a class="thumb" href="{href(entry["path"])}">'
            f'<img loading="lazy" src="{href(entry["thumb"])}" alt="{esc(entry.get("title") or name)}">'
            f'</a><code>{esc(name)}</code>{facts(shown)}</li>')


def _screen(group: dict[str, Any]) -> str:
    size = group["size"]
    try:
        width, height = (int(v) for v in size.split("x"))
        shape = " (màn hình dọc)" if height > width else " (màn hình ngang)"
    except ValueError:
        shape = ""
    slides = "".join(_slide(e) for e in group["slides"])
    portrait = " portrait" if shape == " (màn hình dọc)" else ""
    videos = "".join(
        f'<video controls preload="none" src="{href(v["path"])}"'
        + (f' poster="{href(group["poster"])}"' if group["poster"] else "")
        + "></video>" for v in group["videos"])
    return (f'<div class="screen{portrait}"><h4>{esc(size.replace("x", "×"))}{esc(shape)}</h4>'
            f'<ol class="slides">{slides}</ol>{videos}'
            f'{_file_list(group["videos"] + group["files"])}</div>')


def _signage_block(loc: dict[str, Any]) -> str:
    if not loc["screens"]:
        return ""
    return ('<div class="block"><h3>Màn hình</h3>'
            + "".join(_screen(g) for g in loc["screens"]) + "</div>")


def _pack(pack: dict[str, Any]) -> str:
    if not pack["name"]:
        return (f'<li class="pack empty"><strong>{esc(pack["label"])}</strong>'
                '<span class="what">Không có tệp nào cho nhóm này nên không có gói tải về.</span></li>')
    count = len(pack["members"])
    # No href until the script has seen the pack (served, or written by `bzmedia pack`): packs are
    # made on request, and a link to a zip that is not there would be a dead end.
    return (f'<li class="pack" data-pack="{esc(pack["name"])}" data-key="{esc(pack["key"])}">'
            f'<a data-href="{href("packs/" + pack["name"])}" download>'
            f'<strong>{esc(pack["label"])}</strong>'
            f'<span class="what">{esc(pack["holds"])}</span>'
            f'{facts(f"ZIP, {count} tệp", size_vi(pack["bytes"]))}</a></li>')


def _how_to_pack(campaign_id: str, options: str) -> str:
    """What to do when a pack is not there: it is made on request, by serve or by pack."""
    return ('<p class="pack-how">Gói ZIP được tạo khi cần: mở trang qua '
            f'<code>bzmedia serve output/{esc(campaign_id)}</code>, hoặc chạy '
            f'<code>bzmedia pack output/{esc(campaign_id)}{esc(options)}</code>.</p>')


def _packs_block(loc: dict[str, Any], campaign_id: str) -> str:
    items = "".join(_pack(p) for p in loc["packs"])
    how = _how_to_pack(campaign_id, " --locality " + loc["id"])
    return f'<div class="block packs"><h3>Gói tải về theo nhóm</h3><ul>{items}</ul>{how}</div>'



def _locality(loc: dict[str, Any], campaign_id: str) -> str:
    body = (_packs_block(loc, campaign_id) + _audio_block(loc) + _print_block(loc)
            + _signage_block(loc) + (f'<div class="block"><h3>Tệp khác</h3>'
                                     f'{_file_list(loc["other"])}</div>' if loc["other"] else ""))
    if not body:
        body = '<p class="what">Chưa có tệp nào cho địa phương này.</p>'
    # Locality ids are slugs (a-z, 0-9, -); the page's own ids use "_", so they never clash.
    return (f'<section class="loc" id="{esc(loc["id"])}" data-name="{esc(loc["name"])} '
            f'{esc(loc["id"])}"><h2>{esc(loc["name"])}</h2>{body}</section>')


def _header(campaign: dict[str, Any], kit_zip: dict[str, Any] | None) -> str:
    start, end, issued = (date_vi(campaign[k]) for k in ("start", "end", "date"))
    dates = []
    if start or end:
        dates.append(f"Thời gian: {start or '…'} – {end or '…'}")
    if issued:
        dates.append(f"Ban hành ngày {issued}")
    parts = [f'<p class="issuer">{esc(campaign["issuer"])}</p>',
             f'<h1>{esc(campaign["title"])}</h1>']
    if dates:
        parts.append(f'<p class="dates">{esc(" · ".join(dates))}</p>')
    if campaign["summary"]:
        parts.append(f'<p class="summary">{esc(campaign["summary"])}</p>')
    parts.append(f'<p class="url">Thông tin chi tiết: <span>{esc(campaign["url"])}</span></p>')
    if kit_zip:
        parts.append(f'<div class="packs whole"><span class="pack" data-pack="{esc(kit_zip["name"])}" '
                     f'data-key="{esc(kit_zip["key"])}"><a class="kitzip" '
                     f'data-href="{href("packs/" + kit_zip["name"])}" download>'
                     f'Tải trọn bộ tài liệu (ZIP, {kit_zip["files"]} tệp, '
                     f'{esc(size_vi(kit_zip["bytes"]))})</a></span>'
                     f'{_how_to_pack(campaign["id"], " --whole-kit")}</div>')
    return '<header class="top"><div class="wrap">' + "".join(parts) + "</div></header>"


def _finder(localities: list[dict[str, Any]]) -> str:
    jump = "".join(f'<li><a href="#{esc(loc["id"])}" data-for="{esc(loc["id"])}">'
                   f'{esc(loc["name"])}</a></li>' for loc in localities)
    return ('<nav class="finder" aria-label="Tìm địa phương"><div class="wrap">'
            '<label for="tim_kiem">Tìm địa phương</label>'
            '<input id="tim_kiem" type="search" autocomplete="off" spellcheck="false" '
            'placeholder="Tên xã, phường… (gõ không dấu cũng được)">'
            f'<p id="so_luong" aria-live="polite">{len(localities)} địa phương</p>'
            f'<ul class="jump">{jump}</ul></div></nav>')


def render_page(site: dict[str, Any]) -> str:
    """The whole page: every locality's section, the finder, and the pack links."""
    campaign = site["campaign"]
    sections = "".join(_locality(loc, campaign["id"]) for loc in site["localities"])
    if site.get("shared"):
        sections += ('<section class="loc shared" id="tep_chung" data-name="tệp chung"><h2>Tệp chung</h2>'
                     f'<div class="block">{_file_list(site["shared"])}</div></section>')
    return (
        '<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{esc(campaign["title"])} – bộ tài liệu truyền thông</title>\n'
        f'<style>:root{{--primary:{esc(campaign["primary"])};--accent:{esc(campaign["accent"])}}}'
        f'{PAGE_CSS}</style>\n</head>\n<body>\n{_header(campaign, site.get("kit_zip"))}\n'
        f'{_finder(site["localities"])}\n<main class="wrap">{sections}'
        '<p id="khong_thay" hidden>Không tìm thấy địa phương nào khớp với “<span></span>”.</p>'
        '<p id="chon" hidden>Chọn một địa phương trong danh sách ở trên, hoặc gõ tên để tìm.</p></main>\n'
        '<footer class="wrap">Bộ tài liệu tạo bằng bzmedia. Trang này mở trực tiếp từ máy tính, '
        f'không cần mạng.</footer>\n<script>{PAGE_JS}</script>\n</body>\n</html>\n'
    )
