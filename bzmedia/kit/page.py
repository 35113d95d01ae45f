"""The kit page, ``index.html``: listen, look and download, per commune, from disk or a server.

One self-contained file: inline CSS and script, no network, links relative to the kit folder, so
it works opened from ``file://`` on an office PC with no internet.  Everything shown comes from
the page job's inputs (see :mod:`bzmedia.kit.catalog`) and is HTML-escaped here.
"""

from __future__ import annotations

from typing import Any

from bzmedia.kit.assets import PAGE_CSS, PAGE_JS
from bzmedia.kit.chart import TABLE_TITLE
from bzmedia.kit.fmt import date_vi, number_vi, size_vi
from bzmedia.kit.htmlbits import (
    KIND_LABEL,
    download,
    duration_of,
    esc,
    facts,
    file_list,
    file_name,
    file_type,
    href,
)
from bzmedia.kit.page_messages import messages_block

ENGINE_LABEL = {"espeak": "espeak-ng", "gtts": "Google (gTTS)", "edge": "Microsoft Edge",
                "piper": "Piper"}
"""The speech engines as the page names them (``engine`` in a spot's manifest entry)."""
ENGINE_KIND = {"espeak": "ngoại tuyến", "edge": "giọng thần kinh", "piper": "giọng thần kinh, ngoại tuyến"}
DIALECT_LABEL = {"north": "miền Bắc", "central": "miền Trung", "south": "miền Nam"}


def spoken_by(entry: dict[str, Any]) -> str | None:
    """Who speaks a spot, in Vietnamese: the announcer's recording, or the engine and its voice
    (``Giọng: espeak-ng, miền Bắc (ngoại tuyến)``); ``None`` for a spot the manifest says nothing of."""
    if entry.get("recording"):
        return f"Ghi âm: {entry['recording']}"
    engine = entry.get("engine")
    if not engine:
        return None
    # The manifest's voice reads "edge (vi-VN-HoaiMyNeural)", "espeak (north)", "piper (x.onnx)".
    detail = str(entry.get("voice") or "").partition("(")[2].rstrip(")")
    detail = DIALECT_LABEL.get(detail, detail) if engine != "gtts" else ""
    label = ENGINE_LABEL.get(engine, engine) + (f", {detail}" if detail else "")
    kind = ENGINE_KIND.get(engine)
    return f"Giọng: {label}" + (f" ({kind})" if kind else "")


def _spot(index: int, entry: dict[str, Any]) -> str:
    title = entry.get("title") or file_name(entry["path"])
    lufs = entry.get("lufs")
    loudness = f"{number_vi(lufs, 1)} LUFS" if isinstance(lufs, int | float) else None
    voice = spoken_by(entry)
    return (f'<li class="spot"><div class="row"><strong>{index:02d}. {esc(title)}</strong>'
            f'{facts(duration_of(entry), size_vi(entry["bytes"]), loudness)}</div>'
            + (f'<p class="what voice">{esc(voice)}</p>' if voice else "")
            + f'<audio controls preload="none" src="{href(entry["path"])}"></audio>'
            f'<div class="row"><code>{esc(file_name(entry["path"]))}</code>'
            f'{_transcript_link(entry)}{download(entry["path"], f"Tải {file_type(entry)}")}</div></li>')


def _transcript_link(spot: dict[str, Any]) -> str:
    transcript = spot.get("transcript")
    if not transcript:
        return ""
    return (f'<a class="aside" href="{href(transcript["path"])}">Lời đọc '
            f'({esc(size_vi(transcript["bytes"]))})</a>')


def _audio_block(section: dict[str, Any]) -> str:
    spots = "".join(_spot(i, e) for i, e in enumerate(section["spots"], 1))
    return f'<ol class="spots">{spots}</ol>{file_list(section["files"])}'


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


def _print_block(section: dict[str, Any]) -> str:
    docs = [e for e in section["files"] if e.get("thumb")]
    rest = [e for e in section["files"] if not e.get("thumb")]
    cards = "".join(_document(e) for e in docs)
    return (f'<ul class="cards">{cards}</ul>' if cards else "") + file_list(rest)


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
            f'{file_list(group["videos"] + group["files"])}</div>')


def _signage_block(section: dict[str, Any]) -> str:
    return "".join(_screen(g) for g in section["screens"])


def _files_block(section: dict[str, Any]) -> str:
    return file_list(section["files"])


SECTION_RENDERERS = {"audio": _audio_block, "print": _print_block, "signage": _signage_block,
                     "messages": messages_block, "files": _files_block}
"""A builder's ``kit_section`` names one of these; a name not here draws a plain file list."""


def _section(section: dict[str, Any]) -> str:
    render = SECTION_RENDERERS.get(section["section"], _files_block)
    return (f'<div class="block ch-{esc(section["channel"])}"><h3>{esc(section["label"])}</h3>'
            f'{render(section)}</div>')


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



def _chart_block(chart: dict[str, str] | None) -> str:
    if not chart:
        return ""
    return (f'<div class="block chart"><h3>Xếp hạng</h3><img src="{href(chart["path"])}" '
            f'alt="{esc(chart["alt"])}" style="max-width:100%;height:auto"></div>')


def _ranking_block(ranking: dict[str, Any] | None) -> str:
    """The whole ranking once, folded (each locality's chart shows the first bars and its own)."""
    if not ranking:
        return ""
    rows = "".join(f'<tr><td class="num">{rank}</td><td>{esc(label)}</td>'
                   f'<td class="num">{esc(shown)}</td></tr>' for rank, label, shown in ranking["rows"])
    return (f'<section class="ranking" id="so_lieu"><details><summary>{esc(TABLE_TITLE)} – '
            f'{esc(ranking["caption"])} ({len(ranking["rows"])} địa phương)</summary>'
            f'<table><thead><tr><th>Hạng</th><th>Địa phương</th><th>Số liệu</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></details></section>')


def _locality(loc: dict[str, Any], campaign_id: str) -> str:
    body = (_packs_block(loc, campaign_id) + _chart_block(loc.get("chart"))
            + "".join(_section(sec) for sec in loc["sections"])
            + (f'<div class="block"><h3>Tệp khác</h3>{file_list(loc["other"])}</div>'
               if loc["other"] else ""))
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
    sections = _ranking_block(site.get("ranking"))
    sections += "".join(_locality(loc, campaign["id"]) for loc in site["localities"])
    if site.get("shared"):
        sections += ('<section class="loc shared" id="tep_chung" data-name="tệp chung"><h2>Tệp chung</h2>'
                     f'<div class="block">{file_list(site["shared"])}</div></section>')
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
