"""The kit page of a text channel (messages): texts with their counts and a copy button, the
wifi-portal page in a frame, the images, the article preview, and its pack; and that channels
reach the page and the packs through the builder registry alone."""

from __future__ import annotations

import json
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from kit_chromium import Chromium, find_chromium
from kit_helpers import (
    assert_links_resolve,
    assert_pack_matches_plan,
    build_kit,
    planned_packs,
    run_pack,
)
from kit_helpers import (
    pack_plan as pack_plan_of,
)

from bzmedia import build as build_module
from bzmedia.builder import Builder
from bzmedia.errors import BuildError
from bzmedia.kit import catalog
from bzmedia.kit.catalog import locality_site, pack_plan
from bzmedia.kit.page import render_page

CHROMIUM = find_chromium()

MESSAGES_CAMPAIGN = """\
campaign:
  id: tin-nhan
  title: "Cài đặt Bluezone"
  issuer: "UBND huyện Lâm Thao"
  url: https://www.bluezone.gov.vn
  date: 2020-08-05

localities:
  - id: son-vi
    name: "xã Sơn Vi"
    hotline: "0210 3825 111"

messages:
  title: "Cài đặt Bluezone – khẩu trang điện tử"
  text: "Bảo vệ mình, bảo vệ gia đình và cộng đồng."
  button: "Tải Bluezone"
  steps:
    - "Mở CH Play hoặc App Store"
    - "Tìm “Bluezone” và bấm Cài đặt"
  sms:
    text: "UBND {locality.name} đề nghị thuê bao cài Bluezone: https://www.bluezone.gov.vn"
    max_parts: 1
    unicode_max_parts: 2
  zalo:
    text: |
      UBND {locality.name} đề nghị bà con cài Bluezone <b>&</b> "ngay" </textarea>.

      Tải ứng dụng tại: https://www.bluezone.gov.vn
  article:
    title: "Hướng dẫn cài đặt ứng dụng Bluezone"
    lead: "{locality.name} đề nghị Nhân dân cài đặt Bluezone."
    closing: "Cần giúp đỡ, xin gọi {hotline}."
"""
"""One commune, every part of the channel; the Zalo text carries markup that must stay text."""


class PageParts(HTMLParser):
    """The texts in boxes, the copy buttons and the frames of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: list[str] = []
        self.buttons = 0
        self.frames: list[dict[str, str | None]] = []
        self._in_box = False

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "textarea":
            self._in_box = True
            self.boxes.append("")
        elif tag == "button" and ("class", "copy") in attrs:
            self.buttons += 1
        elif tag == "iframe":
            self.frames.append(dict(attrs))

    def handle_endtag(self, tag) -> None:
        if tag == "textarea":
            self._in_box = False

    def handle_data(self, data) -> None:
        if self._in_box:
            self.boxes[-1] += data


@pytest.fixture(scope="module")
def messages_kit(tmp_path_factory: pytest.TempPathFactory):
    return build_kit(tmp_path_factory.mktemp("messages-kit"), MESSAGES_CAMPAIGN, "tin-nhan")


def _parts(kit: Path) -> PageParts:
    parts = PageParts()
    parts.convert_charrefs = True
    parts.feed((kit / "index.html").read_text(encoding="utf-8"))
    return parts


def test_each_message_is_on_the_page_in_a_box_to_copy_with_its_counts(messages_kit) -> None:
    files = messages_kit.files()
    texts = {e["kind"] + "/" + e.get("form", ""): e for e in files.values() if "text" in e}
    parts = _parts(messages_kit.kit)
    # Unaccented SMS first, then the accented one, then Zalo: each exactly as the gateway gets it.
    assert parts.boxes == [texts["sms/khong-dau"]["text"], texts["sms/co-dau"]["text"],
                           texts["zalo/"]["text"]]
    assert "</textarea>" in parts.boxes[2]  # markup in a message stays text, the page intact
    assert parts.buttons == 3
    html = (messages_kit.kit / "index.html").read_text(encoding="utf-8")
    for entry in texts.values():
        assert entry["counts"] in html
    assert "UCS-2" in texts["sms/co-dau"]["counts"] and "GSM-7" in texts["sms/khong-dau"]["counts"]
    assert [f["src"] for f in parts.frames] == ["son-vi/messages/wifi-portal.html"]
    assert parts.frames[0]["sandbox"] == ""  # the framed page may run nothing
    for name in ("bai-viet-xem-truoc.html", "anh/banner-300x250.png", "anh/mang-xa-hoi-1080x1920.png",
                 "anh/buoc-2.png"):
        assert f'href="son-vi/messages/{name}"' in html, name
    assert 'href="messages/tin-nhan-sms.csv"' in html  # the campaign-wide table: shared files
    assert_links_resolve(messages_kit.kit / "index.html", messages_kit.kit)


def test_the_messages_pack_holds_the_channel_files_and_is_written_on_request(messages_kit, tmp_path) -> None:
    import shutil

    kit = tmp_path / "tin-nhan"
    shutil.copytree(messages_kit.kit, kit)
    files = messages_kit.files()
    assert sorted(planned_packs(kit)) == ["son-vi-tin-nhan.zip"]  # no audio, print or screens here
    # Every channel's audience is in the plan, so `pack` knows the names without loading the channels.
    assert pack_plan_of(kit)["audiences"] == ["loa", "in", "man-hinh", "tin-nhan"]
    members = {m[0] for m in planned_packs(kit)["son-vi-tin-nhan.zip"]["members"]}
    assert members == {p for p in files if p.startswith("son-vi/messages/")}
    assert "son-vi-tin-nhan.zip" in run_pack(kit, "--audience", "tin-nhan")
    assert_pack_matches_plan(kit, "son-vi-tin-nhan.zip", files)
    with pytest.raises(BuildError, match="unknown audience 'sms'; packs are: loa, in, man-hinh, tin-nhan"):
        from bzmedia.kit.ondisk import write_packs
        write_packs(kit, audiences=("sms",))


class RadioBuilder(Builder):
    """A channel the kit has never heard of, registered in one line (see the test below)."""

    name = "radio"
    label = "Đài phát thanh"
    kit_section = "no-such-renderer"
    pack_audience = "dai"
    pack_label = "Đài huyện"
    pack_holds = "bản tin"

    def jobs(self, plan):
        return []

    def make(self, job, ctx):
        return []


def test_a_new_channel_gets_its_section_and_pack_from_the_registry_alone(monkeypatch) -> None:
    registry = (*build_module.BUILDERS, f"{__name__}:RadioBuilder")
    monkeypatch.setattr(build_module, "BUILDERS", registry)
    catalog.channels.cache_clear()
    try:
        names = [audience for audience, _label, _holds in catalog.audiences()]
        assert names == ["loa", "in", "man-hinh", "tin-nhan", "dai"]
        entries = [{"path": "xa/radio/ban-tin.txt", "kind": "bulletin", "bytes": 5, "sha256": "0" * 64},
                   {"path": "xa/messages/zalo.txt", "kind": "zalo", "bytes": 3, "sha256": "1" * 64,
                    "text": "Chào <bà con>", "counts": "13/2.000 ký tự", "title": "Zalo"}]
        packs = pack_plan("xa", entries)
        assert {p["audience"]: p["name"] for p in packs}["dai"] == "xa-dai.zip"
        site = locality_site("xa", "xã X", entries, packs, [])
        assert [s["label"] for s in site["sections"]] == ["Tin nhắn và trang mạng", "Đài phát thanh"]
        page = render_page({"campaign": {"id": "c", "title": "T", "issuer": "I", "url": "u", "summary": None,
                                         "date": None, "start": None, "end": None,
                                         "primary": "#000", "accent": "#fff"},
                            "localities": [site], "shared": [], "kit_zip": None})
        # An unknown renderer name draws a plain download list, under the channel's own label.
        assert '<h3>Đài phát thanh</h3><ul class="files"><li><a href="xa/radio/ban-tin.txt">' in page
        assert "Chào &lt;bà con&gt;</textarea>" in page
        assert "Đài huyện" in page and 'data-pack="xa-dai.zip"' in page
    finally:
        catalog.channels.cache_clear()


def _frame_session(browser: Chromium, url_end: str) -> str:
    """A DevTools session inside the frame showing ``url_end`` (sandboxed frames are their own target)."""
    for _ in range(50):
        targets = browser.call("Target.getTargets")["targetInfos"]
        frame = next((t for t in targets if t["type"] == "iframe" and t["url"].endswith(url_end)), None)
        if frame:
            attached = browser.call("Target.attachToTarget", targetId=frame["targetId"], flatten=True)
            return attached["sessionId"]
        time.sleep(0.1)
    raise AssertionError(f"no frame shows {url_end}")


def _click(browser: Chromium, selector: str) -> None:
    """A real mouse click (a user gesture: the clipboard needs one)."""
    browser.evaluate(f"document.querySelector({json.dumps(selector)}).scrollIntoView({{block: 'center'}})")
    x, y = browser.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    for kind in ("mousePressed", "mouseReleased"):
        browser.call("Input.dispatchMouseEvent", session=True, type=kind, x=x, y=y, button="left",
                     clickCount=1)


@pytest.mark.skipif(CHROMIUM is None,
                    reason="no Chromium at /usr/bin/chromium or on PATH (set BZMEDIA_CHROMIUM)")
def test_copy_button_and_portal_frame_in_chromium(messages_kit) -> None:
    sms = messages_kit.files()["son-vi/messages/sms-khong-dau.txt"]["text"]
    with Chromium(CHROMIUM) as browser:
        browser.viewport(1280, 900)
        browser.open((messages_kit.kit / "index.html").as_uri())
        browser.call("Browser.grantPermissions",
                     permissions=["clipboardReadWrite", "clipboardSanitizedWrite"])
        _click(browser, "#son-vi button.copy")
        note = "document.querySelector('#son-vi .copied').textContent"
        for _ in range(50):
            if browser.evaluate(note):
                break
            time.sleep(0.05)
        assert browser.evaluate(note) == "Đã sao chép"
        assert browser.evaluate("navigator.clipboard.readText()") == sms
        assert browser.evaluate("[...document.images].filter(i => i.src.endsWith('.png')).length") >= 7
        browser.evaluate("Promise.all([...document.images].map(i => (i.loading = 'eager', i.decode()"
                         ".catch(() => null))))")
        assert browser.evaluate("[...document.images].filter(i => !i.naturalWidth).map(i => i.src)") == []
        _click(browser, "#son-vi iframe")  # scrolls it into view: the frame loads lazily
        page_session, browser.session = browser.session, _frame_session(browser, "/wifi-portal.html")
        try:
            for _ in range(50):
                if browser.evaluate("document.readyState") == "complete":
                    break
                time.sleep(0.05)
            title, has_qr = browser.evaluate("[document.title, !!document.querySelector('svg')]")
        finally:
            browser.session = page_session
        assert title == "Cài đặt Bluezone – khẩu trang điện tử" and has_qr
        browser.viewport(390, 844, mobile=True)
        browser.open((messages_kit.kit / "index.html").as_uri())
        assert browser.evaluate("document.documentElement.scrollWidth") <= 390


def test_every_registered_channel_says_how_the_kit_shows_and_packs_it() -> None:
    import re

    from bzmedia.kit.page import SECTION_RENDERERS

    found = catalog.channels()
    assert [c["name"] for c in found] == build_module.channel_names()
    for channel in found:
        assert channel["label"] != channel["name"], f"{channel['name']}: no Vietnamese label"
        assert channel["section"] in SECTION_RENDERERS, channel
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", channel["audience"] or ""), channel
        assert channel["pack_holds"], channel
    assert len({c["audience"] for c in found}) == len(found)  # one pack per channel and commune
