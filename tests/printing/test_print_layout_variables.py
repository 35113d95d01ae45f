"""A campaign's own layout text: a misspelt variable stops the build, one spelt right but empty for
a commune leaves its part out of that commune's copy only."""

from __future__ import annotations

import pytest
from layout_text import LAYOUT
from print_helpers import HEAD, build_print, flat, page_text, write_campaign

from bzmedia.campaign import CampaignError, load_campaign
from bzmedia.printing.content import SPOT_VARIABLES, spot_script

TWO_COMMUNES = HEAD.replace(
    'hotline: "0210 3825 111"}\n',
    'hotline: "0210 3825 111"}\n  - {id: tho-son, name: "xã Thọ Sơn"}\n').replace(
    "Mọi thắc mắc xin gọi số {hotline}.", "Xin cảm ơn.")


def sticker_printing(tmp_path, text: str):
    (tmp_path / "my.yaml").write_text(LAYOUT.replace("{TEXT}", text), encoding="utf-8")
    return write_campaign(tmp_path, '  - {id: dan-xe, kind: sticker, size: 210x99, layout: my.yaml, '
                                    'headline: "Cài Bluezone"}\n', head=TWO_COMMUNES)


def test_a_misspelt_variable_stops_and_an_empty_one_leaves_its_part_out(tmp_path, cache_dir):
    script = sticker_printing(tmp_path, "Hỗ trợ {{24/7}}: gọi {hotlien} ngay · {issuer}")
    with pytest.raises(CampaignError) as caught:
        load_campaign(script)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'my.yaml'}:6:15: pages[0].boxes.issuer.text: variable {{hotlien}} is not "
        "defined (did you mean 'hotline'?)"]

    script = sticker_printing(tmp_path, "Hỗ trợ {{24/7}}: gọi {hotline} ngay · {issuer}")
    _report, kit = build_print(script, tmp_path / "out")
    with_hotline = flat(page_text(kit / "son-vi" / "print" / "dan-xe.pdf")[0])
    assert with_hotline.endswith("Hỗ trợ {24/7}: gọi 0210 3825 111 ngay · UBND xã Sơn Vi")
    without = flat(page_text(kit / "tho-son" / "print" / "dan-xe.pdf")[0])
    assert without == "Cài Bluezone UBND xã Sơn Vi"  # no hotline: that part is left out


def test_the_spot_variables_a_layout_may_name_are_those_a_live_read_script_fills(tmp_path):
    script = write_campaign(tmp_path, "  - {id: ban-doc, kind: script, spot: thong-bao}\n")
    campaign, _warnings = load_campaign(script)
    _entries, values = spot_script(campaign, campaign.print_[0])
    assert sorted(values) == sorted(SPOT_VARIABLES)
