"""Messages in the user's language: Vietnamese when asked for, English (the source) otherwise.

The catalog is ``bzmedia/locale/vi/LC_MESSAGES/bzmedia.mo`` (compiled from ``bzmedia.po`` with
Babel: ``pybabel compile -d bzmedia/locale -D bzmedia``); it is read with the standard library's
:mod:`gettext`, once, on the first message shown, so importing this module costs nothing.

The language, first match wins: ``--lang`` (which sets ``BZMEDIA_LANG``, so build workers speak
the same language), ``BZMEDIA_LANG``, then the system's ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
``LANG`` (the order gettext uses).  A value starting with ``vi`` means Vietnamese; anything else
English.

Mark a message with ``_()`` where it is shown, ``N_()`` where it is only defined (a constant
translated later).  Placeholders are named (``_("{path} is missing").format(path=...)``), so a
translation may put them in another order; ``tests/test_i18n.py`` checks that every translation
keeps its message's placeholders and that every marked message is in the catalog.
"""

from __future__ import annotations

import gettext
import os
import sys
from pathlib import Path

DOMAIN = "bzmedia"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "vi")
"""What ``--lang`` accepts; English is the source language (the msgids)."""
_ENV_ORDER = ("BZMEDIA_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_catalogs: dict[str, gettext.NullTranslations] = {}


def language() -> str:
    """``vi`` or ``en``, from the environment (see the module docstring)."""
    for name in _ENV_ORDER:
        value = os.environ.get(name, "")
        if value:
            return "vi" if value.split(":")[0].lower().startswith("vi") else "en"
    return "en"


def set_language(lang: str) -> None:
    """Use ``lang`` from now on, in this process and in the processes it starts."""
    os.environ["BZMEDIA_LANG"] = lang


def _translations() -> gettext.NullTranslations:
    """The catalog of the current language, read once (the language is looked up each time, so
    a change of ``BZMEDIA_LANG`` takes effect at once, in tests too)."""
    lang = language()
    catalog = _catalogs.get(lang)
    if catalog is None:
        catalog = _catalogs[lang] = _read_catalog(lang)
    return catalog


def _read_catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang``; English (the msgids) when it is missing or damaged: a
    broken install must still say what went wrong, in some language, not crash saying it."""
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    except Exception:  # a truncated or garbled .mo: struct.error, OSError, UnicodeDecodeError ...
        return gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` in the chosen language (itself when there is no translation)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for ``count`` (Vietnamese has one form for every number)."""
    return _translations().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks ``message`` for the catalog without translating it (translated where it is shown)."""
    return message


def number(value: int) -> str:
    """A whole number grouped in thousands the way the language writes it: 1,000 / 1.000."""
    text = f"{value:,}"
    return text.replace(",", ".") if language() == "vi" else text


def decimal(value: float, places: int) -> str:
    """``value`` with ``places`` decimals and the language's decimal mark: 1.5 / 1,5."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if language() == "vi" else text


def translate_click() -> None:
    """Let click's own words (``Usage:``, ``Options:``, ``Error: Missing argument``) follow the
    language too: click calls the standard ``gettext.gettext``; its modules get ours instead.

    Only names that are still the standard functions are replaced, so this does not depend on
    which click modules exist in a given click version.
    """
    for name, module in list(sys.modules.items()):
        if not (name == "click" or name.startswith("click.")):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ngettext


def NP_(singular: str, plural: str) -> str:
    """Marks a message with a plural form for the catalog (extract with ``-k NP_:1,2``)."""
    return singular


CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."),
    N_("Show the version and exit."), N_("%(prog)s, version %(version)s"), N_("Error: {message}"),
    N_("Try '{command} {option}' for help."), N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Missing argument"), N_("Missing option"),
    N_("Missing parameter"), N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("No such option: {name}"), N_("No such command {name!r}."), N_("Missing command."),
    N_("Option {name!r} does not take a value."), N_("Aborted!"), N_("default: {default}"),
    N_("required"), N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    NP_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    NP_("Did you mean {possibility}?", "(Possible options: {possibilities})"),
    NP_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    NP_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
)
"""Click's own messages that bzmedia's users meet (from click 8.1), so the catalog holds them."""
