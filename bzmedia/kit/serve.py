"""``bzmedia serve``: hand a built kit out over HTTP, read-only, to phones and PCs nearby.

Deliberately small and strict: GET and HEAD only, files inside the kit folder only (no ``..``,
no absolute or drive paths, no hidden files such as the build state, percent-encoded or not; a
symlink leading out of the kit or into a hidden folder is refused too: the rules are applied again
to the resolved path), ``index.html`` for a folder and never a listing.  Binds 127.0.0.1 unless
told otherwise, so nothing is exposed to the network by accident.  A connection silent for
:data:`IDLE_TIMEOUT` seconds, or whose request head takes over :data:`HEAD_TIMEOUT` seconds, is
dropped, and at most :data:`MAX_CONNECTIONS` are served at once.

The download packs of ``packs/index.json`` are not files: they are streamed on the fly
(:mod:`bzmedia.kit.offer`), with their length and byte ranges known up front.
"""

from __future__ import annotations

import contextlib
import errno
import mimetypes
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from bzmedia.errors import BuildError
from bzmedia.i18n import _
from bzmedia.kit.offer import AVAILABLE_FILE, PACKS_DIR, PLAN_FILE, KitOffer, KitPathError
from bzmedia.kit.packs import Member, member_crc
from bzmedia.kit.planshape import NAME

PAGE = "index.html"
BLOCK = 1 << 16
TYPES = {
    ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".json": "application/json", ".m3u": "audio/x-mpegurl; charset=utf-8", ".mp3": "audio/mpeg",
    ".mp4": "video/mp4", ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".zip": "application/zip", ".wav": "audio/wav",
    ".js": "text/javascript; charset=utf-8",
}
IDLE_TIMEOUT = 15.0
"""Seconds a connection may stay silent (idle keep-alive, or a request sent too slowly)."""
HEAD_TIMEOUT = 30.0
"""Seconds a request line and headers may take in all: a byte every few seconds (slowloris) would
never trip the idle timeout."""
MAX_CONNECTIONS = 32
"""Connections served at once; an office network rarely has more phones on one kit."""
CRC_CACHE = 100_000
KIT_CHANGED = ('<!doctype html><meta charset="utf-8"><title>Bộ tài liệu đang thay đổi</title>'
               '<p>Bộ tài liệu đã thay đổi từ lần tạo trước; chạy lại <code>bzmedia build</code> '
               'rồi thử lại. <a href="/">Về trang chính</a></p>')
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
            raise KitServeError(_("several kits found ({names}); name the one to serve").format(names=names))
    if not candidates or not (candidates[0] / PAGE).is_file():
        where = candidates[0] if candidates else Path("output")
        inside = sorted(p for p in where.iterdir() if (p / PAGE).is_file()) if where.is_dir() else []
        if inside:
            raise KitServeError(_("{folder} holds kits, not a kit; name one: {commands}").format(
                folder=where, commands=", ".join(f"bzmedia serve {p}" for p in inside)))
        raise KitServeError(_("{folder}: no built kit here (no {page}); run `bzmedia build` first, or name "
                              "the kit folder, e.g. `bzmedia serve output/<campaign-id>`").format(
            folder=where, page=PAGE))
    return candidates[0].resolve()


NAME_MAX = 255
"""Longest file name most file systems take; a longer segment cannot name a kit file."""
PATH_MAX = 4096


def resolve_request(root: Path, raw_path: str) -> Path | None:
    """The file inside ``root`` that request path ``raw_path`` names, or ``None`` (answer 404)."""
    path = unquote(raw_path.split("?", 1)[0].split("#", 1)[0], errors="strict")
    if not path.startswith("/") or "\0" in path or "\\" in path or len(path) > PATH_MAX:
        return None
    segments = path[1:].split("/")
    if segments and segments[-1] == "":
        segments = [*segments[:-1], PAGE]  # a folder: its page, never a listing
    for segment in segments:
        # "" would make "//etc" absolute; "." and ".." climb; ".x" hides state; ":" is a drive.
        if not segment or segment.startswith(".") or ":" in segment:
            return None
        if len(segment.encode("utf-8", "surrogateescape")) > NAME_MAX:
            return None
    try:
        candidate = root.joinpath(*segments)
        if candidate.is_dir():
            candidate = candidate / PAGE
        real = candidate.resolve(strict=True)
        # The rules again on the resolved path: a symlink may lead out of the kit or into .bzmedia.
        inside = real.relative_to(root)
        if any(part.startswith(".") for part in inside.parts) or not real.is_file():
            return None
    except (OSError, RuntimeError, ValueError):
        return None
    return real


def parse_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """``(first, last)`` of a single ``bytes=`` range; ``None`` for the whole file; False: 416."""
    if not header:
        return None
    # 18 digits pass any file's size; a longer number (5,000 ones) would reach int()'s 4,300-digit
    # limit and drop the connection
    match = re.fullmatch(r"\s*bytes=(\d{0,18})-(\d{0,18})\s*", header)
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
    """Answers GET and HEAD with files of ``server.root`` and its packs; everything else is refused."""

    server_version = "bzmedia"
    protocol_version = "HTTP/1.1"
    server: KitServer

    def setup(self) -> None:
        # An idle or half-sent connection is dropped after this long, not held forever.
        self.timeout = self.server.idle_timeout
        super().setup()

    def handle_one_request(self) -> None:
        self.server.watch_head(self.connection)
        try:
            super().handle_one_request()
        finally:
            self.server.head_done(self.connection)

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        self.server.head_done(self.connection)  # sending a big zip to a slow phone may take long
        return parsed

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
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(f"/{PACKS_DIR}/") and self._answer_pack(path, send_body):
            return
        try:
            target = resolve_request(self.server.root, self.path)
            size = target.stat().st_size if target else 0
        except (UnicodeDecodeError, OSError):
            target = None
        if target is None:
            self._not_found(send_body)
            return
        self._send_ranged(target.suffix.lower(), size, send_body,
                          lambda first, last: _file_chunks(target, first, last - first + 1))

    def _answer_pack(self, path: str, send_body: bool) -> bool:
        """A pack streamed from the kit's pack plan, or ``available.js``; False: not one of those."""
        name = path.rsplit("/", 1)[-1]
        if path != f"/{AVAILABLE_FILE}" and (path != f"/{PACKS_DIR}/{name}" or not NAME.fullmatch(name)):
            return False  # no pack's name (the plan itself): a plain file, even when the plan is bad
        try:
            offer = self.server.offer()
            if offer is None:
                return False
            if path == f"/{AVAILABLE_FILE}":
                body = offer.available_script(offer.names()).encode("utf-8")
                self._send_ranged(".js", len(body), send_body, lambda first, last: [body[first:last + 1]])
                return True
            entry = offer.entry(name)
            if entry is None:
                return False
            # HEAD lays the pack out as GET does (so refuses what GET refuses), but with no CRC:
            # its length follows from names and sizes, and no file needs reading.
            pack = offer.pack(entry, crc_of=self.server.crc_of if send_body else _no_crc)
        except (BuildError, KitPathError, OSError) as exc:
            self.server.log(f"cannot make {path}: {exc}")
            self._plain(HTTPStatus.SERVICE_UNAVAILABLE, KIT_CHANGED, send_body)
            return True
        self._send_ranged(".zip", pack.length, send_body, pack.chunks,
                          disposition=f'attachment; filename="{name}"')
        return True

    def _send_ranged(self, suffix: str, size: int, send_body: bool,
                     chunks: Callable[[int, int], Iterable[bytes]] | None,
                     disposition: str | None = None) -> None:
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
        if disposition:
            self.send_header("Content-Disposition", disposition)
        self._common_headers(TYPES.get(suffix) or mimetypes.guess_type("x" + suffix)[0]
                             or "application/octet-stream", last - first + 1)
        if send_body and size:
            try:
                for block in chunks(first, last):
                    self.wfile.write(block)
            except (BuildError, OSError) as exc:
                # The headers are out: all that is left is to cut the reply short, which the
                # client sees as a failed download (its Content-Length is not reached).
                self.server.log(f"{self.path}: stopped sending: {exc}")
                self.close_connection = True

    def _common_headers(self, content_type: str, length: int) -> None:
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()

    def _not_found(self, send_body: bool) -> None:
        self._plain(HTTPStatus.NOT_FOUND, NOT_FOUND_PAGE, send_body)

    def _plain(self, status: HTTPStatus, page: str, send_body: bool) -> None:
        body = page.encode("utf-8")
        self.send_response(status)
        self._common_headers("text/html; charset=utf-8", len(body))
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        # a request line is the client's bytes: its ESC and BEL would drive the terminal (a title,
        # a colour, a cleared screen), so every control character is shown as an escape
        line = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in format % args)
        self.server.log(f"{self.address_string()} {line}")


def _no_crc(member: Member) -> int:
    return 0


def _file_chunks(target: Path, offset: int, length: int) -> Iterator[bytes]:
    with open(target, "rb") as handle:
        handle.seek(offset)
        while length > 0:
            block = handle.read(min(BLOCK, length))
            if not block:
                raise OSError(_("{file} became shorter while being sent").format(file=target))
            yield block
            length -= len(block)


BUSY_REPLY = (b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 0\r\n"
              b"Connection: close\r\n\r\n")


class KitServer(ThreadingHTTPServer):
    """A threading HTTP server for one kit folder, with a bounded number of connections.

    Each connection has a thread; at most ``max_connections`` are open at once (more get an
    immediate 503 with Retry-After) and each is dropped after ``idle_timeout`` seconds of silence.
    """

    daemon_threads = True

    def __init__(self, root: Path, host: str, port: int,
                 log: Callable[[str], None] = lambda line: None, idle_timeout: float = IDLE_TIMEOUT,
                 max_connections: int = MAX_CONNECTIONS, head_timeout: float = HEAD_TIMEOUT) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.root = root.resolve()
        self.log = log
        self.idle_timeout, self.head_timeout = idle_timeout, head_timeout
        self._heads: dict[socket.socket, float] = {}
        self._closing = threading.Event()
        self.slots = threading.BoundedSemaphore(max_connections)
        self._offer: tuple[tuple[int, int], KitOffer] | None = None
        self._crcs: dict[tuple[str, int, int, str | None], int] = {}
        self._lock = threading.Lock()
        super().__init__((host, port), KitRequestHandler)
        threading.Thread(target=self._cut_slow_heads, name="bzmedia-serve-watchdog", daemon=True).start()

    def watch_head(self, connection: socket.socket) -> None:
        with self._lock:
            self._heads[connection] = time.monotonic() + self.head_timeout

    def head_done(self, connection: socket.socket) -> None:
        with self._lock:
            self._heads.pop(connection, None)

    def _cut_slow_heads(self) -> None:
        """Hang up on connections whose request head is not in after ``head_timeout`` seconds."""
        while not self._closing.wait(min(1.0, self.head_timeout / 4)):
            now = time.monotonic()
            with self._lock:
                late = [c for c, deadline in self._heads.items() if deadline < now]
                for connection in late:
                    del self._heads[connection]
            for connection in late:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)  # its blocked read returns; the thread ends

    def server_close(self) -> None:
        self._closing.set()
        super().server_close()

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            self._refuse_busy(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def _refuse_busy(self, request: socket.socket) -> None:
        try:
            request.settimeout(1)
            request.sendall(BUSY_REPLY)
        except OSError:
            pass
        self.shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        """A client that hung up or timed out is not the server's error: one log line, no traceback."""
        error = sys.exc_info()[1]
        self.log(f"{client_address[0]}: connection ended: {error!r}")

    def offer(self) -> KitOffer | None:
        """The kit's pack plan, read again only when ``packs/index.json`` changes; None: no plan."""
        try:
            stat = (self.root / PLAN_FILE).stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._offer is None or self._offer[0] != stamp:
                self._offer = (stamp, KitOffer(self.root))
            return self._offer[1]

    def crc_of(self, member: Member) -> int:
        """A member's CRC-32, remembered while its file keeps its size and time."""
        if member.source is None:
            return member_crc(member)
        stat = member.source.stat()
        key = (str(member.source), stat.st_size, stat.st_mtime_ns, member.sha256)
        with self._lock:
            known = self._crcs.get(key)
        if known is None:
            known = member_crc(member)
            with self._lock:
                if len(self._crcs) > CRC_CACHE:
                    self._crcs.clear()
                self._crcs[key] = known
        return known


def make_server(directory: Path | None, host: str = "127.0.0.1", port: int = 8000,
                log: Callable[[str], None] = lambda line: None, idle_timeout: float = IDLE_TIMEOUT,
                max_connections: int = MAX_CONNECTIONS, head_timeout: float = HEAD_TIMEOUT) -> KitServer:
    """A server for the kit in ``directory`` (see :func:`find_kit`), bound but not yet serving."""
    root = find_kit(directory)
    try:
        return KitServer(root, host, port, log, idle_timeout, max_connections, head_timeout)
    except OSError as exc:
        raise KitServeError(listen_failure(host, port, exc)) from exc


def listen_failure(host: str, port: int, exc: OSError) -> str:
    """Why the server cannot listen, with the option to change: a port in use (or one only the
    administrator may open) wants ``--port``; a name or address this machine does not have wants
    ``--host``."""
    address, reason = f"{host}:{port}", exc.strerror or str(exc)
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return _("cannot listen on {address}: {reason}; --host must be an address of this computer "
                 "(127.0.0.1 for this computer only, 0.0.0.0 for every network)").format(
            address=address, reason=reason)
    return _("cannot listen on {address}: {reason}; choose another port with --port").format(
        address=address, reason=reason)


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
        say(_("Serving {folder} (read-only). Open:").format(folder=server.root))
        for url in urls_to_open(server):
            say(f"  {url}")
        if host in ("127.0.0.1", "localhost", "::1"):
            say(_("Only this computer can open it; use --host 0.0.0.0 to share it on the local network."))
        say(_("Press Ctrl+C to stop."))
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            say(_("Stopped."))
