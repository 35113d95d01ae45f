"""``bzmedia serve``: hand a built kit out over HTTP, read-only, to phones and PCs nearby.

Deliberately small and strict: GET and HEAD only, files inside the kit folder only (no ``..``,
no absolute or drive paths, no hidden files such as the build state, percent-encoded or not; a
symlink leading out of the kit is refused too), ``index.html`` for a folder and never a listing.
Binds 127.0.0.1 unless told otherwise, so nothing is exposed to the network by accident.
"""

from __future__ import annotations

import mimetypes
import re
import socket
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

PAGE = "index.html"
BLOCK = 1 << 16
TYPES = {
    ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".json": "application/json", ".m3u": "audio/x-mpegurl; charset=utf-8", ".mp3": "audio/mpeg",
    ".mp4": "video/mp4", ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".zip": "application/zip", ".wav": "audio/wav",
}
NOT_FOUND_PAGE = ('<!doctype html><meta charset="utf-8"><title>Không tìm thấy</title>'
                  '<p>Không tìm thấy tệp này trong bộ tài liệu. <a href="/">Về trang chính</a></p>')


class KitServeError(Exception):
    """A reason ``serve`` cannot start that the user can fix (no kit there, port taken)."""


def find_kit(directory: Path | None) -> Path:
    """The kit folder to serve: ``directory``, else ``.`` or the one kit under ``output/``."""
    if directory is not None:
        candidates = [directory]
    else:
        output = Path("output")
        kits = sorted(p for p in output.iterdir() if (p / PAGE).is_file()) if output.is_dir() else []
        candidates = [Path(".")] if Path(PAGE).is_file() else kits
        if len(candidates) > 1:
            names = ", ".join(str(p) for p in candidates)
            raise KitServeError(f"several kits found ({names}); name the one to serve")
    if not candidates or not (candidates[0] / PAGE).is_file():
        where = candidates[0] if candidates else Path("output")
        inside = sorted(p for p in where.iterdir() if (p / PAGE).is_file()) if where.is_dir() else []
        if inside:
            raise KitServeError(f"{where} holds kits, not a kit; name one: "
                                + ", ".join(f"bzmedia serve {p}" for p in inside))
        raise KitServeError(f"{where}: no built kit here (no {PAGE}); run `bzmedia build` first, "
                            "or name the kit folder, e.g. `bzmedia serve output/<campaign-id>`")
    return candidates[0].resolve()


def resolve_request(root: Path, raw_path: str) -> Path | None:
    """The file inside ``root`` that request path ``raw_path`` names, or ``None`` (answer 404)."""
    path = unquote(raw_path.split("?", 1)[0].split("#", 1)[0], errors="strict")
    if not path.startswith("/") or "\0" in path or "\\" in path:
        return None
    segments = path[1:].split("/")
    if segments and segments[-1] == "":
        segments = [*segments[:-1], PAGE]  # a folder: its page, never a listing
    for segment in segments:
        # "" would make "//etc" absolute; "." and ".." climb; ".x" hides state; ":" is a drive.
        if not segment or segment.startswith(".") or ":" in segment:
            return None
    candidate = root.joinpath(*segments)
    if candidate.is_dir():
        candidate = candidate / PAGE
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_file() and real.is_relative_to(root) else None


def parse_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """``(first, last)`` of a single ``bytes=`` range; ``None`` for the whole file; False: 416."""
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header)
    if not match or match.groups() == ("", ""):
        return None  # unsupported forms (several ranges): the whole file is a valid answer
    first, last = match.groups()
    if first == "":
        length = int(last)
        return (max(0, size - length), size - 1) if length and size else False
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end and start < size else False


class KitRequestHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD with files of ``server.root``; everything else is refused."""

    server_version = "bzmedia"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _refuse_method(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    def _answer(self, send_body: bool) -> None:
        try:
            target = resolve_request(self.server.root, self.path)
        except UnicodeDecodeError:
            target = None
        if target is None:
            self._not_found(send_body)
            return
        size = target.stat().st_size
        span = parse_range(self.headers.get("Range"), size)
        if span is False:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        first, last = span if span else (0, size - 1)
        self.send_response(HTTPStatus.PARTIAL_CONTENT if span else HTTPStatus.OK)
        if span:
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self._common_headers(TYPES.get(target.suffix.lower()) or
                             mimetypes.guess_type(target.name)[0] or "application/octet-stream",
                             last - first + 1)
        if send_body:
            self._copy(target, first, last - first + 1)

    def _common_headers(self, content_type: str, length: int) -> None:
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()

    def _copy(self, target: Path, offset: int, length: int) -> None:
        with open(target, "rb") as handle:
            handle.seek(offset)
            while length > 0:
                block = handle.read(min(BLOCK, length))
                if not block:
                    break
                self.wfile.write(block)
                length -= len(block)

    def _not_found(self, send_body: bool) -> None:
        body = NOT_FOUND_PAGE.encode("utf-8")
        self.send_response(HTTPStatus.NOT_FOUND)
        self._common_headers("text/html; charset=utf-8", len(body))
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        self.server.log(f"{self.address_string()} {format % args}")


class KitServer(ThreadingHTTPServer):
    """A threading HTTP server for one kit folder (IPv6 when the host is an IPv6 address)."""

    daemon_threads = True

    def __init__(self, root: Path, host: str, port: int,
                 log: Callable[[str], None] = lambda line: None) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.root = root.resolve()
        self.log = log
        super().__init__((host, port), KitRequestHandler)


def make_server(directory: Path | None, host: str = "127.0.0.1", port: int = 8000,
                log: Callable[[str], None] = lambda line: None) -> KitServer:
    """A server for the kit in ``directory`` (see :func:`find_kit`), bound but not yet serving."""
    root = find_kit(directory)
    try:
        return KitServer(root, host, port, log)
    except OSError as exc:
        raise KitServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                            "choose another port with --port") from exc


def urls_to_open(server: KitServer) -> list[str]:
    """Addresses to type in a browser: loopback, and this machine's LAN address if bound to all."""
    host, port = server.server_address[:2]
    if host in ("0.0.0.0", "::"):
        urls = [f"http://127.0.0.1:{port}/"]
        lan = _lan_address()
        if lan:
            urls.append(f"http://{lan}:{port}/")
        return urls
    shown = f"[{host}]" if ":" in host else host
    return [f"http://{shown}:{port}/"]


def _lan_address() -> str | None:
    """This machine's address on its main network (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def serve_kit(directory: Path | None, host: str, port: int, say: Callable[[str], None],
              log: Callable[[str], None] = lambda line: None) -> None:
    """Serve the kit until interrupted (Ctrl+C), after saying where to open it."""
    server = make_server(directory, host, port, log)
    with server:
        say(f"Serving {server.root} (read-only). Open:")
        for url in urls_to_open(server):
            say(f"  {url}")
        if host in ("127.0.0.1", "localhost", "::1"):
            say("Only this computer can open it; use --host 0.0.0.0 to share it on the local network.")
        say("Press Ctrl+C to stop.")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            say("Stopped.")
