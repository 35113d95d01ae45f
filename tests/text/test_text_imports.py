"""The text package imports in one direction: no module reaches back to one that imports it.

Module-level imports only (``TYPE_CHECKING`` ones included, since they tie modules together for
every reader and type checker); imports inside functions are the house's way to stay light.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bzmedia

PACKAGE = Path(bzmedia.__file__).parent


def _module_imports(path: Path) -> set[str]:
    """Every ``bzmedia`` module ``path`` imports outside its functions."""
    found: set[str] = set()
    body = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while body:
        node = body.pop()
        if isinstance(node, ast.If):  # if TYPE_CHECKING: ...
            body += node.body + node.orelse
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("bzmedia.")}


def _graph(folder: Path) -> dict[str, set[str]]:
    modules = {f"bzmedia.{folder.name}.{path.stem}": path for path in folder.glob("*.py")}
    return {name: _module_imports(path) & modules.keys() for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle as a list of modules, or [] when there is none."""
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> list[str]:
        state[name] = "open"
        path = [*trail, name]
        for target in sorted(graph[name]):
            if state.get(target) == "open":  # still being visited: it is on the path
                return [*path[path.index(target):], target]
            if target not in state and (found := visit(target, path)):
                return found
        state[name] = "done"
        return []

    for name in sorted(graph):
        if name not in state and (found := visit(name, [])):
            return found
    return []


def test_text_modules_import_each_other_without_a_circle() -> None:
    assert _cycle(_graph(PACKAGE / "text")) == []


def test_the_cycle_finder_sees_a_circle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []
