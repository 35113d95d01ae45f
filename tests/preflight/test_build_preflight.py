"""``bzmedia build`` fits every text before any job runs, with validate's own grouped messages."""

from __future__ import annotations

import re
import time
from pathlib import Path

from click.testing import CliRunner
from test_validate_fit import eight_localities, validate  # rootdir-less import, as tests/audio do

from bzmedia.cli import cli


def build(script: Path, output: Path, *options: str):
    return CliRunner(mix_stderr=False).invoke(cli, ["-q", "build", str(script), "-o", str(output),
                                                    "-j", "1", *options])


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.match(r".+:\d+:\d+: ", line)
            and ": warning: " not in line]


def test_a_title_too_long_for_the_poster_stops_the_build_before_any_audio_with_validates_message(
        campaign_dir, tmp_path, cache_dir):
    script = eight_localities(campaign_dir / "bluezone-2020.yaml")
    checked = validate(script)
    assert checked.exit_code == 1
    output = tmp_path / "output"
    started = time.monotonic()
    result = build(script, output)
    seconds = time.monotonic() - started
    assert result.exit_code == 1, result.stderr
    assert errors(result.stderr) == errors(checked.stderr)
    assert len(errors(result.stderr)) == 1 and "campaign.title" in errors(result.stderr)[0]
    assert result.stderr.rstrip().endswith(
        "1 error; the build stopped: no kit was published.")
    # Nothing was made: no speech synthesized, no file of any channel written.
    assert not list(output.rglob("*.mp3")) and not list(output.rglob("*.pdf"))
    assert not cache_dir.exists() or not any(p.is_file() for p in cache_dir.rglob("*"))
    assert seconds < 30, seconds  # loose: the build used to fail only after all audio was made


def test_the_preflight_runs_only_for_the_channels_and_localities_about_to_be_made(campaign_dir):
    """Jobs to run decide: audio alone (or a print job that is current) fits nothing; a print job
    of one locality fits that locality's print texts, with validate's message naming it."""
    from bzmedia.audio.builder import AudioBuilder
    from bzmedia.builder import Plan
    from bzmedia.campaign import load_campaign
    from bzmedia.campaign.variables import for_locality
    from bzmedia.errors import BuildError
    from bzmedia.preflight import check_before_build, fit_problems, planned_jobs
    from bzmedia.printing.builder import PrintBuilder

    campaign, _ = load_campaign(eight_localities(campaign_dir / "bluezone-2020.yaml"))
    assert fit_problems(campaign, channels=["signage"]) == []
    [everyone] = fit_problems(campaign, channels=["print"])
    assert "(all 8 localities)" in everyone.message
    one = campaign.kit_localities()[2:3]
    plan = Plan(campaign, one, {loc.id: for_locality(campaign, loc) for loc in one})
    check_before_build(campaign, one, planned_jobs(AudioBuilder, plan))  # nothing to fit: no error
    try:
        check_before_build(campaign, one, planned_jobs(PrintBuilder, plan)[:1])
    except BuildError as exc:
        [message] = exc.messages
    else:
        raise AssertionError("a print job to run did not fit the poster's footer")
    assert message.startswith(str(everyone).split(" (all 8 localities)")[0])
    assert message.endswith("(locality xa-3)")
