"""Documentation that cannot fall behind the code (the sqlite-utils habit): every command and
option is in the README, every schema field has a docstring, and the generated reference pages
and editor schema in docs/ are what the code generates now."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bzmedia.campaign.introspect import classes_under, fields_of
from bzmedia.campaign.model import Campaign
from bzmedia.campaign.print_layout import PrintLayout
from bzmedia.campaign.signage_layout import SlideLayout
from bzmedia.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def usage_block() -> str:
    """The ```sh block of the README's Usage section."""
    section = README.split("## Usage", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


def command_usage(name: str) -> str:
    """The README's usage lines of ``bzmedia name``: its line and the indented lines after it."""
    lines = usage_block().splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"bzmedia {name} ")
                  or line == f"bzmedia {name}"), None)
    assert start is not None, f"README's Usage block has no line for `bzmedia {name}`"
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    return "\n".join(lines[start:end])


def options_of(command: click.Command) -> list[list[str]]:
    """Every option but --help, with all its spellings (``-o``, ``--output``)."""
    return [param.opts for param in command.params
            if isinstance(param, click.Option) and "--help" not in param.opts]


def mentions(text: str, spellings: list[str]) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", text) for o in spellings)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_and_its_options_are_in_the_readme(name):
    usage = command_usage(name)
    for spellings in options_of(cli.commands[name]):
        if spellings == ["--lang"]:  # every command takes it: documented once, with the top level's
            continue
        assert mentions(usage, spellings), (
            f"`bzmedia {name}` option {max(spellings, key=len)} is not in its README usage:\n{usage}")


def test_the_top_level_options_are_in_the_readme():
    for spellings in options_of(cli):
        assert mentions(usage_block(), spellings), spellings


def test_readme_build_command_installs_the_product_only():
    setup = README.split("## Set-up", 1)[1].split("## Usage", 1)[0]
    assert "pip install -e . && bzmedia build content/bluezone-2020.yaml" in setup
    assert 'pip install -e ".[dev]" && python -m pytest' in setup


@pytest.mark.parametrize("root", [Campaign, PrintLayout, SlideLayout], ids=lambda c: c.__name__)
def test_every_schema_field_has_a_docstring(root):
    missing = [f"{cls.__name__}.{info.key}" for cls in classes_under(root)
               for info in fields_of(cls) if not info.doc.strip()]
    assert missing == [], f"fields without a docstring (write one below the field): {missing}"
    undocumented = [cls.__name__ for cls in classes_under(root) if not (cls.__doc__ or "").strip()]
    assert undocumented == []


def test_a_field_docstring_is_read_from_the_source():
    docs = {info.key: info.doc for info in fields_of(Campaign)}
    assert docs["print"] == "`print:` — leaflets, posters, stickers and live-read scripts."
    assert "messages" in docs, "a section added to Campaign must reach the reference by itself"


def test_committed_reference_is_up_to_date(tmp_path):
    result = CliRunner().invoke(cli, ["docs", "--check", "-o", str(REPO / "docs")])
    assert result.exit_code == 0, f"{result.output}(run `bzmedia docs` and commit docs/)"
    # ... and --check does fail on a stale page, naming it
    stale = tmp_path / "docs"
    CliRunner().invoke(cli, ["docs", "-o", str(stale)])
    page = stale / "print-layouts.md"
    page.write_text(page.read_text(encoding="utf-8").replace("poster-a3", "poster-a4"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["docs", "--check", "-o", str(stale)])
    assert result.exit_code == 1
    assert "print-layouts.md in" in result.output and "run `bzmedia docs`" in result.output


def test_reference_holds_every_kind_and_builtin_layout():
    script = (REPO / "docs" / "campaign-script.md").read_text(encoding="utf-8")
    for kind in ("leaflet", "poster", "sticker", "script", "title", "points", "steps", "cta", "logo"):
        assert f"### `{kind}`\n\n```yaml\n- id: " in script, kind
    assert "## `messages.sms`" in script
    prints = (REPO / "docs" / "print-layouts.md").read_text(encoding="utf-8")
    for layout in ("leaflet-a5", "poster-a3", "script-a4", "sticker", "sticker-portrait"):
        assert f"### `{layout}`" in prints
    headline = re.search(r"\| 1 \| `headline` \| `headline` \| (\d+) x (\d+) \| [^|]+ \| ([\d,]+) \|",
                         prints.split("### `poster-a3`")[1])
    assert headline and int(headline[3].replace(",", "")) > 20
    slides = (REPO / "docs" / "slide-layouts.md").read_text(encoding="utf-8")
    assert "#### `landscape`" in slides and "#### `portrait`" in slides


def _budget_in(page: str, section: str, row: str) -> int:
    text = (REPO / "docs" / page).read_text(encoding="utf-8").split(section, 1)[1]
    found = re.search(re.escape(row) + r".*\| ([\d,]+) \|\n", text)
    assert found, f"no row {row!r} under {section!r} in {page}"
    return int(found[1].replace(",", ""))


SCRIPT = """\
campaign: {id: demo, title: "Cài đặt", issuer: "UBND xã Sơn Vi", url: "https://bluezone.gov.vn"}
"""


@pytest.mark.parametrize("case", ["poster headline", "landscape title slide"])
def test_the_longest_text_in_the_reference_is_what_validate_accepts(tmp_path, case):
    """The budget the reference prints fits, as validate fits it; one character more does not."""
    from bzmedia.campaign import load_campaign
    from bzmedia.campaign.reference import SAMPLE
    from bzmedia.preflight import fit_problems

    if case == "poster headline":
        n = _budget_in("print-layouts.md", "### `poster-a3`", "| 1 | `headline` | `headline` |")
        template = 'print: [{{id: p, kind: poster, qr: false, headline: "{}"}}]\n'
    else:
        n = _budget_in("slide-layouts.md", "#### `landscape`", "| `title` | `title` |")
        template = 'signage: {{sizes: [1920x1080], slides: [{{id: s, kind: title, title: "{}"}}]}}\n'
    sample = SAMPLE * (n // len(SAMPLE) + 2)

    def problems(length: int) -> list:
        path = tmp_path / f"{length}.yaml"
        path.write_text(SCRIPT + template.format(sample[:length].rstrip()), encoding="utf-8")
        campaign, _ = load_campaign(path)
        return fit_problems(campaign)

    assert problems(n) == []
    assert len(problems(n + 1)) == 1
