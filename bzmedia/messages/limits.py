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
from bzmedia.campaign.variables import some_localities as _some
from bzmedia.i18n import _, ngettext, number
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
    url = spec.url or campaign.campaign.url  # never filled: patterns.URL refuses braces
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
    blank_plain: list[str] = []
    dropped: dict[str, str] = {}
    for locality in ctx.campaign.kit_localities():
        texts = filled(ctx.campaign, spec, locality)
        if texts.sms:
            plain, accented = texts.sms
            if not plain.text.split() and accented.text.split():  # a blank text is reported as such
                blank_plain.append(locality.id)
            elif plain.dropped:  # left out of an SMS that still says something
                dropped[locality.id] = plain.dropped
            if plain.parts > spec.sms.max_parts:
                over["khong-dau"].append((locality.id, plain))
            if accented.parts > spec.sms.unicode_max_parts:
                over["co-dau"].append((locality.id, accented))
        if texts.zalo is not None and len(texts.zalo) > ZALO_MAX_CHARS:
            long_zalo.append((locality.id, len(texts.zalo)))
    limits = {"khong-dau": (_("the SMS without diacritics"), spec.sms.max_parts if spec.sms else 0,
                            "max_parts"),
              "co-dau": (_("the SMS with diacritics"), spec.sms.unicode_max_parts if spec.sms else 0,
                         "unicode_max_parts")}
    for form_name, found in over.items():
        if found:
            label, most, key = limits[form_name]
            ctx.error(spec.sms, "text", _sms_message(label, most, key, found))
    if blank_plain:
        ctx.error(spec.sms, "text", _(
            "the SMS without diacritics is empty for locality {localities}: none of the text's "
            "characters can be sent without diacritics (emoji and symbols are left out); write the "
            "message in words").format(localities=_some(blank_plain)))
    if dropped:
        ctx.warning(spec.sms, "text", _dropped_message(dropped))
    if long_zalo:
        worst = max(n for _, n in long_zalo)
        ctx.error(spec.zalo, "text", _(
            "the Zalo message is {count} characters (with the address) for locality {localities}; Zalo "
            "takes at most {most}: shorten it by {short}").format(
            count=number(worst), localities=_some([loc for loc, _n in long_zalo]),
            most=number(ZALO_MAX_CHARS), short=number(worst - ZALO_MAX_CHARS)))


def _furthest_over(most: int, found: list[tuple[str, SmsForm]]) -> SmsForm:
    """The form furthest over ``most`` parts: the most parts, then the most to cut.  Localities'
    forms may differ in encoding (a name with "ơ" makes UCS-2, 67 units a part, where another stays
    GSM-7, 153 septets a part), so their units are no measure of which is worse."""
    return max((form for _, form in found), key=lambda f: (f.parts, f.units - capacity(f, most)))


def _sms_message(label: str, most: int, key: str, found: list[tuple[str, SmsForm]]) -> str:
    worst = _furthest_over(most, found)
    unit = _("septets") if worst.encoding == "GSM-7" else _("characters")
    room = capacity(worst, most)
    forcing = (_("; UCS-2 because of {letters}").format(letters=repr("".join(worst.forcing[:12])))
               if worst.encoding == "UCS-2" else "")
    return ngettext("{label} takes {parts} parts ({units} {unit}{forcing}) for locality {localities}; "
                    "the limit is {most} part ({room} {unit}): shorten it by {short} {unit} or raise "
                    "sms.{key}",
                    "{label} takes {parts} parts ({units} {unit}{forcing}) for locality {localities}; "
                    "the limit is {most} parts ({room} {unit}): shorten it by {short} {unit} or raise "
                    "sms.{key}", most).format(
        label=label, parts=worst.parts, units=worst.units, unit=unit, forcing=forcing,
        localities=_some([loc for loc, _f in found]), most=most, room=room, short=worst.units - room, key=key)


def _dropped_message(dropped: dict[str, str]) -> str:
    """Emoji, letters of other scripts, signs with no GSM-7 stand-in: the unaccented SMS goes out
    without them, which only the office can judge harmless (an emoji) or not (a name)."""
    chars = "".join(dict.fromkeys("".join(dropped.values())))
    return _("the SMS without diacritics leaves out {chars} for locality {localities}: GSM-7 has no "
             "letter or sign for them; write them in words if the message needs them").format(
        chars=repr(chars[:12]), localities=_some(list(dropped)))
