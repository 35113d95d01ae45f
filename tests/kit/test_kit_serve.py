"""``bzmedia serve`` on a real built kit: the page, nothing outside it, loopback unless asked."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from kit_helpers import TIMEOUT, planned_packs, request, run_pack

from bzmedia.kit.serve import KitServeError, find_kit, make_server


@pytest.fixture(scope="module")
def served(small_kit, tmp_path_factory) -> Iterator[tuple[str, int, Path]]:
    """A copy of the small kit served on 127.0.0.1 at an ephemeral port, with a secret beside it."""
    tmp_path = tmp_path_factory.mktemp("served")
    kit = tmp_path / "kit"
    shutil.copytree(small_kit.kit, kit)
    (tmp_path / "secret.txt").write_text("outside the kit", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", kit / "link-out.txt")
    os.symlink(kit / ".bzmedia", kit / "state-link")  # inside the kit, but into its hidden state
    os.symlink("../.bzmedia/state.json", kit / "son-vi" / "state.json")
    server = make_server(kit, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[0], server.server_address[1], kit
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


def test_serves_the_page_and_kit_files(served) -> None:
    host, port, kit = served
    assert host == "127.0.0.1"
    status, headers, body = request(host, port, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (kit / "index.html").read_bytes()
    status, headers, body = request(host, port, "/index.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000


def test_streams_packs_on_the_fly_with_their_length_up_front(served, tmp_path) -> None:
    """A pack nobody stored: the same bytes `bzmedia pack` writes, resumable by byte range."""
    host, port, kit = served
    assert not (kit / "packs" / "son-vi-loa.zip").exists()
    status, headers, body = request(host, port, "/packs/son-vi-loa.zip")
    assert status == 200 and headers["Content-Type"] == "application/zip"
    assert int(headers["Content-Length"]) == len(body)
    assert headers["Content-Disposition"] == 'attachment; filename="son-vi-loa.zip"'
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.testzip() is None
        plan = planned_packs(kit)["son-vi-loa.zip"]
        assert archive.namelist() == [m[0].removeprefix("son-vi/") for m in plan["members"]]
    copy = tmp_path / "kit"
    shutil.copytree(kit, copy, symlinks=True)
    run_pack(copy, "--locality", "son-vi", "--audience", "loa")
    assert (copy / "packs" / "son-vi-loa.zip").read_bytes() == body
    status, headers, part = request(host, port, "/packs/son-vi-loa.zip", headers={"Range": "bytes=100-4099"})
    assert status == 206 and part == body[100:4100]
    status, headers, empty = request(host, port, "/packs/son-vi-loa.zip", method="HEAD")
    assert status == 200 and empty == b"" and int(headers["Content-Length"]) == len(body)
    status, headers, script = request(host, port, "/packs/available.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    keys = json.loads(script.decode().split("=", 1)[1].strip().rstrip(";"))
    assert keys["son-vi-loa.zip"] == plan["key"] and "kit-nho-tron-bo.zip" in keys
    status, _, whole = request(host, port, "/packs/kit-nho-tron-bo.zip")
    with zipfile.ZipFile(io.BytesIO(whole)) as archive:
        assert "index.html" in archive.namelist() and archive.testzip() is None


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
    "/state-link/state.json", "/son-vi/state.json", "/" + "a" * 300, "/son-vi/" + "%41" * 300 + "/x",
    "/packs/nope.zip", "/packs/", "/packs/index.json/..",
])
def test_refuses_anything_outside_the_kit_with_404(served, path) -> None:
    host, port, _ = served
    status, _, body = request(host, port, path)
    assert status == 404
    assert b"outside the kit" not in body and b"root:" not in body


def test_a_long_segment_is_a_404_and_the_server_goes_on(served) -> None:
    host, port, _ = served
    for length in (255, 256, 1000, 4000):
        status, _, _ = request(host, port, "/" + "x" * length)
        assert status == 404
        status, _, _ = request(host, port, "/")
        assert status == 200


def test_idle_and_half_sent_connections_are_dropped_and_excess_ones_refused(small_kit) -> None:
    """Slowloris: connections that never finish a request hold a slot only until the timeout."""
    server = make_server(small_kit.kit, "127.0.0.1", 0, idle_timeout=1.0, max_connections=3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    idle = []
    try:
        for half in (b"", b"GET / HTTP/1.1\r\n", b"GET / HTTP/1.1\r\nHost: x\r\n"):
            connection = socket.create_connection((host, port), timeout=TIMEOUT)
            connection.sendall(half)
            idle.append(connection)
        time.sleep(0.2)
        status, headers, _ = request(host, port, "/")  # every slot held: refused at once
        assert status == 503 and headers["Retry-After"] == "5"
        started = time.monotonic()
        for connection in idle:  # the server hangs up on each after about a second
            assert connection.recv(1024) == b""
            assert time.monotonic() - started < 4
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            status, _, _ = request(host, port, "/")
            if status == 200:
                break
            time.sleep(0.1)
        assert status == 200
    finally:
        for connection in idle:
            connection.close()
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


def test_a_request_head_sent_a_byte_at_a_time_is_cut_off(small_kit) -> None:
    """Slowloris that never goes silent: the idle timeout never trips, the head deadline does."""
    server = make_server(small_kit.kit, "127.0.0.1", 0, idle_timeout=2.0, head_timeout=1.5)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    started = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT) as slow:
            cut = False
            for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100:
                try:
                    slow.sendall(bytes([byte]))
                except OSError:
                    cut = True
                    break
                time.sleep(0.1)
                if time.monotonic() - started > 6:
                    break
            if not cut:
                slow.settimeout(1)
                try:
                    cut = slow.recv(1024) == b""
                except OSError:
                    cut = True
            assert cut and time.monotonic() - started < 6
        status, _, _ = request(host, port, "/")  # the server itself goes on
        assert status == 200
        status, _, body = request(host, port, "/packs/son-vi-man-hinh.zip")  # a whole reply is not cut
        assert status == 200 and len(body) > 1000
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


def test_an_edited_pack_plan_cannot_reach_outside_the_kit(small_kit, tmp_path) -> None:
    kit = tmp_path / "kit"
    shutil.copytree(small_kit.kit, kit)
    (tmp_path / "secret.txt").write_text("outside the kit", encoding="utf-8")
    plan = json.loads((kit / "packs" / "index.json").read_text(encoding="utf-8"))
    plan["packs"][0]["members"].append(["../secret.txt", "0" * 64, 15])
    (kit / "packs" / "index.json").write_text(json.dumps(plan), encoding="utf-8")
    server = make_server(kit, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, body = request("127.0.0.1", server.server_address[1], f"/packs/{plan['packs'][0]['name']}")
        assert status == 503 and b"outside the kit" not in body
        assert b"bzmedia build" in body
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


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
        try:  # it ends in well under a second; 30 s leaves room for a loaded CI machine
            assert process.wait(30) == 128 + 15  # SIGTERM ends it like Ctrl-C (status 143)
        finally:
            process.kill()


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


def test_a_host_or_port_it_cannot_listen_on_names_the_option_to_change(served, small_kit) -> None:
    _, port, _ = served  # this port is taken by the served kit
    with pytest.raises(KitServeError) as taken:
        make_server(small_kit.kit, "127.0.0.1", port)
    assert str(taken.value).endswith("; choose another port with --port")
    where = ("--host must be an address of this computer (127.0.0.1 for this computer only, 0.0.0.0 "
             "for every network)")
    for host in ("999.1.1.1", "192.0.2.254"):  # not an address; TEST-NET-1, no machine's own
        with pytest.raises(KitServeError) as wrong:
            make_server(small_kit.kit, host, 0)
        message = str(wrong.value)
        assert message.startswith(f"cannot listen on {host}:0: ") and message.endswith(where)
