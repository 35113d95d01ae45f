"""The wifi-portal splash page and the web-portal article (HTML text; no image library).

The portal page is what a captive portal shows before the network opens, so it can load nothing:
one file, styles inline, the QR code as inline SVG, no script, no font or image from elsewhere
(the only address in it is the campaign link, an ``<a>`` the visitor may follow).  Mobile first:
one column that reflows from 320 px up.

The article is a fragment an office pastes into its portal's editor (CMS editors strip scripts,
styles and classes): headings, paragraphs, an ordered list and ``<img>`` of the step images that
sit beside it; plus a standalone preview page that wraps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape
from string import Template

from bzmedia.messages.images import PALETTE_ROLES
from bzmedia.text.phrases import split_paragraphs
from bzmedia.text.urls import display_url

PORTAL_MAX_BYTES = 100_000
"""A captive portal serves its splash page before the network opens: keep it small."""

PORTAL_CSS = Template("""
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
font-size:17px;line-height:1.45;color:$text;background:$background;overflow-wrap:anywhere}
header{background:$primary;color:$on_primary;padding:20px 16px}
h1{margin:0;font-size:1.5em;line-height:1.2}
h2{font-size:1.2em;margin:0 0 12px}
header p{margin:8px 0 0}
main{max-width:520px;margin:0 auto;padding:16px}
ol{padding-left:1.4em;margin:0 0 16px}
li{margin:0 0 8px}
.qr{display:block;width:100%;max-width:240px;height:auto;margin:8px auto;background:#fff}
.go{display:block;text-align:center;background:$accent;color:$text;font-weight:bold;
padding:14px;border-radius:8px;text-decoration:none;font-size:1.1em}
.url{text-align:center;margin:8px 0 16px}
footer{font-size:.9em;padding:0 16px 20px;text-align:center}
""")


@dataclass(frozen=True)
class PageText:
    """The filled texts one locality's pages show."""

    title: str
    text: str
    steps: tuple[str, ...]
    button: str
    url: str
    issuer: str
    locality_name: str
    palette: tuple[tuple[str, str], ...]
    """Palette roles and colours (``primary``, ``accent``, ``background``, ``text``, ``on_primary``)."""


def page_text(spec, info, colors, locality_name: str, fill_text=lambda text: text) -> PageText:
    """What the portal page of ``spec`` (``messages:``) shows for a locality: the build passes
    texts already filled, ``validate`` a ``fill_text`` that fills them (the same page either way).
    ``info`` is ``campaign:``, ``colors`` the brand's palette."""
    return PageText(fill_text(spec.title), fill_text(spec.text), tuple(fill_text(s) for s in spec.steps),
                    fill_text(spec.button), spec.url or info.url, fill_text(info.issuer), locality_name,
                    tuple((role, getattr(colors, role)) for role in PALETTE_ROLES))


@lru_cache(maxsize=8)
def qr_svg(data: str) -> str:
    """``data`` as an inline SVG QR code (one path; 4-module quiet zone; crisp at any size).
    Every commune's page shows the same address: each worker draws it once (0.1-0.6 s)."""
    from bzmedia.printing.qrcode import qr_matrix
    from bzmedia.signage.qr import QUIET_ZONE

    modules = qr_matrix(data)
    side = len(modules) + 2 * QUIET_ZONE
    runs = []
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (f'<svg class="qr" viewBox="0 0 {side} {side}" '
            f'shape-rendering="crispEdges" role="img" aria-label="Mã QR"><rect width="{side}" '
            f'height="{side}" fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>')


def portal_page(page: PageText, qr: str | None = None) -> str:
    """The captive-portal splash page: one self-contained HTML document (``qr``: the code's SVG,
    by default drawn from the page's address)."""
    css = PORTAL_CSS.substitute(dict(page.palette))
    steps = "".join(f"<li>{escape(step)}</li>" for step in page.steps)
    lead = f"<p>{escape(page.text)}</p>" if page.text else ""
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(page.title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(page.title)}</h1>{lead}</header>\n<main>\n"
        + (f"<h2>Cài đặt trong {len(page.steps)} bước</h2>\n<ol>{steps}</ol>\n" if steps else "")
        + f"{qr_svg(page.url) if qr is None else qr}\n"
        f'<p class="url">Quét mã QR hoặc mở {escape(display_url(page.url))}</p>\n'
        f'<a class="go" href="{escape(page.url)}">{escape(page.button)}</a>\n</main>\n'
        f"<footer>{escape(page.issuer)} – {escape(page.locality_name)}</footer>\n"
        "</body>\n</html>\n")


@dataclass(frozen=True)
class ArticleText:
    """The filled texts of the web-portal article."""

    title: str
    lead: str
    steps: tuple[str, ...]
    closing: str
    url: str
    step_images: tuple[str, ...]
    """File names of the step images, relative to the article (``anh/buoc-1.png`` ...)."""
    image_size: tuple[int, int]


def _paragraphs(text: str) -> str:
    """The paragraphs the audio and print channels see, each as one ``<p>``."""
    return "".join(f"<p>{escape(' '.join(block.split()))}</p>\n" for block in split_paragraphs(text))


def article_fragment(article: ArticleText) -> str:
    """The article as a fragment of plain tags an editor keeps."""
    width, height = article.image_size
    items = []
    for number, (step, image) in enumerate(zip(article.steps, article.step_images, strict=True), 1):
        items.append(f'<li><p><strong>Bước {number}:</strong> {escape(step)}</p>\n'
                     f'<p><img src="{escape(image)}" alt="Bước {number}: {escape(step)}" '
                     f'width="{width // 2}" height="{height // 2}"></p></li>\n')
    steps = f"<ol>\n{''.join(items)}</ol>\n" if items else ""
    link = f'<p>Tải ứng dụng tại: <a href="{escape(article.url)}">{escape(article.url)}</a></p>\n'
    return (f"<h2>{escape(article.title)}</h2>\n{_paragraphs(article.lead)}{steps}"
            f"{_paragraphs(article.closing)}{link}")


def preview_page(article: ArticleText, fragment: str) -> str:
    """A standalone page showing the fragment as a portal would (for checking before pasting)."""
    return ('<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(article.title)}</title>\n<style>body{{max-width:760px;margin:0 auto;"
            "padding:16px;font-family:system-ui,Arial,sans-serif;line-height:1.5}"
            "img{max-width:100%;height:auto}</style>\n</head>\n<body>\n"
            f"<article>\n{fragment}</article>\n</body>\n</html>\n")
