"""bzmedia: one campaign script in, a complete media kit out (audio, print, signage)."""

__version__ = "0.1.0"
