"""Figures as data: ``stats:`` gives each locality its count, share, rank and distance to target."""

from __future__ import annotations

from pathlib import Path

import pytest

from bzmedia.campaign import load_campaign
from bzmedia.campaign.stats import count_text, parse_count, parse_percent, percent_text, ranks
from bzmedia.campaign.variables import fill, locality_variables
from bzmedia.errors import CampaignError
from bzmedia.text.speech import normalize_for_speech

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.mark.parametrize("typed", [8713, "8713", "8.713", "8 713", "8,713", 8713.0, 8.713, " 8.713 "])
def test_a_count_typed_any_way_offices_type_it_is_the_same_count(typed):
    assert parse_count(typed) == 8713


@pytest.mark.parametrize("typed", ["8,82", "khoảng 8 nghìn", "8.7", "-5", 8.7134, True, "", "1.2345",
                                   "8713²", "①", "٨٧١٣", "1.000.000.000.001", "999." * 120 + "999",
                                   "9" * 5000])
def test_what_is_not_a_count_is_refused(typed):
    """A superscript or circled digit passed ``isdigit`` and then broke ``int()`` ("cannot be loaded
    (ValueError ...); please report this"); a count with separators skipped the upper bound, and
    a population of 120 groups of three digits overflowed the share."""
    assert parse_count(typed) is None


def test_a_count_int_cannot_read_is_refused_at_its_key_not_reported_as_a_crash(tmp_path):
    path = script(tmp_path, """  date: 2020-08-13
  values: {dak-lao: "8713²", thuan-an: 5}
  population: {dak-lao: "PEOPLE"}""".replace("PEOPLE", "999." * 120 + "999"))
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:11:11: stats.values.dak-lao: “8713²” is not a count (write 8713 or 8.713)",
        f"{path}:12:15: stats.population.dak-lao: “{'999.' * 10}...” is not a count (write 8713 or 8.713)"]


def test_vietnamese_number_formats():
    assert count_text(57511) == "57.511" and count_text(999) == "999" and count_text(1234567) == "1.234.567"
    assert percent_text(8.8203) == "8,82 %" and percent_text(60) == "60 %"
    assert parse_percent("8,82") == 8.82 and parse_percent("60 %") == 60 and parse_percent("120") is None
    assert ranks({"a": 100, "b": 90, "c": 90, "d": 80}) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_the_seed_002_example_gives_each_district_its_figures_and_the_speech_reads_them():
    campaign, _ = load_campaign(CONTENT / "dak-nong-2020.yaml")
    by_id = {loc.id: locality_variables(campaign, loc) for loc in campaign.localities}
    assert (by_id["gia-nghia"]["installs"], by_id["gia-nghia"]["rank"]) == ("13.404", "1")
    assert (by_id["tuy-duc"]["installs"], by_id["tuy-duc"]["rank"], by_id["tuy-duc"]["rank_of"]) == (
        "4.217", "8", "8")
    shared = by_id["dak-mil"]
    assert (shared["total_installs"], shared["total_percent"], shared["total_rank"],
            shared["total_rank_of"], shared["target"], shared["target_date"], shared["stats_date"]) == (
        "57.511", "8,82 %", "40", "63", "60 %", "20/8/2020", "13/8/2020")
    spoken = normalize_for_speech(fill(campaign.audio.spots[0].text, shared))
    assert "năm mươi bảy nghìn năm trăm mười một điện thoại" in spoken
    assert "tám phẩy tám mươi hai phần trăm" in spoken
    assert "thứ bốn mươi trên sáu mươi ba" in spoken
    assert "tám nghìn bảy trăm mười ba lượt cài đặt, đứng thứ hai trên tám" in spoken
    assert normalize_for_speech("57.511 lượt, 8,82 %").lower() == (
        "năm mươi bảy nghìn năm trăm mười một lượt, tám phẩy tám mươi hai phần trăm")


def script(tmp_path: Path, stats: str, more: str = "") -> Path:
    path = tmp_path / "xa.yaml"
    path.write_text(f"""campaign:
  id: thu
  title: "Cài đặt Bluezone"
  issuer: "UBND huyện Đắk Mil"
  url: https://www.bluezone.gov.vn
localities:
  - {{id: dak-lao, name: "xã Đắk Lao"{more}}}
  - {{id: thuan-an, name: "xã Thuận An"}}
stats:
{stats}
audio:
  spots:
    - id: a
      text: "{{locality.name}}: {{installs}} lượt, {{percent}}, thứ {{rank}}/{{rank_of}}, còn {{to_target}}."
""", encoding="utf-8")
    return path


def test_inline_figures_with_population_and_target_give_share_and_distance_to_target(tmp_path):
    campaign, _ = load_campaign(script(tmp_path, """  date: 2020-08-13
  target: 60 %
  values: {dak-lao: "13.404", thuan-an: 8713}
  population: {dak-lao: "100.000", thuan-an: 8713}"""))
    lao, an = (locality_variables(campaign, loc) for loc in campaign.localities)
    assert (lao["installs"], lao["percent"], lao["to_target"], lao["rank"]) == (
        "13.404", "13,40 %", "46.596", "1")
    assert (an["percent"], an["to_target"], an["rank"], an["rank_of"]) == ("100 %", "0", "2", "2")


def test_wrong_figures_are_located_at_their_keys_all_at_once(tmp_path):
    path = script(tmp_path, """  date: 2020-08-13
  target: "nhiều"
  values: {dak-lao: 8713, thuan-an: "khoảng 8 nghìn", son-vi: 5}""", more=", vars: {rank: '1'}")
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    found = [str(p) for p in caught.value.problems]
    text = "\n".join(found)
    assert f"{path}:11:11: stats.target: “nhiều” is not a percentage" in text
    assert "stats.values.thuan-an: “khoảng 8 nghìn” is not a count" in text
    assert "stats.values.son-vi: 'son-vi' is not the id of a locality" in text
    assert "localities[0].vars.rank: stats: gives {rank}; rename this variable" in text


def test_figures_from_a_file_of_their_own_are_matched_by_name_or_id(tmp_path):
    (tmp_path / "bo-tttt.csv").write_text(
        "\ufeffĐịa phương;Số lượt;Dân số\nxã Đắk Lao;\"4.217\";10.000\nthuan-an;6963;9000\n",
        encoding="utf-8")
    stats = "  date: 2020-08-13\n  file: bo-tttt.csv\n  match: Địa phương\n  column: Số lượt\n" \
            "  population_column: Dân số\n  target: 60"
    campaign, _ = load_campaign(script(tmp_path, stats))
    lao, an = (locality_variables(campaign, loc) for loc in campaign.localities)
    assert (lao["installs"], lao["rank"], lao["percent"], lao["to_target"]) == (
        "4.217", "2", "42,17 %", "1.783")
    assert (an["installs"], an["rank"]) == ("6.963", "1")
    (tmp_path / "bo-tttt.csv").write_text(
        "Địa phương;Số lượt;Dân số\nxã Đắk Lao;4217;10000\nxã Sơn Vi;5;9\nthuan-an;nhiều;9000\n",
        encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(script(tmp_path, stats))
    found = [str(p) for p in caught.value.problems]
    assert found == [f"{tmp_path / 'bo-tttt.csv'}:A3: stats.match: “xã Sơn Vi” is not the id or the name "
                     "of a locality of the script",
                     f"{tmp_path / 'bo-tttt.csv'}:B4: stats.column: “nhiều” is not a count (write 8713 or "
                     "8.713)"]
