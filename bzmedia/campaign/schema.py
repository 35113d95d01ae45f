"""A small typed schema: dataclasses with type hints, filled from positioned YAML nodes.

Each section of a campaign script is a dataclass whose fields carry a type hint, a default and a
docstring (the attribute docstring below the field, as MkDocs documents its config options).  The
converter here walks a YAML node tree against those hints and collects *every* problem instead of
stopping at the first: unknown keys with a did-you-mean, wrong types, missing required keys,
values out of range.  Every string is NFC-normalized the moment it is read.

Field options go in ``field(metadata=...)``:

- ``min`` / ``max``: bounds for numbers (every number field has both: no absurd value, and no
  NaN or infinity, may reach a builder);
- ``min_items`` / ``max_items``: bounds for list and mapping lengths (``max_items`` defaults to
  :data:`DEFAULT_MAX_ITEMS`, checked before the entries are converted);
- ``max_chars``: the longest text (default :data:`MAX_TEXT_CHARS`), for a field or each entry;
- ``one_line``: a text (or each entry) that is one line by nature (a name, a title, a hotline): a
  line break inside it is refused, outer ones (a ``|`` block's last) are dropped;
- ``choices``: allowed values, listed in the message when another one is given;
- ``check``: a callable ``value -> str | None`` returning an error message.
- ``one_or_list``: a list field that also takes a single entry as a list of one.

A dataclass may name a ``_shorthand`` field: a plain scalar given where the mapping is expected
fills that field (``fallback: espeak`` means ``fallback: {engine: espeak}``).  A field typed
``list[X] | Y`` takes a YAML list of ``X`` or one ``Y`` (see :func:`list_or_mapping_arm`).  A
``check(self, ctx)`` method runs after the whole tree is built, for rules that span fields.

A key left empty (``date:``, ``start: ~``) on a field with a default means the default, as if the
key were not there; on a required field it is an error.  Explicit YAML tags and control
characters are refused where they stand (see :mod:`.yamlsource`).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import re
import types
import typing
import unicodedata
from typing import Any, Literal, get_args, get_origin, get_type_hints

import yaml

from bzmedia.campaign.yamlsource import (
    CONTROL,
    Source,
    control_message,
    describe_char,
    legacy_letter,
    read_source,
    tag_message,
)
from bzmedia.errors import Problem
from bzmedia.i18n import N_, _, number

_MISSING = dataclasses.MISSING
_NULL_TAG = "tag:yaml.org,2002:null"
MAX_TEXT_CHARS = 20_000
"""The longest text a script may give (about ten pages); a spot of that length is 20 minutes."""
MAX_KEY_CHARS = 200
"""The longest key of a mapping (variable names, words in ``pronunciations``)."""
LINE_BREAKS = "\n\r\u2028\u2029"
LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")
"""Line breaks a ``one_line`` text may not hold inside (the other ones, NEL and the like, no
text may hold: :data:`.yamlsource.CONTROL`)."""
_BREAKS_ESCAPED = "".join(f"\\u{ord(char):04x}" for char in LINE_BREAKS)
ONE_LINE_PATTERN = f"^[{_BREAKS_ESCAPED}]*[^{_BREAKS_ESCAPED}]*[{_BREAKS_ESCAPED}]*$"
"""The editor schema's pattern for a ``one_line`` text (outer line breaks are dropped)."""
_EXPONENT = re.compile(r"[-+]?\d+(\.\d*)?[eE][-+]?\d+")
DEFAULT_MAX_ITEMS = 1_000
MAX_PROBLEMS = 100
"""Problems listed for one file; the rest are counted."""
"""Entries a list or mapping may have unless its field says otherwise."""


class Located:
    """Mixin for schema dataclasses: remembers where each field came from in the script."""

    def mark(self, field_name: str | None = None) -> tuple[int, int]:
        """(line, col) of ``field_name`` (or of the object itself); (1, 1) when unknown."""
        marks = getattr(self, "_marks", {})
        return marks.get(field_name, marks.get(None, (1, 1)))

    def where(self, source, field_name: str | None = None) -> str:
        """``file:line:col: key.path`` of this object (or one field), for build-time messages."""
        line, col = self.mark(field_name)
        return f"{source}:{line}:{col}: {self.keypath(field_name)}"

    def keypath(self, field_name: str | None = None) -> str:
        """The dotted key path of this object (plus ``field_name``) within the script."""
        base = getattr(self, "_path", "")
        if field_name is None:
            return base or "(top)"
        return f"{base}.{field_name}" if base else field_name


def nfc(text: str) -> str:
    """Vietnamese text in composed form: NFD input prints broken diacritics and hashes wrongly."""
    return unicodedata.normalize("NFC", text)


class Converter:
    """Turns YAML nodes into schema dataclasses, collecting problems in ``self.problems``."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.objects: list[Located] = []
        self._refused: set[int] = set()

    # -- reporting ---------------------------------------------------------------------------
    def error(self, node: yaml.Node | None, path: str, message: str) -> None:
        self.problems.append(self.source.problem(node, path or "(top)", message))

    def refused(self, node: yaml.Node, path: str) -> bool:
        """True (after reporting it once) when ``node`` carries an explicit tag or, for a scalar,
        a control character in its text; nothing under it is looked at then."""
        key = id(node)
        if key in self._refused:
            return True
        tag = self.source.tag_of(node)
        if tag is not None:
            self.error(node, path, tag_message(tag))
            self._refused.add(key)
            return True
        if isinstance(node, yaml.ScalarNode):
            found = [(line, col, char) for line, col, char in self.source.take_controls(node)
                     if not legacy_letter(char, str(node.value))]
            for line, col, char in found:
                self.problems.append(Problem(self.source.shown_name, line, col, path or "(top)",
                                             control_message(char)))
            if found:
                self._refused.add(key)
                return True
        return False

    # -- entry point -------------------------------------------------------------------------
    def convert(self, hint: Any, node: yaml.Node, path: str, limits: dict | None = None) -> Any:
        """The value of ``node`` as type ``hint``; ``_Invalid`` after reporting a problem.

        ``limits`` are the field's ``max_items`` / ``max_chars``, handed down to its entries.
        """
        if self.refused(node, path):
            return INVALID
        limits = limits or {}
        origin = get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            return self._convert_optional(hint, node, path, limits)
        if origin is Literal:
            return self._convert_literal(hint, node, path)
        if origin is list:
            return self._convert_list(get_args(hint)[0], node, path, limits)
        if origin is dict:
            return self._convert_dict(get_args(hint)[1], node, path, limits)
        if dataclasses.is_dataclass(hint):
            return self._convert_dataclass(hint, node, path)
        return self._convert_scalar(hint, node, path, limits)

    def _convert_optional(self, hint: Any, node: yaml.Node, path: str, limits: dict) -> Any:
        args = [a for a in get_args(hint) if a is not type(None)]
        if _is_null(node):
            return None
        if len(args) == 1:
            return self.convert(args[0], node, path, limits)
        arm = list_or_mapping_arm(hint, node)
        if self._entry_without_dash(hint, arm, node):
            self.error(node, path, _("this is one entry of a list without its '- ': write each entry "
                                     "on a line starting with '- ' (or name a file with 'file:')"))
            return INVALID
        return self.convert(arm, node, path, limits)

    @staticmethod
    def _entry_without_dash(hint: Any, arm: Any, node: yaml.Node) -> bool:
        """A mapping read as the non-list arm that lacks the arm's required keys and whose keys all
        belong to a list entry (``localities: {id: a, name: b}``: a forgotten dash, not a
        spreadsheet without its ``file:``)."""
        entry = next((get_args(a)[0] for a in get_args(hint) if get_origin(a) is list), None)
        if not isinstance(node, yaml.MappingNode) or not dataclasses.is_dataclass(entry) \
                or not dataclasses.is_dataclass(arm):
            return False
        keys = {k.value for k, _v in node.value if isinstance(k, yaml.ScalarNode)}
        entry_keys = {f.name for f in dataclasses.fields(entry)}
        required = {f.name for f in dataclasses.fields(arm) if not _has_default(f)}
        return bool(keys) and keys <= entry_keys and not keys >= required

    def _convert_literal(self, hint: Any, node: yaml.Node, path: str) -> Any:
        choices = get_args(hint)
        value = self._convert_scalar(type(choices[0]), node, path, {"max_chars": 100})
        if value is INVALID or value in choices:
            return value
        options = ", ".join(str(c) for c in choices)
        self.error(node, path, _("'{value}' is not one of: {choices}{hint}").format(
            value=value, choices=options, hint=did_you_mean(value, choices)))
        return INVALID

    def _too_many(self, node: yaml.Node, path: str, limits: dict) -> bool:
        """Refuse a list or mapping longer than its field allows before converting any entry."""
        most = limits.get("max_items", DEFAULT_MAX_ITEMS)
        if len(node.value) > most:
            self.error(node, path, _("{count} entries; at most {most} are allowed").format(
                count=number(len(node.value)), most=number(most)))
            return True
        return False

    def _convert_list(self, item_hint: Any, node: yaml.Node, path: str, limits: dict) -> Any:
        if not isinstance(node, yaml.SequenceNode) and limits.get("one_or_list"):
            item = self.convert(item_hint, node, path)  # `fallback: espeak` is a list of one
            return INVALID if item is INVALID else [item]
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, path, _("expected a list, got {found}").format(found=_describe(node)))
            return INVALID
        if self._too_many(node, path, limits):
            return INVALID
        entry_limits = _entry_limits(limits)
        items = [self.convert(item_hint, child, f"{path}[{i}]", entry_limits)
                 for i, child in enumerate(node.value)]
        if dataclasses.is_dataclass(item_hint) and "id" in {f.name for f in dataclasses.fields(item_hint)}:
            self._check_unique_ids(items, path)
        return INVALID if any(i is INVALID for i in items) else items

    def _check_unique_ids(self, items: list, path: str) -> None:
        """Entries of a list with ids must each have their own (they name files and folders)."""
        first_line: dict[str, int] = {}
        for item in items:
            if item is INVALID:
                continue
            line, col = item.mark("id")
            if item.id in first_line:
                self.problems.append(Problem(
                    self.source.shown_name, line, col, item.keypath("id"),
                    _("duplicate id '{id}' (first used on line {line}); every entry of {list} needs its "
                      "own id").format(id=item.id, line=first_line[item.id], list=path)))
            else:
                first_line[item.id] = line

    def _convert_dict(self, value_hint: Any, node: yaml.Node, path: str, limits: dict) -> Any:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, path, _("expected a mapping of names to values, got {found}").format(
                found=_describe(node)))
            return INVALID
        if self._too_many(node, path, limits):
            return INVALID
        entry_limits = _entry_limits(limits)
        result: dict[str, Any] = {}
        ok = True
        for key_node, value_node in self._unique_pairs(node, path):
            key = self._text(key_node, path, MAX_KEY_CHARS)
            if key is INVALID:
                ok = False
                continue
            result[key] = self.convert(value_hint, value_node, f"{path}.{key}" if path else key,
                                       entry_limits)
        return INVALID if not ok or any(v is INVALID for v in result.values()) else result

    def _unique_pairs(self, node: yaml.MappingNode, path: str):
        """Mapping entries, reporting keys given twice (YAML would silently keep the last)."""
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if self.refused(key_node, path):
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, path, _("a key must be a plain name, not a list or mapping"))
                continue
            key = str(key_node.value)
            if key == "<<":
                self.error(key_node, path, _("merge keys ('<<') are not supported; write the keys out"))
                continue
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.error(key_node, _join(path, key),
                           _("key given twice (first on line {line})").format(line=first))
                continue
            seen[key] = key_node
            yield key_node, value_node

    def _convert_dataclass(self, cls: type, node: yaml.Node, path: str) -> Any:
        shorthand = getattr(cls, "_shorthand", None)
        if isinstance(node, yaml.ScalarNode) and shorthand and node.tag != _NULL_TAG:
            fake = yaml.MappingNode("tag:yaml.org,2002:map", [
                (yaml.ScalarNode("tag:yaml.org,2002:str", shorthand, node.start_mark,
                                 node.end_mark), node)], node.start_mark, node.end_mark)
            return self._convert_dataclass(cls, fake, path)
        if not isinstance(node, yaml.MappingNode):
            self.error(node, path, _("expected a mapping (key: value lines), got {found}").format(
                found=_describe(node)))
            return INVALID
        fields = {f.name: f for f in dataclasses.fields(cls) if f.init and not f.name.startswith("_")}
        hints = _hints(cls)
        given: dict[str, Any] = {}
        marks: dict[str | None, tuple[int, int]] = {None: _pos(node)}
        for key_node, value_node in self._unique_pairs(node, path):
            key = str(key_node.value)
            attr = key.replace("-", "_")
            if attr not in fields and f"{attr}_" in fields:
                attr += "_"  # `print` is a builtin, so the field is `print_`
            if attr not in fields:
                hint = did_you_mean(key[:100], [name.rstrip("_") for name in fields])
                self.error(key_node, _join(path, clip(key)), _("unknown key{hint}").format(hint=hint))
                continue
            marks[attr] = _pos(value_node)
            if _is_null(value_node) and _has_default(fields[attr]) and not self.refused(
                    value_node, _join(path, key)):
                continue  # `date:` left empty: as if the key were not there
            value = self.convert(hints[attr], value_node, _join(path, key), fields[attr].metadata)
            if value is not INVALID:
                value = self._check_field(fields[attr], value, value_node, _join(path, key))
            given[attr] = value
        return self._instantiate(cls, fields, given, marks, node, path)

    def _instantiate(self, cls, fields, given, marks, node, path) -> Any:
        ok = True
        for name, f in fields.items():
            if name in given:
                ok = ok and given[name] is not INVALID
            elif f.default is _MISSING and f.default_factory is _MISSING:
                key = name.rstrip("_")
                self.error(node, _join(path, key), _("required key '{key}' is missing").format(key=key))
                ok = False
        if not ok:
            return INVALID
        obj = cls(**given)
        object.__setattr__(obj, "_marks", marks)
        object.__setattr__(obj, "_path", path)
        self.objects.append(obj)
        return obj

    def _check_field(self, f: dataclasses.Field, value: Any, node: yaml.Node, path: str) -> Any:
        meta = f.metadata
        message = None
        if value is None:  # an optional field given as null has nothing to check
            return value
        if "min" in meta and value < meta["min"]:
            message = _("must be at least {least}, got {value}").format(least=meta["min"], value=value)
        elif "max" in meta and value > meta["max"]:
            message = _("must be at most {most}, got {value}").format(most=meta["max"], value=value)
        elif "min_items" in meta and len(value) < meta["min_items"]:
            message = _("needs at least {least} item(s), got {count}").format(least=meta["min_items"],
                                                                            count=len(value))
        elif "choices" in meta and value not in meta["choices"]:
            message = _("'{value}' is not one of: {choices}{hint}").format(
                value=value, choices=", ".join(str(c) for c in meta["choices"]),
                hint=did_you_mean(str(value), meta["choices"]))
        elif "check" in meta:
            message = meta["check"](value)
        if message:
            self.error(node, path, message)
            return INVALID
        return value

    def _convert_scalar(self, hint: Any, node: yaml.Node, path: str, limits: dict) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, path, _("expected {kind}, got {found}").format(kind=_type_name(hint),
                                                                            found=_describe(node)))
            return INVALID
        if _is_null(node):
            self.error(node, path, _("expected {kind}, got nothing").format(kind=_type_name(hint)))
            return INVALID
        if hint is str:
            # The raw text, not YAML 1.1's reading of it: "05:30" is not 330, "no" is not False.
            return self._text(node, path, limits.get("max_chars", MAX_TEXT_CHARS),
                              limits.get("one_line", False))
        try:
            value = self.source.construct(node)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError):
            # e.g. an integer of 5,000 digits, which Python refuses to read
            self.error(node, path, _("'{value}' cannot be read as {kind}").format(
                value=clip(node.value), kind=_type_name(hint)))
            return INVALID
        if hint is float and isinstance(value, str) and not node.style and _EXPONENT.fullmatch(value):
            value = float(value)  # YAML 1.1 reads 1e3 as text; people mean the number
        if hint is bool and isinstance(value, bool):
            return value
        if hint is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
            return self._finite(value, node, path)
        self.error(node, path, _("expected {kind}, got {found} '{value}'").format(
            kind=_type_name(hint), found=_describe(node), value=clip(node.value)))
        return INVALID

    def _finite(self, value: int | float, node: yaml.Node, path: str) -> Any:
        """A float that is a real number: NaN and infinity would reach JSON, HTML and ffmpeg."""
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number
        self.error(node, path, _("expected a finite number, got '{value}'").format(value=clip(node.value)))
        return INVALID

    def _text(self, node: yaml.ScalarNode, path: str, max_chars: int, one_line: bool = False) -> Any:
        """The text of ``node``, NFC, refusing control characters that escapes (``"\\x1b"``,
        ``"\\ud800"``) put in it, text longer than ``max_chars``, and for a ``one_line`` field a
        line break inside it."""
        value = str(node.value)
        if one_line:
            value = value.strip(LINE_BREAKS)  # a `|` block's own last line break
            if not self._one_line(value, node, path):
                return INVALID
        bad = next((c for c in CONTROL.finditer(value) if not legacy_letter(c.group(), value)), None)
        if bad:
            self.error(node, path, _("the text holds {char} (written as an escape such as \\x1b or "
                                     "\\ud800); remove it").format(char=describe_char(bad.group())))
            return INVALID
        if len(value) > max_chars:
            self.error(node, path, _("the text is {count} characters long; at most {most} are "
                                     "allowed").format(count=number(len(value)), most=number(max_chars)))
            return INVALID
        if value and not value.strip():
            # Only spaces: nothing to print, show or say, and fitters have no word to place.
            self.error(node, path, _("the text is only spaces; write the text or remove the key"))
            return INVALID
        return nfc(value)


    def _one_line(self, value: str, node: yaml.ScalarNode, path: str) -> bool:
        """Whether ``value`` is one line, after reporting it if not: a name or title with a line
        break would add a line, an entry even, to every playlist, schedule and list it goes in."""
        found = LINE_BREAK.search(value)
        if found is None:
            return True
        if node.style in ("|", ">"):
            self.error(node, path, _("the text must be one line, but this '{style}' block holds several; "
                                     "write the text on one line after the key").format(style=node.style))
        else:
            self.error(node, path, _("the text must be one line, but it holds {char}; write it on one "
                                     "line").format(char=describe_char(found.group())))
        return False


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()
"""Stands for a value that could not be converted; its problem has already been reported."""


def _entry_limits(limits: dict) -> dict | None:
    """The limits of a list's or mapping's field that hold for each of its entries."""
    return {key: limits[key] for key in ("max_chars", "one_line") if key in limits} or None


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a schema class (resolving them costs 2 ms a class a time)."""
    return get_type_hints(cls)


def _is_null(node: yaml.Node) -> bool:
    """An empty value, ``~`` or ``null`` (never an explicit tag: those are refused first)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def list_or_mapping_arm(hint: Any, node: yaml.Node | None = None) -> Any:
    """The arm of a ``list[X] | Y`` hint a node is read as: a YAML list is the list, anything
    else the other arm (``localities:`` lists its entries or names a spreadsheet).  With no
    node, the non-list arm.  Other unions are not part of the schema language."""
    args = [a for a in get_args(hint) if a is not type(None)]
    lists = [a for a in args if get_origin(a) is list]
    if len(args) != 2 or len(lists) != 1:
        raise TypeError(f"schema supports only Optional and list-or-mapping unions, not {hint}")
    other = next(a for a in args if a is not lists[0])
    return lists[0] if isinstance(node, yaml.SequenceNode) else other


def _has_default(f: dataclasses.Field) -> bool:
    return f.default is not _MISSING or f.default_factory is not _MISSING


def clip(text: str, most: int = 40) -> str:
    """A value quoted in a message: long ones are cut, so one problem stays one line."""
    text = str(text).replace("\n", " ")
    return text if len(text) <= most else text[:most] + "..."


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def did_you_mean(word: str, options) -> str:
    """`` (did you mean 'name'?)`` with the option closest to ``word``, or nothing."""
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return _(" (did you mean '{name}'?)").format(name=close[0]) if close else ""


_FOUND = {"str": N_("text"), "int": N_("a whole number"), "float": N_("a number"), "bool": N_("yes/no"),
          "null": N_("nothing")}
_EXPECTED = {str: N_("text"), int: N_("a whole number"), float: N_("a number"), bool: N_("true or false")}


def _describe(node: yaml.Node) -> str:
    """What a value is, in the user's language (``got a list``)."""
    if isinstance(node, yaml.MappingNode):
        return _("a mapping")
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    kind = node.tag.rsplit(":", 1)[-1]
    return _(_FOUND[kind]) if kind in _FOUND else kind


def _type_name(hint: Any) -> str:
    return _(_EXPECTED[hint]) if hint in _EXPECTED else getattr(hint, "__name__", str(hint))


def pattern_check(regex: str, explain: str):
    """A ``check`` for ``field(metadata=...)`` that requires a full regex match."""
    compiled = re.compile(regex)

    def check(value: str) -> str | None:
        if compiled.fullmatch(value):
            return None
        return _("'{value}' is not {explain}").format(value=value, explain=_(explain))  # explain: N_()

    check.pattern, check.explain = regex, explain  # read by the reference and the editor schema
    return check


def spec(doc: str = "", **meta: Any) -> dict[str, Any]:
    """Metadata for a schema field (kept short at the call site)."""
    return {"doc": doc, **meta}


def read_typed(path, cls: type, shown_name: str, empty_message: str):
    """Read a YAML file (campaign script or layout) into schema class ``cls``.

    Returns ``(object or None, problems, converted objects)``; the objects are every schema
    instance built, so callers can run their ``check`` hooks.
    """
    source = read_source(path, shown_name)
    problems = list(source.problems)
    if source.root is None:
        if not problems:
            problems.append(Problem(shown_name, 1, 1, "file", empty_message))
        return None, problems, []
    converter = Converter(source)
    obj = converter.convert(cls, source.root, "")
    problems += converter.problems + source.leftover_problems()
    return (None if obj is INVALID else obj), _at_most(problems, shown_name), converter.objects


def _at_most(problems: list[Problem], shown_name: str) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems in file order, and a count of the rest: a file
    of 15,000 broken lines gives a screenful, not 15,000 lines."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    problems = sorted(problems)
    last = problems[MAX_PROBLEMS - 1]
    rest = len(problems) - MAX_PROBLEMS
    summary = Problem(shown_name, last.line, last.col, "file",
                      _("and {count} more problems after this one; fix these first").format(
                          count=number(rest)))
    return [*problems[:MAX_PROBLEMS], summary]
