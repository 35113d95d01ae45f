"""``python -m bzmedia`` runs the CLI (handy where the console script is not on PATH)."""

from bzmedia.cli import main

main()
