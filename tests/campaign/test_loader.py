"""The loader: a valid script becomes a typed model; every kind of mistake is reported at once."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from campaign_helpers import MINIMAL, write

from bzmedia.campaign import CampaignError, for_locality, load_campaign
from bzmedia.campaign.yamlsource import MAX_EXPANDED_NODES, expanded_size, read_source


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    return [str(p) for p in caught.value.problems]


def test_example_campaign_loads_with_every_channel(example_script):
    campaign, warnings = load_campaign(example_script)
    assert warnings == []
    assert campaign.campaign.id == "bluezone-2020"
    assert [loc.id for loc in campaign.localities] == ["son-vi", "tu-xa", "hung-son"]
    assert len(campaign.audio.spots) >= 4
    assert {item.kind for item in campaign.print_} >= {"leaflet", "poster", "sticker"}
    assert len(campaign.signage.slides) >= 5


def test_minimal_script_gets_defaults(tmp_path):
    campaign, _ = load_campaign(write(tmp_path, MINIMAL))
    assert campaign.brand.colors.primary == "#0B5FA5"
    assert campaign.audio is None and campaign.print_ == []
    assert [loc.id for loc in campaign.kit_localities()] == ["all"]


def test_times_and_yes_no_words_stay_text(tmp_path):
    # YAML 1.1 would read 05:30 as the number 330 and "no" as False.
    text = MINIMAL + "variables: {gio: 05:30, tra_loi: no}\n"
    campaign, _ = load_campaign(write(tmp_path, text))
    assert campaign.variables == {"gio": "05:30", "tra_loi": "no"}


def test_text_is_nfc_from_the_moment_it_is_loaded(tmp_path):
    decomposed = unicodedata.normalize("NFD", MINIMAL)
    assert decomposed != MINIMAL
    campaign, _ = load_campaign(write(tmp_path, decomposed))
    assert campaign.campaign.issuer == "UBND xã Sơn Vi"
    assert unicodedata.is_normalized("NFC", campaign.campaign.title)


def test_variables_are_filled_per_locality(tmp_path):
    text = MINIMAL + """\
variables: {hotline: "0210 3825 368"}
localities:
  - {id: son-vi, name: "xã Sơn Vi", hotline: "0210 3825 111"}
  - {id: tu-xa, name: "xã Tứ Xã"}
audio:
  spots:
    - id: a
      text: "{locality.name} gọi {hotline}, xem {url}; ngoặc {{giữ nguyên}}"
"""
    campaign, _ = load_campaign(write(tmp_path, text))
    son_vi, tu_xa = campaign.localities
    assert for_locality(campaign, son_vi).audio.spots[0].text == (
        "xã Sơn Vi gọi 0210 3825 111, xem https://www.bluezone.gov.vn; ngoặc {giữ nguyên}")
    assert for_locality(campaign, tu_xa).audio.spots[0].text.startswith("xã Tứ Xã gọi 0210 3825 368")
    assert campaign.audio.spots[0].text.startswith("{locality.name}")  # the model itself is untouched


def test_syntax_error_has_line_and_column(tmp_path):
    path = write(tmp_path, MINIMAL + "audio: [unclosed\n")
    assert problems_of(path) == [
        f"{path}:7:1: syntax: did not find expected ',' or ']' (while parsing a flow sequence)"]


def test_unknown_keys_at_every_depth_with_did_you_mean(tmp_path):
    text = MINIMAL.replace("  url:", "  ulr: x\n  url:") + "brand: {colours: {}}\nsignag: {}\n"
    path = write(tmp_path, text)
    assert problems_of(path) == [
        f"{path}:5:3: campaign.ulr: unknown key (did you mean 'url'?)",
        f"{path}:7:9: brand.colours: unknown key (did you mean 'colors'?)",
        f"{path}:8:1: signag: unknown key (did you mean 'signage'?)",
    ]


def test_missing_required_keys_and_wrong_types_all_reported(tmp_path):
    text = """\
campaign:
  id: Demo Campaign
  title: [not, text]
  url: www.example.vn
audio:
  voice: {rate: fast, engine: espek}
  spots:
    - {id: a, text: "x", repeat: 9}
    - {id: a}
"""
    path = write(tmp_path, text)
    assert problems_of(path) == [
        f"{path}:2:3: campaign.issuer: required key 'issuer' is missing",
        f"{path}:2:7: campaign.id: 'Demo Campaign' is not a valid id (lowercase letters a-z, digits "
        "and '-', e.g. 'son-vi')",
        f"{path}:3:10: campaign.title: expected text, got a list",
        f"{path}:4:8: campaign.url: 'www.example.vn' is not a web address starting with http:// or "
        "https:// and a site's name (e.g. https://www.bluezone.gov.vn)",
        f"{path}:6:17: audio.voice.rate: expected a number, got text 'fast'",
        f"{path}:6:31: audio.voice.engine: 'espek' is not one of: espeak, gtts, edge, piper "
        "(did you mean 'espeak'?)",
        f"{path}:8:34: audio.spots[0].repeat: must be at most 5, got 9",
        f"{path}:9:7: audio.spots[1].text: required key 'text' is missing",
    ]


def test_duplicate_ids_and_duplicate_keys(tmp_path):
    text = MINIMAL + """\
localities:
  - {id: son-vi, name: "xã Sơn Vi"}
  - {id: son-vi, name: "xã Sơn Vi 2"}
  - {id: tu-xa, name: "xã Tứ Xã", name: "again"}
"""
    path = write(tmp_path, text)
    assert problems_of(path) == [
        f"{path}:8:10: localities[1].id: duplicate id 'son-vi' (first used on line 7); every entry "
        "of localities needs its own id",
        f"{path}:9:35: localities[2].name: key given twice (first on line 9)",
    ]


def test_undefined_variable_names_the_localities(tmp_path):
    text = MINIMAL + """\
localities:
  - {id: son-vi, name: "xã Sơn Vi", hotline: "1"}
  - {id: tu-xa, name: "xã Tứ Xã"}
audio:
  spots: [{id: a, text: "Gọi {hotline} hoặc {hotlin}"}]
"""
    path = write(tmp_path, text)
    assert problems_of(path) == [
        f"{path}:10:25: audio.spots[0].text: variable {{hotline}} is not defined for locality tu-xa; "
        "add 'hotline' to the locality or to variables:",
        f"{path}:10:25: audio.spots[0].text: variable {{hotlin}} is not defined for locality son-vi, "
        "tu-xa; add 'hotlin' to the locality's vars: or to variables:",
    ]


def test_assets_must_exist_and_stay_inside_the_folder(tmp_path):
    (tmp_path / "outside.png").write_bytes(b"x")
    folder = tmp_path / "campaign"
    folder.mkdir()
    text = MINIMAL + "brand: {logo: ../outside.png}\naudio:\n  music_bed: /etc/hostname\n" \
        "  spots: [{id: a, text: x, intro: assets/missing.mp3}]\n"
    path = write(folder, text)
    found = problems_of(path)
    assert found[0] == (f"{path}:6:15: brand.logo: '../outside.png' points outside the campaign "
                        "folder; copy the file into campaign/ and name it relative to the script")
    assert found[1].startswith(f"{path}:8:14: audio.music_bed: '/etc/hostname' points outside")
    assert found[2].startswith(f"{path}:9:35: audio.spots[0].intro: file 'assets/missing.mp3' not found")
    assert len(found) == 3


def test_symlink_escaping_the_folder_is_refused(tmp_path):
    (tmp_path / "secret.png").write_bytes(b"x")
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "logo.png").symlink_to(tmp_path / "secret.png")
    path = write(folder, MINIMAL + "brand: {logo: logo.png}\n")
    assert "points outside the campaign folder" in problems_of(path)[0]


def test_alias_bomb_is_refused_before_expansion(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    started = time.monotonic()
    assert problems_of(path) == [
        f"{path}:1:1: syntax: aliases would expand this document to over {MAX_EXPANDED_NODES:,} "
        "values (an alias bomb?); refusing to expand it"]
    assert time.monotonic() - started < 5


def test_expanded_size_counts_aliases_without_expanding(tmp_path):
    source = read_source(write(tmp_path, "a: &x [1, 2, 3]\nb: [*x, *x]\n"))
    # root + 2 keys + list(4) + list(1 + 2 * 4)
    assert expanded_size(source.root) == 1 + 2 + 4 + 9


def test_legacy_encoding_gets_a_warning_with_its_place(tmp_path):
    path = write(tmp_path, MINIMAL.replace('"UBND xã Sơn Vi"', '"Uû ban nh©n d©n x· S¬n Vi"'))
    _, warnings = load_campaign(path)
    assert [str(w) for w in warnings] == [
        f"{path}:4:11: campaign.issuer: warning: text looks like TCVN3/VNI (pre-Unicode) encoding; "
        "retype it or convert it to Unicode (e.g. with Unikey's converter)"]


def test_not_utf8_and_empty_files(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes('campaign:\n  id: demo\n  title: "Tân"\n'.encode("cp1258"))
    assert problems_of(latin) == [
        f"{latin}:3:1: file: file is not UTF-8; save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"]
    empty = write(tmp_path, "# nothing yet\n", "empty.yaml")
    assert problems_of(empty) == [
        f"{empty}:1:1: file: the file is empty; start from `bzmedia init` or content/minimal.yaml"]


def test_dates_must_exist_and_be_in_order(tmp_path):
    path = write(tmp_path, MINIMAL + "  start: 2020-08-20\n  end: 2020-08-05\n  date: 2020-02-30\n")
    assert problems_of(path) == [
        f"{path}:7:8: campaign.end: the campaign ends (2020-08-05) before it starts (2020-08-20)",
        f"{path}:8:9: campaign.date: '2020-02-30' is not a day of the calendar"]


@pytest.mark.parametrize("name", ["packs", "thumbs", "messages"])
def test_locality_may_not_take_a_kit_folder_name(tmp_path, name):
    path = write(tmp_path, MINIMAL + f"localities: [{{id: {name}, name: x}}]\n")
    assert problems_of(path) == [
        f"{path}:6:19: localities[0].id: '{name}' is the name of a kit folder (messages, packs, "
        "thumbs); choose another id"]


@pytest.mark.parametrize("url", ["https:///", "https://bluezone", "https://.vn", "https://a..vn",
                                 "http:// x.vn"])
def test_an_address_without_a_site_s_name_is_refused(tmp_path, url):
    """``https:///`` printed and encoded an address that opens nothing."""
    path = write(tmp_path, MINIMAL.replace("https://www.bluezone.gov.vn", url))
    assert problems_of(path) == [
        f"{path}:5:8: campaign.url: '{url}' is not a web address starting with http:// or https:// and a "
        "site's name (e.g. https://www.bluezone.gov.vn)"]


@pytest.mark.parametrize("url", ["http://bộ-y-tế.vn/tin-tức", "https://bluezone.gov.vn:8443/?xa=son-vi#tai",
                                 "https://zalo.me/0210.3825"])
def test_a_site_s_address_in_any_form_is_accepted(tmp_path, url):
    campaign, _ = load_campaign(write(tmp_path, MINIMAL.replace("https://www.bluezone.gov.vn", url)))
    assert campaign.campaign.url == url
