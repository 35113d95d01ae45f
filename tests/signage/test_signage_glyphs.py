"""Characters Be Vietnam Pro cannot draw (emoji, CJK) never reach a slide, a chart or a message
image silently: validate and the build's preflight report each where it was typed, once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from signage_helpers import campaign_text, signage_jobs, write_campaign

from bzmedia.campaign.loader import load_campaign
from bzmedia.cli import cli
from bzmedia.errors import BuildError
from bzmedia.preflight import fit_problems, message_fit_problems
from bzmedia.signage.render import SlidePainter

PHONE = "'📱' (U+1F4F1)"
MOUNTAIN = "'山' (U+5C71)"
RETYPE = "retype those characters"
EXAMPLE_TITLE = 'title: "Bluezone – khẩu trang điện tử"'
"""The title of the example's first slide (``khau-trang``)."""


def run(*args: str):
    return CliRunner(mix_stderr=False).invoke(cli, [*args])


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.match(r".+:(\d+:\d+|[A-Z]+\d+): ", line)
            and ": warning: " not in line]


def line_of(script: Path, needle: str) -> tuple[int, int]:
    """(line, column) of ``needle``'s value in ``script``."""
    for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def replace_in(script: Path, old: str, new: str) -> Path:
    text = script.read_text(encoding="utf-8")
    assert old in text
    script.write_text(text.replace(old, new, 1), encoding="utf-8")
    return script


def three_communes_sheet(script: Path, third_name: str) -> Path:
    """The example reading its communes from a CSV of the workbook's columns; the third is named
    ``third_name`` (cell A4)."""
    from bzmedia.campaign.sheets import TEMPLATE_HEADINGS, TEMPLATE_NAME

    names = ["xã Một", "xã Hai", third_name]
    rows = [",".join(f'"{h}"' for h in TEMPLATE_HEADINGS)] + [
        f"{name},xa-{i},,0210 3825 11{i},Đài xã {i},{100 * i}" for i, name in enumerate(names, 1)]
    (script.parent / "ba-xa.csv").write_text("\ufeff" + "\n".join(rows) + "\n", encoding="utf-8")
    return replace_in(script, f"file: {TEMPLATE_NAME}", "file: ba-xa.csv")


def test_an_emoji_in_a_slide_title_stops_validate_and_the_build_at_the_title(campaign_dir, tmp_path,
                                                                              cache_dir):
    script = replace_in(campaign_dir / "bluezone-2020.yaml", EXAMPLE_TITLE,
                        'title: "📱 Cài Bluezone ngay"')
    line, col = line_of(script, '"📱')
    expected = (f"{script}:{line}:{col}: signage.slides[0].title: the title of slide 'khau-trang': "
                f"Be Vietnam Pro has no glyph for {PHONE}; {RETYPE}")
    checked = run("validate", str(script))
    assert checked.exit_code == 1
    assert errors(checked.stderr) == [expected + " (all 3 localities)"]
    output = tmp_path / "output"
    built = run("-q", "build", str(script), "-o", str(output), "--only", "signage", "--locality", "son-vi",
                "-j", "1")
    assert built.exit_code == 1, built.stderr
    assert errors(built.stderr) == [expected + " (locality son-vi)"]
    assert not list(output.rglob("*.png"))  # stopped before any slide was drawn


def test_a_cjk_locality_name_from_a_sheet_is_reported_at_its_cell_once(campaign_dir):
    """The name reaches three slide texts (the logo slide's title, the chart slide's figure line
    and its ranking) of every commune's kit, at two sizes: one message, at the name's cell."""
    script = three_communes_sheet(campaign_dir / "bluezone-2020.yaml", "xã Ba 山")
    campaign, _ = load_campaign(script)
    problems = [str(p) for p in fit_problems(campaign, channels=["signage"])]
    assert problems == [
        f"{script.parent / 'ba-xa.csv'}:A4: name: {{locality.name}} “xã Ba 山”, shown on the title of "
        "slide 'don-vi' and the text of slide 'so-lieu' and the chart of slide 'so-lieu': "
        f"Be Vietnam Pro has no glyph for {MOUNTAIN}; {RETYPE} (all 3 localities)"]


def test_a_name_drawn_only_on_another_communes_chart_stops_that_communes_build(campaign_dir, tmp_path,
                                                                                cache_dir):
    script = three_communes_sheet(campaign_dir / "bluezone-2020.yaml", "xã Ba 山")
    built = run("-q", "build", str(script), "-o", str(tmp_path / "output"), "--only", "signage",
                "--locality", "xa-1", "-j", "1")
    assert built.exit_code == 1, built.stderr
    assert errors(built.stderr) == [
        f"{script.parent / 'ba-xa.csv'}:A4: name: {{locality.name}} “xã Ba 山”, shown on the chart of "
        f"slide 'so-lieu': Be Vietnam Pro has no glyph for {MOUNTAIN}; {RETYPE} (locality xa-1)"]


def test_a_name_on_posters_and_slides_is_one_message_naming_every_chart_and_box(campaign_dir):
    """dak-nong-2020 draws its districts' names on a chart slide and two chart posters."""
    sheet = campaign_dir / "dak-nong-2020.csv"
    replace_in(sheet, "huyện Đắk Mil;", "huyện Đắk Mil 山;")
    checked = run("validate", str(campaign_dir / "dak-nong-2020.yaml"))
    assert checked.exit_code == 1
    assert errors(checked.stderr) == [
        f"{sheet}:A5: name: {{locality.name}} “huyện Đắk Mil 山”, shown on the text of slide 'xep-hang' "
        "and the chart of slide 'xep-hang' and the chart of print items 'xep-hang', 'xep-hang-a4' and "
        "boxes 'locality', 'body' of print item 'xep-hang' and boxes 'locality', 'body' of print item "
        f"'xep-hang-a4': Be Vietnam Pro has no glyph for {MOUNTAIN}; {RETYPE} (all 8 localities)"]


def test_an_emoji_in_a_print_headline_is_reported_at_the_headline(campaign_dir):
    script = replace_in(campaign_dir / "bluezone-2020.yaml", 'headline: "Cài đặt Bluezone',
                        'headline: "✅ Cài đặt Bluezone')
    campaign, _ = load_campaign(script)
    line, col = line_of(script, '"✅')
    assert [str(p) for p in fit_problems(campaign, channels=["print"])] == [
        f"{script}:{line}:{col}: print[0].headline: box 'headline' of print item 'to-roi': Be Vietnam Pro "
        f"has no glyph for '✅' (U+2705); {RETYPE} (all 3 localities)"]


def test_an_emoji_in_the_figures_unit_is_reported_at_the_unit(campaign_dir):
    """The unit is drawn in the chart's caption and in the chart slide's figure line."""
    script = replace_in(campaign_dir / "bluezone-2020.yaml", "  unit: lượt cài đặt\n",
                        "  unit: lượt cài đặt 📱\n")
    campaign, _ = load_campaign(script)
    assert [str(p) for p in fit_problems(campaign, channels=["signage"])] == [
        f"{script}:{line_of(script, 'lượt cài đặt 📱')[0]}:9: stats.unit: the text of slide 'so-lieu' "
        f"and the chart of slide 'so-lieu': Be Vietnam Pro has no glyph for {PHONE}; {RETYPE} "
        "(all 3 localities)"]


def test_an_inline_locality_name_and_the_logo_slides_text_are_each_reported_where_typed(tmp_path):
    text = campaign_text(localities=2).replace('name: "xã Ẵ Số 2"', 'name: "xã Ẵ Số 2 山"')
    script = write_campaign(tmp_path / "c", text.replace('text: "Hỗ trợ: {hotline}"',
                                                         'text: "✅ Hỗ trợ: {hotline}"'))
    campaign, _ = load_campaign(script)
    name_line, name_col = line_of(script, "xã Ẵ Số 2 山")
    text_line, text_col = line_of(script, '"✅')
    assert [str(p) for p in fit_problems(campaign, channels=["signage"])] == [
        f"{script}:{name_line}:{name_col - 1}: localities[1].name: {{locality.name}} “xã Ẵ Số 2 山”, "
        f"shown on the title of slide 'don-vi': Be Vietnam Pro has no glyph for {MOUNTAIN}; {RETYPE} "
        "(locality xa-2)",
        f"{script}:{text_line}:{text_col}: signage.slides[4].text: the text of slide 'don-vi': "
        f"Be Vietnam Pro has no glyph for '✅' (U+2705); {RETYPE} (all 2 localities)"]


def test_an_issuer_with_an_emoji_is_one_message_at_the_issuer_for_every_slide_that_shows_it(tmp_path):
    script = write_campaign(tmp_path / "c", campaign_text().replace(
        'issuer: "UBND huyện Lâm Thao"', 'issuer: "UBND huyện Lâm Thao 📱"'))
    campaign, _ = load_campaign(script)
    [problem] = fit_problems(campaign, channels=["signage"])
    assert problem.path == "campaign.issuer"
    assert problem.message == ("{issuer} “UBND huyện Lâm Thao 📱”, shown on the issuer of slides "
                               f"'mo-dau', 'don-vi': Be Vietnam Pro has no glyph for {PHONE}; {RETYPE} "
                               "(locality xa-1)")


def test_an_issuer_naming_the_locality_blames_the_localitys_name(tmp_path):
    text = campaign_text(localities=2).replace('issuer: "UBND huyện Lâm Thao"',
                                               'issuer: "UBND {locality.name}"')
    script = write_campaign(tmp_path / "c", text.replace('name: "xã Ẵ Số 2"', 'name: "xã Ẵ Số 2 山"'))
    campaign, _ = load_campaign(script)
    [problem] = fit_problems(campaign, channels=["signage"])
    assert (problem.path, problem.line) == ("localities[1].name", line_of(script, "山")[0])
    assert problem.message == ("{locality.name} “xã Ẵ Số 2 山”, shown on the title of slide 'don-vi' and "
                               "the issuer of slides 'mo-dau', 'don-vi': Be Vietnam Pro has no glyph for "
                               f"{MOUNTAIN}; {RETYPE} (locality xa-2)")


def test_a_point_in_cjk_is_reported_at_the_points(tmp_path):
    script = write_campaign(tmp_path / "c", campaign_text().replace('"Bảo mật, ẩn danh"', '"Bảo mật 安全"'))
    campaign, _ = load_campaign(script)
    [problem] = fit_problems(campaign, channels=["signage"])
    assert (problem.path, problem.line) == ("signage.slides[1].points", line_of(script, "安全")[0])
    assert problem.message == (f"the points of slide 'vi-sao': Be Vietnam Pro has no glyph for "
                               f"'全' (U+5168) '安' (U+5B89); {RETYPE} (locality xa-1)")


def test_an_emoji_in_the_message_images_title_is_reported_at_it(campaign_dir):
    script = replace_in(campaign_dir / "bluezone-2020.yaml",
                        '  title: "Cài đặt Bluezone – khẩu trang điện tử"\n  text: "Bảo vệ mình',
                        '  title: "Cài đặt Bluezone 📱"\n  text: "Bảo vệ mình')
    checked = run("validate", str(script))
    assert checked.exit_code == 1
    line, col = line_of(script, '"Cài đặt Bluezone 📱"')
    assert errors(checked.stderr) == [
        f"{script}:{line}:{col}: messages.title: the title of the message images: Be Vietnam Pro has "
        f"no glyph for {PHONE}; {RETYPE} (all 3 localities)"]


def test_the_painter_refuses_a_slide_text_it_cannot_draw(tmp_path):
    """The build's last guard, should a slide reach the painter unchecked: no gap, an error."""
    script = write_campaign(tmp_path / "c", campaign_text().replace(
        'title: "Quét mã để tải Bluezone"', 'title: "Quét mã 📱"'))
    job = signage_jobs(script)[0]
    slide = next(s for s in job.inputs.deck.slides if s.id == "quet-ma")
    with pytest.raises(BuildError) as caught:
        SlidePainter(job.inputs.deck, job.where).paint(slide)
    [message] = caught.value.messages
    assert message.endswith(f"signage.slides[3].title: the title of slide 'quet-ma': Be Vietnam Pro "
                            f"has no glyph for {PHONE}; {RETYPE}")


def test_the_example_has_no_character_the_font_lacks(example_script):
    campaign, _ = load_campaign(example_script)
    assert fit_problems(campaign) == [] and message_fit_problems(campaign) == []
