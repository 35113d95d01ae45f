"""What `bzmedia validate` says about a signage section: contrast, kinds, words, layouts, sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from signage_helpers import COLORS, SLIDES, campaign_text, write_campaign

from bzmedia.campaign.loader import load_campaign
from bzmedia.campaign.signage_layout import load_layout
from bzmedia.contrast import hex_contrast
from bzmedia.errors import CampaignError
from bzmedia.resources import layouts_dir


def problems_of(tmp_path: Path, text: str) -> list[str]:
    """Every problem (errors and warnings) the loader reports, as printed."""
    script = write_campaign(tmp_path, text)
    try:
        _, warnings = load_campaign(script)
    except CampaignError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in warnings]


def test_example_palette_and_slides_are_valid(tmp_path):
    assert problems_of(tmp_path, campaign_text()) == []


def test_contrast_ratio_matches_wcag_reference_values():
    assert hex_contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert hex_contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert hex_contrast("#FFFFFF", "#0B5FA5") == hex_contrast("#0B5FA5", "#FFFFFF")


def test_low_contrast_palette_fails_naming_both_colours_and_ratio(tmp_path):
    pale = COLORS.replace('primary: "#0B5FA5"', 'primary: "#7FB3E0"')
    problems = problems_of(tmp_path, campaign_text(colors=pale))
    ratio = hex_contrast("#FFFFFF", "#7FB3E0")
    expected = (f"brand.colors.on_primary: slides draw on_primary #FFFFFF on primary #7FB3E0: "
                f"contrast {ratio:.2f}:1, below the 4.5:1")
    assert any(expected in p for p in problems), problems
    assert all(":" in p.split(" ")[0] for p in problems)  # file:line:col first


def test_grey_text_on_white_fails(tmp_path):
    grey = COLORS.replace('text: "#1A1A1A"', 'text: "#999999"')
    problems = problems_of(tmp_path, campaign_text(colors=grey))
    assert any("text #999999 on background #FFFFFF" in p for p in problems), problems


def test_unknown_layout_is_an_error_listing_the_builtin_ones(tmp_path):
    problems = problems_of(tmp_path, campaign_text("layout: slidez"))
    assert any("signage.layout: no built-in slide layout 'slidez'" in p and "slides" in p
               for p in problems), problems


def test_more_than_twenty_words_is_a_warning(tmp_path):
    wordy = SLIDES.replace('text: "Cài đặt để bảo vệ mình"', 'text: "' + "một hai ba bốn năm " * 6 + '"')
    problems = problems_of(tmp_path, campaign_text(slides=wordy))
    assert len(problems) == 1
    assert "signage.slides[0]: warning: 35 syllables, about 23 words" in problems[0]


@pytest.mark.parametrize(("slide", "message"), [
    ("{id: a, kind: title, text: x}", "signage.slides[0]: a title slide needs 'title'"),
    ("{id: a, kind: points, title: x}", "signage.slides[0]: a points slide needs 'points'"),
    ("{id: a, kind: steps, title: x}", "signage.slides[0]: a steps slide needs 'points'"),
    ("{id: a, kind: title, title: x, points: [y]}", "signage.slides[0].points: a title slide shows no"),
    ("{id: a, kind: title, title: x, url: 'https://a.vn'}", "signage.slides[0].url: only cta slides"),
])
def test_slide_kind_missing_or_ignoring_content_is_an_error(tmp_path, slide, message):
    problems = problems_of(tmp_path, campaign_text(slides=f"    - {slide}\n"))
    assert any(message in p for p in problems), problems


def test_logo_slide_without_brand_logo_is_an_error(tmp_path):
    problems = problems_of(tmp_path, campaign_text(logo=False))
    assert any("signage.slides[4].kind: a logo slide shows brand.logo" in p for p in problems)


@pytest.mark.parametrize(("signage", "message"), [
    ("sizes: [100x100]", "entry 1: 100x100: each side must be between 320 and 4096"),
    ("sizes: [1920x1080, 1920x1080]", "a size is listed twice"),
    ("sizes: [1920x1080x2]", "is not a screen size"),
    ("crossfade: 3\nseconds: 4", "3 s is more than half the shortest slide (4 s)"),
])
def test_bad_sizes_and_timing_are_errors(tmp_path, signage, message):
    problems = problems_of(tmp_path, campaign_text(signage))
    assert any(message in p for p in problems), problems


def test_large_size_warns_about_h264_level(tmp_path):
    problems = problems_of(tmp_path, campaign_text("sizes: [3840x2160]"))
    assert len(problems) == 1 and "level 5.1" in problems[0] and "warning" in problems[0]


def test_builtin_layout_is_clean_and_has_both_orientations():
    layout, problems = load_layout(layouts_dir() / "slides.yaml")
    assert problems == []
    assert layout.variant_name(layout.variant_for(1920, 1080)) == "landscape"
    assert layout.variant_name(layout.variant_for(1024, 768)) == "landscape"
    assert layout.variant_name(layout.variant_for(1080, 1920)) == "portrait"


BAD_LAYOUT = """\
safe_margin: 0.05
min_text: 0.01
variants:
  wide:
    min_aspect: 1
    title: &kind
      fills: [{box: [0, 0, 1, 0.3], color: primary}]
      title: {box: [0.02, 0.1, 0.9, 0.5], size: 0.1}
    points: *kind
    steps: *kind
    cta: *kind
    logo: *kind
"""


def test_campaign_layout_errors_point_into_the_layout_file(tmp_path):
    write_campaign(tmp_path, "")
    (tmp_path / "my-slides.yaml").write_text(BAD_LAYOUT, encoding="utf-8")
    problems = problems_of(tmp_path, campaign_text("layout: my-slides.yaml"))
    joined = "\n".join(problems)
    assert "my-slides.yaml:2:11: min_text: must be at least 0.03, got 0.01" in joined


def test_layout_boxes_outside_safe_margin_or_across_fills_are_errors(tmp_path):
    layout_text = BAD_LAYOUT.replace("min_text: 0.01", "min_text: 0.04")
    (tmp_path / "my-slides.yaml").write_text(layout_text, encoding="utf-8")
    _, problems = load_layout(tmp_path / "my-slides.yaml", "my-slides.yaml")
    text = "\n".join(str(p) for p in problems)
    assert "my-slides.yaml:4:3: variants: one variant needs min_aspect: 0" in text
    assert "variants.wide.title.title.box: must lie inside the 5% safe margin" in text
    assert "variants.wide.title.title.box: the text box straddles the edge of a fill" in text


def test_two_variants_with_one_min_aspect_are_an_error(tmp_path):
    # Which of the two serves a screen would hang on their order in the file, which no key sees.
    body = BAD_LAYOUT.replace("min_text: 0.01", "min_text: 0.04").split("variants:\n", 1)[1]
    twins = body.replace("wide:", "tall:").replace("min_aspect: 1", "min_aspect: 0").replace("&kind", "&k2")
    twins = twins.replace("*kind", "*k2")
    text = ("safe_margin: 0.05\nmin_text: 0.04\nvariants:\n" + body.replace("min_aspect: 1", "min_aspect: 0")
            + twins)
    (tmp_path / "my-slides.yaml").write_text(text, encoding="utf-8")
    _, problems = load_layout(tmp_path / "my-slides.yaml", "my-slides.yaml")
    lines = [str(p) for p in problems if "min_aspect" in str(p)]
    assert lines == ["my-slides.yaml:14:17: variants.tall.min_aspect: the same as variant wide's (0): "
                     "one of the two would never be used"]
