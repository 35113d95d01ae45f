"""The texts of ``messages:`` filled for a locality, and their limits (pure: ``validate`` runs it).

A text over its limit is one problem at its line naming the localities and by how much it is over,
not one problem per locality: an SMS with ``{locality.name}`` may pass in "xã Tứ Xã" and fail in
"thị trấn Hùng Sơn".
"""

from __future__ import annotations

from dataclasses import dataclass

from bzmedia.campaign.checking import CheckContext
from bzmedia.campaign.messages_spec import ZALO_MAX_CHARS, MessagesSpec
from bzmedia.campaign.variables import fill, locality_variables
from bzmedia.messages.sms import GSM_PART, GSM_SINGLE, UCS2_PART, UCS2_SINGLE, SmsForm, both_forms


@dataclass(frozen=True)
class FilledMessages:
    """The message texts of one locality, ready to write."""

    url: str
    sms: tuple[SmsForm, SmsForm] | None
    zalo: str | None


def zalo_text(text: str, url: str) -> str:
    """The Zalo text with the campaign address (added on a line of its own when missing)."""
    text = text.strip()
    return text if url in text else f"{text}\n{url}"


def filled(campaign, spec: MessagesSpec, locality) -> FilledMessages:
    """SMS forms and Zalo text of ``spec`` (unfilled) for ``locality``."""
    values = locality_variables(campaign, locality)
    url = fill(spec.url, values) if spec.url else campaign.campaign.url
    sms = both_forms(fill(spec.sms.text, values)) if spec.sms else None
    zalo = zalo_text(fill(spec.zalo.text, values), url) if spec.zalo else None
    return FilledMessages(url, sms, zalo)


def capacity(form: SmsForm, parts: int) -> int:
    """Units (septets or UTF-16 units) that ``parts`` parts of ``form``'s encoding hold."""
    single, per_part = (GSM_SINGLE, GSM_PART) if form.encoding == "GSM-7" else (UCS2_SINGLE, UCS2_PART)
    return single if parts == 1 else per_part * parts


def check_limits(ctx: CheckContext, spec: MessagesSpec) -> None:
    """Report SMS forms over their part limits and Zalo texts over Zalo's length, located."""
    over: dict[str, list[tuple[str, SmsForm]]] = {"khong-dau": [], "co-dau": []}
    long_zalo: list[tuple[str, int]] = []
    for locality in ctx.campaign.kit_localities():
        texts = filled(ctx.campaign, spec, locality)
        if texts.sms:
            plain, accented = texts.sms
            if plain.parts > spec.sms.max_parts:
                over["khong-dau"].append((locality.id, plain))
            if accented.parts > spec.sms.unicode_max_parts:
                over["co-dau"].append((locality.id, accented))
        if texts.zalo is not None and len(texts.zalo) > ZALO_MAX_CHARS:
            long_zalo.append((locality.id, len(texts.zalo)))
    limits = {"khong-dau": ("the SMS without diacritics", spec.sms.max_parts if spec.sms else 0,
                            "max_parts"),
              "co-dau": ("the SMS with diacritics", spec.sms.unicode_max_parts if spec.sms else 0,
                         "unicode_max_parts")}
    for form_name, found in over.items():
        if found:
            label, most, key = limits[form_name]
            ctx.error(spec.sms, "text", _sms_message(label, most, key, found))
    if long_zalo:
        worst = max(n for _, n in long_zalo)
        ctx.error(spec.zalo, "text", f"the Zalo message is {worst:,} characters (with the address) "
                                     f"for locality {_some([loc for loc, _ in long_zalo])}; Zalo takes "
                                     f"at most {ZALO_MAX_CHARS:,}: shorten it by {worst - ZALO_MAX_CHARS:,}")


def _sms_message(label: str, most: int, key: str, found: list[tuple[str, SmsForm]]) -> str:
    worst = max((form for _, form in found), key=lambda f: f.units)
    unit = "septets" if worst.encoding == "GSM-7" else "characters"
    room = capacity(worst, most)
    forcing = (f"; UCS-2 because of {''.join(worst.forcing[:12])!r}" if worst.encoding == "UCS-2"
               else "")
    return (f"{label} takes {worst.parts} parts ({worst.units} {unit}{forcing}) for locality "
            f"{_some([loc for loc, _ in found])}; the limit is {most} part{'s' if most > 1 else ''} "
            f"({room} {unit}): shorten it by {worst.units - room} {unit} or raise sms.{key}")


def _some(names: list[str], most: int = 10) -> str:
    shown = ", ".join(names[:most])
    return shown if len(names) <= most else f"{shown} ... ({len(names)} in all)"
