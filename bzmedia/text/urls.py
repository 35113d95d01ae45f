"""Web addresses and e-mail addresses, read as Vietnamese announcers read them.

``https://www.bluezone.gov.vn`` -> "bluezone chấm gờ o vê chấm vê en": no "https", no "www", no
slashes; "." is *chấm*, "@" is *a còng*, "-" inside a name is a short gap.  The common domain
words have a fixed reading (gov *gờ o vê*, vn *vê en*, com *com*); a name that cannot be said as
a word (``ubnd``, ``sotttt``) is spelled with Vietnamese letter names.
"""

from __future__ import annotations

import re

from bzmedia.text import abbreviations, numbers
from bzmedia.text.reading import Reading

DOMAIN_WORDS = {
    "gov": "gờ o vê", "vn": "vê en", "com": "com", "net": "nét", "org": "o rờ gờ",
    "edu": "e đu", "info": "in phô", "io": "i o", "int": "int", "biz": "bít",
    "mobi": "mô bi", "online": "online", "app": "áp", "html": "hát tê em-mờ e-lờ",
    "htm": "hát tê em-mờ", "php": "pê hát pê", "pdf": "pê đê ép", "asp": "a ét pê",
    "aspx": "a ét pê ích", "gmail": "gờ meo", "yahoo": "da hu", "outlook": "áo lúc",
    "facebook": "phây búc", "youtube": "diu túp", "zalo": "da lô", "google": "gu gồ",
}
_TLDS = r"vn|com|net|org|gov|edu|info|io|biz|mobi|int|app|online"


def _url_pattern(host_letter: str, not_after: str) -> re.Pattern[str]:
    """Addresses with a scheme or ``www.``, and bare host names ending in a common domain."""
    return re.compile(
        rf"(?:<)?(?:(?:https?|ftp)://|www\.)[^\s<>\"“”]+|(?<![{not_after}])(?:{host_letter}+\.)+(?:{_TLDS})\b"
        r"(?:/[^\s<>\"“”]*)?", re.IGNORECASE)


_URL = _url_pattern("[A-Za-z0-9-]", r"\w@./")
_ANY_URL = _url_pattern(r"[\w-]", r"\w@./-")
"""Also bare host names in any script (``bộ-y-tế.vn``): texts that keep an address as written need
all of it; speech reads only ASCII bare names as addresses.  Never from the middle of a name
(``y-tế.vn`` of ``hotro@bộ-y-tế.vn``, which speech reads as an e-mail address first)."""
_EMAIL = re.compile(r"(?<![\w.])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}")
_TRAILING = ".,;:!?)]}>'\"”’"
_NON_LATIN_LETTER = r"(?![A-Za-z\u00c0-\u024f\u1e00-\u1eff])[^\W\d_]"
"""A letter of a script whose top-level domains exist (".рф"); no top-level domain is Latin with
diacritics, so "Bà" after "gov.vn." is the next sentence, not the end of the host."""
_ANY_EMAIL = re.compile(rf"(?<![\w.])[\w.%+-]+@(?:[\w-]+\.)+(?:[A-Za-z]{{2,}}|(?:{_NON_LATIN_LETTER}){{2,}})"
                        r"(?![^\W_])")
_AUTHORITY = re.compile(rf"(?:[^\s/?#@]*@)?(?:[\w-]+\.)*(?:[A-Za-z0-9-]+|(?:{_NON_LATIN_LETTER})+)(?![\w-])"
                        r"(?::\d+)?")
"""User, host and port of an address, the host ending at its last label that can be a top-level
domain: "bluezone.gov.vn" of "bluezone.gov.vn,bà con" and of "bluezone.gov.vn.Bà con"."""
_ANY_SCHEME = re.compile(r"(?:https?|ftp)://", re.IGNORECASE)
_GLUED_WORD = re.compile(r"[(\[,;'‘’«»‹›„‚](?=[A-Za-z0-9]*[^\x00-\x7f\W_])")
"""A "(", "," or quote opening a word with a non-ASCII letter ("abc(miễn phí)"): the sentence's
words glued to a path, not a path segment (those begin after "/", "?", "&" or "=")."""
_SENTENCE_TAIL = _TRAILING + "…»›"
_SCHEME = re.compile(r"^https?://")


def display_url(url: str) -> str:
    """An address as people type it on a phone: no scheme, no ``www.``, no trailing slash.

    The one short form shown to readers: ``{url.short}`` on print, the call-to-action slide,
    the messages' images and portal page.  (Sites that answer only with ``www.`` are rare;
    a QR code or link always carries the full address.)
    """
    return _SCHEME.sub("", url).removeprefix("www.").rstrip("/")


def _label_words(label: str, reading: Reading) -> str:
    """One name between dots: a known domain word, the campaign's own word, a word, or letters."""
    if label in reading.pronunciations:
        return str(reading.pronunciations[label])
    lower = label.lower()
    # Host names ignore case, so "bluezone" in an address takes the campaign's "Bluezone".
    folded = {str(key).lower(): str(value) for key, value in reading.pronunciations.items()}
    if lower in folded:
        return folded[lower].lower()
    if lower in DOMAIN_WORDS:
        return DOMAIN_WORDS[lower]
    spoken = []
    for run in re.findall(r"[0-9]+|[^\W\d_]+", label):
        if numbers.is_ascii_number(run):
            spoken.append(numbers.number_words(run, reading.dialect))
        elif abbreviations.sayable_as_word(run):
            spoken.append(lower if run == label else run.lower())
        else:
            spoken.append(abbreviations.spell(run))
    return " ".join(spoken)


def _name_words(name: str, reading: Reading) -> str:
    """A host or path segment: labels joined by *chấm*, dashes and underscores as gaps."""
    labels = [label for label in name.split(".") if label]
    said = [" ".join(_label_words(part, reading) for part in re.split(r"[-_~+]+", label) if part)
            for label in labels]
    return " chấm ".join(part for part in said if part)


def url_words(url: str, reading: Reading) -> str:
    """Host and path of ``url``, without scheme, "www", slashes, query or fragment."""
    url = re.sub(r"^(?:[a-z]+://)?(?:www\d?\.)?", "", url, flags=re.IGNORECASE)
    url = re.split(r"[?#]", url, maxsplit=1)[0]
    host, _, path = url.partition("/")
    host = host.split("@")[-1].split(":")[0]
    parts = [_name_words(host, reading)]
    parts += [_name_words(segment, reading) for segment in path.split("/") if segment]
    return " ".join(part for part in parts if part)


def email_words(address: str, reading: Reading) -> str:
    local, _, domain = address.partition("@")
    return f"{_name_words(local, reading)} a còng {_name_words(domain, reading)}"


def _trim(match: re.Match[str]) -> tuple[str, str]:
    """The address without trailing punctuation (which belongs to the sentence) and a "<"."""
    raw = match.group(0).lstrip("<")
    core = raw.rstrip(_TRAILING)
    return core, raw[len(core):]


def _address_part(raw: str) -> str:
    """The address that ``raw`` (what the URL pattern took) begins with: ASCII URL characters, and
    non-ASCII letters only in the host and in path segments that began inside the address.  The
    host ends at its top-level domain; a path before a "(", "," or quote that opens a Vietnamese
    word; then the sentence's punctuation ("…", "!") is left out."""
    scheme = _ANY_SCHEME.match(raw)
    authority = _AUTHORITY.match(raw, scheme.end() if scheme else 0)
    if authority is None:  # no host name (an IPv6 literal): as the pattern took it
        end = len(raw)
    elif raw.startswith(("/", "?", "#"), authority.end()):
        glued = _GLUED_WORD.search(raw, authority.end())
        end = glued.start() if glued else len(raw)
    else:
        end = authority.end()
    return raw[:end].rstrip(_SENTENCE_TAIL)


def address_spans(text: str) -> list[tuple[int, int]]:
    """Where the web and e-mail addresses of ``text`` stand (start, end), in order, without a
    leading "<" or the sentence's punctuation after them; hosts may be in any script."""
    found = [match.span() for match in _ANY_EMAIL.finditer(text)]
    for match in _ANY_URL.finditer(text):
        raw = match.group(0).lstrip("<")
        start = match.end() - len(raw)
        found.append((start, start + len(_address_part(raw))))
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda span: (span[0], -span[1])):
        if not spans or start >= spans[-1][1]:  # the host of an e-mail, an e-mail in a link's path
            spans.append((start, end))
    return spans


def spoken_address_spans(text: str) -> list[tuple[int, int]]:
    """Where the addresses the speech reads as addresses stand (ASCII hosts: the campaign's words
    keep out of them, and :func:`read_urls_and_emails` says each label with those words)."""
    return [match.span() for pattern in (_EMAIL, _URL) for match in pattern.finditer(text)]


def read_urls_and_emails(text: str, reading: Reading) -> str:
    frozen = reading.frozen

    def email(match: re.Match[str]) -> str:
        core, tail = _trim(match)
        return frozen.freeze(email_words(core, reading), "url") + tail

    def url(match: re.Match[str]) -> str:
        core, tail = _trim(match)
        tail = tail.replace(">", "")
        return frozen.freeze(url_words(core, reading), "url") + tail

    text = _EMAIL.sub(email, text)
    return _URL.sub(url, text)
