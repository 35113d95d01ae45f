"""A JSON Schema (draft 2020-12) of the campaign script, for editors.

VS Code's YAML extension (and any editor speaking the yaml-language-server protocol) reads the
``# yaml-language-server: $schema=...`` line at the top of a script and then completes keys,
shows each key's docstring and underlines mistakes as one types.  The schema is generated from
the same dataclasses the loader converts into (:mod:`.introspect`), so the two cannot drift.

It says what can be said without running Python: types, allowed values, number ranges, text
lengths, list lengths, id/date/colour patterns, required keys, no unknown keys.  Rules across
fields (a campaign that ends before it starts, a slide kind missing its title, a layout box too
small for the text) stay with ``bzmedia validate``.

Where the two knowingly differ: the loader reads any scalar where text is expected (``year:
2020`` is the text ``2020``), so text fields accept numbers and true/false here too; it also
accepts ``yes``/``no`` for true/false and ``rotate-portrait`` for ``rotate_portrait`` (YAML
1.1 habits), which the schema, written for YAML 1.2 editors, does not offer.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, get_args, get_origin

from bzmedia.campaign.introspect import (
    KEY_LIMIT,
    FieldInfo,
    class_doc,
    classes_under,
    fields_of,
    items_limit,
    literal_choices,
    text_limit,
    unwrap_optional,
)
from bzmedia.campaign.schema import ONE_LINE_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCRIPT_KEY = "campaign.schema.json"
TEXT_TYPES = ["string", "number", "boolean"]
"""What the loader reads as text: the raw characters of any scalar (see the module docstring)."""


def campaign_schema() -> dict:
    """The JSON Schema of a campaign script, as a dict ready for :func:`json.dumps`."""
    from bzmedia.campaign.model import Campaign

    return document_schema(Campaign, "bzmedia campaign script",
                           "One campaign script: one message, every channel (bzmedia build).")


def document_schema(root: type, title: str, description: str) -> dict:
    """A whole file whose top level is schema class ``root``; every class under it in ``$defs``."""
    defs = {cls.__name__: _object(cls) for cls in classes_under(root)}
    top = defs.pop(root.__name__)
    return {"$schema": DIALECT, "$id": SCRIPT_KEY, "title": title, "description": description,
            "type": "object", **{k: v for k, v in top.items() if k != "description"}, "$defs": defs}


def schema_text() -> str:
    """The campaign schema as the committed file holds it (stable order, final newline)."""
    return json.dumps(campaign_schema(), ensure_ascii=False, indent=2) + "\n"


def _object(cls: type) -> dict:
    """A section's definition.  Its ``"type": "object"`` is said where it is used (with
    ``"null"`` where it may be left empty), so a mistake inside an optional section is reported
    at the key itself, not as "``audio`` is not valid under any of the given schemas"."""
    properties = {info.key: _field(info) for info in fields_of(cls)}
    schema: dict[str, Any] = {"description": class_doc(cls), "properties": properties,
                              "additionalProperties": False}
    required = [info.key for info in fields_of(cls) if info.required]
    if required:
        schema["required"] = required
    shorthand = getattr(cls, "_shorthand", None)
    if shorthand:  # `fallback: espeak` means `fallback: {engine: espeak}`
        plain = {k: v for k, v in properties[shorthand].items() if k not in ("description", "default")}
        return {"description": schema.pop("description"), "anyOf": [plain, {"type": "object", **schema}]}
    return schema


def _field(info: FieldInfo) -> dict:
    hint, optional = unwrap_optional(info.hint)
    schema = _value(hint, info, entry=False)
    if info.doc:
        schema = {"description": info.doc, **schema}
    default = _json_default(info.default)
    if default is not None:
        schema["default"] = default
    # A key left empty (`date:`) means its default, so every key with a default accepts null.
    return _nullable(schema) if optional or not info.required else schema


def _value(hint: Any, info: FieldInfo, entry: bool) -> dict:
    """The schema of a value of type ``hint``; ``entry`` for a list's or mapping's entries."""
    choices = literal_choices(hint)
    if choices is not None:
        return {"enum": list(choices)}
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):  # list-or-mapping (`localities:`)
        return {"anyOf": [_value(arm, info, entry) for arm in get_args(hint)]}
    if origin is list:
        schema = {"type": "array", "items": _value(get_args(hint)[0], info, entry=True),
                  "maxItems": items_limit(info)}
        if "min_items" in info.meta:
            schema["minItems"] = info.meta["min_items"]
        if info.meta.get("one_or_list") and not entry:  # one entry alone stands for a list of one
            return {"anyOf": [schema["items"], schema]}
        return schema
    if origin is dict:
        schema = {"type": "object", "additionalProperties": _value(get_args(hint)[1], info, True),
                  "propertyNames": {"maxLength": KEY_LIMIT}, "maxProperties": items_limit(info)}
        if "min_items" in info.meta:
            schema["minProperties"] = info.meta["min_items"]
        return schema
    if dataclasses.is_dataclass(hint):
        if getattr(hint, "_shorthand", None):  # text or mapping: its definition says which
            return {"$ref": f"#/$defs/{hint.__name__}"}
        return {"$ref": f"#/$defs/{hint.__name__}", "type": "object"}
    return _scalar(hint, info, entry)


def _scalar(hint: Any, info: FieldInfo, entry: bool) -> dict:
    meta = info.meta
    if "choices" in meta and not entry:
        return {"enum": list(meta["choices"])}
    if hint is bool:
        return {"type": "boolean"}
    if hint in (int, float):
        schema: dict[str, Any] = {"type": "integer" if hint is int else "number"}
        if not entry and "min" in meta:
            schema["minimum"] = meta["min"]
        if not entry and "max" in meta:
            schema["maximum"] = meta["max"]
        return schema
    schema = {"type": list(TEXT_TYPES), "maxLength": text_limit(info)}
    pattern = getattr(meta.get("check"), "pattern", None)
    if pattern and not entry:
        schema["pattern"] = f"^(?:{pattern})$"  # the loader matches the whole text
    elif meta.get("one_line"):
        schema["pattern"] = ONE_LINE_PATTERN
    return schema


def _nullable(schema: dict) -> dict:
    kinds = schema.get("type")
    if isinstance(kinds, str):
        return {**schema, "type": [kinds, "null"]}
    if isinstance(kinds, list):
        return {**schema, "type": [*kinds, "null"]}
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    keep = {k: v for k, v in schema.items() if k in ("description", "default")}
    inner = {k: v for k, v in schema.items() if k not in keep}
    if set(inner) == {"anyOf"}:  # a list-or-mapping: null is one more choice, not a nested one
        return {**keep, "anyOf": [*inner["anyOf"], {"type": "null"}]}
    return {**keep, "anyOf": [inner, {"type": "null"}]}


def _json_default(value: Any) -> Any:
    """A default as JSON, or ``None`` when it has none worth showing (required, a nested
    section's own defaults, an empty list or mapping)."""
    if value is dataclasses.MISSING or dataclasses.is_dataclass(value) or value in ([], {}, ""):
        return None
    if isinstance(value, (str, int, float, bool, list)):
        return value
    return None
