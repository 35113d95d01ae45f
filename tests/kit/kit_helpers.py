"""Kit test helpers: small campaigns and real ``bzmedia build`` runs (shared by the kit tests)."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import shutil
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from click.testing import CliRunner

from bzmedia.cli import cli
from bzmedia.kit.serve import make_server

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 5
"""Seconds a served request may take: a hung server fails the test instead of hanging it."""

SMALL_CAMPAIGN = """\
campaign:
  id: kit-nho
  title: "Cài đặt Bluezone <ngay> & an toàn"
  issuer: "UBND huyện Lâm Thao"
  url: https://www.bluezone.gov.vn
  summary: "Bộ tài liệu thử: hai xã, một thông báo, một bản đọc, hai trang chiếu."
  date: 2020-08-05
  start: 2020-08-05
  end: 2020-08-20

localities:
  - id: son-vi
    name: "xã Sơn Vi"
    hotline: "0210 3825 111"
  - id: dong-ha
    name: "phường Đông Hà"
    hotline: "0210 3829 214"

audio:
  schedule: {times: ["06:00", "17:00"]}
  spots:
    - id: thong-bao
      title: "Thông báo cài Bluezone"
      intro: none
      ident: false
      closing: false
      text: "Đề nghị bà con {locality.name} cài đặt ứng dụng Bluezone."

print:
  - id: ban-doc
    kind: script
    spot: thong-bao
    headline: "Bản đọc trên loa"
  - id: dan-xe
    kind: sticker
    size: 210x99
    headline: "Hãy cài đặt Bluezone"

signage:
  sizes: [640x360]
  seconds: 2
  crossfade: 0
  slides:
    - id: khau-trang
      kind: title
      title: "Bluezone – khẩu trang điện tử"
      text: "{locality.name}"
    - id: quet-ma
      kind: cta
      title: "Quét mã để tải Bluezone"
      text: "bluezone.gov.vn"
"""
"""Two localities (one with đ, to find by typing "dong ha"), a spot, a live-read script, a
sticker and two small slides: every audience of every pack, built in seconds."""

AUDIO_ONLY_CAMPAIGN = """\
campaign:
  id: chi-loa
  title: "Chỉ có loa"
  issuer: "UBND xã Sơn Vi"
  url: https://www.bluezone.gov.vn

audio:
  spots:
    - id: thong-bao
      intro: none
      text: "Đề nghị bà con cài đặt ứng dụng Bluezone."
"""
"""No localities (one kit in ``all/``), no print, no signage: two of three packs are empty."""


@dataclass
class BuiltKit:
    """A kit made by a real ``bzmedia build``."""

    script: Path
    output: Path
    kit: Path
    cache: Path
    stdout: str

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.kit / "manifest.json").read_text(encoding="utf-8"))

    def files(self) -> dict[str, dict[str, Any]]:
        return {entry["path"]: entry for entry in self.manifest()["files"]}


def run_build(script: Path, output: Path, cache: Path, *extra: str) -> str:
    """``bzmedia build`` through the real CLI; returns its output (fails the test on error)."""
    result = CliRunner().invoke(cli, ["build", str(script), "-o", str(output), *extra],
                                env={"BZMEDIA_CACHE": str(cache)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def write_campaign(folder: Path, text: str) -> Path:
    """A campaign script in ``folder`` beside a copy of the example's assets."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content" / "assets", folder / "assets", dirs_exist_ok=True)
    script = folder / "campaign.yaml"
    script.write_text(text, encoding="utf-8")
    return script


def build_kit(root: Path, text: str, campaign_id: str) -> BuiltKit:
    script = write_campaign(root / "campaign", text)
    output, cache = root / "output", root / "cache"
    stdout = run_build(script, output, cache)
    return BuiltKit(script, output, output / campaign_id, cache, stdout)


ZIP_MODE = 0o100644


class LinkCollector(HTMLParser):
    """Every URL a page points at (links, media, images, posters) and every section id."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.audio_sources: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src", "poster"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "audio" and attrs.get("src"):
            self.audio_sources.append(attrs["src"])


def links_of(page: Path) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector


def assert_links_resolve(page: Path, root: Path) -> None:
    """Every URL in ``page`` is relative and names a file inside ``root`` (or an id on the page)."""
    collector = links_of(page)
    assert collector.urls, "the page links to nothing"
    for url in collector.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"external URL on the page: {url}"
        if not parts.path:
            assert parts.fragment in collector.ids, f"anchor {url} has no target"
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        assert target.is_relative_to(root.resolve()), f"{url} leaves the kit"
        assert target.is_file(), f"{url} does not exist"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pack_plan(kit: Path) -> dict[str, Any]:
    """The kit's ``packs/index.json``: the packs it offers, as the page job planned them."""
    return json.loads((kit / "packs" / "index.json").read_text(encoding="utf-8"))


def planned_packs(kit: Path) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in pack_plan(kit)["packs"]}


def assert_pack_matches_plan(kit: Path, name: str, files: dict[str, dict],
                             date: tuple[int, ...] = (2020, 8, 5, 0, 0, 0)) -> bytes:
    """``packs/<name>`` holds exactly the files its plan lists, byte for byte, sorted, fixed."""
    entry = planned_packs(kit)[name]
    expected = {path.removeprefix(entry["root"]): files[path]["sha256"]
                for path, _sha, _size in entry["members"]}
    data = (kit / "packs" / name).read_bytes()
    with zipfile.ZipFile(kit / "packs" / name) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        assert names == sorted(names)
        assert set(names) == set(expected), name
        assert len(names) == len(expected)
        for info in infos:
            assert sha256(archive.read(info)) == expected[info.filename], info.filename
            assert info.date_time == date
            assert info.external_attr >> 16 == ZIP_MODE
            assert info.compress_type == zipfile.ZIP_STORED
        assert archive.comment.decode() == entry["key"]
    return data


def run_pack(kit: Path, *extra: str) -> str:
    """``bzmedia pack`` through the real CLI; returns its output (fails the test on error)."""
    result = CliRunner().invoke(cli, ["pack", str(kit), *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


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


@contextlib.contextmanager
def serving(kit: Path) -> Iterator[int]:
    """``kit`` served on 127.0.0.1 in a thread while the block runs; yields the port."""
    server = make_server(kit, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)
