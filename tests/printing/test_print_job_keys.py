"""A print job's key holds the variables its layout shows, not every variable of the locality.

The example's communes carry a rank among all communes (``rank``, ``rank_of``): adding one commune
changes it for every commune, and the print jobs used to be made again for all of them although
no layout prints it.
"""

from __future__ import annotations

from pathlib import Path

from print_helpers import HEAD, build_print, write_campaign

from bzmedia.builder import Plan
from bzmedia.campaign import load_campaign
from bzmedia.campaign.variables import for_locality
from bzmedia.printing.builder import PrintBuilder

LEAFLET = """\
  - id: to-roi
    kind: leaflet
    headline: "Cài đặt Bluezone"
    footer: "Cần hỗ trợ, xin gọi {hotline}."
"""


def keys(folder: Path, head: str) -> dict[str, str]:
    campaign, _warnings = load_campaign(write_campaign(folder, LEAFLET, head))
    plan = Plan(campaign, list(campaign.localities),
                {loc.id: for_locality(campaign, loc) for loc in campaign.localities})
    return {job.id: job.key for job in PrintBuilder().jobs(plan)}


def with_vars(note: str, hotline: str = "0210 3825 111", issuer: str = "UBND xã Sơn Vi") -> str:
    head = HEAD.replace('hotline: "0210 3825 111"}', f'hotline: "{hotline}", vars: {{note: "{note}"}}}}')
    return head.replace('issuer: "UBND xã Sơn Vi"', f'issuer: "{issuer}"')


def test_a_variable_no_layout_shows_leaves_the_key(tmp_path):
    first = keys(tmp_path / "a", with_vars("hạng 1 trên 1"))
    assert keys(tmp_path / "b", with_vars("hạng 2 trên 2")) == first


def test_a_variable_the_layout_shows_changes_the_key(tmp_path):
    first = keys(tmp_path / "a", with_vars("x"))
    # {issuer} is the leaflet layout's own fixed text; the hotline is shown and tested (when:).
    assert keys(tmp_path / "b", with_vars("x", issuer="UBND xã Tứ Xã")) != first
    assert keys(tmp_path / "c", with_vars("x", hotline="0210 3825 222")) != first


def test_the_unshown_variable_does_not_change_the_pdf(tmp_path):
    """The key may leave the variable out only because the PDF does not depend on it."""
    pdfs = []
    for note in ("hạng 1 trên 1", "hạng 2 trên 2"):
        folder = tmp_path / note.replace(" ", "-")
        script = write_campaign(folder, LEAFLET, with_vars(note))
        _report, kit = build_print(script, folder / "out")
        pdfs.append((kit / "son-vi" / "print" / "to-roi.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]
