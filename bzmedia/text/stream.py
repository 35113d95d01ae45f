"""Line-by-line normalization of a byte stream, for ``bzmedia normalize -``.

One output line per input line, flushed at once, so a program on the other end of a pipe can
send a sentence and wait for its reading.  Input is UTF-8 (a BOM and Windows line endings are
accepted, undecodable bytes become U+FFFD); output is UTF-8 with "\\n" endings whatever the
console's code page, which is what a pipe to another program wants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import BinaryIO

from bzmedia.text.speech import normalize_for_speech

# Characters str.splitlines() and many readers treat as line ends: inside one output line they
# would break the one-line-in, one-line-out promise, so they become spaces.
_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def speak_line(line: str, *, dialect: str = "north",
               pronunciations: Mapping[str, str] | None = None) -> str:
    """The spoken form of one line, guaranteed to be one line."""
    spoken = normalize_for_speech(_LINE_BREAKS.sub(" ", line), dialect=dialect,
                                  pronunciations=pronunciations)
    return _LINE_BREAKS.sub(" ", spoken).strip()


def speak_lines(source: BinaryIO, sink: BinaryIO, *, dialect: str = "north",
                pronunciations: Mapping[str, str] | None = None) -> int:
    """Read ``source`` until EOF, write one normalized line per line read; return the count."""
    count = 0
    for raw in iter(source.readline, b""):
        text = raw.decode("utf-8", errors="replace")
        if count == 0:
            text = text.removeprefix("\ufeff")
        text = text.removesuffix("\n").removesuffix("\r")
        sink.write(speak_line(text, dialect=dialect, pronunciations=pronunciations).encode("utf-8") + b"\n")
        sink.flush()
        count += 1
    return count
