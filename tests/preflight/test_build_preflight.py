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


def test_a_build_of_other_channels_does_not_fit_print_texts(campaign_dir, tmp_path, cache_dir):
    """--only signage makes no poster, so the poster's footer cannot stop it at the preflight."""
    script = eight_localities(campaign_dir / "bluezone-2020.yaml")
    from bzmedia.campaign import load_campaign
    from bzmedia.preflight import fit_problems

    campaign, _ = load_campaign(script)
    assert fit_problems(campaign, channels=["signage"]) == []
    assert len(fit_problems(campaign, channels=["print"])) == 1
