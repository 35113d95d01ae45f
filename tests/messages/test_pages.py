"""The portal page and the article from hostile texts: escaped, strict HTML, nothing that loads."""

from __future__ import annotations

import re

import html5lib

from bzmedia.messages.pages import ArticleText, PageText, article_fragment, portal_page, preview_page

PALETTE = (("primary", "#0B5FA5"), ("accent", "#F2A900"), ("background", "#FFFFFF"),
           ("text", "#1A1A1A"), ("on_primary", "#FFFFFF"))
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> </title></style>'
URL = 'https://example.vn/a?b=1&c="2"<x>'


def strict(text: str, fragment: bool = False) -> list:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parseFragment(text) if fragment else parser.parse(text)
    assert not parser.errors
    return list(tree.iter())


def test_portal_page_escapes_every_text() -> None:
    page = portal_page(PageText(HOSTILE, HOSTILE, (HOSTILE, "Bước hai"), HOSTILE, URL, HOSTILE,
                                HOSTILE, PALETTE))
    elements = strict(page)
    tags = {e.tag for e in elements}
    assert "script" not in tags and "img" not in tags
    assert [e.get("href") for e in elements if e.get("href")] == [URL]
    assert not [e for e in elements if e.get("src")]
    assert page.count("<style>") == 1 and page.count("</style>") == 1


def test_article_escapes_every_text_and_keeps_to_plain_tags() -> None:
    article = ArticleText(HOSTILE, f"{HOSTILE}\n\nĐoạn hai", (HOSTILE, "Bước hai"), HOSTILE, URL,
                          ("anh/buoc-1.png", "anh/buoc-2.png"), (1200, 675))
    fragment = article_fragment(article)
    elements = strict(fragment, fragment=True)
    assert {e.tag for e in elements} - {"DOCUMENT_FRAGMENT"} <= {"h2", "p", "ol", "li", "strong", "img", "a"}
    assert [e.get("src") for e in elements if e.tag == "img"] == ["anh/buoc-1.png", "anh/buoc-2.png"]
    assert [e.get("href") for e in elements if e.tag == "a"] == [URL]
    assert not any(name.startswith("on") for e in elements for name in e.attrib)
    assert len(re.findall(r"<p>", fragment)) == 2 + 2 * 2 + 1 + 1  # lead, step + image each, closing, link
    strict(preview_page(article, fragment))
