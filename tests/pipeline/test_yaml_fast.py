"""Plain YAML is composed by libyaml in C; the careful composer still handles everything else.

Both must give the same nodes with the same line and column, so every message stays where it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bzmedia.campaign import yamlsource
from bzmedia.campaign.yamlsource import _compose_plain, _Loader, read_source

REPO = Path(__file__).resolve().parents[2]
FILES = sorted([*REPO.glob("layouts/*.yaml"), *REPO.glob("content/*.yaml")])


def shape(node):
    """Everything a node says that the schema or a message could use."""
    marks = (node.start_mark.line, node.start_mark.column, node.start_mark.index,
             node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("sequence", node.tag, marks, [shape(child) for child in node.value])
    return ("mapping", node.tag, marks, [(shape(k), shape(v)) for k, v in node.value])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_shipped_files_compose_the_same_both_ways(path):
    text = path.read_text(encoding="utf-8-sig")
    plain = _compose_plain(text)
    assert plain is not None, "a shipped file is plain YAML"
    assert shape(plain[0]) == shape(_Loader(text).get_single_node())


@pytest.mark.parametrize("text", [
    "a: &x [*x]\n",                     # an alias inside the value it names (a loop)
    "a: *x\n",                          # an alias to nothing
    "a: &x 1\nb: &x 2\n",              # a duplicate anchor
    "a: &x [&x 1]\n",                   # a duplicate anchor inside the first
    "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",  # a bomb: 110,000 values once expanded
    "a: !!str 1\n",                     # an explicit tag
    "a: ! 1\n",                         # the non-specific tag
    "a: 1\n---\nb: 2\n",                # two documents
    "a: [1, 2\n",                       # a syntax error
    "[" * 100_000,                      # nested beyond any limit, and cut short
    "[" * 100_000 + "]" * 100_000,      # valid, but libyaml's C composer would crash the process
    "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 60)),
])
def test_anything_not_plain_goes_to_the_careful_composer(text):
    assert _compose_plain(text) is None


def test_aliases_to_finished_values_are_plain_and_shared():
    text = "a: &x {b: [1, 2]}\nc: *x\nd: &s 5\ne: [*s, *x]\n"
    root, _ = _compose_plain(text)
    assert shape(root) == shape(_Loader(text).get_single_node())
    assert root.value[0][1] is root.value[1][1]  # one node, as the careful composer shares it


def test_messages_of_the_careful_composer_are_unchanged(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 100_000, encoding="utf-8")
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text("campaign:\n  title: !!python/name:os.system x\n", encoding="utf-8")
    assert "nested more than 50 levels" in read_source(deep).problems[0].message
    source = read_source(tagged)
    assert source.problems == [] and source.tags  # the schema reports the tag where it stands


def test_a_plain_file_reads_as_before(tmp_path, monkeypatch):
    script = tmp_path / "s.yaml"
    script.write_text("campaign:\n  id: x\n  title: \"Xã Sơn Vi\"\nlist: [1, 2.5, true, null]\n",
                      encoding="utf-8")
    fast = read_source(script)
    monkeypatch.setattr(yamlsource, "_compose_plain", lambda text: None)
    careful = read_source(script)
    assert fast.problems == careful.problems == []
    assert shape(fast.root) == shape(careful.root)
    values = [fast.construct(n) for n in fast.root.value[1][1].value]
    assert values == [1, 2.5, True, None]
