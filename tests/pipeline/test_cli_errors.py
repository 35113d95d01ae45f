"""Unexpected failures reach the user as one located line; ``-v`` adds the traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from pipeline_helpers import write_script

from bzmedia import build
from bzmedia.cli import cli


@pytest.mark.parametrize("verbose", [False, True])
def test_a_bug_in_a_channel_is_one_line_and_its_traceback_only_with_v(tmp_path, monkeypatch, verbose):
    registry = ("pipeline_helpers:CrashBuilder", "bzmedia.kit.builder:KitBuilder")
    monkeypatch.setattr(build, "BUILDERS", registry)
    monkeypatch.setenv("BZMEDIA_CACHE", str(tmp_path / "cache"))
    script = write_script(tmp_path / "c")
    args = ["-v"] * verbose + ["build", str(script), "-o", str(tmp_path / "out"), "-j", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    # both jobs hit the same bug: said once, with how many jobs (each traceback with -v)
    lines = ("crash/son-vi/note and 1 other job: unexpected ZeroDivisionError: division by zero\n"
             "1 error; the build stopped: no kit was published.\n")
    if verbose:
        assert result.output.startswith("Traceback (most recent call last):\n")
        assert result.output.count("ZeroDivisionError: division by zero\n") == 3  # 2 tracebacks, 1 line
        assert result.output.endswith(lines)
    else:
        assert result.output == lines


def test_a_bug_while_planning_is_one_line_naming_the_channel(tmp_path):
    from pipeline_helpers import NoteBuilder, build_notes

    from bzmedia.errors import BuildError

    class Confused(NoteBuilder):
        def jobs(self, plan):
            return {}["missing"]

    with pytest.raises(BuildError) as caught:
        build_notes(tmp_path, builders=[Confused()])
    assert caught.value.messages == ["note: planning failed: unexpected KeyError: 'missing'"]
    assert caught.value.outcome == "no kit was published"
    assert "Traceback" in caught.value.details[0]
