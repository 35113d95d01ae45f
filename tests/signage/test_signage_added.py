"""What a build encodes when a commune is added, or one word changes in a slide no commune names.

Real builds (one worker, so every ffmpeg run is counted in this process) of a two-size deck:
an added commune encodes only its own slide's pieces, one ffmpeg run per size plus its joins;
a changed shared slide is encoded once per size for all communes, which only join.
"""

from __future__ import annotations

from signage_helpers import SLIDES, campaign_text, run_build, write_campaign

SIZES = """\
sizes: [640x360, 360x640]
seconds: 2
crossfade: 0.4
"""


def pieces(cache) -> set:
    return set(cache.rglob("*.h264"))


def test_an_added_commune_encodes_only_its_own_slides_pieces(tmp_path, ffmpeg_runs):
    folder, output, cache = tmp_path / "campaign", tmp_path / "out", tmp_path / "cache"
    run_build(write_campaign(folder, campaign_text(SIZES, localities=1)), output, cache)
    before = pieces(cache)
    ffmpeg_runs.clear()
    report = run_build(write_campaign(folder, campaign_text(SIZES, localities=2)), output, cache)
    assert sorted(report.ran) == ["signage/xa-2/360x640", "signage/xa-2/640x360"]
    # per size: its slide's still and the two crossfades touching it, nothing shared
    assert len(pieces(cache) - before) == 2 * 3
    encodes = [run for run in ffmpeg_runs if "libx264" in run]
    joins = [run for run in ffmpeg_runs if "libx264" not in run]
    # one run per size; the still is cut from the fade out of the slide, so 2 x264s in it
    assert [run.count("libx264") for run in encodes] == [2, 2] and len(joins) == 2


def test_one_word_in_a_shared_slide_encodes_its_pieces_once_per_size(tmp_path, ffmpeg_runs):
    folder, output, cache = tmp_path / "campaign", tmp_path / "out", tmp_path / "cache"
    run_build(write_campaign(folder, campaign_text(SIZES, localities=3)), output, cache)
    before = pieces(cache)
    ffmpeg_runs.clear()
    changed = SLIDES.replace('title: "Vì sao nên cài?"', 'title: "Vì sao phải cài?"')
    assert changed != SLIDES
    report = run_build(write_campaign(folder, campaign_text(SIZES, slides=changed, localities=3)),
                       output, cache)
    assert len(report.ran) == 3 * 2
    assert len(pieces(cache) - before) == 2 * 3  # per size, not per commune
    encodes = [run for run in ffmpeg_runs if "libx264" in run]
    assert [run.count("libx264") for run in encodes] == [2, 2]
    assert len(ffmpeg_runs) - len(encodes) == 3 * 2  # every commune's loop is joined again
