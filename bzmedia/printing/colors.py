"""The palette in print terms: CMYK inks, 100 % K text, and how colours fare on a mono printer.

Brand colours are given as ``#RRGGBB``; print shops want CMYK.  We convert with the plain
under-colour formula (K = 1 - max(R, G, B)), so greys become K alone.  Text in the ``text`` and
``black`` roles is always printed as 100 % K: a rich grey made of four inks blurs small letters
when the plates are slightly out of register.

Office printers are often black and white.  :func:`contrast` gives the contrast ratio of two
colours once printed as grey (WCAG's relative luminance, which is what a driver's conversion
follows), so the office sheet can print weak pairs in black or white instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from bzmedia.contrast import luminance, ratio

PURE_K_ROLES = ("text", "black")
"""Roles printed as 100 % black ink only."""


@dataclass(frozen=True)
class Ink:
    """A CMYK colour, each component 0..1."""

    c: float
    m: float
    y: float
    k: float

    def tinted(self, share: float) -> Ink:
        """The same inks at ``share`` of their strength (a tint on white paper)."""
        return Ink(self.c * share, self.m * share, self.y * share, self.k * share)

    def rgb(self) -> tuple[float, float, float]:
        """The colour on screen (inverse of :func:`cmyk_of`), for luminance estimates."""
        return tuple((1 - v) * (1 - self.k) for v in (self.c, self.m, self.y))

    def luminance(self) -> float:
        """WCAG relative luminance, 0 (black) .. 1 (white)."""
        return luminance(self.rgb())


BLACK = Ink(0, 0, 0, 1)
WHITE = Ink(0, 0, 0, 0)


def cmyk_of(hex_color: str) -> Ink:
    """``#RRGGBB`` as CMYK by under-colour removal (greys become black ink only)."""
    r, g, b = (int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    k = 1 - max(r, g, b)
    if k >= 1:
        return BLACK
    return Ink(*(round((1 - v - k) / (1 - k), 4) for v in (r, g, b)), round(k, 4))


def palette(colors: dict[str, str]) -> dict[str, Ink]:
    """Every colour role as an ink; ``colors`` maps role -> ``#RRGGBB`` (``brand.colors``)."""
    inks = {role: cmyk_of(value) for role, value in colors.items()}
    inks["white"] = WHITE
    for role in PURE_K_ROLES:
        inks[role] = BLACK
    return inks


def contrast(a: Ink, b: Ink) -> float:
    """WCAG contrast ratio of two inks (1 .. 21); on a mono printer colours print as this grey."""
    return ratio(a.luminance(), b.luminance())


def legible_on(ground: Ink) -> Ink:
    """Black or white, whichever stands out more on ``ground`` in grey."""
    return BLACK if contrast(BLACK, ground) >= contrast(WHITE, ground) else WHITE

