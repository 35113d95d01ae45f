"""Per-locality variables: ``{locality.name}``, ``{hotline}`` and friends, filled into every text.

A script states its message once; each locality gets a copy with its own names and numbers.
Placeholders are ``{name}`` or ``{dotted.name}``; ``{{`` and ``}}`` stand for literal braces.
Anything else in braces is left alone, so a stray ``{`` in prose is not an error.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from bzmedia.campaign.schema import Located

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][\w]*(?:\.[\w]+)*)\}")

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


def for_locality(campaign, locality, on_missing: Callable[[Located, str, str], None] | None = None):
    """A copy of ``campaign`` with every text filled for ``locality``.

    ``on_missing(obj, field, name)`` is told of each placeholder the locality cannot fill.
    """
    values = locality_variables(campaign, locality)
    return _fill_tree(campaign, values, on_missing)


def _fill_tree(obj: Any, values: dict[str, str], on_missing, owner=None, field_name=None) -> Any:
    if isinstance(obj, str):
        report = (lambda name: on_missing(owner, field_name, name)) if on_missing else None
        return fill(obj, values, report)
    if isinstance(obj, list):
        return [_fill_tree(v, values, on_missing, owner, field_name) for v in obj]
    if isinstance(obj, dict):
        return {k: _fill_tree(v, values, on_missing, owner, field_name) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in dataclasses.fields(obj):
            if f.name in NOT_TEMPLATED or not f.init:
                continue
            changes[f.name] = _fill_tree(getattr(obj, f.name), values, on_missing, obj, f.name)
        copy = dataclasses.replace(obj, **changes)
        for attr in ("_marks", "_path"):
            if hasattr(obj, attr):
                object.__setattr__(copy, attr, getattr(obj, attr))
        for f in dataclasses.fields(obj):
            if not f.init:
                object.__setattr__(copy, f.name, getattr(obj, f.name))
        return copy
    return obj
