"""``bzmedia serve`` on a real built kit: the page, nothing outside it, loopback unless asked."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bzmedia.kit.serve import KitServeError, find_kit, make_server

TIMEOUT = 5


@pytest.fixture(scope="module")
def served(small_kit, tmp_path_factory) -> Iterator[tuple[str, int, Path]]:
    """A copy of the small kit served on 127.0.0.1 at an ephemeral port, with a secret beside it."""
    tmp_path = tmp_path_factory.mktemp("served")
    kit = tmp_path / "kit"
    shutil.copytree(small_kit.kit, kit)
    (tmp_path / "secret.txt").write_text("outside the kit", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", kit / "link-out.txt")
    server = make_server(kit, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[0], server.server_address[1], kit
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


def request(host: str, port: int, path: str, method: str = "GET",
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request with the path sent exactly as given (no client-side normalisation)."""
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_serves_the_page_and_kit_files(served, small_kit) -> None:
    host, port, kit = served
    assert host == "127.0.0.1"
    status, headers, body = request(host, port, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (kit / "index.html").read_bytes()
    pack = "/packs/son-vi-loa.zip"
    status, headers, body = request(host, port, pack)
    assert status == 200 and body == (kit / pack[1:]).read_bytes()
    assert headers["Content-Type"] == "application/zip"
    status, headers, body = request(host, port, "/index.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000


def test_byte_ranges_let_players_seek(served) -> None:
    host, port, kit = served
    mp3 = next(kit.glob("son-vi/audio/*.mp3")).relative_to(kit).as_posix()
    status, headers, body = request(host, port, f"/{mp3}", headers={"Range": "bytes=10-19"})
    assert status == 206 and body == (kit / mp3).read_bytes()[10:20]
    assert headers["Content-Range"].startswith("bytes 10-19/")
    status, _, _ = request(host, port, f"/{mp3}", headers={"Range": "bytes=999999999-"})
    assert status == 416


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
    "/son-vi/../../secret.txt", "/son-vi/%2e%2e/%2e%2e/secret.txt", "//etc/passwd",
    "/%2Fetc%2Fpasswd", "/..\\secret.txt", "/%5c..%5csecret.txt", "/link-out.txt",
    "/.bzmedia/state.json", "/son-vi/", "/son-vi", "/nope.txt", "/index.html%00.txt",
    "/C:/Windows/win.ini", "http://example.com/../secret.txt", "/%ff%fe",
])
def test_refuses_anything_outside_the_kit_with_404(served, path) -> None:
    host, port, _ = served
    status, _, body = request(host, port, path)
    assert status == 404
    assert b"outside the kit" not in body and b"root:" not in body


def test_is_read_only(served) -> None:
    host, port, kit = served
    before = (kit / "index.html").read_bytes()
    for method in ("POST", "PUT", "DELETE"):
        status, headers, _ = request(host, port, "/index.html", method=method)
        assert status == 405 and headers["Allow"] == "GET, HEAD"
    assert (kit / "index.html").read_bytes() == before


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # picks the outgoing interface; sends nothing
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_not_reachable_on_a_network_address_unless_asked(served, small_kit) -> None:
    host, port, _ = served
    assert host == "127.0.0.1"  # the default
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to test from")
    with pytest.raises(OSError):
        socket.create_connection((address, port), timeout=TIMEOUT).close()
    everywhere = make_server(small_kit.kit, "0.0.0.0", 0)  # asked for: then it is reachable
    thread = threading.Thread(target=everywhere.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, _ = request(address, everywhere.server_address[1], "/")
        assert status == 200
    finally:
        everywhere.shutdown()
        everywhere.server_close()
        thread.join(TIMEOUT)


def test_cli_prints_the_url_and_serves_until_stopped(small_kit) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", "from bzmedia.cli import main; main()", "serve", str(small_kit.kit),
         "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        assert first.startswith("Serving ")
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        status, _, body = request("127.0.0.1", port, "/")
        assert status == 200 and "xã Sơn Vi" in body.decode("utf-8")
    finally:
        process.terminate()
        process.wait(TIMEOUT)


def test_cli_says_when_there_is_no_kit(tmp_path, small_kit) -> None:
    with pytest.raises(KitServeError, match="no built kit here"):
        find_kit(tmp_path)
    with pytest.raises(KitServeError, match=r"holds kits, not a kit; name one: bzmedia serve .*kit-nho"):
        find_kit(small_kit.output)
    assert find_kit(small_kit.kit) == small_kit.kit.resolve()
    result = subprocess.run(
        [sys.executable, "-c", "from bzmedia.cli import main; main()", "serve", str(tmp_path)],
        capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "no built kit here" in result.stderr and "Traceback" not in result.stderr
