"""Read a YAML file into a node tree that keeps the line and column of every value.

We compose (parse without constructing) with PyYAML's *safe* loader, so no tag can run code, and
the schema in :mod:`bzmedia.campaign.schema` converts nodes to typed values itself.  Composing
keeps aliases as shared nodes instead of expanding them, which lets us measure how large the
document *would* become and refuse an alias bomb ("billion laughs") before anything is expanded.

Nothing a file holds may end in a traceback, so this module also stands between PyYAML and
hostile input: the file is read only when it is a regular file, with a size cap (``/dev/zero`` and
FIFOs are never opened); control characters are found and located before the parser sees them
(PyYAML would stop at the first with a ``ReaderError``); explicit tags are remembered (the schema
needs none, so each is refused where it stands); nesting is limited while composing (PyYAML's
composer recurses, so 500 levels were a ``RecursionError``).
"""

from __future__ import annotations

import bisect
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bzmedia.errors import Problem
from bzmedia.i18n import N_, _, number

MAX_FILE_BYTES = 2_000_000
"""A campaign script is a few kilobytes; anything this large is a mistake or an attack."""
MAX_EXPANDED_NODES = 50_000
"""Nodes the document may hold once aliases are expanded; the example has about 300, a
thousand communes with their own variables about 20,000.  (Composing costs about 20 µs a node
in Python, so this bound also keeps the worst file under a few seconds.)"""
MAX_DEPTH = 50
"""Levels of nesting a document may have (aliases included); the deepest layout needs about 8."""
MAX_CONTROL_REPORTS = 20
"""Control characters reported one by one; a binary file would otherwise flood the screen."""

INVISIBLE = ("\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
             "\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f")
"""Invisible formatting characters (a regular-expression class body): zero-width spaces, the
soft hyphen, bidi marks and overrides, word joiners, a BOM inside the text, tag characters.  Text
copied from a web page, Word or a chat brings them unseen; Be Vietnam Pro has no glyph for most,
so a slide draws a gap and print refuses a character the user cannot see, and a bidi override
shows the text reversed on the kit page, in the Zalo text and the web article.  The zero-width
joiner is left: it joins emoji (a Zalo text may hold them) and is harmless elsewhere."""
CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff{INVISIBLE}]")
"""Characters no script may hold: C0 controls except tab, LF and CR, DEL, C1 controls, the
non-characters U+FFFE/U+FFFF, lone surrogates, and the :data:`INVISIBLE` formatting characters.
They are invisible in most editors and break the parser, the cache (surrogates cannot be
encoded), every file format downstream, or the text a reader sees."""
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_MASKED = re.compile(CONTROL.pattern.replace("\u00ad", ""))
"""What the parser must not see: a soft hyphen breaks nothing there, and stays in the text so a
TCVN3 text's "ư" (its 0xAD byte) reaches the legacy-encoding warning intact."""
_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 9: "TAB", 0x0A: N_("line break"), 0x0B: "VT", 0x0C: "FF",
          0x0D: N_("line break"), 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL",
          0x2028: N_("line break"), 0x2029: N_("line break"),
          0xFFFE: N_("a non-character"), 0xFFFF: N_("a non-character")}
"""Names of characters a message shows; tab and line breaks only a spreadsheet cell refuses."""
_UNNAMED = N_("control character")
"""Marked on its own: babel does not find a message marked inside another call."""
_YAML_WORDS = (
    N_("mapping values are not allowed in this context"), N_("did not find expected key"),
    N_("did not find expected '-' indicator"), N_("found unexpected end of stream"),
    N_("found character that cannot start any token"), N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"), N_("found unknown escape character"),
    N_("but found another document"), N_("did not find expected <document start>"),
    N_("while parsing a block mapping"), N_("while parsing a block collection"),
    N_("while scanning a quoted scalar"), N_("while parsing a quoted scalar"),
    N_("while scanning for the next token"), N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"), N_("expected a single document in the stream"),
    N_("while scanning a simple key"), N_("could not find expected ':'"),
    N_("did not find expected node content"), N_("while parsing a flow node"),
    N_("did not find expected alphabetic or numeric character"), N_("while scanning an anchor"),
    N_("while scanning an alias"), N_("found a tab character that violates indentation"),
    N_("while scanning a plain scalar"), N_("did not find expected comment or line break"),
    N_("while scanning a block scalar"),
)
"""libyaml's most common words for a syntax error, so the catalog translates them (others stay
as libyaml says them)."""


def legacy_letter(char: str, text: str) -> bool:
    """True when ``char`` is the 0xAD byte of a text typed in TCVN3 ("ư" there) and read as Unicode,
    where it is a soft hyphen: the text's one warning says to convert it, and deleting the
    "invisible" character as the soft hyphen's message says would destroy the letter."""
    from bzmedia.text.legacy import looks_legacy_encoded

    return char == "\u00ad" and looks_legacy_encoded(text)


def describe_char(char: str) -> str:
    """``U+001B (ESC)``: how a problem names an invisible character."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return _("U+{code} (a lone surrogate, half of a character)").format(code=f"{code:04X}")
    if code in _NAMES or unicodedata.category(char) != "Cf":
        return f"U+{code:04X} ({_(_NAMES.get(code, _UNNAMED))})"
    name = unicodedata.name(char, "").lower()
    return _("U+{code} ({name}: invisible, it often comes with text copied from a web page or "
             "Word)").format(code=f"{code:04X}", name=name)


def control_message(char: str) -> str:
    return _("character {char} is not allowed in a script; delete it (most editors do not show "
             "it)").format(char=describe_char(char))


@dataclass
class Source:
    """One parsed YAML file: its root node (or ``None``) and the problems found reading it."""

    path: Path
    shown_name: str
    root: yaml.Node | None
    loader: yaml.SafeLoader | None
    problems: list[Problem]
    tags: dict[int, tuple[str, yaml.Node]] = field(default_factory=dict)
    """Explicit tags by ``id(node)``; the schema reports each where it stands."""
    controls: list[tuple[int, int, int, str]] = field(default_factory=list)
    """``(index, line, col, char)`` of each control character in the text, sorted by index."""
    claimed: set[int] = field(default_factory=set)
    """Indices in ``controls`` already reported with a key path."""
    reported_tags: set[int] = field(default_factory=set)
    """Nodes whose tag was already reported with a key path."""

    def problem(self, node: yaml.Node | None, path: str, message: str, *, warning=False) -> Problem:
        """A problem located at ``node`` (or at the top of the file)."""
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        return Problem(self.shown_name, line, col, path, message, warning)

    def construct(self, node: yaml.ScalarNode):
        """The Python value of a scalar node under YAML's safe rules (int, float, bool, null)."""
        assert self.loader is not None
        return self.loader.construct_object(node, deep=True)

    def tag_of(self, node: yaml.Node) -> str | None:
        """The explicit tag written on ``node`` (as written, e.g. ``!!int``), if any.

        Asking marks it reported: :meth:`leftover_problems` names only tags nobody asked about.
        """
        found = self.tags.get(id(node))
        if found is None:
            return None
        self.reported_tags.add(id(node))
        return shown_tag(found[0])

    def take_controls(self, node: yaml.Node) -> list[tuple[int, int, str]]:
        """``(line, col, char)`` of unreported control characters inside ``node``'s text."""
        if not self.controls:
            return []
        low = bisect.bisect_left(self.controls, (node.start_mark.index,))
        high = bisect.bisect_left(self.controls, (max(node.end_mark.index, node.start_mark.index + 1),))
        found = []
        for index, line, col, char in self.controls[low:high]:
            if index not in self.claimed:
                self.claimed.add(index)
                found.append((line, col, char))
        return found

    def leftover_problems(self) -> list[Problem]:
        """Tags and control characters no key claimed (in comments, unknown keys ...)."""
        problems = [self.problem(node, "syntax", tag_message(shown_tag(tag)))
                    for key, (tag, node) in self.tags.items() if key not in self.reported_tags]
        self.reported_tags.update(self.tags)
        # An invisible formatting character no value holds is in a comment: it harms nothing there.
        left = [c for c in self.controls if c[0] not in self.claimed and not _INVISIBLE.match(c[3])]
        for _index, line, col, char in left[:MAX_CONTROL_REPORTS]:
            problems.append(Problem(self.shown_name, line, col, "syntax", control_message(char)))
        if len(left) > MAX_CONTROL_REPORTS:
            _index, line, col, _char = left[MAX_CONTROL_REPORTS]
            problems.append(Problem(self.shown_name, line, col, "syntax",
                                    _("and {count} more control characters; is this a text "
                                      "file?").format(count=number(len(left) - MAX_CONTROL_REPORTS))))
        self.claimed.update(c[0] for c in left)
        return problems


def nesting_message() -> str:
    return _("values are nested more than {most} levels deep; a campaign script "
             "needs fewer than 10").format(most=MAX_DEPTH)


def shown_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def tag_message(tag: str) -> str:
    return _("YAML tag '{tag}' is not allowed; write the plain value (put text in quotes) without "
             "a tag").format(tag=tag)


if getattr(yaml, "__with_libyaml__", False):
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.cyaml import CParser
    from yaml.resolver import Resolver

    class _SafeBase(Composer, CParser, SafeConstructor, Resolver):
        """libyaml's parser (30 times faster on a large file: 1 MB took 1.1 s in pure Python)
        under PyYAML's own composer, so the composing below stays in our hands."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
else:  # pragma: no cover - PyYAML wheels ship libyaml
    _SafeBase = yaml.SafeLoader


class _Loader(_SafeBase):
    """The safe loader, composing with a depth limit and remembering explicit tags."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0
        self.heights: dict[int, int] = {}
        self.nodes = 0
        self.explicit: dict[int, tuple[str, yaml.Node]] = {}

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            if id(node) not in self.heights:
                raise yaml.composer.ComposerError(
                    None, None, _("alias *{name} refers to the value that contains it (a loop); "
                                  "write the value out instead").format(name=event.anchor),
                    event.start_mark)
            return node
        event = self.peek_event()
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, nesting_message(), event.start_mark)
        self.nodes += 1
        if self.nodes > MAX_EXPANDED_NODES:
            raise yaml.composer.ComposerError(
                None, None, _("the document holds more than {most} values; a campaign script needs "
                              "a few thousand at most").format(most=number(MAX_EXPANDED_NODES)),
                event.start_mark)
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if event.tag is not None:
            self.explicit[id(node)] = (event.tag, node)
        self.heights[id(node)] = height = 1 + max(
            (self.heights[id(child)] for child in _children(node)), default=0)
        if height > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, _("with its aliases expanded this value is nested more than {most} "
                              "levels deep; write it out plainly").format(most=MAX_DEPTH),
                event.start_mark)
        return node



if getattr(yaml, "__with_libyaml__", False):
    class _CLoader(CParser, SafeConstructor, Resolver):
        """libyaml parsing and composing, both in C: for plain documents (:func:`_compose_plain`)."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
else:  # pragma: no cover
    _CLoader = None

_PLAIN_NODES = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_PLAIN_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _compose_plain(text: str):
    """``(root, loader)`` composed by libyaml in C when the document is plain, else ``None``.

    Plain is what every real script and layout is: one document, no explicit tag, aliases only to
    values already complete, well within :data:`MAX_DEPTH` and :data:`MAX_EXPANDED_NODES` with
    aliases expanded.  libyaml's composer recurses with no limit (100,000 ``[`` crash the
    process), so one pass over the events checks first; anything else, a syntax error included,
    goes to :class:`_Loader`, which reports it.  A layout composes 3 times faster so.
    """
    if _CLoader is None:
        return None
    scan = _CLoader(text)
    try:
        if not _plain_events(scan):
            return None
        loader = _CLoader(text)
        return loader.get_single_node(), loader
    except (yaml.YAMLError, ValueError):
        return None


def _plain_events(scan) -> bool:
    """True when the events of ``scan`` make a plain document (see :func:`_compose_plain`)."""
    open_: list[list] = []  # per open collection: its anchor, nodes before it, height below it
    anchored: dict[str, tuple[int, int]] = {}  # anchor -> (expanded nodes, height) of its value
    nodes = documents = 0
    while not scan.check_event(yaml.StreamEndEvent):
        event = scan.get_event()
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                return False
            continue
        if isinstance(event, _PLAIN_ENDS):
            anchor, before, below = open_.pop()
            size, height = nodes - before, below + 1
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchored:  # its value is still open (a loop) or unknown
                return False
            size, height = anchored[event.anchor]
            anchor = None
            nodes += size
        elif isinstance(event, _PLAIN_NODES):
            if event.tag is not None or event.anchor in anchored or (
                    event.anchor is not None and any(entry[0] == event.anchor for entry in open_)):
                return False  # a duplicate anchor is the careful composer's to report
            if not isinstance(event, yaml.ScalarEvent):
                open_.append([event.anchor, nodes, 0])
                nodes += 1
                if len(open_) >= MAX_DEPTH - 1 or nodes > MAX_EXPANDED_NODES:
                    return False
                continue
            anchor, size, height = event.anchor, 1, 1
            nodes += 1
        else:
            continue
        if nodes > MAX_EXPANDED_NODES or len(open_) + height >= MAX_DEPTH - 1:
            return False
        if anchor is not None:
            anchored[anchor] = (size, height)
        if open_:
            open_[-1][2] = max(open_[-1][2], height)
    return True

def _children(node: yaml.Node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def read_bytes_capped(path: Path, limit: int) -> tuple[bytes | None, str | None]:
    """``(content, None)`` of a regular file of at most ``limit`` bytes, else ``(None, why)``.

    The kind of file is checked with ``stat`` before opening (a FIFO would block ``open`` and
    ``/dev/zero`` never ends), opening does not block, and reading stops at ``limit + 1`` bytes
    in case the file grew in between.
    """
    why = file_kind_problem(path, limit)
    if why:
        return None, why
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, _os_reason(exc)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None, N_("is not a regular file")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        return None, _os_reason(exc)
    finally:
        os.close(fd)
    if total > limit:
        return None, _("is larger than {limit} bytes").format(limit=number(limit))
    return b"".join(chunks), None


def file_kind_problem(path: Path, limit: int) -> str | None:
    """Why ``path`` is not a readable regular file of at most ``limit`` bytes, or ``None``."""
    try:
        info = os.stat(path)
    except ValueError:
        return N_("the name holds a NUL character")
    except OSError as exc:
        return _os_reason(exc)
    if stat.S_ISDIR(info.st_mode):
        return N_("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Already translated (the callers' _() leaves a text that is not a msgid as it is).
        if stat.S_ISFIFO(info.st_mode):
            return _("is a FIFO (named pipe), not a regular file")
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
            return _("is a device, not a regular file")
        return _("is a socket, not a regular file") if stat.S_ISSOCK(info.st_mode) else _(
            "is not a regular file")
    if info.st_size > limit:
        return _("is {size} bytes; at most {limit} are allowed").format(
            size=number(info.st_size), limit=number(limit))
    if not os.access(path, os.R_OK):
        return N_("cannot be read (permission denied)")
    return None


def _os_reason(exc: OSError) -> str:
    import errno

    # English msgids: callers compare them ("does not exist"); read_source translates them.
    return {errno.ENOENT: N_("does not exist"), errno.EACCES: N_("cannot be read (permission denied)"),
            errno.EPERM: N_("cannot be read (permission denied)"),
            errno.ENOTDIR: N_("does not exist (a part of the path is a file, not a folder)"),
            errno.ENAMETOOLONG: N_("has a name too long for the file system"),
            errno.ELOOP: N_("is a loop of symbolic links"),
            errno.EISDIR: N_("is a folder, not a file")}.get(exc.errno) or _(
        "cannot be read ({reason})").format(reason=exc.strerror or exc)


def read_source(path: Path, shown_name: str | None = None) -> Source:
    """Parse ``path``; never raises for user mistakes, they land in ``Source.problems``."""
    name = shown_name or str(path)
    src = Source(path, name, None, None, [])
    raw, why = read_bytes_capped(path, MAX_FILE_BYTES)
    if raw is None:
        src.problems.append(Problem(name, 1, 1, "file", f"{path} {_(why)}"))
        return src
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        src.problems.append(Problem(name, line, 1, "file", _("file is not UTF-8; save it as UTF-8 "
                                                             "(in Notepad: Save As, Encoding: UTF-8)")))
        return src
    text = _mask_controls(src, text)
    plain = _compose_plain(text)
    if plain is not None:
        src.root, src.loader = plain
        return src
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = _(exc.problem or N_("invalid YAML"))
        if exc.context:
            what = f"{what} ({_(exc.context)})"
        if "maximum nesting depth" in str(exc.problem):  # PyYAML >= 6.0.4's scanner limit, hit first
            what = nesting_message()
        if "escape code" in f"{exc.problem} {exc.context}":
            what += _("; \\ud800 to \\udfff are halves of a character and cannot stand alone")
        src.problems.append(Problem(name, line, col, "syntax", what))
        src.problems += src.leftover_problems()
        return src
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        src.problems.append(Problem(name, 1, 1, "syntax", _("cannot read the YAML: {error}").format(
            error=exc)))
        return src
    src.tags = loader.explicit
    if root is not None:
        size = expanded_size(root)
        if size > MAX_EXPANDED_NODES:
            src.problems.append(src.problem(root, "syntax", _(
                "aliases would expand this document to over {most} values (an alias bomb?); refusing "
                "to expand it").format(most=number(MAX_EXPANDED_NODES))))
            src.problems += src.leftover_problems()
            return src
    src.root, src.loader = root, loader
    return src


def _mask_controls(src: Source, text: str) -> str:
    """Note every control character with its place and hide it from the parser.

    Each is replaced by U+FFFD (one character for one, so every later mark stays right); the
    schema then reports it under the key whose value holds it.
    """
    found = list(CONTROL.finditer(text))
    if not found:
        return text
    line_starts = [0] + [m.end() for m in re.finditer("\r\n|[\n\u2028\u2029]|\r(?!\n)", text)]
    for match in found:
        index = match.start()
        line = bisect.bisect_right(line_starts, index)
        src.controls.append((index, line, index - line_starts[line - 1] + 1, match.group()))
    return _MASKED.sub("\ufffd", text)


def expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has with every alias expanded, computed without expanding.

    Each distinct node is visited once (memoized by identity), so a bomb of ten levels of ten
    aliases costs ten visits, not ten billion.  Recursive aliases count as too large.
    """
    memo: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in memo:
            return memo[key]
        if key in in_progress:
            return MAX_EXPANDED_NODES + 1
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        in_progress.discard(key)
        memo[key] = total = min(total, MAX_EXPANDED_NODES + 1)
        return total

    return size(root)
