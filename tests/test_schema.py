"""The editor schema (docs/campaign.schema.json) against the loader: the examples pass both, and
wrong scripts fail both.

Scripts are read here as an editor reads them (YAML 1.2 core schema, as the yaml-language-server
does), not with PyYAML's YAML 1.1 resolver (which reads 17:00 as the number 1020).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from bzmedia.campaign import CampaignError, load_campaign
from bzmedia.campaign.editor_schema import campaign_schema
from bzmedia.cli import cli

REPO = Path(__file__).resolve().parent.parent
MODELINE = "# yaml-language-server: $schema=../docs/campaign.schema.json"


class CoreLoader(yaml.SafeLoader):
    """YAML 1.2 core schema: null, true/false, decimal numbers; everything else is text."""


CoreLoader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?[0-9]+", list("-+0123456789")),
    ("float", r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", list("-+.0123456789")),
]:
    CoreLoader.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(f"^(?:{pattern})$"), first)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = campaign_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(validator, text: str) -> list[str]:
    data = yaml.load(text, CoreLoader)  # a SafeLoader subclass
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


@pytest.mark.parametrize("name", ["bluezone-2020.yaml", "minimal.yaml", "dak-nong-2020.yaml"])
def test_examples_name_the_schema_and_pass_it(validator, name):
    text = (REPO / "content" / name).read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert (REPO / "content" / MODELINE.split("=", 1)[1]).resolve() == REPO / "docs" / "campaign.schema.json"
    assert schema_errors(validator, text) == []


def test_committed_schema_is_what_the_command_writes(tmp_path):
    result = CliRunner().invoke(cli, ["schema", "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "s.json").read_text(encoding="utf-8")
    assert written == (REPO / "docs" / "campaign.schema.json").read_text(encoding="utf-8")
    assert CliRunner().invoke(cli, ["schema"]).output == written
    assert json.loads(written)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


MINIMAL = """\
campaign:
  id: thong-bao
  title: "Cài đặt Bluezone"
  issuer: "UBND xã Sơn Vi"
  url: https://www.bluezone.gov.vn
audio:
  spots:
    - id: a
      text: "Đề nghị bà con cài đặt ứng dụng Bluezone."
"""

WRONG = {
    "unknown top key": MINIMAL + "colours: {primary: '#000000'}\n",
    "unknown nested key": MINIMAL.replace("  title:", "  titel:"),
    "missing required key": MINIMAL.replace('  issuer: "UBND xã Sơn Vi"\n', ""),
    "missing required section": "audio:\n" + MINIMAL.split("audio:\n")[1],
    "bad id pattern": MINIMAL.replace("id: thong-bao", "id: Thong Bao"),
    "bad url pattern": MINIMAL.replace("url: https://www.bluezone.gov.vn", "url: www.bluezone.gov.vn"),
    "bad date pattern": MINIMAL.replace("  url:", "  date: 5/8/2020\n  url:"),
    "bad colour": MINIMAL + "brand: {colors: {primary: blue}}\n",
    "bad enum": MINIMAL + "  voice: {engine: vbee}\n",
    "out of range number": MINIMAL + "  voice: {rate: 5}\n",
    "number where text list": MINIMAL + "  schedule: {times: 6}\n",
    "text where number": MINIMAL + "  loudness: {target_lufs: loud}\n",
    "bitrate not offered": MINIMAL + "  export: {bitrate: 100}\n",
    "list where mapping": MINIMAL + "brand: [red]\n",
    "whole number required": MINIMAL.replace("      text:", "      repeat: 1.5\n      text:"),
    "text too long": MINIMAL.replace('"Cài đặt Bluezone"', '"' + "x" * 501 + '"'),
    "empty required list": MINIMAL + "signage: {slides: []}\n",
    "print kind": MINIMAL + "print:\n  - {id: a, kind: banner, headline: x}\n",
    "slide seconds": MINIMAL + "signage: {slides: [{id: a, kind: title, title: x, seconds: 90}]}\n",
    "true/false expected": MINIMAL + "print:\n  - {id: a, kind: poster, headline: x, qr: 3}\n",
    "top level a list": "- campaign\n",
    "localities file: unknown key": MINIMAL + "localities: {file: xa.csv, colum: Tên}\n",
    "localities file: header row 0": MINIMAL + "localities: {file: xa.csv, header_row: 0}\n",
    "localities entry: unknown key": MINIMAL + "localities: [{id: a, name: b, hotlin: '1'}]\n",
}


@pytest.mark.parametrize("case", sorted(WRONG))
def test_schema_and_loader_refuse_the_same_wrong_scripts(validator, tmp_path, case):
    text = WRONG[case]
    path = tmp_path / "script.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignError) as refused:
        load_campaign(path)
    errors = schema_errors(validator, text)
    assert errors, f"the schema accepts a script the loader refuses ({case})"
    # ... and at the same place: the editor underlines the key the loader names (or the
    # mapping holding it, for an unknown or missing key)
    loader_paths = [re.sub(r"\[(\d+)\]", r".\1", p.path) for p in refused.value.problems]
    schema_paths = [error.split(": ", 1)[0] for error in errors]
    assert any(lp == sp or lp.startswith(f"{sp}.") or (sp == "" and "." not in lp)
               for lp in loader_paths for sp in schema_paths), (loader_paths, errors)


def test_the_base_of_the_wrong_scripts_passes_both(validator, tmp_path):
    path = tmp_path / "script.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    load_campaign(path)
    assert schema_errors(validator, MINIMAL) == []


def test_init_copy_names_a_schema_that_is_there(tmp_path, validator):
    target = tmp_path / "my-campaign"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    text = (target / "bluezone-2020.yaml").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=campaign.schema.json"
    schema = json.loads((target / "campaign.schema.json").read_text(encoding="utf-8"))
    assert schema == campaign_schema()
    assert schema_errors(validator, text) == []
