"""Small pure parts of the kit stage: Vietnamese formatting, request paths, byte ranges, zips."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bzmedia.kit.catalog import audience_of, print_item_id, thumb_path
from bzmedia.kit.fmt import date_vi, duration_vi, number_vi, size_vi
from bzmedia.kit.packs import Member, write_zip
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
    assert duration_vi(3725) == "1 giờ 2 phút"
    assert date_vi("2020-08-05") == "05/08/2020"


def test_files_sort_into_audiences_by_folder_and_kind() -> None:
    assert audience_of({"path": "son-vi/audio/01-a.mp3", "kind": "audio"}) == "loa"
    assert audience_of({"path": "son-vi/audio/lich-06h00.m3u", "kind": "playlist"}) == "loa"
    assert audience_of({"path": "son-vi/print/ban-doc.pdf", "kind": "script"}) == "loa"
    assert audience_of({"path": "son-vi/print/ban-doc-office-a4.pdf", "kind": "office",
                        "item_kind": "script"}) == "loa"
    assert audience_of({"path": "son-vi/print/to-roi-office-a4.pdf", "kind": "office"}) == "in"
    assert audience_of({"path": "son-vi/signage/1920x1080/playlist.json", "kind": "playlist"}) == "man-hinh"
    assert audience_of({"path": "notes.txt", "kind": "other"}) is None
    assert print_item_id("son-vi/print/to-roi-office-a4.pdf") == "to-roi"
    assert thumb_path("son-vi/signage/1920x1080/01-a.png") == "thumbs/son-vi/signage/1920x1080/01-a.png"


def test_byte_ranges() -> None:
    assert parse_range(None, 100) is None
    assert parse_range("bytes=0-9", 100) == (0, 9)
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


def test_zip_bytes_do_not_depend_on_member_order_or_file_times(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.mp3"
    first.write_text("xin chào\n", encoding="utf-8")
    second.write_bytes(bytes(range(256)) * 10)
    write_zip(tmp_path / "one.zip", [Member("b.mp3", second), Member("a.txt", first)], (2020, 8, 5, 0, 0, 0))
    first.touch()
    write_zip(tmp_path / "two.zip", [Member("a.txt", first), Member("b.mp3", second)], (2020, 8, 5, 0, 0, 0))
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        kinds = {info.filename: info.compress_type for info in archive.infolist()}
    assert kinds == {"a.txt": zipfile.ZIP_DEFLATED, "b.mp3": zipfile.ZIP_STORED}
