"""The least a campaign script needs, shared by the tests of every folder (``tests/`` is on the
import path through its ``conftest.py``); tests append the blocks they exercise."""

MINIMAL = """\
campaign:
  id: demo
  title: "Cài đặt Bluezone"
  issuer: "UBND xã Sơn Vi"
  url: https://www.bluezone.gov.vn
"""
