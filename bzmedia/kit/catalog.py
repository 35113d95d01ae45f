"""Sort the channels' manifest entries into what the page and the packs need (main process).

Everything here is plain JSON-able data: it becomes the inputs of the kit's jobs, so the page and
every pack are rebuilt exactly when a file they cover (by sha256) or a fact they show changes.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from bzmedia.builder import OutputKind, Plan
from bzmedia.campaign.variables import for_locality
from bzmedia.kit.thumbs import RECIPES
from bzmedia.text.written_dates import DATE_RULE

PRINT_KIND_NAMES = {"leaflet": "Tờ rơi", "poster": "Áp phích", "sticker": "Nhãn dán",
                    "script": "Bản đọc trên loa"}
OFFICE_SUFFIX = "-office-a4"

THUMB_KINDS = {kind: recipe.suffix for kind, recipe in RECIPES.items()}
"""Kinds that get a small PNG preview under ``thumbs/``, and the file type the preview reads."""

ENTRY_KEYS = ("path", "kind", "bytes", "sha256")
"""Manifest facts every kit input keeps; meta keys the page shows are added per kind."""
SHOWN_META = ("title", "order", "duration_s", "lufs", "pages", "pixels", "seconds", "time", "item_kind",
              "copies_per_page")


@functools.cache
def channels() -> tuple[dict[str, Any], ...]:
    """What the kit says of each channel of the registry (``bzmedia.build.BUILDERS``), in its order:
    name (also its folder), page label, section renderer, meta shown, pack audience, label, holds."""
    from bzmedia.build import load_builders  # the registry; already loaded by the build that plans

    return tuple({"name": b.name, "label": b.label or b.name, "section": b.kit_section,
                  "meta": tuple(b.kit_meta), "audience": b.pack_audience,
                  "pack_label": b.pack_label or b.label or b.name, "pack_holds": b.pack_holds,
                  "pack_kinds": dict(b.pack_kinds)}
                 for b in load_builders() if b.channel)


def audiences() -> list[tuple[str, str, str]]:
    """Pack suffix, who it is for, and what it holds, for every channel that has a pack."""
    return [(c["audience"], c["pack_label"], c["pack_holds"]) for c in channels() if c["audience"]]


def _channel_of(path: str) -> str | None:
    """The channel folder of ``<locality>/<channel>/...``, if it is one."""
    parts = path.split("/")
    return parts[1] if len(parts) > 2 else None


def thumb_path(path: str) -> str:
    """Where the preview of kit file ``path`` goes: ``thumbs/<path without suffix>.png``."""
    stem = path.rsplit(".", 1)[0] if "." in path.rsplit("/", 1)[-1] else path
    return f"thumbs/{stem}.png"


def has_preview(entry: dict[str, Any]) -> bool:
    """True for the PDFs and slides that get a preview (by kind, and only files of that type)."""
    suffix = THUMB_KINDS.get(entry["kind"])
    return suffix is not None and entry["path"].lower().endswith(suffix)


def audience_of(entry: dict[str, Any]) -> str | None:
    """The pack suffix (``loa``, ``in`` ...) of a channel file: its channel's ``pack_audience``,
    unless the channel's ``pack_kinds`` sends its kind elsewhere; ``None`` for a file of no pack."""
    channel = _channel_of(entry["path"])
    found = next((c for c in channels() if c["name"] == channel), None)
    if found is None:
        return None
    moved = found["pack_kinds"]  # e.g. the live-read script (and its office sheet) to the loudspeaker
    return moved.get(entry["kind"]) or moved.get(entry.get("item_kind") or "") or found["audience"]


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


def _slim(entry: dict[str, Any], shown: tuple[str, ...] = ()) -> dict[str, Any]:
    """The facts of one file the page shows (``shown``: its channel's own meta keys), plus its
    sha256 (so a changed file rebuilds)."""
    slim = {k: entry[k] for k in ENTRY_KEYS}
    slim.update({k: entry[k] for k in SHOWN_META + shown if entry.get(k) is not None})
    if has_preview(entry):
        slim["thumb"] = thumb_path(entry["path"])
    return slim


def _order(entry: dict[str, Any]) -> tuple:
    order = entry.get("order")
    return (order if isinstance(order, int | float) else 1e9, entry["path"])


def _document_order(entry: dict[str, Any]) -> tuple:
    """Each item's print-shop PDF, then its office sheet; the live-read script last."""
    name = entry["path"].rsplit("/", 1)[-1].rsplit(".", 1)[0]
    item = name.removesuffix(OFFICE_SUFFIX) if entry["kind"] == OutputKind.OFFICE else name
    rank = {OutputKind.PRINT: 0, OutputKind.OFFICE: 1}.get(entry["kind"], 2)
    return (entry["kind"] == OutputKind.SCRIPT, item, rank, entry["path"])


def _signage_sizes(entries: list[dict[str, Any]], size_order: list[str]) -> list[dict[str, Any]]:
    """Signage files grouped by their ``signage/<W>x<H>/`` folder, in the script's size order."""
    sizes: dict[str, dict[str, Any]] = {}
    for entry in entries:
        parts = entry["path"].split("/")
        size = parts[2] if len(parts) > 3 else ""
        group = sizes.setdefault(size, {"size": size, "slides": [], "videos": [], "files": []})
        if entry["kind"] == OutputKind.SLIDE:
            group["slides"].append(entry)
        elif entry["kind"] == OutputKind.VIDEO:
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
    """One locality's part of the page: a section per channel (registry order), other files, packs."""
    by_channel: dict[str, list[dict[str, Any]]] = {c["name"]: [] for c in channels()}
    other = []
    meta = {c["name"]: c["meta"] for c in channels()}
    for entry in sorted(entries, key=lambda e: e["path"]):
        channel = _channel_of(entry["path"])
        if channel in by_channel:
            by_channel[channel].append(_slim(entry, meta[channel]))
        else:
            other.append(_slim(entry))
    sections = [{"channel": c["name"], "label": c["label"], "section": c["section"],
                 **_section_data(c["section"], by_channel[c["name"]], size_order)}
                for c in channels() if by_channel[c["name"]]]
    return {"id": loc_id, "name": name, "sections": sections, "other": other, "packs": packs}


def _section_data(section: str, entries: list[dict[str, Any]], size_order: list[str]) -> dict[str, Any]:
    """What the page's renderer named ``section`` draws from one channel's files."""
    if section == "audio":
        spots = sorted((e for e in entries if e["kind"] == OutputKind.AUDIO), key=_order)
        attached = _attach_transcripts(spots, entries)
        rest = [e for e in entries if e["kind"] != OutputKind.AUDIO and e["path"] not in attached]
        rest.sort(key=lambda e: (e["kind"] != OutputKind.SCHEDULE, e["kind"], e["path"]))
        return {"spots": spots, "files": rest}
    if section == "print":
        return {"files": sorted(entries, key=_document_order)}
    if section == "signage":
        return {"screens": _signage_sizes(entries, size_order)}
    return {"files": entries}  # messages and plain lists: by path, the renderer groups them


def _attach_transcripts(spots: list[dict[str, Any]], audio: list[dict[str, Any]]) -> set[str]:
    """Give each spot its transcript (same name, ``.txt``); returns the paths attached."""
    transcripts = {e["path"].rsplit(".", 1)[0]: e for e in audio if e["kind"] == OutputKind.TRANSCRIPT}
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
    of = [audience_of(e) for e in entries]  # once per file, not once per file and pack
    for audience, label, holds in audiences():
        members = sorted(([e["path"], e["sha256"], e["bytes"]]
                          for e, own in zip(entries, of, strict=True) if own == audience),
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
            "primary": colors.primary, "accent": colors.accent,
            "date_rule": DATE_RULE}  # how the page writes the dates: a new rule redraws the page


def zip_date(plan: Plan) -> list[int]:
    """The timestamp every zip member carries: the campaign's date, else 1980-01-01 (zip's epoch)."""
    info = plan.campaign.campaign
    day = info.date or info.start
    if day:
        year, month, date = (int(part) for part in day.split("-"))
        if year >= 1980:
            return [year, month, date, 0, 0, 0]
    return [1980, 1, 1, 0, 0, 0]
