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
    made = [p for p in cache_dir.rglob("*") if p.is_file() and p.relative_to(cache_dir).parts[0] != "loaded"]
    assert not made  # (loaded/ may hold the checked layouts, bzmedia/loadcache.py)
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


LONG_MESSAGE_TITLE = ("Cài đặt Bluezone – khẩu trang điện tử để bảo vệ mình, bảo vệ gia đình và cộng "
                      "đồng trước dịch bệnh Covid-19 ngay hôm nay tại {locality.name}")


def _messages_title(script: Path, title: str) -> None:
    text = script.read_text(encoding="utf-8")
    old = '  title: "Cài đặt Bluezone – khẩu trang điện tử"\n  text: "Bảo vệ mình'
    assert text.count(old) == 1
    script.write_text(text.replace(old, f'  title: "{title}"\n  text: "Bảo vệ mình'), encoding="utf-8")


def test_the_build_fits_message_images_only_when_a_messages_job_runs(campaign_dir):
    """The build loads the script without fitting the message images (a no-op pays nothing);
    its preflight fits them, with validate's message, as soon as a messages job is to run."""
    from bzmedia.audio.builder import AudioBuilder
    from bzmedia.builder import Plan
    from bzmedia.campaign import load_campaign
    from bzmedia.campaign.variables import for_locality
    from bzmedia.errors import BuildError, CampaignError
    from bzmedia.messages.builder import MessagesBuilder
    from bzmedia.preflight import check_before_build, planned_jobs

    script = campaign_dir / "bluezone-2020.yaml"
    _messages_title(script, LONG_MESSAGE_TITLE)
    try:
        load_campaign(script)
    except CampaignError as exc:
        found = [str(p) for p in exc.problems]
    else:
        raise AssertionError("validate's load did not fit the message images")
    campaign, _ = load_campaign(script, fit_texts=False)
    localities = campaign.kit_localities()
    plan = Plan(campaign, localities, {loc.id: for_locality(campaign, loc) for loc in localities})
    check_before_build(campaign, localities, planned_jobs(AudioBuilder, plan))  # nothing to fit
    try:
        check_before_build(campaign, localities, planned_jobs(MessagesBuilder, plan)[:1])
    except BuildError as exc:
        assert exc.messages == found
    else:
        raise AssertionError("a messages job to run did not fit the images' title")


def test_a_message_title_changed_to_one_that_does_not_fit_stops_the_next_build(
        campaign_dir, tmp_path, cache_dir):
    """After a good build, the changed title is not taken for a no-op: the build fits it before
    any job runs, says where, and leaves the kit as it was."""
    script = campaign_dir / "bluezone-2020.yaml"
    output = tmp_path / "output"
    assert build(script, output, "--only", "messages").exit_code == 0
    manifest = output / "bluezone-2020" / "manifest.json"
    before = manifest.read_bytes()
    _messages_title(script, LONG_MESSAGE_TITLE)
    checked = validate(script)
    result = build(script, output, "--only", "messages")
    assert result.exit_code == 1, result.stderr
    assert errors(result.stderr) == errors(checked.stderr)
    assert len(errors(result.stderr)) == 2 and all("messages.title" in e for e in errors(result.stderr))
    assert result.stderr.rstrip().endswith("the previous kit is unchanged.")
    assert manifest.read_bytes() == before
