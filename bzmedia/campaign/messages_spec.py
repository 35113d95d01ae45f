"""``messages:`` — SMS and Zalo texts, the wifi-portal notice, the web-portal article, social images.

The telecom operators are asked to "nhắn tin trên SMS ... và định kỳ nhắc lại" and to show the
install notice "trên các kênh wifi công cộng"; offices post the guide on their "trang/cổng thông tin
điện tử".  One block states the message once; the ``messages`` channel makes every form of it.

``validate`` counts SMS parts and Zalo length and fits the images' texts for every locality (texts
filled with its variables) and reports a text over its limit at the text's own line (pure Python:
no image library).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bzmedia.campaign.checking import CheckContext
from bzmedia.campaign.patterns import URL
from bzmedia.campaign.schema import Located, spec
from bzmedia.campaign.variables import check_not_blank_when_filled
from bzmedia.i18n import _, number

ZALO_MAX_CHARS = 2_000
"""Zalo Official Account text messages hold at most 2,000 characters."""
QR_MAX_CHARS = 300
"""The longest address drawn as a QR code: past this the code needs more modules than a phone
reads reliably from a small image or a 320 px screen (and the portal page grows past 100 KB)."""
MAX_STEPS = 8


@dataclass(kw_only=True)
class SmsSpec(Located):
    """``messages.sms:`` — one text, sent in two forms (without and with diacritics)."""

    text: str = field(metadata=spec(max_chars=1_000))
    """The message with diacritics; the unaccented GSM-7 form is made from it (signs as words:
    ``30°C`` -> ``30 do C``, ``3‰`` -> ``3 phan nghin``; addresses in ASCII that open the same
    page; what has no GSM-7 stand-in, such as emoji, is left out and ``validate`` names it)."""
    max_parts: int = field(default=1, metadata=spec(min=1, max=10))
    """Most SMS parts the unaccented form may take (160 characters in one part, 153 per part)."""
    unicode_max_parts: int = field(default=3, metadata=spec(min=1, max=10))
    """Most parts the form with diacritics may take (70 characters in one part, 67 per part)."""


@dataclass(kw_only=True)
class ZaloSpec(Located):
    """``messages.zalo:`` — a Zalo Official Account broadcast: text with diacritics and an image."""

    text: str = field(metadata=spec(max_chars=4 * ZALO_MAX_CHARS))  # Zalo's own limit: see check
    """The message; the campaign address is added at the end when the text does not hold it."""


@dataclass(kw_only=True)
class ArticleSpec(Located):
    """``messages.article:`` — the install guide for an office's web portal."""

    title: str = field(metadata=spec(max_chars=300))
    """The article's heading, e.g. ``Hướng dẫn cài đặt ứng dụng Bluezone``."""
    lead: str = ""
    """Paragraphs before the steps (a blank line separates paragraphs).  Not ``intro``: that
    name is the audio spots' chime and is never filled with variables."""
    closing: str = ""
    """Paragraphs after the steps (where to get help)."""


@dataclass(kw_only=True)
class MessagesSpec(Located):
    """``messages:`` — texts and pages for phones and the web, for every locality."""

    title: str = field(metadata=spec(max_chars=200))
    """The message in a few words: heading of the portal page and of every image."""
    text: str = field(default="", metadata=spec(max_chars=500))
    """A sentence under the title on the portal page."""
    steps: list[str] = field(default_factory=list, metadata=spec(max_items=MAX_STEPS, max_chars=300))
    """How to install, one step an entry; on the portal page, in the article and as step images."""
    button: str = field(default="Tải ứng dụng", metadata=spec(max_chars=60))
    """The words of the portal page's link button."""
    url: str | None = field(default=None, metadata=spec(check=URL, max_chars=500))
    """The address in links and QR codes; defaults to ``campaign.url``.  Not filled with variables."""
    sms: SmsSpec | None = None
    """The SMS; left out: no SMS files."""
    zalo: ZaloSpec | None = None
    """The Zalo message; left out: no Zalo files."""
    article: ArticleSpec | None = None
    """The web-portal article; left out: no article."""
    images: bool = True
    """Draw the social images (1200x630, 1080x1080, 1080x1920) and banners (728x90, 300x250,
    320x100)."""

    def check(self, ctx: CheckContext) -> None:
        """SMS parts, Zalo length and the images' texts for every locality, at the text's line."""
        from bzmedia.messages.fitcheck import check_image_contrast, check_image_fit  # pure
        from bzmedia.messages.limits import check_limits
        from bzmedia.messages.portalcheck import check_portal_size

        blank = [(obj, name, what) for obj, name, what, text in self._texts() if not text.split()]
        for obj, name, what in blank:
            ctx.error(obj, name, _("{what} is empty; write what it should say").format(what=what))
        known = len(ctx.problems)
        for obj, name, what, text in self._texts():
            check_not_blank_when_filled(ctx, obj, name, what, text)
        blank_somewhere = bool(blank) or len(ctx.problems) > known
        owner, key = (self, "url") if self.url else (ctx.campaign.campaign, "url")
        address = getattr(owner, key)
        if len(address) > QR_MAX_CHARS:
            ctx.error(owner, key, _("the address is {length} characters; the messages' QR codes take at "
                                    "most {most} (use a shorter link, or set messages.url)").format(
                length=number(len(address)), most=QR_MAX_CHARS))
            return
        check_limits(ctx, self)
        check_portal_size(ctx, self)
        check_image_contrast(ctx, self)
        if not blank_somewhere and ctx.fit_texts:  # an empty text has nothing to fit (the fitter wants words)
            check_image_fit(ctx, self)

    def _texts(self):
        """Texts that must hold words when given: an image or message of spaces shows nothing."""
        yield self, "title", _("the text"), self.title
        yield from ((self, "steps", _("step {number}").format(number=n), step)
                    for n, step in enumerate(self.steps, 1))
        yield self, "button", _("the button"), self.button
        for part in (self.sms, self.zalo):
            if part is not None:
                yield part, "text", _("the text"), part.text
        if self.article is not None:
            yield self.article, "title", _("the text"), self.article.title
