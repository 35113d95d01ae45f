"""A print layout of two boxes whose second one prints a text with variables (``{TEXT}`` is
replaced by the test), shared by the campaign and printing tests of layout variables (``tests/``
is on the import path through its ``conftest.py``)."""

LAYOUT = """\
trim: item
pages:
  - boxes:
      headline: {show: headline, left: 9, top: 9, right: 9, height: 40, size: 20}
      issuer:
        text: "{TEXT}"
        left: 9
        bottom: 9
        right: 9
        height: 12
        size: 9
"""
