"""A print layout's own texts name only variables the campaign has: a typo is a located error in
the layout file, not a part left out of every copy without a word."""

from __future__ import annotations

import pytest
from campaign_helpers import MINIMAL, write
from cli_helpers import run_cli
from layout_text import LAYOUT

from bzmedia.campaign import CampaignError, load_campaign
from bzmedia.campaign.print_layout import builtin_print_layouts, check_variables, layout_file, load_layout
from bzmedia.printing.content import layout_variable_names

ITEMS = """\
print:
  - {id: dan-xe, kind: sticker, size: 210x99, layout: my.yaml, headline: "Cài Bluezone"}
  - {id: dan-cua, kind: sticker, size: 300x100, layout: my.yaml, headline: "Cài Bluezone"}
"""


def campaign_with(tmp_path, text: str, more: str = "") -> tuple:
    """A script whose two stickers print ``text`` with the layout ``my.yaml``."""
    (tmp_path / "my.yaml").write_text(LAYOUT.replace("{TEXT}", text), encoding="utf-8")
    return write(tmp_path, MINIMAL + more + ITEMS), tmp_path / "my.yaml"


def problems_of(script) -> list[str]:
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    return [str(p) for p in caught.value.problems]


def test_a_typo_in_a_layout_text_is_located_in_the_layout_file_once(tmp_path):
    script, layout = campaign_with(tmp_path, "Hỗ trợ: gọi {hotlien} ngay · {issuer} · {dat}")
    where = f"{layout}:6:15: pages[0].boxes.issuer.text: "
    assert problems_of(script) == [  # two items use the layout: said once
        f"{where}variable {{dat}} is not defined (did you mean 'date'?)",
        f"{where}variable {{hotlien}} is not defined (did you mean 'hotline'?)"]
    # Spelt right they are defined, though no locality has a hotline and the campaign no date:
    # their parts are left out of the copies.
    campaign_with(tmp_path, "Hỗ trợ: gọi {hotline} ngay · {issuer} · {date} · {date.long}")
    load_campaign(script)


def test_every_brace_that_is_no_variable_is_reported_at_once(tmp_path):
    text = ("{locality.__class__} {hotline[0]}{url.__len__} {unknown_var} {0}{} { issuer "
            "{issuer!r:>99999999} {{{so_ca}}} {ma_xa} }")
    more = 'variables: {so_ca: "12"}\nlocalities:\n  - {id: son-vi, name: "xã Sơn Vi", vars: {ma_xa: "01"}}\n'
    script, layout = campaign_with(tmp_path, text, more)
    where = f"{layout}:6:15: pages[0].boxes.issuer.text: "
    braces = ("put only a variable's name in braces, e.g. {locality.name}; write {{ or }} for a brace "
              "in the text")
    assert problems_of(script) == [
        f"{where}'{{0}}' is not a variable: {braces}",
        f"{where}'{{hotline[0]}}' is not a variable: {braces}",
        f"{where}'{{issuer!r:>99999999}}' is not a variable: {braces}",
        f"{where}'{{}}' is not a variable: {braces}",
        f"{where}unmatched '{{': write {{{{ for a brace in the text",
        f"{where}unmatched '}}': write }}}} for a brace in the text",
        f"{where}variable {{locality.__class__}} is not defined (did you mean 'locality.name'?)",
        f"{where}variable {{unknown_var}} is not defined",
        f"{where}variable {{url.__len__}} is not defined"]


def test_a_when_naming_no_variable_is_an_error_too(tmp_path):
    script, layout = campaign_with(tmp_path, "{issuer}")
    layout.write_text(layout.read_text(encoding="utf-8") + "        when: hotlien\n", encoding="utf-8")
    assert problems_of(script) == [
        f"{layout}:12:15: pages[0].boxes.issuer.when: variable {{hotlien}} is not defined "
        "(did you mean 'hotline'?)"]


def test_spot_variables_only_on_a_layout_that_prints_a_spot(tmp_path):
    script, layout = campaign_with(tmp_path, "Phát lúc {spot.times}")
    assert problems_of(script) == [
        f"{layout}:6:15: pages[0].boxes.issuer.text: variable {{spot.times}} is not defined"]


def test_every_builtin_layout_names_only_variables_every_campaign_has(tmp_path):
    campaign, _warnings = load_campaign(write(tmp_path, MINIMAL))  # no localities, no date
    for name in builtin_print_layouts():
        layout, problems = load_layout(layout_file(name, tmp_path)[0], name)
        assert layout is not None, problems
        known = layout_variable_names(campaign, layout.shows("script"))
        assert check_variables(layout, known) == [], name


def test_validate_and_build_exit_1_on_a_layout_typo_without_a_traceback(tmp_path):
    script, layout = campaign_with(tmp_path, "Hỗ trợ: gọi {hotlien} ngay · {issuer}")
    first = (f"{layout}:6:15: pages[0].boxes.issuer.text: variable {{hotlien}} is not defined "
             "(did you mean 'hotline'?)")
    # Run from here, not from tmp_path: python -m imports the checkout's bzmedia, not an installed one.
    for command in (["validate", str(script)], ["build", "-o", str(tmp_path / "out"), str(script)]):
        result = run_cli("--lang", "en", *command)
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines()[0] == first
        assert "Traceback" not in result.stderr
