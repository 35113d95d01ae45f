"""WCAG 2 contrast: the one rule slides (validate) and print (the mono office sheet) judge text by.

Pure arithmetic, no image library: ``bzmedia validate`` checks slide palettes with it.
"""

from __future__ import annotations

MIN_CONTRAST = 4.5
"""WCAG 2 AA contrast for normal text."""
MIN_CONTRAST_LARGE = 3.0
"""WCAG 2 AA contrast for large text (18 pt, or 14 pt bold)."""


def _linear(value: float) -> float:
    """An sRGB channel (0..1) as linear light."""
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour given as three channels 0..1."""
    red, green, blue = (_linear(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def hex_luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``."""
    return luminance(tuple(int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)))


def ratio(first: float, second: float) -> float:
    """WCAG 2 contrast ratio (1 to 21) of two relative luminances, in either order."""
    light, dark = sorted((first, second), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def hex_contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    return ratio(hex_luminance(first), hex_luminance(second))


def needed_contrast(size_pt: float, bold: bool) -> float:
    """WCAG AA: 3:1 for large text (18 pt, or 14 pt bold), 4.5:1 otherwise."""
    large = size_pt >= 18 or (bold and size_pt >= 14)
    return MIN_CONTRAST_LARGE if large else MIN_CONTRAST
