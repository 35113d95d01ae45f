"""The kit page in headless Chromium, opened from ``file://`` as an office would open it.

Skips (with the reason) where no Chromium is installed; ``.ci/run`` installs one so it runs there.
Set ``BZMEDIA_SCREENSHOTS=<folder>`` to keep the desktop and phone screenshots for a human to look at.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from kit_chromium import Chromium, find_chromium
from kit_helpers import assert_pack_matches_plan, planned_packs, run_build, run_pack

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium at /usr/bin/chromium or on PATH (set BZMEDIA_CHROMIUM); "
                             ".ci/run installs it")

SECTIONS = """[...document.querySelectorAll('section.loc:not(.shared)')].map(s => ({
    id: s.id, name: s.querySelector('h2').textContent, shown: s.offsetParent !== null}))"""
URLS = """[].concat(
    [...document.querySelectorAll('a[href]')].map(e => e.href),
    [...document.querySelectorAll('[src]')].map(e => e.src),
    [...document.querySelectorAll('video[poster]')].map(e => e.poster))"""
PACK_LINKS = """Object.fromEntries([...document.querySelectorAll('[data-pack]')].map(
    e => [e.dataset.pack, e.querySelector('a').getAttribute('href')]))"""
HOW_SHOWN = "[...document.querySelectorAll('.pack-how')].filter(e => e.offsetParent !== null).length"
LOAD_LAZY_IMAGES = """Promise.all([...document.images].map(i => new Promise(done => {
    if (i.complete && i.naturalWidth) { done(); return; }
    i.addEventListener('load', done, {once: true});
    i.addEventListener('error', done, {once: true});
    i.loading = 'eager';
})))"""
"""Previews load lazily (only as they scroll into view); load them all to check each one."""
BROKEN_IMAGES = "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
AUDIO_DURATIONS = """Promise.all([...document.querySelectorAll('audio')].map(a => new Promise(done => {
    a.addEventListener('loadedmetadata', () => done([a.currentSrc, a.duration]), {once: true});
    a.addEventListener('error', () => done([a.currentSrc, -1]), {once: true});
    a.preload = 'metadata'; a.load();
})))"""


def kit_file_of(url: str, kit: Path) -> Path:
    """The file a ``file://`` URL on the page names, asserting it lies inside the kit."""
    parts = urlsplit(url)
    assert parts.scheme == "file", f"not a local link: {url}"
    path = Path(unquote(parts.path)).resolve()
    assert path.is_relative_to(kit.resolve()), f"{url} leaves the kit"
    return path


def type_filter(browser: Chromium, text: str) -> list[str]:
    """Clear the filter box, type ``text`` as a user would, return the ids still shown."""
    browser.evaluate("{ const q = document.getElementById('tim_kiem'); q.value = '';"
                     " q.dispatchEvent(new Event('input')); q.focus(); }")
    browser.type_text(text)
    return [s["id"] for s in browser.evaluate(SECTIONS) if s["shown"]]


def check_page(browser: Chromium, kit: Path, names: dict[str, str]) -> None:
    """Every locality shown, every audio source and link a kit file, every preview drawn."""
    page = kit / "index.html"
    browser.viewport(1280, 900)
    browser.open(page.as_uri())
    sections = browser.evaluate(SECTIONS)
    assert {s["id"]: s["name"] for s in sections} == names
    assert all(s["shown"] for s in sections)
    for url in browser.evaluate(URLS):
        target = kit_file_of(url, kit)
        assert target.is_file(), f"{url} does not exist"
    browser.evaluate(LOAD_LAZY_IMAGES)
    assert browser.evaluate(BROKEN_IMAGES) == []
    durations = browser.evaluate(AUDIO_DURATIONS)
    assert durations, "no audio players on the page"
    for src, seconds in durations:
        assert kit_file_of(src, kit).is_file()
        assert seconds > 0.5, f"Chromium cannot play {src}"


def screenshots(browser: Chromium, kit: Path, folder: Path) -> None:
    """Desktop and phone screenshots; at phone width nothing may stick out sideways."""
    folder.mkdir(parents=True, exist_ok=True)
    browser.viewport(1280, 900)
    browser.open((kit / "index.html").as_uri())
    browser.screenshot(folder / "kit-desktop.png")
    browser.viewport(390, 844, mobile=True, scale=1)
    browser.open((kit / "index.html").as_uri())
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    assert browser.evaluate("document.getElementById('tim_kiem').getBoundingClientRect().right") <= 390
    browser.screenshot(folder / "kit-phone.png")
    for shot in ("kit-desktop.png", "kit-phone.png"):
        assert (folder / shot).stat().st_size > 10_000


def shot_folder(tmp_path: Path, name: str) -> Path:
    keep = os.environ.get("BZMEDIA_SCREENSHOTS")
    return Path(keep) / name if keep else tmp_path / name


@needs_chromium
def test_small_kit_page_in_chromium(small_kit, tmp_path) -> None:
    with Chromium(CHROMIUM) as browser:
        check_page(browser, small_kit.kit, {"son-vi": "xã Sơn Vi", "dong-ha": "phường Đông Hà"})
        assert type_filter(browser, "son vi") == ["son-vi"]
        assert type_filter(browser, "DONG HA") == ["dong-ha"]  # đ typed as d, capitals
        assert type_filter(browser, "Đông") == ["dong-ha"]
        assert type_filter(browser, "xa") == ["son-vi"]
        assert type_filter(browser, "ha noi") == []
        assert browser.evaluate("document.getElementById('khong_thay').hidden") is False
        assert type_filter(browser, "") == ["son-vi", "dong-ha"]
        # No pack on disk: no pack is linked and each block says how to get one.
        assert set(browser.evaluate(PACK_LINKS).values()) == {None}
        assert browser.evaluate(HOW_SHOWN) == 3  # the whole kit and the two communes
        screenshots(browser, small_kit.kit, shot_folder(tmp_path, "small"))


@needs_chromium
def test_packs_written_on_request_are_linked_from_disk(small_kit, tmp_path) -> None:
    kit = tmp_path / "kit-nho"
    shutil.copytree(small_kit.kit, kit)
    run_pack(kit, "--locality", "son-vi")
    with Chromium(CHROMIUM) as browser:
        browser.open((kit / "index.html").as_uri())
        links = browser.evaluate(PACK_LINKS)
        linked = {name for name, link in links.items() if link}
        assert linked == {f"son-vi-{a}.zip" for a in ("loa", "in", "man-hinh")}
        assert all(links[name] == f"packs/{name}" for name in links if links[name])
        assert browser.evaluate(HOW_SHOWN) == 2  # son-vi has all its packs: its note is gone
        for url in browser.evaluate(URLS):
            assert kit_file_of(url, kit).is_file(), url


@needs_chromium
@pytest.mark.slow
def test_full_example_kit_end_to_end(campaign_dir, tmp_path, cache_dir) -> None:
    """``bzmedia build content/bluezone-2020.yaml``: page, players, links, filter, every pack."""
    output = tmp_path / "output"
    run_build(campaign_dir / "bluezone-2020.yaml", output, cache_dir)
    kit = output / "bluezone-2020"
    manifest = (kit / "manifest.json").read_text(encoding="utf-8")
    files = {e["path"]: e for e in json.loads(manifest)["files"]}
    assert len(planned_packs(kit)) == 3 * 4  # loudspeaker, print shop, screens, messages
    run_pack(kit)
    packs = {name: assert_pack_matches_plan(kit, name, files) for name in planned_packs(kit)}
    with Chromium(CHROMIUM) as browser:
        check_page(browser, kit, {"son-vi": "xã Sơn Vi", "tu-xa": "xã Tứ Xã",
                                  "hung-son": "thị trấn Hùng Sơn"})
        assert type_filter(browser, "son vi") == ["son-vi"]
        assert type_filter(browser, "tu xa") == ["tu-xa"]
        assert type_filter(browser, "son") == ["son-vi", "hung-son"]
        screenshots(browser, kit, shot_folder(tmp_path, "full"))
    assert ": 0 made" in run_build(campaign_dir / "bluezone-2020.yaml", output, cache_dir)
    assert (kit / "manifest.json").read_text(encoding="utf-8") == manifest
    for name in packs:
        (kit / "packs" / name).unlink()
    run_pack(kit)
    for name, data in packs.items():  # made again from the same files: the same bytes
        assert (kit / "packs" / name).read_bytes() == data


def _many_communes_page(folder: Path, count: int) -> Path:
    """A page for ``count`` communes with no files (drawn directly, no build needed)."""
    from bzmedia.kit.catalog import locality_site, pack_plan
    from bzmedia.kit.page import render_page

    campaign = {"id": "tinh", "title": "Bluezone", "issuer": "Sở TT&TT", "url": "https://bluezone.gov.vn",
                "summary": None, "date": None, "start": None, "end": None,
                "primary": "#0b5ea8", "accent": "#f2a900"}
    localities = [locality_site(f"xa-{i:03d}", f"xã Số {i}", [], pack_plan(f"xa-{i:03d}", []), [])
                  for i in range(1, count + 1)]
    for index, name in ((6, "phường Đông Hà"), (20, "xã Cao Xá"), (30, "thị trấn Cao Xá")):
        if index < count:
            localities[index]["name"] = name
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "index.html"
    page.write_text(render_page({"campaign": campaign, "localities": localities, "shared": [],
                                 "kit_zip": None}), encoding="utf-8")
    return page


@needs_chromium
def test_a_province_page_shows_the_commune_picked_not_all_of_them(tmp_path) -> None:
    page = _many_communes_page(tmp_path / "tinh", 40)
    with Chromium(CHROMIUM) as browser:
        browser.open(page.as_uri())
        assert [s for s in browser.evaluate(SECTIONS) if s["shown"]] == []
        assert browser.evaluate("document.getElementById('chon').hidden") is False
        browser.evaluate("document.querySelector('.jump a[data-for=\"xa-007\"]').click()")
        assert [s["id"] for s in browser.evaluate(SECTIONS) if s["shown"]] == ["xa-007"]
        assert browser.evaluate("document.getElementById('chon').hidden") is True
        assert type_filter(browser, "dong ha") == ["xa-007"]
        assert type_filter(browser, "cao xa") == ["xa-021", "xa-031"]  # every match, even past one
        assert type_filter(browser, "") == ["xa-007"]  # back to the commune picked
    small = _many_communes_page(tmp_path / "huyen", 12)  # a district's handful: all shown at once
    with Chromium(CHROMIUM) as browser:
        browser.open(small.as_uri())
        assert len([s for s in browser.evaluate(SECTIONS) if s["shown"]]) == 12


@needs_chromium
def test_a_broken_escape_in_the_pages_link_leaves_the_filter_working(small_kit) -> None:
    """``index.html#%E0%A4%A`` (a link cut short) threw "URI malformed" on opening: the filter
    never ran."""
    with Chromium(CHROMIUM) as browser:
        browser.viewport(1280, 900)
        browser.open((small_kit.kit / "index.html").as_uri() + "#%E0%A4%A")
        assert type_filter(browser, "son vi") == ["son-vi"]
    with Chromium(CHROMIUM) as browser:  # a filter link cut short: its text as it is
        browser.open((small_kit.kit / "index.html").as_uri() + "#q=%E0%A4")
        assert browser.evaluate("document.getElementById('tim_kiem').value") == "%E0%A4"
