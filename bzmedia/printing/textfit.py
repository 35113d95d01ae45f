"""Fit text into a box: word wrap, shrink step by step down to a minimum, never clip.

A box holds *entries*: paragraphs, bullet points or numbered steps.  :func:`fit` tries sizes from
the layout's largest down to its smallest in half-point steps and returns the first arrangement
whose lines all fit the width and whose real height (measured on the glyphs actually used, so
stacked capitals like Ẵ keep their room) fits the box.  When even the smallest size does not fit,
it raises :class:`DoesNotFit` saying by how much, for a build error that names item and box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bzmedia.i18n import _
from bzmedia.printing.fonts import Face

PT_PER_MM = 72 / 25.4
STEP_PT = 0.5
"""How much the size drops per try; half points are as fine as anyone can see."""
MARKER_RAISE = 0.34
"""Centre of a bullet or number disc above the baseline, in em (about half the x-height)."""
DISC_RADIUS = 0.68
"""Radius of a step's number disc, in em."""
BULLET_RADIUS = 0.2
"""Radius of a bullet, in em."""
DIGIT_GROUP = re.compile(r"\+?\d{2,5}")
"""A group of a phone number (``0210``, ``+84``): the next digit group stays on its line."""
CLEARANCE = 0.06
"""Least white between the lowest glyph of a line and the highest of the next, in em."""


@dataclass(frozen=True)
class Entry:
    """One paragraph, bullet point or step; ``marker`` is ``None``, ``"bullet"`` or a number."""

    text: str
    marker: str | None = None


@dataclass
class Line:
    """One line as placed: its text, its width, its baseline below the box top (points)."""

    text: str
    width: float
    baseline: float
    indent: float
    bottom: float
    """Lowest point of the line's glyphs below the box top (points)."""
    marker: str | None = None
    """Set on the first line of a bullet or step: what to draw before it."""


@dataclass
class Fitted:
    """The arrangement chosen for a box."""

    size: float
    lines: list[Line] = field(default_factory=list)
    height: float = 0.0
    """From the box top to the lowest glyph, in points."""
    indent: float = 0.0


class DoesNotFit(Exception):
    """Text that does not fit even at the minimum size; the message says by how much."""


class _TooWide(Exception):
    def __init__(self, word: str, width: float) -> None:
        super().__init__(word)
        self.word, self.width = word, width


def marker_indent(entries: list[Entry], size: float) -> float:
    """Room before the text of each entry: none, a bullet's, or a number disc's."""
    markers = {e.marker for e in entries}
    if markers <= {None}:
        return 0.0
    if markers <= {None, "bullet"}:
        return 1.0 * size
    return 1.95 * size


def unbreakable_words(text: str) -> list[str]:
    """Words to wrap between; digit groups stay together, so a phone number such as
    ``0210 3826 035`` is never split across lines (a reader would dial half of it)."""
    words: list[str] = []
    for word in text.split():
        if words and DIGIT_GROUP.fullmatch(words[-1].rsplit(" ", 1)[-1]) and word[0].isdecimal():
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    return words


def wrap(text: str, face: Face, size: float, width: float) -> list[tuple[str, float]]:
    """Greedy word wrap of ``text`` (explicit newlines kept); raises ``_TooWide`` for a word
    longer than the whole line."""
    lines: list[tuple[str, float]] = []
    space = face.width(" ", size)
    for paragraph in text.split("\n"):
        current, current_width = "", 0.0
        for word in unbreakable_words(paragraph):
            word_width = face.width(word, size)
            if word_width > width:
                raise _TooWide(word, word_width)
            if current and current_width + space + word_width <= width:
                current, current_width = f"{current} {word}", current_width + space + word_width
                continue
            if current:
                lines.append((current, current_width))
            current, current_width = word, word_width
        if current:
            lines.append((current, current_width))
    return lines


def arrange(entries: list[Entry], face: Face, size: float, width: float, leading: float,
            gap: float) -> Fitted:
    """Lines and baselines of ``entries`` at ``size`` pt in a box ``width`` pt wide."""
    indent = marker_indent(entries, size)
    fitted = Fitted(size, indent=indent)
    below_previous = None  # descent of the previous line, in points
    for entry in entries:
        wrapped = wrap(entry.text, face, size, width - indent)
        for i, (text, text_width) in enumerate(wrapped):
            descent, ascent = (v * size for v in face.extent(text))
            if i == 0 and entry.marker not in (None, "bullet"):
                # The number disc reaches beyond the letters; it must stay inside the box too.
                ascent = max(ascent, (MARKER_RAISE + DISC_RADIUS) * size)
                descent = max(descent, (DISC_RADIUS - MARKER_RAISE) * size)
            if below_previous is None:
                baseline = ascent
            else:
                # Leading, raised where the glyphs of two lines would otherwise touch.
                pitch = max(leading * size, below_previous + ascent + CLEARANCE * size)
                if i == 0:
                    pitch += gap * size
                baseline = fitted.lines[-1].baseline + pitch
            marker = entry.marker if i == 0 else None
            fitted.lines.append(Line(text, text_width, baseline, indent, baseline + descent, marker))
            below_previous = descent
            fitted.height = max(fitted.height, baseline + descent)
    return fitted


def fit(entries: list[Entry], face: Face, width: float, height: float, largest: float,
        smallest: float, leading: float, gap: float) -> Fitted:
    """The largest arrangement of ``entries`` that fits ``width`` x ``height`` points."""
    size = largest
    while True:
        try:
            fitted = arrange(entries, face, size, width, leading, gap)
        except _TooWide as exc:
            too_wide = exc
        else:
            too_wide = None
            if fitted.height <= height + 1e-6:
                return fitted
        if size <= smallest:
            break
        size = max(smallest, size - STEP_PT)
    if too_wide is not None:
        raise DoesNotFit(_("the word “{word}” is {width} mm wide at {size} pt minimum; the box is {box} mm "
                           "wide").format(word=too_wide.word, width=f"{too_wide.width / PT_PER_MM:.1f}",
                                          size=f"{smallest:g}", box=f"{width / PT_PER_MM:.1f}"))
    raise DoesNotFit(_overflow(fitted, height))


def _overflow(fitted: Fitted, height: float) -> str:
    """"needs 5 lines, box holds 3 at 14 pt minimum" with the heights in millimetres."""
    holds = sum(1 for line in fitted.lines if line.bottom <= height + 1e-6)
    # the heights stay written " (12.5 mm)": the preflight drops them where it lists several boxes
    return _("needs {lines} lines ({height} mm), box holds {holds} ({box} mm) at {size} pt minimum").format(
        lines=len(fitted.lines), height=f"{fitted.height / PT_PER_MM:.1f}", holds=holds,
        box=f"{height / PT_PER_MM:.1f}", size=f"{fitted.size:g}")
