"""What the schema dataclasses say about themselves: keys, types, defaults, limits, docstrings.

The campaign script, print layouts and slide layouts are described once, by the dataclasses of
:mod:`bzmedia.campaign` (see :mod:`.schema`).  The generated reference (:mod:`.reference`) and
the editor's JSON Schema (:mod:`.editor_schema`) both read them through this module, so a new
field, a new section (``messages:``) or a changed limit reaches both without being written twice.

A field's documentation is the string literal right below it (the attribute docstring MkDocs
uses).  Python keeps no such strings at run time, so they are read from the class's source
with :mod:`ast`; ``spec(doc=...)`` in the field's metadata is used when there is none.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import itertools
import textwrap
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from bzmedia.campaign.schema import DEFAULT_MAX_ITEMS, MAX_KEY_CHARS, MAX_TEXT_CHARS, _hints

NO_DEFAULT = dataclasses.MISSING


@dataclass(frozen=True)
class FieldInfo:
    """One key of a schema class, as a script writes it."""

    key: str
    """The key in the file (``print``, not the attribute ``print_``)."""
    hint: Any
    """The resolved type hint."""
    default: Any
    """The default value (``NO_DEFAULT`` for a required key); factories are called."""
    meta: dict
    """``field(metadata=...)``: ``min``, ``max``, ``choices``, ``check`` ..."""
    doc: str
    """The field's docstring, dedented, one paragraph per blank line."""

    @property
    def required(self) -> bool:
        return self.default is NO_DEFAULT


def fields_of(cls: type) -> list[FieldInfo]:
    """The keys a script may give for ``cls``, in the class's order (the loader's rules:
    ``init`` fields not starting with ``_``)."""
    docs = field_docs(cls)
    hints = _hints(cls)
    found = []
    for f in dataclasses.fields(cls):
        if not f.init or f.name.startswith("_"):
            continue
        if f.default is not NO_DEFAULT:
            default = f.default
        elif f.default_factory is not NO_DEFAULT:
            default = f.default_factory()
        else:
            default = NO_DEFAULT
        doc = markdown(docs.get(f.name) or f.metadata.get("doc", ""))
        found.append(FieldInfo(f.name.rstrip("_"), hints[f.name], default, dict(f.metadata), doc))
    return found


@functools.cache
def field_docs(cls: type) -> dict[str, str]:
    """``{attribute: docstring}`` for ``cls`` and the classes it inherits fields from."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or not dataclasses.is_dataclass(klass):
            continue
        docs.update(_own_docs(klass))
    return docs


def _own_docs(klass: type) -> dict[str, str]:
    try:
        source = textwrap.dedent(inspect.getsource(klass))
    except (OSError, TypeError):  # no source shipped: the reference says less, nothing breaks
        return {}
    body = ast.parse(source).body[0].body
    docs = {}
    for node, after in itertools.pairwise(body):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


def class_doc(cls: type) -> str:
    """The class's own docstring (never an inherited one), dedented."""
    return markdown(inspect.cleandoc(cls.__dict__.get("__doc__") or ""))


def markdown(doc: str) -> str:
    """A docstring as Markdown: reST's ````code```` becomes ```code```; lines of a paragraph
    are joined (editors and tables show one line per paragraph)."""
    paragraphs = [" ".join(p.split()) for p in doc.replace("``", "`").split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def unwrap_optional(hint: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None``; ``(hint, False)`` otherwise."""
    if get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


def classes_under(root: type) -> list[type]:
    """Every schema class reachable from ``root``, depth first in field order, ``root`` first."""
    seen: list[type] = []

    def visit(hint: Any) -> None:
        hint, _ = unwrap_optional(hint)
        origin = get_origin(hint)
        if origin in (typing.Union, types.UnionType):  # list-or-mapping: both arms are sections
            for arm in get_args(hint):
                visit(arm)
        elif origin in (list, dict):
            visit(get_args(hint)[-1])
        elif dataclasses.is_dataclass(hint) and hint not in seen:
            seen.append(hint)
            for info in fields_of(hint):
                visit(info.hint)

    visit(root)
    return seen


def literal_choices(hint: Any) -> tuple | None:
    """The allowed values of a ``Literal`` hint, else ``None``."""
    return get_args(hint) if get_origin(hint) is Literal else None


def text_limit(info: FieldInfo) -> int:
    """The longest text the field (or each of its entries) may hold."""
    return info.meta.get("max_chars", MAX_TEXT_CHARS)


def items_limit(info: FieldInfo) -> int:
    """The most entries a list or mapping field may hold."""
    return info.meta.get("max_items", DEFAULT_MAX_ITEMS)


KEY_LIMIT = MAX_KEY_CHARS
