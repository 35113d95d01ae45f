"""Read a YAML file into a node tree that keeps the line and column of every value.

We compose (parse without constructing) with PyYAML's *safe* loader, so no tag can run code, and
the schema in :mod:`bzmedia.campaign.schema` converts nodes to typed values itself.  Composing
keeps aliases as shared nodes instead of expanding them, which lets us measure how large the
document *would* become and refuse an alias bomb ("billion laughs") before anything is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bzmedia.errors import Problem

MAX_FILE_BYTES = 2_000_000
"""A campaign script is a few kilobytes; anything this large is a mistake or an attack."""
MAX_EXPANDED_NODES = 200_000
"""Nodes the document may hold once aliases are expanded; the example has about 500."""


@dataclass
class Source:
    """One parsed YAML file: its root node (or ``None``) and the problems found reading it."""

    path: Path
    shown_name: str
    root: yaml.Node | None
    loader: yaml.SafeLoader | None
    problems: list[Problem]

    def problem(self, node: yaml.Node | None, path: str, message: str, *, warning=False) -> Problem:
        """A problem located at ``node`` (or at the top of the file)."""
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        return Problem(self.shown_name, line, col, path, message, warning)

    def construct(self, node: yaml.ScalarNode):
        """The Python value of a scalar node under YAML's safe rules (int, float, bool, null)."""
        assert self.loader is not None
        return self.loader.construct_object(node, deep=True)


def read_source(path: Path, shown_name: str | None = None) -> Source:
    """Parse ``path``; never raises for user mistakes, they land in ``Source.problems``."""
    name = shown_name or str(path)
    src = Source(path, name, None, None, [])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        src.problems.append(Problem(name, 0, 0, "file", f"cannot read file: {exc.strerror}"))
        return src
    if len(raw) > MAX_FILE_BYTES:
        src.problems.append(
            Problem(name, 1, 1, "file", f"file is {len(raw):,} bytes; a script may be at most "
                    f"{MAX_FILE_BYTES:,}")
        )
        return src
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        src.problems.append(Problem(name, line, 1, "file", "file is not UTF-8; save it as UTF-8 "
                                    "(in Notepad: Save As, Encoding: UTF-8)"))
        return src
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{what} ({exc.context})"
        src.problems.append(Problem(name, line, col, "syntax", what))
        return src
    except yaml.YAMLError as exc:
        src.problems.append(Problem(name, 1, 1, "syntax", str(exc)))
        return src
    if root is not None:
        size = expanded_size(root)
        if size > MAX_EXPANDED_NODES:
            src.problems.append(src.problem(root, "syntax", (
                f"aliases would expand this document to over {MAX_EXPANDED_NODES:,} values "
                "(an alias bomb?); refusing to expand it")))
            return src
    src.root, src.loader = root, loader
    return src


def expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has with every alias expanded, computed without expanding.

    Each distinct node is visited once (memoized by identity), so a bomb of ten levels of ten
    aliases costs ten visits, not ten billion.  Recursive aliases count as too large.
    """
    memo: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in memo:
            return memo[key]
        if key in in_progress:
            return MAX_EXPANDED_NODES + 1
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        in_progress.discard(key)
        memo[key] = total = min(total, MAX_EXPANDED_NODES + 1)
        return total

    return size(root)
