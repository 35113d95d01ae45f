"""slideshow.html in a real browser: from file://, offline, first slide first, then the loop."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from signage_helpers import campaign_text, run_build, write_campaign

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def chromium() -> str | None:
    for candidate in (os.environ.get("BZMEDIA_CHROMIUM"), *CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("google-chrome")


@pytest.fixture(scope="module")
def slideshow_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("slideshow")
    signage = "sizes: [640x360]\nseconds: 2\ncrossfade: 0.4\nvideo: false"
    script = write_campaign(folder / "campaign", campaign_text(signage))
    report = run_build(script, folder / "output", folder / "cache")
    return report.kit_dir / "xa-1" / "signage" / "640x360"


def run_chromium(page: Path, milliseconds: int, profile: Path, *output: str) -> str:
    """Run headless Chromium on ``page`` for ``milliseconds`` of virtual time; its stdout."""
    binary = chromium()
    if binary is None:
        pytest.skip("no Chromium installed (apt install chromium, or set BZMEDIA_CHROMIUM)")
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", "--window-size=640,360",
               f"--virtual-time-budget={milliseconds}", *output, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout


def screenshot(page: Path, milliseconds: int, target: Path) -> np.ndarray:
    """What headless Chromium shows of ``page`` after ``milliseconds`` of virtual time."""
    run_chromium(page, milliseconds, target.parent / f"profile-{target.stem}", f"--screenshot={target}")
    with Image.open(target) as shot:
        return np.asarray(shot.convert("RGB")).astype(int)


def difference(shot: np.ndarray, slide: Path) -> float:
    """Mean difference below the hint bar (the hint covers the top left for five seconds)."""
    with Image.open(slide) as image:
        expected = np.asarray(image.convert("RGB")).astype(int)
    return float(np.abs(shot[80:] - expected[80:]).mean())


def test_page_is_self_contained_and_carries_the_playlist(slideshow_folder):
    page = (slideshow_folder / "slideshow.html").read_text("utf-8")
    assert not re.search(r"(?:src|href)\s*=\s*[\"'](?:https?:)?//", page)
    assert "http://" not in page and "https://" not in page
    playlist = json.loads((slideshow_folder / "playlist.json").read_text("utf-8"))
    embedded = json.loads(re.search(r"const slides = (\[.*?\]);", page).group(1))
    assert [(s["file"], s["seconds"]) for s in embedded] == [
        (s["file"], s["seconds"]) for s in playlist["slides"]]


def test_page_shows_the_first_slide_from_file_url(slideshow_folder, tmp_path):
    shot = screenshot(slideshow_folder / "slideshow.html", 500, tmp_path / "first.png")
    assert shot.shape == (360, 640, 3)
    assert difference(shot, slideshow_folder / "01-mo-dau.png") < 3
    assert difference(shot, slideshow_folder / "02-vi-sao.png") > 30


def shown_slide(dom: str) -> str:
    """The ``src`` of the image layer the page shows (class ``slide shown``)."""
    for tag in re.findall(r"<img[^>]*>", dom):
        if re.search(r'class="slide shown"', tag):
            return re.search(r'src="([^"]*)"', tag).group(1)
    raise AssertionError(f"no slide shown in {dom[:300]}")


def test_page_loops_with_the_playlist_durations(slideshow_folder, tmp_path):
    """Timers run on virtual time, so the DOM says exactly which slide is up (the fade itself is
    a CSS transition on real time, which a screenshot could catch half-way)."""
    page = slideshow_folder / "slideshow.html"
    expected = {1500: "01-mo-dau.png", 2500: "02-vi-sao.png", 10500: "01-mo-dau.png"}
    for milliseconds, name in expected.items():
        dom = run_chromium(page, milliseconds, tmp_path / f"profile-{milliseconds}", "--dump-dom")
        assert shown_slide(dom) == name, milliseconds


HOSTILE_TITLES = ["Xin chào <!--<script> bà con", "</script><b>x</b>", "a & b > c"]


def test_no_title_can_end_or_swallow_the_page_s_script(slideshow_folder):
    """A title ``<!--<script>`` (a commune's name from someone's spreadsheet) put the parser in a
    state where the real ``</script>`` no longer ended the script: the page stopped on slide 1."""
    from bzmedia.signage.slideshow import slideshow_html

    slides = [{"file": f"0{n}.png", "seconds": 2, "title": title} for n, title in enumerate(HOSTILE_TITLES)]
    page = slideshow_html("Bluezone", slides, 0.4)
    script = page.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in script
    embedded = json.loads(re.search(r"const slides = (\[.*?\]);", page).group(1))
    assert [s["title"] for s in embedded] == HOSTILE_TITLES


def test_a_hostile_title_does_not_stop_the_loop_in_a_browser(slideshow_folder, tmp_path):
    from bzmedia.signage.slideshow import slideshow_html

    folder = tmp_path / "loop"
    shutil.copytree(slideshow_folder, folder)
    files = sorted(path.name for path in folder.glob("0*.png"))
    slides = [{"file": name, "seconds": 2, "title": "Xin chào <!--<script> bà con"} for name in files]
    (folder / "hostile.html").write_text(slideshow_html("<!--<script", slides, 0.4), encoding="utf-8")
    dom = run_chromium(folder / "hostile.html", 2500, tmp_path / "profile", "--dump-dom")
    assert shown_slide(dom) == files[1]
