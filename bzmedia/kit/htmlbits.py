"""Small HTML pieces shared by the kit page's sections (everything shown is escaped here)."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from bzmedia.builder import OutputKind
from bzmedia.kit.fmt import duration_vi, size_vi

KIND_LABEL = {
    OutputKind.PRINT: "PDF cho nhà in (có lề xén, dấu cắt)",
    OutputKind.OFFICE: "PDF in văn phòng khổ A4",
    OutputKind.SCRIPT: "Bản đọc trực tiếp trên loa (PDF)",
    OutputKind.SCHEDULE: "Lịch phát",
    OutputKind.PLAYLIST: "Danh sách phát",
    OutputKind.TRANSCRIPT: "Lời đọc (văn bản)",
    OutputKind.SLIDE_JPEG: "Ảnh JPEG",
    OutputKind.SLIDESHOW: "Trình chiếu trên trình duyệt",
    OutputKind.VIDEO: "Video MP4",
    OutputKind.SOCIAL_IMAGE: "Ảnh mạng xã hội",
    OutputKind.BANNER: "Ảnh banner cho trang web",
    OutputKind.STEP_IMAGE: "Ảnh các bước (chèn vào bài viết)",
}
"""What each kind of file is, as its download line says."""


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


def pixels_of(entry: dict[str, Any]) -> str | None:
    pixels = entry.get("pixels")
    return str(pixels).replace("x", "×") if pixels else None


def duration_of(entry: dict[str, Any]) -> str | None:
    seconds = entry.get("duration_s")
    return duration_vi(seconds) if isinstance(seconds, int | float) else None


def file_row(entry: dict[str, Any]) -> str:
    """A plain download line: what it is, its name, its size."""
    label = KIND_LABEL.get(entry["kind"], entry.get("title") or entry["kind"])
    if entry["kind"] == OutputKind.PLAYLIST and entry.get("time"):
        label = f"{label} lúc {entry['time']}"
    return (f'<li><a href="{href(entry["path"])}">{esc(label)}</a> '
            f'<code>{esc(file_name(entry["path"]))}</code> '
            f'{facts(duration_of(entry), size_vi(entry["bytes"]))}</li>')


def file_list(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return ""
    return '<ul class="files">' + "".join(file_row(e) for e in entries) + "</ul>"
