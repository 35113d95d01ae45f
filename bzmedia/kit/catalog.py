"""Sort the channels' manifest entries into what the page and the packs need (main process).

Everything here is plain JSON-able data: it becomes the inputs of the kit's jobs, so the page and
every pack are rebuilt exactly when a file they cover (by sha256) or a fact they show changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from bzmedia.builder import Plan
from bzmedia.campaign.variables import for_locality

AUDIENCES = (
    ("loa", "Loa truyền thanh", "MP3, lịch phát, danh sách phát, bản đọc"),
    ("in", "Nhà in", "PDF cho nhà in và bản in văn phòng A4"),
    ("man-hinh", "Màn hình", "ảnh đánh số, video MP4, danh sách phát, trình chiếu"),
    ("tin-nhan", "Tin nhắn và trang mạng", "SMS, Zalo, trang Wi-Fi, bài viết, ảnh mạng xã hội"),
)
"""Pack suffix, who it is for, and what it holds (shown on the page)."""

CHANNEL_AUDIENCE = {"audio": "loa", "print": "in", "signage": "man-hinh", "messages": "tin-nhan"}
"""A file belongs to the audience of the channel folder it sits in ..."""
KIND_AUDIENCE = {"script": "loa"}
"""... except the live-read script, a PDF that the loudspeaker operator reads from."""

PRINT_KIND_NAMES = {"leaflet": "Tờ rơi", "poster": "Áp phích", "sticker": "Nhãn dán",
                    "script": "Bản đọc trên loa"}
OFFICE_SUFFIX = "-office-a4"

THUMB_KINDS = {"print": ".pdf", "office": ".pdf", "script": ".pdf", "slide": ".png"}
"""Kinds that get a small PNG preview under ``thumbs/``, and the file type the preview reads."""

ENTRY_KEYS = ("path", "kind", "bytes", "sha256")
"""Manifest facts every kit input keeps; meta keys the page shows are added per kind."""
SHOWN_META = ("title", "order", "duration_s", "lufs", "pages", "pixels", "seconds", "time", "item_kind",
              "copies_per_page")


def thumb_path(path: str) -> str:
    """Where the preview of kit file ``path`` goes: ``thumbs/<path without suffix>.png``."""
    stem = path.rsplit(".", 1)[0] if "." in path.rsplit("/", 1)[-1] else path
    return f"thumbs/{stem}.png"


def has_preview(entry: dict[str, Any]) -> bool:
    """True for the PDFs and slides that get a preview (by kind, and only files of that type)."""
    suffix = THUMB_KINDS.get(entry["kind"])
    return suffix is not None and entry["path"].lower().endswith(suffix)


def audience_of(entry: dict[str, Any]) -> str | None:
    """``loa``, ``in`` or ``man-hinh`` for a channel file; ``None`` for a file of no pack."""
    if entry["kind"] in KIND_AUDIENCE:
        return KIND_AUDIENCE[entry["kind"]]
    if entry.get("item_kind") == "script":  # an office sheet of the live-read script
        return "loa"
    parts = entry["path"].split("/")
    return CHANNEL_AUDIENCE.get(parts[1]) if len(parts) > 2 else None


def channel_entries(plan: Plan, own_builder: str) -> list[dict[str, Any]]:
    """Entries made by the channels: the kit's own earlier files (page, packs) left out."""
    return [e for e in plan.produced if e.get("job", "").split("/", 1)[0] != own_builder]


def print_item_id(path: str) -> str:
    """``son-vi/print/to-roi-office-a4.pdf`` -> ``to-roi``: the ``print:`` item a PDF comes from."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.removesuffix(OFFICE_SUFFIX)


def describe_print(plan: Plan, loc_id: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``entries`` whose PDFs carry their item's kind and headline (as the page title)."""
    campaign = plan.resolved.get(loc_id)
    if campaign is None:  # a locality outside --locality: its files stay, so do their titles
        locality = next(loc for loc in plan.campaign.kit_localities() if loc.id == loc_id)
        campaign = for_locality(plan.campaign, locality)
    items = {item.id: item for item in campaign.print_}
    described = []
    for entry in entries:
        parts = entry["path"].split("/")
        item = items.get(print_item_id(entry["path"])) if len(parts) > 2 and parts[1] == "print" else None
        if item is not None:
            name = PRINT_KIND_NAMES.get(item.kind, item.kind)
            headline = item.headline if item.kind != "script" else None
            entry = {**entry, "item_kind": item.kind,
                     "title": entry.get("title") or (f"{name}: {headline}" if headline else name)}
        described.append(entry)
    return described


def _slim(entry: dict[str, Any]) -> dict[str, Any]:
    """The facts of one file the page shows, plus its sha256 (so a changed file rebuilds)."""
    slim = {k: entry[k] for k in ENTRY_KEYS}
    slim.update({k: entry[k] for k in SHOWN_META if entry.get(k) is not None})
    if has_preview(entry):
        slim["thumb"] = thumb_path(entry["path"])
    return slim


def _order(entry: dict[str, Any]) -> tuple:
    order = entry.get("order")
    return (order if isinstance(order, int | float) else 1e9, entry["path"])


def _document_order(entry: dict[str, Any]) -> tuple:
    """Each item's print-shop PDF, then its office sheet; the live-read script last."""
    name = entry["path"].rsplit("/", 1)[-1].rsplit(".", 1)[0]
    item = name.removesuffix("-office-a4") if entry["kind"] == "office" else name
    rank = {"print": 0, "office": 1}.get(entry["kind"], 2)
    return (entry["kind"] == "script", item, rank, entry["path"])


def _signage_sizes(entries: list[dict[str, Any]], size_order: list[str]) -> list[dict[str, Any]]:
    """Signage files grouped by their ``signage/<W>x<H>/`` folder, in the script's size order."""
    sizes: dict[str, dict[str, Any]] = {}
    for entry in entries:
        parts = entry["path"].split("/")
        size = parts[2] if len(parts) > 3 else ""
        group = sizes.setdefault(size, {"size": size, "slides": [], "videos": [], "files": []})
        if entry["kind"] == "slide":
            group["slides"].append(entry)
        elif entry["kind"] == "video":
            group["videos"].append(entry)
        else:
            group["files"].append(entry)
    for group in sizes.values():
        group["slides"].sort(key=_order)
        group["poster"] = group["slides"][0]["thumb"] if group["slides"] else None
    rank = {size: i for i, size in enumerate(size_order)}
    return sorted(sizes.values(), key=lambda g: (rank.get(g["size"], len(rank)), g["size"]))


def locality_site(loc_id: str, name: str, entries: list[dict[str, Any]],
                  packs: list[dict[str, Any]], size_order: list[str]) -> dict[str, Any]:
    """One locality's part of the page: spots, other audio files, PDFs, screens, packs."""
    slim = sorted((_slim(e) for e in entries), key=lambda e: e["path"])
    by_channel: dict[str, list[dict[str, Any]]] = {"audio": [], "print": [], "signage": [], "other": []}
    for entry in slim:
        parts = entry["path"].split("/")
        channel = parts[1] if len(parts) > 2 and parts[1] in by_channel else "other"
        by_channel[channel].append(entry)
    spots = sorted((e for e in by_channel["audio"] if e["kind"] == "audio"), key=_order)
    attached = _attach_transcripts(spots, by_channel["audio"])
    rest = [e for e in by_channel["audio"] if e["kind"] != "audio" and e["path"] not in attached]
    rest.sort(key=lambda e: (e["kind"] != "schedule", e["kind"], e["path"]))
    return {
        "id": loc_id, "name": name,
        "spots": spots,
        "audio_files": rest,
        "documents": sorted(by_channel["print"], key=_document_order),
        "screens": _signage_sizes(by_channel["signage"], size_order),
        "other": by_channel["other"],
        "packs": packs,
    }


def _attach_transcripts(spots: list[dict[str, Any]], audio: list[dict[str, Any]]) -> set[str]:
    """Give each spot its transcript (same name, ``.txt``); returns the paths attached."""
    transcripts = {e["path"].rsplit(".", 1)[0]: e for e in audio if e["kind"] == "transcript"}
    attached = set()
    for spot in spots:
        transcript = transcripts.get(spot["path"].rsplit(".", 1)[0])
        if transcript:
            spot["transcript"] = transcript
            attached.add(transcript["path"])
    return attached


PACK_FORMAT = "1"
"""Part of every pack key: bump when the zip layout in :mod:`bzmedia.kit.packs` changes."""


def pack_key(name: str, root: str, members: list[list[Any]]) -> str:
    """What a pack holds, as one hash: the page links a pack on disk only if its key matches."""
    text = json.dumps([PACK_FORMAT, name, root, members], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pack_plan(loc_id: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every audience of one locality with the files of its pack (``members`` empty: no pack)."""
    packs = []
    audiences = [audience_of(e) for e in entries]  # once per file, not once per file and pack
    for audience, label, holds in AUDIENCES:
        members = sorted(([e["path"], e["sha256"], e["bytes"]]
                          for e, of in zip(entries, audiences, strict=True) if of == audience),
                         key=lambda m: m[0])
        name = f"{loc_id}-{audience}.zip"
        root = f"{loc_id}/"
        packs.append({"audience": audience, "label": label, "holds": holds,
                      "name": name if members else None, "root": root, "members": members,
                      "bytes": sum(m[2] for m in members),
                      "key": pack_key(name, root, members) if members else None})
    return packs


def whole_kit_plan(campaign_id: str, entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The whole-kit pack: every file of the kit; its key covers the channel files it is made of."""
    if not entries:
        return None
    name = f"{campaign_id}-tron-bo.zip"
    files = sorted([e["path"], e["sha256"], e["bytes"]] for e in entries)
    return {"name": name, "key": pack_key(name, "", files), "files": len(files),
            "bytes": sum(e["bytes"] for e in entries)}


def campaign_site(plan: Plan) -> dict[str, Any]:
    """Title, issuer, dates, summary, address and colours of the campaign."""
    info = plan.campaign.campaign
    colors = plan.campaign.brand.colors
    return {"id": info.id, "title": info.title, "issuer": info.issuer, "url": info.url,
            "summary": info.summary, "date": info.date, "start": info.start, "end": info.end,
            "primary": colors.primary, "accent": colors.accent}


def zip_date(plan: Plan) -> list[int]:
    """The timestamp every zip member carries: the campaign's date, else 1980-01-01 (zip's epoch)."""
    info = plan.campaign.campaign
    day = info.date or info.start
    if day:
        year, month, date = (int(part) for part in day.split("-"))
        if year >= 1980:
            return [year, month, date, 0, 0, 0]
    return [1980, 1, 1, 0, 0, 0]
