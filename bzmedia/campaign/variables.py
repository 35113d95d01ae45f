"""Per-locality variables: ``{locality.name}``, ``{hotline}`` and friends, filled into every text.

A script states its message once; each locality gets a copy with its own names and numbers.
Placeholders are ``{name}`` or ``{dotted.name}``; ``{{`` and ``}}`` stand for literal braces.
Anything else in braces is left alone, so a stray ``{`` in prose is not an error; layout texts,
whose parts without a value are left out, are held to :func:`placeholder_problems` instead.

A locality's name, parent and hotline are one line (``one_line`` fields; a spreadsheet's cells
refuse line breaks); other values may hold line breaks (a contact block in a leaflet's box), and
the writers of texts that are one line by nature (a spot's title in its tags, playlists and the
schedule) fold them to one line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection
from typing import Any

from bzmedia.campaign.schema import Located, clip, did_you_mean
from bzmedia.i18n import _

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][\w]*(?:\.[\w]+)*)\}")
BRACES = re.compile(r"\{\{|\}\}|\{[^{}]*\}|[{}]")
"""Every brace of a text, paired as :data:`PLACEHOLDER` pairs them: an escape (``{{``), a group
in braces (a placeholder or not), or a brace with no partner."""
MAX_VARIABLE_CHARS = 2_000
"""The longest value a variable may hold (a name, a number, a sentence or two)."""
MAX_FILLED_CHARS = 20_000
"""The longest a text may become once filled for a locality (as long as any text may be)."""
MAX_FILLED_LOCALITY = 200_000
"""All texts of one locality, filled; the example needs about 4,000."""
MAX_FILLED_TOTAL = 20_000_000
"""All texts of every locality, filled: a thousand communes of fifty times the example.  Without
these bounds a 1 MB variable used 3,000 times made ``validate`` take 2.9 GB."""

NOT_TEMPLATED = {"id", "kind", "layout", "logo", "model", "intro", "music_bed", "size", "sizes",
                 "times", "spot", "engine", "dialect", "format", "start", "end", "date", "url",
                 "parent", "office", "base_dir", "source", "localities", "variables",
                 "pronunciations"}
"""Fields that are names, paths or codes, never text with variables in it."""


def locality_variables(campaign, locality) -> dict[str, str]:
    """Every variable a text may use for ``locality``; locality values win over campaign ones."""
    parent_name = ""
    if locality.parent:
        parent = next((loc for loc in campaign.localities if loc.id == locality.parent), None)
        parent_name = parent.name if parent else ""
    values = {
        "campaign.id": campaign.campaign.id,
        "campaign.title": campaign.campaign.title,
        "campaign.issuer": campaign.campaign.issuer,
        "campaign.url": campaign.campaign.url,
        "locality.id": locality.id,
        "locality.name": locality.name,
        "locality.parent": parent_name,
        "url": campaign.campaign.url,
        "issuer": campaign.campaign.issuer,
    }
    values.update(campaign.variables)
    if locality.hotline is not None:
        values["hotline"] = locality.hotline
    values.update(locality.vars)
    return values


def fill(text: str, values: dict[str, str], missing: Callable[[str], None] | None = None) -> str:
    """``text`` with placeholders replaced; unknown names are passed to ``missing`` and kept."""

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name in values:
            return values[name]
        if missing:
            missing(name)
        return token

    return PLACEHOLDER.sub(replace, text)


def placeholder_problems(text: str, known: Collection[str]) -> list[str]:
    """Why ``text`` would not print as its writer meant, once per reason: a name ``known`` lacks
    (a typo), braces around anything but a name (``{0}``, ``{hotline[0]}``, ``{issuer!r}``), a
    brace with no partner (``{ issuer``).  ``{{`` and ``}}`` are braces, as :func:`fill` prints
    them."""
    problems: dict[str, None] = {}
    for match in BRACES.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if len(token) == 1:
            problems[_("unmatched '{brace}': write {twice} for a brace in the text").format(
                brace=token, twice=token * 2)] = None
        elif (placeholder := PLACEHOLDER.fullmatch(token)) is None:
            problems[_("'{text}' is not a variable: put only a variable's name in braces, e.g. "
                       "{example}; write {{{{ or }}}} for a brace in the text").format(
                text=clip(token), example="{locality.name}")] = None
        elif placeholder.group(1) not in known:
            problems[undefined_variable(placeholder.group(1), known)] = None
    return list(problems)


def undefined_variable(name: str, known: Collection[str]) -> str:
    """The message for a variable no locality has, with the closest one that exists."""
    return _("variable {{{name}}} is not defined{hint}").format(name=clip(name),
                                                                  hint=did_you_mean(name, known))


def templated_texts(campaign) -> list[tuple[Located, str, str]]:
    """Every text variables are filled into: ``(owner object, field name, text)``.

    The same walk as :func:`for_locality`, without copying anything.
    """
    found: list[tuple[Located, str, str]] = []

    def walk(obj: Any, owner=None, field_name=None) -> None:
        if isinstance(obj, str):
            found.append((owner, field_name, obj))
        elif isinstance(obj, list | tuple):
            for value in obj:
                walk(value, owner, field_name)
        elif isinstance(obj, dict):
            for value in obj.values():
                walk(value, owner, field_name)
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            for f in dataclasses.fields(obj):
                if f.name not in NOT_TEMPLATED and f.init:
                    walk(getattr(obj, f.name), obj, f.name)

    walk(campaign)
    return found


def template_parts(text: str) -> tuple[int, list[str]]:
    """``(characters outside placeholders, placeholder names in order)`` of ``text``, so its
    filled length for any values is known without filling it."""
    fixed, names, last = 0, [], 0
    for match in PLACEHOLDER.finditer(text):
        fixed += match.start() - last + (1 if match.group(1) is None else 0)
        if match.group(1) is not None:
            names.append(match.group(1))
        last = match.end()
    return fixed + len(text) - last, names


def filled_length(fixed: int, names: list[str], values: dict[str, str]) -> int:
    """The length of a text of :func:`template_parts` ``(fixed, names)`` filled with ``values``
    (a name without a value stays as written, braces and all)."""
    return fixed + sum(len(values[name]) if name in values else len(name) + 2 for name in names)


def for_locality(campaign, locality, on_missing: Callable[[Located, str, str], None] | None = None):
    """A copy of ``campaign`` with every text filled for ``locality``.

    ``on_missing(obj, field, name)`` is told of each placeholder the locality cannot fill.
    """
    values = locality_variables(campaign, locality)
    return _fill_tree(campaign, values, on_missing)


def _fill_tree(obj: Any, values: dict[str, str], on_missing, owner=None, field_name=None) -> Any:
    """``obj`` with its texts filled; a part with nothing to fill is ``obj`` itself, not a copy
    (planning fingerprints the parts every commune shares once, by identity: cache.fingerprint_memo)."""
    if isinstance(obj, str):
        report = (lambda name: on_missing(owner, field_name, name)) if on_missing else None
        text = fill(obj, values, report)
        return obj if text == obj else text
    if isinstance(obj, list):
        filled = [_fill_tree(v, values, on_missing, owner, field_name) for v in obj]
        return obj if all(a is b for a, b in zip(filled, obj, strict=True)) else filled
    if isinstance(obj, dict):
        filled = {k: _fill_tree(v, values, on_missing, owner, field_name) for k, v in obj.items()}
        return obj if all(filled[k] is v for k, v in obj.items()) else filled
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in dataclasses.fields(obj):
            if f.name in NOT_TEMPLATED or not f.init:
                continue
            value = getattr(obj, f.name)
            filled = _fill_tree(value, values, on_missing, obj, f.name)
            if filled is not value:
                changes[f.name] = filled
        if not changes:
            return obj
        copy = dataclasses.replace(obj, **changes)
        for attr in ("_marks", "_path"):
            if hasattr(obj, attr):
                object.__setattr__(copy, attr, getattr(obj, attr))
        for f in dataclasses.fields(obj):
            if not f.init:
                object.__setattr__(copy, f.name, getattr(obj, f.name))
        return copy
    return obj


def check_not_blank_when_filled(ctx, owner: Located, field_name: str, what: str, text: str) -> None:
    """Report ``text`` (a field that must say something) at its key when some locality's
    variables fill it to nothing, naming the localities and the variables empty there: a text of
    only ``{empty}`` would be a blank SMS, an ``<h1></h1>`` or a silent spot in that commune's kit.

    ``ctx`` is the :class:`~bzmedia.campaign.checking.CheckContext`; a text blank as typed is its
    field's own check's to report, a text with words of its own cannot become blank."""
    literal = PLACEHOLDER.sub(lambda m: m.group(0)[0] if m.group(1) is None else "", text)
    if literal.split() or not text.split():
        return
    names = dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(text))  # in order, each once
    localities, emptied = [], {}
    for locality_id, values in ctx.locality_values():  # blank when every value is: nothing filled
        if all(name in values and not values[name].split() for name in names):
            localities.append(locality_id)
            emptied.update(names)
    if localities:
        ctx.error(owner, field_name, _(
            "{what} is empty once filled for locality {localities}: {variables} holds nothing there; "
            "give the variable a value there or write words beside it").format(
            what=what, localities=some_localities(localities),
            variables=", ".join(f"{{{name}}}" for name in emptied)))


def some_localities(names: list[str], most: int = 10) -> str:
    """``a, b, c`` or ``a, b ... (120 in all)``: localities named in one message."""
    shown = ", ".join(names[:most])
    return shown if len(names) <= most else _("{shown} ... ({count} in all)").format(shown=shown,
                                                                                      count=len(names))
