"""Small pure parts of the kit stage: Vietnamese formatting, request paths, byte ranges, zips."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bzmedia.errors import BuildError
from bzmedia.kit.catalog import audience_of, print_item_id, thumb_path
from bzmedia.kit.fmt import date_vi, duration_vi, number_vi, size_vi
from bzmedia.kit.offer import KitPathError, safe_kit_path
from bzmedia.kit.packs import Member, Pack, pack_length, read_comment, write_pack
from bzmedia.kit.serve import parse_range, resolve_request


def test_numbers_sizes_and_durations_read_the_vietnamese_way() -> None:
    assert number_vi(1234567.25, 2) == "1.234.567,25"
    assert number_vi(-16.04, 1) == "-16,0"
    assert size_vi(900) == "900 B"
    assert size_vi(1536) == "1,5 KB"
    assert size_vi(1_837_097) == "1,8 MB"
    assert size_vi(45 * 1024 * 1024) == "45 MB"
    assert duration_vi(7.4) == "7 giây"
    assert duration_vi(114.55) == "1 phút 55 giây"
    assert duration_vi(120) == "2 phút"
    assert duration_vi(3725) == "1 tiếng 2 phút"  # CLDR vi duration-hour (giờ is also the clock hour)
    assert date_vi("2020-08-05") == "05/8/2020"  # see bzmedia.text.written_dates


def test_files_sort_into_audiences_by_folder_and_kind() -> None:
    assert audience_of({"path": "son-vi/audio/01-a.mp3", "kind": "audio"}) == "loa"
    assert audience_of({"path": "son-vi/audio/lich-06h00.m3u", "kind": "playlist"}) == "loa"
    assert audience_of({"path": "son-vi/print/ban-doc.pdf", "kind": "script"}) == "loa"
    assert audience_of({"path": "son-vi/print/ban-doc-office-a4.pdf", "kind": "office",
                        "item_kind": "script"}) == "loa"
    assert audience_of({"path": "son-vi/print/to-roi-office-a4.pdf", "kind": "office"}) == "in"
    assert audience_of({"path": "son-vi/signage/1920x1080/playlist.json", "kind": "playlist"}) == "man-hinh"
    assert audience_of({"path": "son-vi/messages/anh/01-banner.png", "kind": "banner"}) == "tin-nhan"
    assert audience_of({"path": "messages/tin-nhan-sms.csv", "kind": "sms-table"}) is None  # campaign-wide
    assert audience_of({"path": "notes.txt", "kind": "other"}) is None
    assert print_item_id("son-vi/print/to-roi-office-a4.pdf") == "to-roi"
    assert thumb_path("son-vi/signage/1920x1080/01-a.png") == "thumbs/son-vi/signage/1920x1080/01-a.png"


def test_byte_ranges() -> None:
    assert parse_range(None, 100) is None
    assert parse_range("bytes=0-9", 100) == (0, 9)
    # a number past int()'s 4,300-digit limit dropped the connection: the whole file answers it
    assert parse_range("bytes=" + "1" * 5000 + "-", 100) is None
    assert parse_range("bytes=0-" + "9" * 5000, 100) is None
    assert parse_range("bytes=90-", 100) == (90, 99)
    assert parse_range("bytes=-10", 100) == (90, 99)
    assert parse_range("bytes=50-500", 100) == (50, 99)
    assert parse_range("bytes=100-", 100) is False
    assert parse_range("bytes=0-1,5-6", 100) is None  # several ranges: the whole file instead


SEGMENTS = st.sampled_from(["..", ".", "", "%2e%2e", "%2E.", "..%2f", "%2f", "%5c", "\\", "a", "b.txt",
                            "index.html", "%00", "C:", "%c0%ae", ".hidden", "~", "%252e%252e"])


@settings(max_examples=120, deadline=None)
@given(st.lists(SEGMENTS, min_size=1, max_size=6), st.booleans())
def test_no_request_path_resolves_outside_the_kit(tmp_path_factory, segments, lead_slash) -> None:
    base = tmp_path_factory.getbasetemp() / "resolve-root"
    root = base / "kit"
    (root / "a").mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text("page")
    (root / "a" / "b.txt").write_text("inside")
    (base / "b.txt").write_text("outside")
    path = ("/" if lead_slash else "") + "/".join(segments)
    try:
        found = resolve_request(root.resolve(), path)
    except UnicodeDecodeError:
        return  # the server answers 404 for undecodable paths
    assert found is None or found.is_relative_to(root.resolve())


def _member(path: Path, name: str | None = None) -> Member:
    data = path.read_bytes()
    return Member(name or path.name, path, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def test_pack_bytes_are_fixed_by_members_and_known_before_reading(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.mp3"
    first.write_text("xin chào\n", encoding="utf-8")
    second.write_bytes(bytes(range(256)) * 10)
    date = (2020, 8, 5, 0, 0, 0)
    one = Pack([_member(second, "x/b.mp3"), _member(first, "a.txt")], date, "key-1")
    write_pack(tmp_path / "one.zip", one)
    first.touch()
    os.utime(second, (0, 0))
    two = Pack([_member(first, "a.txt"), _member(second, "x/b.mp3")], date, "key-1")
    write_pack(tmp_path / "two.zip", two)
    data = (tmp_path / "one.zip").read_bytes()
    assert data == (tmp_path / "two.zip").read_bytes()
    assert len(data) == one.length == pack_length(one.members, "key-1")  # Content-Length up front
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC right
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["a.txt", "x/b.mp3"]
        assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
        assert {i.date_time for i in infos} == {date}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert archive.read("x/b.mp3") == second.read_bytes()
        assert archive.comment == b"key-1"
    assert read_comment(tmp_path / "one.zip") == "key-1"
    end = len(data) - 1
    for first_byte, last_byte in [(0, 0), (0, 29), (25, 200), (40, end), (end - 5, end)]:
        assert b"".join(one.chunks(first_byte, last_byte)) == data[first_byte:last_byte + 1]


def test_a_changed_member_stops_the_pack(tmp_path: Path) -> None:
    source = tmp_path / "a.mp3"
    source.write_bytes(b"one")
    member = _member(source)
    source.write_bytes(b"two")  # same size, other content
    with pytest.raises(BuildError, match="changed since the kit was built"):
        Pack([member], (1980, 1, 1, 0, 0, 0))
    with pytest.raises(BuildError, match="too large for one zip"):
        Pack([Member("big.mp4", source, size=5 << 30)], (1980, 1, 1, 0, 0, 0), crc_of=lambda m: 0)


def test_paths_named_inside_the_kit_stay_inside_it(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    (kit / ".bzmedia").mkdir(parents=True)
    (kit / ".bzmedia" / "state.json").write_text("{}")
    (kit / "a.txt").write_text("a")
    (tmp_path / "secret.txt").write_text("s")
    os.symlink(kit / ".bzmedia", kit / "state-link")
    os.symlink(tmp_path / "secret.txt", kit / "out.txt")
    root = kit.resolve()
    assert safe_kit_path(root, "a.txt") == root / "a.txt"
    for bad in ["../secret.txt", "/etc/passwd", ".bzmedia/state.json", "state-link/state.json", "out.txt",
                "x" * 300, "a.txt\0", "C:/x", "", None, 5]:
        with pytest.raises(KitPathError):
            safe_kit_path(root, bad)
    assert resolve_request(root, "/state-link/state.json") is None
    assert resolve_request(root, "/" + "x" * 256) is None
    assert resolve_request(root, "/" + "x" * 256 + "/a.txt") is None
    assert resolve_request(root, "/a.txt") == root / "a.txt"


def test_a_bad_pdf_or_png_is_a_located_error_not_a_crash(tmp_path: Path) -> None:
    from bzmedia.cache import Store
    from bzmedia.kit.thumbs import thumbnail

    store = Store(tmp_path / "cache")
    bad_pdf = tmp_path / "to-roi.pdf"
    bad_pdf.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n")  # no pages, no xref
    png = tmp_path / "01-slide.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)  # a header and nothing else
    for source, kind in ((bad_pdf, "print"), (png, "slide")):
        with pytest.raises(BuildError, match=f"{source}: cannot make a preview of this {kind} file"):
            thumbnail(source, "0" * 64, kind, store)


def test_planning_the_kit_imports_no_image_or_pdf_library() -> None:
    import subprocess
    import sys

    heavy = ("PIL", "pypdfium2", "numpy", "scipy", "reportlab")
    code = ("import sys, bzmedia.kit.builder, bzmedia.kit.serve, bzmedia.kit.ondisk; "
            f"print([m for m in {heavy!r} if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_serve_log_shows_a_clients_control_characters_as_escapes():
    """A request line is the client's bytes: ESC ] 0 ; ... BEL set the operator's terminal title."""
    from types import SimpleNamespace

    from bzmedia.kit.serve import KitRequestHandler

    logged: list[str] = []
    handler = SimpleNamespace(address_string=lambda: "127.0.0.1", server=SimpleNamespace(log=logged.append))
    KitRequestHandler.log_message(handler, '"%s" %s', "GET /\x1b]0;owned\x07 HTTP/1.1", "404")
    assert logged == ['127.0.0.1 "GET /\\x1b]0;owned\\x07 HTTP/1.1" 404']
