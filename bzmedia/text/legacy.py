"""Spot text typed in the pre-Unicode Vietnamese encodings TCVN3 (ABC) and VNI.

Offices still hold documents made with .VnTime or VNI-Times fonts; pasted into a script they come
out as ``Uû ban nh©n d©n`` (VNI / TCVN3 read as Windows-1252).  Such text would be spoken and
printed as gibberish, so the loader warns where it appears.  We only detect; converting needs the
original font name, which the text no longer carries.
"""

from __future__ import annotations

import re

# Characters a Unicode Vietnamese text never has, but TCVN3 and VNI text shows in their place.
# (Vietnamese uses à á â ã è é ê ì í ò ó ô õ ù ú ý from Latin-1; everything else here is foreign.)
_FOREIGN = "§©¸µ¶·¹¨®¬¦¥¤£¢«ª¯±²³´º»¼½¾ÆÇÈËÎÏÐÑ×ØÛÜÞßæçëîïðñ÷øûüþÿ"
_VNI_PAIRS = re.compile(r"[AaEeOoUuYy][ÂÊÔâêôÙÚØÛÕÏùúøûõï]|[AaEeIiOoUuYy][ÙØÛÕÏùøûõï]")
_TCVN3_IN_WORD = re.compile(rf"[{re.escape(_FOREIGN)}][a-z]")
_VNI_WORD = re.compile(r"\b\w*(?:" + _VNI_PAIRS.pattern + r")\w*\b")


def looks_legacy_encoded(text: str) -> bool:
    """True when ``text`` looks like TCVN3 or VNI bytes shown as Windows-1252 characters.

    One symbol wedged between letters (``nh©n``) is enough; VNI's vowel-plus-mark pairs
    (``Uû``, ``aâ``) must occur twice, since ``oà`` style pairs can appear in loanwords.
    """
    if _TCVN3_IN_WORD.search(text):
        return True
    return len(_VNI_WORD.findall(text)) >= 2
