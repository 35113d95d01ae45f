"""A ``layout:`` value names a campaign file or a built-in layout of the right kind, by one rule."""

from __future__ import annotations

from bzmedia.campaign.layout_files import builtin_layouts, find_layout
from bzmedia.campaign.print_layout import layout_file as print_layout_file
from bzmedia.campaign.signage_layout import layout_file as slide_layout_file


def test_builtin_layouts_are_found_only_by_their_own_kind(tmp_path):
    assert "slides" in builtin_layouts("slide") and "slides" not in builtin_layouts("print")
    assert "poster-a3" in builtin_layouts("print") and "poster-a3" not in builtin_layouts("slide")
    assert print_layout_file("poster-a3", tmp_path)[0].name == "poster-a3.yaml"
    assert slide_layout_file("slides", tmp_path)[0].name == "slides.yaml"
    path, why = slide_layout_file("poster-a3", tmp_path)  # slides once took any layout's name
    assert path is None and why.startswith("no built-in slide layout 'poster-a3'; built-in slide layouts: ")
    path, why = print_layout_file("slides", tmp_path)
    assert path is None and why.startswith("no built-in print layout 'slides'; built-in print layouts: ")


def test_campaign_files_stay_inside_the_folder_for_both_kinds(tmp_path):
    (tmp_path / "mine.yaml").write_text("trim: 210x297\n", encoding="utf-8")
    for kind in ("print", "slide"):
        assert find_layout("mine.yaml", tmp_path, kind) == ((tmp_path / "mine.yaml").resolve(), None)
        assert find_layout("../x.yaml", tmp_path, kind)[1] == (
            "'../x.yaml' points outside the campaign folder; copy the layout into it")
        assert find_layout("none.yaml", tmp_path, kind)[1].startswith("layout file 'none.yaml' not found")
        assert find_layout("x" * 5000, tmp_path, kind)[1].startswith(f"no built-in {kind} layout 'xxx")
