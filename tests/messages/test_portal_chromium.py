"""The wifi-portal page in headless Chromium at phone widths: no sideways scroll, QR shown, nothing loaded.

Drives Chromium with the kit room's stdlib DevTools client (tests/kit/kit_chromium.py); skips with
the reason where no Chromium is installed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "kit_chromium", Path(__file__).resolve().parent.parent / "kit" / "kit_chromium.py")
kit_chromium = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(kit_chromium)

CHROMIUM = kit_chromium.find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium at /usr/bin/chromium or on PATH (set BZMEDIA_CHROMIUM)")

MEASURE = """(() => {
  const qr = document.querySelector('svg.qr').getBoundingClientRect();
  const go = document.querySelector('a.go').getBoundingClientRect();
  return {scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
          qr: [qr.left, qr.right, qr.width, qr.height], go: [go.left, go.right],
          font: parseFloat(getComputedStyle(document.body).fontSize),
          loaded: performance.getEntriesByType('resource').map(e => e.name)};
})()"""


@pytest.mark.parametrize("width", [320, 390])
def test_portal_page_fits_a_phone(messages_kit: Path, width: int) -> None:
    page = messages_kit / "hung-son/messages/wifi-portal.html"
    with kit_chromium.Chromium(CHROMIUM) as browser:
        browser.viewport(width, 700, mobile=True)
        browser.open(page.as_uri())
        facts = browser.evaluate(MEASURE)
    assert facts["client"] == width
    assert facts["scroll"] <= width, facts  # no horizontal scroll
    left, right, qr_width, qr_height = facts["qr"]
    assert left >= 0 and right <= width and qr_width >= 150 and qr_height == qr_width
    assert facts["go"][0] >= 0 and facts["go"][1] <= width
    assert facts["font"] >= 16
    assert facts["loaded"] == []  # no request for anything: a captive portal has no network yet
