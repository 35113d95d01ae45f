"""Spot text typed in the pre-Unicode Vietnamese encodings TCVN3 (ABC) and VNI.

Offices still hold documents made with .VnTime or VNI-Times fonts; pasted into a script they come
out as ``Uû ban nh©n d©n`` (TCVN3 read as Windows-1252) or ``UÛy ban nhaân daân`` (VNI).  Such
text would be spoken and printed as gibberish, so the loader warns where it appears.  We only
detect; converting needs the original font name, which the text no longer carries.

A warning that cries wolf teaches people to ignore it, so the test is word by word and built on
what the two encodings *cannot* produce and correct Unicode *cannot* contain:

- Read as Windows-1252, neither encoding can produce ``ă đ ĩ ũ ơ ư`` or any letter of U+1EA0 to
  U+1EF9 (ạ ả ấ ...): a word holding one is Unicode, whatever else it holds.
- TCVN3 writes ``â`` as ``©``, ``đ`` as ``®``, ``ã`` as ``·``, ``ơ`` as ``¬`` ...: symbols and
  letters such as ``µ ¸ ¶ ¹ ß ø ü`` that no Vietnamese word has.  One next to a letter marks the
  word.
- Both show letters where Vietnamese spelling cannot have them: a low tone before a final
  p/t/c/ch (``dòch``), a capital inside a lower-case word (``TuyÕt``).
- VNI writes a vowel then a separate mark byte: ``aø`` (à), ``oâ`` (ô), ``eä`` (ệ).  Many such
  pairs (``uô``, ``uâ``, ``oà``) are also correct Unicode (``luôn``, ``xuân``, ``hoà``), so only
  pairs no Vietnamese syllable has count: a vowel followed by ``ø û ï å ä ë ü`` and the like, or
  ``a``/``e`` followed by a second accented vowel.
"""

from __future__ import annotations

import re

_UNICODE_ONLY = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
"""Letters Windows-1252 lacks, so no mis-decoded TCVN3/VNI text can hold them."""

_FOREIGN = "¡¢£¤¥¦§¨©ª«¬\xad®¯±²³´µ¶·¸¹º»¼½¾ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ"
"""Characters TCVN3 and VNI text shows that no Vietnamese word holds (Vietnamese takes only
à á â ã è é ê ì í ò ó ô õ ù ú ý, their capitals, from Latin-1).  ``Ð`` (U+00D0) is left out:
some keyboards type it for ``Đ``, and it prints the same."""
_ANYWHERE = set(_FOREIGN) - set("©®")
"""``©`` and ``®`` also follow brand names (``Bluezone®``); they count only before a letter,
which is where TCVN3 puts them (``nh©n``, ``®iÖn``)."""

_VNI_PAIR = re.compile(
    "[aA][øùâõïûáàåãäêéèúüëØÙÂÕÏÛÁÀÅÃÄÊÉÈÚÜË]"  # VNI a + tone / circumflex / breve mark
    "|[eE][øùâõïûáàåãäØÙÂÕÏÛÁÀÅÃÄ]"            # e + tone / circumflex mark
    "|[oO][øùâõïûåäØÙÂÕÏÛÅÄ]"                  # o + mark; not oà oá oã (hoà, khoá, xoã)
    "|[ôÔöÖ][øùõïûØÙÕÏÛ]"                      # ơ (ô) and ư (ö) + tone mark
    "|[uU][øùõïûØÙÕÏÛ]"                        # u + tone mark; not uâ uô (xuân, luôn)
    "|[yY][øùõûØÙÕÛ]"                          # y + tone mark
)
"""VNI's two-character letters that no Vietnamese syllable has in Unicode."""
_LOW_TONE_CHECKED = re.compile("[àèìòùãõÀÈÌÒÙÃÕ](?:ch|CH|[ptcPTC])$")
"""A syllable ending in p, t, c or ch takes only the sắc or nặng tone, so ``dòch`` (VNI for
dịch: ò stands for ị) is not Vietnamese."""
_UPPER_INSIDE = re.compile("[a-zàáâãèéêìíòóôõùúý][ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ]")
"""TCVN3's lower-case letters at 0xC0-0xDE show as capitals: ``TuyÕt`` (Tuyết)."""
_WORD = re.compile(rf"[\w{re.escape(_FOREIGN)}]+")


def legacy_words(text: str) -> list[str]:
    """The words of ``text`` that look like TCVN3 or VNI shown as Windows-1252 characters."""
    found = []
    for word in _WORD.findall(text):
        if _UNICODE_ONLY.search(word) or not re.search("[A-Za-z]", word):
            continue
        if (_VNI_PAIR.search(word) or _tcvn3_mark(word) or _LOW_TONE_CHECKED.search(word)
                or _UPPER_INSIDE.search(word)):
            found.append(word)
    return found


def _tcvn3_mark(word: str) -> bool:
    for i, char in enumerate(word):
        if char in _ANYWHERE:
            return True
        if char in "©®" and i + 1 < len(word) and word[i + 1].isalpha():
            return True
    return False


def looks_legacy_encoded(text: str) -> bool:
    """True when ``text`` looks like TCVN3 or VNI bytes shown as Windows-1252 characters.

    Two such words are enough; one is, when it is a third or more of the words (a short name
    such as ``xaõ Sôn Vi``); a lone ``Müller`` in a sentence is not.
    """
    found = legacy_words(text)
    if len(found) >= 2:
        return True
    if not found:
        return False
    words = [w for w in _WORD.findall(text) if re.search("[A-Za-z]", w)]
    return len(found) * 3 >= len(words)
